import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { anniversaryPeriod } from "../calendar/anniversary"
import { type CivilDate, fromEpochDay } from "../calendar/civil-date"
import { type BillingPeriod, periodInstants } from "../calendar/period"
import { civilDateAt, startOfDayInZone } from "../calendar/zone"
import { type RecurringCycle, RecurringCycles } from "../catalog/cycle"
import { RoundingModes } from "../money/rounding"
import { fixedCycleDays, type ProrationFraction, prorate, remainingFraction } from "./fraction"
import { ProrationStrategies, type ProrationStrategy } from "./strategy"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const HOUR = 3_600_000
const april: BillingPeriod = { start: d(2026, 4, 1), end: d(2026, 5, 1) }

const fractionAt = (
  strategy: ProrationStrategy,
  period: BillingPeriod,
  at: number,
  timeZone = "UTC",
  cycle: RecurringCycle = "monthly"
): ProrationFraction => Either.getOrThrow(remainingFraction({ strategy, period, cycle, at, timeZone }))

/** Noon UTC of a day: the same civil date in every zone within 11 hours of UTC. */
const noon = (date: CivilDate): number => startOfDayInZone(date, "UTC") + 12 * HOUR

describe("remainingFraction: whole_days", () => {
  it("counts the change day and every day up to the exclusive end, over the real period length", () => {
    expect(fractionAt("whole_days", april, noon(d(2026, 4, 11)))).toEqual({
      strategy: "whole_days",
      unit: "day",
      left: 20,
      length: 30,
      remaining: { start: d(2026, 4, 11), end: d(2026, 5, 1) }
    })
    expect(fractionAt("whole_days", april, noon(d(2026, 4, 1))).left).toBe(30)
    expect(fractionAt("whole_days", april, noon(d(2026, 4, 30))).left).toBe(1)
    expect(
      fractionAt("whole_days", { start: d(2028, 2, 1), end: d(2028, 3, 1) }, noon(d(2028, 2, 15))).length
    ).toBe(29)
  })

  it("takes the change day in the customer's zone: 22:30 UTC on April 10 is April 11 in Paris", () => {
    const at = startOfDayInZone(d(2026, 4, 10), "UTC") + 22.5 * HOUR
    expect(fractionAt("whole_days", april, at, "UTC").left).toBe(21)
    expect(fractionAt("whole_days", april, at, "Europe/Paris").left).toBe(20)
  })
})

describe("remainingFraction: fixed", () => {
  const may: BillingPeriod = { start: d(2026, 5, 1), end: d(2026, 6, 1) }
  const february: BillingPeriod = { start: d(2026, 2, 1), end: d(2026, 3, 1) }

  it("has a fixed length per cycle", () => {
    expect(RecurringCycles.map(fixedCycleDays)).toEqual([30, 90, 180, 365, 730, 1095])
  })

  it("measures days left over 30 for a month, whatever its real length", () => {
    expect(fractionAt("fixed", may, noon(d(2026, 5, 22)))).toMatchObject({
      unit: "day",
      left: 10,
      length: 30
    })
    expect(fractionAt("fixed", february, noon(d(2026, 2, 19)))).toMatchObject({ left: 10, length: 30 })
  })

  it("caps the days left at the fixed length: 31 and 30 days left of a 31-day month are both 30/30", () => {
    expect(fractionAt("fixed", may, noon(d(2026, 5, 1)))).toMatchObject({ left: 30, length: 30 })
    expect(fractionAt("fixed", may, noon(d(2026, 5, 2)))).toMatchObject({ left: 30, length: 30 })
    expect(fractionAt("fixed", may, noon(d(2026, 5, 3)))).toMatchObject({ left: 29, length: 30 })
  })

  it("counts a change on the first day as the whole period, even in a 28-day February", () => {
    expect(fractionAt("fixed", february, noon(d(2026, 2, 1)))).toMatchObject({ left: 30, length: 30 })
    expect(fractionAt("fixed", february, noon(d(2026, 2, 2)))).toMatchObject({ left: 27, length: 30 })
  })

  it("uses 365 days for a leap year and 90 for a quarter", () => {
    const leap: BillingPeriod = { start: d(2028, 1, 1), end: d(2029, 1, 1) }
    expect(fractionAt("fixed", leap, noon(d(2028, 1, 2)), "UTC", "annually")).toMatchObject({
      left: 365,
      length: 365
    })
    expect(fractionAt("fixed", leap, noon(d(2028, 12, 2)), "UTC", "annually")).toMatchObject({
      left: 30,
      length: 365
    })
    const quarter: BillingPeriod = { start: d(2026, 1, 1), end: d(2026, 4, 1) }
    expect(fractionAt("fixed", quarter, noon(d(2026, 3, 2)), "UTC", "quarterly")).toMatchObject({
      left: 30,
      length: 90
    })
  })
})

describe("remainingFraction: per_second", () => {
  it("counts seconds left to local midnight at the end, over the seconds in the period", () => {
    // April 2026 in UTC: 30 x 86,400 = 2,592,000 s; 10 days and 1.5 s in, 1,727,998.5 s are left.
    const at = startOfDayInZone(d(2026, 4, 11), "UTC") + 1500
    expect(fractionAt("per_second", april, at)).toEqual({
      strategy: "per_second",
      unit: "second",
      left: 1_727_999,
      length: 2_592_000,
      remaining: { start: d(2026, 4, 11), end: d(2026, 5, 1) }
    })
    expect(fractionAt("per_second", april, startOfDayInZone(d(2026, 4, 1), "UTC")).left).toBe(2_592_000)
  })

  it("measures the period between local midnights: March 2026 in Paris is one hour short", () => {
    const march: BillingPeriod = { start: d(2026, 3, 1), end: d(2026, 4, 1) }
    const fraction = fractionAt(
      "per_second",
      march,
      startOfDayInZone(d(2026, 3, 31), "Europe/Paris"),
      "Europe/Paris"
    )
    expect(fraction.length).toBe(31 * 86_400 - 3600)
    expect(fraction.left).toBe(86_400)
  })
})

describe("remainingFraction: outside the period", () => {
  it.each(ProrationStrategies)("%s refuses a change before the period or from its end on", (strategy) => {
    for (const at of [noon(d(2026, 3, 31)), startOfDayInZone(d(2026, 5, 1), "UTC"), noon(d(2026, 6, 15))]) {
      const result = remainingFraction({ strategy, period: april, cycle: "monthly", at, timeZone: "UTC" })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left._tag).toBe("ChangeOutsidePeriod")
        expect(result.left.periodStart).toBe("2026-04-01")
        expect(result.left.periodEnd).toBe("2026-05-01")
      }
    }
  })

  it("refuses one millisecond before local midnight of the first day, in the customer's zone", () => {
    const at = startOfDayInZone(d(2026, 4, 1), "Asia/Tokyo") - 1
    const result = remainingFraction({
      strategy: "per_second",
      period: april,
      cycle: "monthly",
      at,
      timeZone: "Asia/Tokyo"
    })
    expect(Either.isLeft(result) && result.left.changeDate).toBe("2026-03-31")
  })
})

describe("remainingFraction: every strategy, any instant of a real period", () => {
  const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]

  it("leaves 1..length units, the whole period exactly at its first instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 18_000, max: 40_000 }),
        fc.constantFrom(...RecurringCycles),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(...zones),
        fc.constantFrom(...ProrationStrategies),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (anchorDay, cycle, index, zone, strategy, position) => {
          const period = anniversaryPeriod(fromEpochDay(anchorDay), cycle, index)
          const { startsAt, endsAt } = periodInstants(period, zone)
          const at = startsAt + Math.floor((endsAt - startsAt) * position)
          const fraction = fractionAt(strategy, period, at, zone, cycle)
          expect(fraction.left).toBeGreaterThanOrEqual(1)
          expect(fraction.left).toBeLessThanOrEqual(fraction.length)
          expect(fraction.remaining).toEqual({ start: civilDateAt(at, zone), end: period.end })
          const first = fractionAt(strategy, period, startsAt, zone, cycle)
          expect(first.left).toBe(first.length)
        }
      )
    )
  })
})

describe("prorate", () => {
  const fraction = fractionAt("whole_days", april, noon(d(2026, 4, 11)))

  it("multiplies by left / length and rounds once with the named mode", () => {
    expect(prorate(3000n, fraction, "half-even")).toBe(2000n)
    // 1000 x 20/30 = 666.67
    expect(prorate(1000n, fraction, "half-even")).toBe(667n)
    expect(prorate(1000n, fraction, "down")).toBe(666n)
    expect(prorate(1000n, fraction, "up")).toBe(667n)
  })

  it("prorates the whole period to the amount itself", () => {
    expect(prorate(12_345n, fractionAt("fixed", april, noon(d(2026, 4, 1))), "up")).toBe(12_345n)
  })

  it("prorates a credit as exactly the negative of the same charge, in every mode", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.constantFrom(...RoundingModes),
        (amount, mode) => {
          expect(prorate(-amount, fraction, mode)).toBe(-prorate(amount, fraction, mode))
        }
      )
    )
  })

  it("never prorates to more than the amount", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 94_694_400 }),
        fc.nat(),
        fc.constantFrom(...RoundingModes),
        (amount, length, offset, mode) => {
          const f: ProrationFraction = { ...fraction, unit: "second", left: 1 + (offset % length), length }
          const prorated = prorate(amount, f, mode)
          expect(prorated >= 0n && prorated <= amount).toBe(true)
        }
      )
    )
  })
})
