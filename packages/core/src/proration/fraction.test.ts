import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addDays, type CivilDate, fromEpochDay, toEpochDay } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import { RoundingModes } from "../money/rounding"
import { prorate, remainingFraction } from "./fraction"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const april: BillingPeriod = { start: d(2026, 4, 1), end: d(2026, 5, 1) }

describe("remainingFraction", () => {
  it("counts the change day and every day up to the exclusive end, over the real period length", () => {
    expect(remainingFraction(april, d(2026, 4, 11))).toEqual(
      Either.right({ remaining: { start: d(2026, 4, 11), end: d(2026, 5, 1) }, days: 20, periodDays: 30 })
    )
    expect(Either.getOrThrow(remainingFraction(april, d(2026, 4, 1))).days).toBe(30)
    expect(Either.getOrThrow(remainingFraction(april, d(2026, 4, 30))).days).toBe(1)
    const february = { start: d(2028, 2, 1), end: d(2028, 3, 1) }
    expect(Either.getOrThrow(remainingFraction(february, d(2028, 2, 15))).periodDays).toBe(29)
  })

  it.each([
    ["the day before the period", d(2026, 3, 31)],
    ["the exclusive end", d(2026, 5, 1)],
    ["a later month", d(2026, 6, 15)]
  ])("refuses %s", (_, date) => {
    const result = remainingFraction(april, date)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("ChangeOutsidePeriod")
      expect(result.left.periodStart).toBe("2026-04-01")
      expect(result.left.periodEnd).toBe("2026-05-01")
    }
  })

  it("always leaves 1..periodDays days for a date inside the period", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 1, max: 1100 }),
        fc.nat(),
        (startDay, length, offset) => {
          const start = fromEpochDay(startDay)
          const period = { start, end: addDays(start, length) }
          const change = addDays(start, offset % length)
          const fraction = Either.getOrThrow(remainingFraction(period, change))
          expect(fraction.periodDays).toBe(length)
          expect(fraction.days).toBe(length - (offset % length))
          expect(toEpochDay(fraction.remaining.start) + fraction.days).toBe(toEpochDay(period.end))
        }
      )
    )
  })
})

describe("prorate", () => {
  const fraction = Either.getOrThrow(remainingFraction(april, d(2026, 4, 11)))

  it("multiplies by days / periodDays and rounds once with the named mode", () => {
    expect(prorate(3000n, fraction, "half-even")).toBe(2000n)
    // 1000 x 20/30 = 666.67
    expect(prorate(1000n, fraction, "half-even")).toBe(667n)
    expect(prorate(1000n, fraction, "down")).toBe(666n)
    expect(prorate(1000n, fraction, "up")).toBe(667n)
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
})
