import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addDays, fromEpochDay, toEpochDay } from "../calendar/civil-date"
import { civilDateAt } from "../calendar/zone"
import { dunningDay, instantAtLocalTime, localTimeOfDay, renewalInvoiceAt } from "./days"

const utc = (iso: string): number => Date.parse(iso)
const iso = (instant: number): string => new Date(instant).toISOString()
const HOUR = 3_600_000

describe("dunningDay: day N after due is a civil day in the customer's zone", () => {
  it("keeps local midnight across the spring-forward in Paris (23-hour day on 2026-03-29)", () => {
    const due = utc("2026-03-24T23:00:00Z") // 2026-03-25 00:00 CET
    expect([1, 4, 5, 10].map((n) => iso(dunningDay(due, n, "Europe/Paris")))).toEqual([
      "2026-03-25T23:00:00.000Z", // 03-26 00:00 CET
      "2026-03-28T23:00:00.000Z", // 03-29 00:00 CET
      "2026-03-29T22:00:00.000Z", // 03-30 00:00 CEST: 23 hours after day 4
      "2026-04-03T22:00:00.000Z" // 04-04 00:00 CEST
    ])
  })

  it("keeps the wall-clock time across the fall-back in New York (25-hour day on 2026-11-01)", () => {
    const due = utc("2026-10-30T18:37:00Z") // 14:37 EDT
    expect(iso(dunningDay(due, 3, "America/New_York"))).toBe("2026-11-02T19:37:00.000Z") // 14:37 EST
    expect(dunningDay(due, 3, "America/New_York") - due).toBe(3 * 24 * HOUR + HOUR)
  })

  it("is the due instant itself on day 0, and days before it when negative", () => {
    const due = utc("2026-10-30T18:37:00Z")
    expect(dunningDay(due, 0, "America/New_York")).toBe(due)
    expect(iso(dunningDay(due, -3, "America/New_York"))).toBe("2026-10-27T18:37:00.000Z")
  })

  it("counts days in the customer's zone, not UTC: 23:30 in Paris is already the next UTC day's evening", () => {
    const due = utc("2026-01-31T22:30:00Z") // 2026-01-31 23:30 CET
    expect(iso(dunningDay(due, 1, "Europe/Paris"))).toBe("2026-02-01T22:30:00.000Z")
    expect(iso(dunningDay(due, 1, "Asia/Tokyo"))).toBe("2026-02-01T22:30:00.000Z") // no DST: 24 h too
    expect(iso(dunningDay(utc("2026-03-08T06:30:00Z"), 1, "America/New_York"))).toBe(
      "2026-03-09T05:30:00.000Z"
    )
  })
})

describe("instantAtLocalTime", () => {
  it("takes the first instant after a DST gap when the wall time does not exist", () => {
    // Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    expect(iso(instantAtLocalTime({ year: 2026, month: 3, day: 29 }, 2.5 * HOUR, "Europe/Paris"))).toBe(
      "2026-03-29T01:00:00.000Z"
    )
    // Santiago, 2026-09-06: midnight does not exist (00:00 -04 jumps to 01:00 -03).
    expect(iso(instantAtLocalTime({ year: 2026, month: 9, day: 6 }, 0, "America/Santiago"))).toBe(
      "2026-09-06T04:00:00.000Z"
    )
  })

  it("takes the earlier of two instants when the wall time happens twice", () => {
    // Paris, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
    expect(iso(instantAtLocalTime({ year: 2026, month: 10, day: 25 }, 2.5 * HOUR, "Europe/Paris"))).toBe(
      "2026-10-25T00:30:00.000Z"
    )
  })

  it("round-trips with civilDateAt and localTimeOfDay outside gaps (property)", () => {
    const zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
    fc.assert(
      fc.property(
        fc.integer({
          min: toEpochDay({ year: 1990, month: 1, day: 1 }),
          max: toEpochDay({ year: 2060, month: 1, day: 1 })
        }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.constantFrom(...zones),
        (epochDay, timeOfDay, zone) => {
          const date = fromEpochDay(epochDay)
          const instant = instantAtLocalTime(date, timeOfDay, zone)
          const back = civilDateAt(instant, zone)
          const inGap = localTimeOfDay(instant, zone) !== timeOfDay
          if (!inGap) expect(back).toEqual(date)
          // In a gap the clock reads later than asked, by less than the gap (at most an hour here).
          else
            expect(toEpochDay(back) * 86_400_000 + localTimeOfDay(instant, zone)).toBeGreaterThan(
              epochDay * 86_400_000 + timeOfDay
            )
        }
      )
    )
  })
})

describe("dunningDay (properties)", () => {
  const zones = [
    "Europe/Paris",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kolkata"
  ]
  const dueAt = fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2050-01-01T00:00:00Z") })

  it("lands on the due date + N in the customer's zone, strictly later for each further day", () => {
    fc.assert(
      fc.property(dueAt, fc.integer({ min: 1, max: 60 }), fc.constantFrom(...zones), (due, n, zone) => {
        const day = dunningDay(due, n, zone)
        const previous = dunningDay(due, n - 1, zone)
        expect(day).toBeGreaterThan(previous)
        // At least 22 h and at most 26 h apart (the largest DST step is an hour; Lord Howe's is 30 min).
        expect(day - previous).toBeGreaterThanOrEqual(22 * HOUR)
        expect(day - previous).toBeLessThanOrEqual(26 * HOUR)
        const date = civilDateAt(day, zone)
        const expected = addDays(civilDateAt(due, zone), n)
        // Equal, unless the wall time fell in a gap right before local midnight (then it is the next day).
        expect(toEpochDay(date) - toEpochDay(expected)).toBeGreaterThanOrEqual(0)
        expect(toEpochDay(date) - toEpochDay(expected)).toBeLessThanOrEqual(1)
        if (localTimeOfDay(day, zone) === localTimeOfDay(due, zone)) expect(date).toEqual(expected)
      })
    )
  })
})

describe("renewalInvoiceAt", () => {
  it("is lead days before the due date at the same local time, DST notwithstanding", () => {
    // Due 2026-04-01 00:00 CEST; 7 days earlier is 2026-03-25 00:00 CET (one more hour in UTC).
    expect(iso(renewalInvoiceAt(utc("2026-03-31T22:00:00Z"), 7, "Europe/Paris"))).toBe(
      "2026-03-24T23:00:00.000Z"
    )
    expect(renewalInvoiceAt(utc("2026-03-31T22:00:00Z"), 0, "Europe/Paris")).toBe(utc("2026-03-31T22:00:00Z"))
  })
})
