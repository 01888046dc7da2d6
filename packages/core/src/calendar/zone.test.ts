import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type CivilDate, fromEpochDay } from "./civil-date"
import { periodInstants } from "./period"
import { civilDateAt, startOfDayInZone, validateTimeZone, zoneOffsetAt } from "./zone"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const utc = (iso: string): number => Date.parse(iso)
const HOUR = 3_600_000

describe("validateTimeZone", () => {
  it.each([
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Etc/GMT+5"
  ])("accepts %s", (zone) => {
    expect(validateTimeZone(zone)).toEqual(Either.right(zone))
  })

  it.each(["Mars/Olympus_Mons", "", "+05:30", "-03:00", "UTC+2", "America/New York"])(
    "refuses %j",
    (zone) => {
      const result = validateTimeZone(zone)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left._tag).toBe("InvalidTimeZone")
        expect(result.left.zone).toBe(zone)
      }
    }
  )
})

describe("startOfDayInZone", () => {
  it.each<[string, CivilDate, string]>([
    ["UTC", d(2026, 1, 31), "2026-01-31T00:00:00Z"],
    ["Asia/Kolkata", d(2024, 1, 1), "2023-12-31T18:30:00Z"],
    // New York: DST starts 2024-03-10 at 02:00, not at midnight.
    ["America/New_York", d(2024, 3, 10), "2024-03-10T05:00:00Z"],
    ["America/New_York", d(2024, 3, 11), "2024-03-11T04:00:00Z"],
    ["America/New_York", d(2024, 11, 3), "2024-11-03T04:00:00Z"],
    ["America/New_York", d(2024, 11, 4), "2024-11-04T05:00:00Z"],
    // London: BST 2024-03-31 .. 2024-10-27.
    ["Europe/London", d(2024, 3, 31), "2024-03-31T00:00:00Z"],
    ["Europe/London", d(2024, 4, 1), "2024-03-31T23:00:00Z"],
    ["Europe/London", d(2024, 10, 27), "2024-10-26T23:00:00Z"],
    ["Europe/London", d(2024, 10, 28), "2024-10-28T00:00:00Z"],
    // Lord Howe: +11 in summer, +10:30 in winter (a 30-minute DST), ends 2024-04-07 02:00 local.
    ["Australia/Lord_Howe", d(2024, 4, 7), "2024-04-06T13:00:00Z"],
    ["Australia/Lord_Howe", d(2024, 4, 8), "2024-04-07T13:30:00Z"],
    ["Australia/Lord_Howe", d(2024, 10, 7), "2024-10-06T13:00:00Z"],
    // Chatham: +13:45 in summer, +12:45 in winter.
    ["Pacific/Chatham", d(2024, 1, 1), "2023-12-31T10:15:00Z"],
    ["Pacific/Chatham", d(2024, 7, 1), "2024-06-30T11:15:00Z"],
    // Santiago: midnight does not exist on 2024-09-08 (00:00 -> 01:00): the day starts at the transition.
    ["America/Santiago", d(2024, 9, 8), "2024-09-08T04:00:00Z"],
    ["America/Santiago", d(2024, 9, 9), "2024-09-09T03:00:00Z"],
    // Santiago 2024-04-07: at 24:00 -03 clocks go back to 23:00 on the 6th, so the 7th starts at 00:00 -04.
    ["America/Santiago", d(2024, 4, 7), "2024-04-07T04:00:00Z"],
    ["America/Santiago", d(2024, 4, 8), "2024-04-08T04:00:00Z"],
    // Havana: gap at midnight on 2024-03-10; midnight happens twice on 2024-11-03 (01:00 -> 00:00).
    ["America/Havana", d(2024, 3, 10), "2024-03-10T05:00:00Z"],
    ["America/Havana", d(2024, 11, 3), "2024-11-03T04:00:00Z"],
    ["America/Havana", d(2024, 11, 4), "2024-11-04T05:00:00Z"]
  ])("%s %o starts at %s", (zone, date, expected) => {
    expect(startOfDayInZone(date, zone)).toBe(utc(expected))
    // A second call is served from the memo and agrees.
    expect(startOfDayInZone(date, zone)).toBe(utc(expected))
  })
})

describe("civilDateAt", () => {
  it.each<[string, string, CivilDate]>([
    ["UTC", "2026-01-31T23:59:59.999Z", d(2026, 1, 31)],
    ["Asia/Kolkata", "2023-12-31T18:29:59Z", d(2023, 12, 31)],
    ["Asia/Kolkata", "2023-12-31T18:30:00Z", d(2024, 1, 1)],
    ["America/New_York", "2024-03-10T04:59:59Z", d(2024, 3, 9)],
    ["America/New_York", "2024-03-10T05:00:00Z", d(2024, 3, 10)],
    ["Australia/Lord_Howe", "2024-04-07T13:29:59Z", d(2024, 4, 7)],
    ["Australia/Lord_Howe", "2024-04-07T13:30:00Z", d(2024, 4, 8)],
    ["Pacific/Chatham", "2024-06-30T11:15:00Z", d(2024, 7, 1)],
    ["America/Santiago", "2024-09-08T03:59:59Z", d(2024, 9, 7)],
    ["America/Santiago", "2024-09-08T04:00:00Z", d(2024, 9, 8)],
    ["America/Santiago", "2024-04-07T03:30:00Z", d(2024, 4, 6)],
    ["America/Havana", "2024-11-03T04:30:00Z", d(2024, 11, 3)],
    ["America/Havana", "2024-11-03T05:30:00Z", d(2024, 11, 3)]
  ])("%s at %s is %o", (zone, instant, expected) => {
    expect(civilDateAt(utc(instant), zone)).toEqual(expected)
  })

  it("gives the exact offset on both sides of a transition", () => {
    expect(zoneOffsetAt(utc("2024-04-06T14:59:59Z"), "Australia/Lord_Howe")).toBe(11 * HOUR)
    expect(zoneOffsetAt(utc("2024-04-06T15:00:00Z"), "Australia/Lord_Howe")).toBe(10.5 * HOUR)
    expect(zoneOffsetAt(utc("2024-03-10T06:59:59.999Z"), "America/New_York")).toBe(-5 * HOUR)
    expect(zoneOffsetAt(utc("2024-03-10T07:00:00Z"), "America/New_York")).toBe(-4 * HOUR)
  })
})

describe("periodInstants", () => {
  it("converts only at the edges: DST changes the length in hours, not the billing days", () => {
    const march = { start: d(2024, 3, 1), end: d(2024, 4, 1) }
    const { startsAt, endsAt } = periodInstants(march, "America/New_York")
    expect(startsAt).toBe(utc("2024-03-01T05:00:00Z"))
    expect(endsAt).toBe(utc("2024-04-01T04:00:00Z"))
    expect(endsAt - startsAt).toBe(31 * 24 * HOUR - HOUR)
  })

  it("makes consecutive periods share their boundary instant", () => {
    const a = periodInstants({ start: d(2024, 3, 10), end: d(2024, 4, 10) }, "America/Havana")
    const b = periodInstants({ start: d(2024, 4, 10), end: d(2024, 5, 10) }, "America/Havana")
    expect(a.endsAt).toBe(b.startsAt)
  })
})

describe("zone properties", () => {
  const zones = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Asia/Kolkata",
    "Pacific/Chatham"
  ]

  it("a day starts inside itself, and every instant is after the start of its own day", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 47_482 }), // 1970..2099
        fc.integer({ min: 0, max: 86_399_999 }),
        (zone, epochDay, msOfDay) => {
          const date = fromEpochDay(epochDay)
          const start = startOfDayInZone(date, zone)
          expect(civilDateAt(start, zone)).toEqual(date)
          expect(civilDateAt(start - 1, zone)).not.toEqual(date)
          const instant = epochDay * 86_400_000 + msOfDay
          expect(startOfDayInZone(civilDateAt(instant, zone), zone)).toBeLessThanOrEqual(instant)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it("agrees with Date in UTC", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (instant) => {
        const date = new Date(instant)
        expect(civilDateAt(instant, "UTC")).toEqual(
          d(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
        )
      })
    )
  })
})
