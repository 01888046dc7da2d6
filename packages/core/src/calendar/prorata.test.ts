import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { RecurringCycles } from "../catalog/cycle"
import { nextPeriod } from "./anniversary"
import { type CivilDate, formatIsoDate, fromEpochDay, toEpochDay } from "./civil-date"
import { type BillingPeriod, periodDays } from "./period"
import { firstPeriods, nextProrataDate, type ProrataPolicy, prorataPolicy } from "./prorata"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const iso = (p: BillingPeriod) => `${formatIsoDate(p.start)}/${formatIsoDate(p.end)}`
const policy = (day: number, cutoffDay?: number): ProrataPolicy =>
  Either.getOrThrow(prorataPolicy(cutoffDay === undefined ? { day } : { day, cutoffDay }))

describe("prorataPolicy", () => {
  it("accepts days 1..28 and cutoffs 1..31", () => {
    expect(prorataPolicy({ day: 1 })).toEqual(Either.right({ day: 1 }))
    expect(prorataPolicy({ day: 28, cutoffDay: 31 })).toEqual(Either.right({ day: 28, cutoffDay: 31 }))
    expect(prorataPolicy({ day: 1, cutoffDay: undefined })).toEqual(Either.right({ day: 1 }))
  })

  it.each([
    [{ day: 0 }, "day"],
    [{ day: 29 }, "day"],
    [{ day: 1.5 }, "day"],
    [{ day: 1, cutoffDay: 0 }, "cutoffDay"],
    [{ day: 1, cutoffDay: 32 }, "cutoffDay"]
  ])("refuses %o", (input, field) => {
    const result = prorataPolicy(input)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("InvalidProrataPolicy")
      expect(result.left.field).toBe(field)
    }
  })
})

describe("nextProrataDate", () => {
  it("is the prorata day this month, or next month once passed", () => {
    expect(nextProrataDate(d(2026, 1, 10), policy(15))).toEqual(d(2026, 1, 15))
    expect(nextProrataDate(d(2026, 1, 15), policy(15))).toEqual(d(2026, 1, 15))
    expect(nextProrataDate(d(2026, 1, 16), policy(15))).toEqual(d(2026, 2, 15))
    expect(nextProrataDate(d(2026, 12, 20), policy(1))).toEqual(d(2027, 1, 1))
  })
})

describe("firstPeriods", () => {
  it("bills a stub up to the prorata day, then renews on it", () => {
    const result = firstPeriods(d(2026, 1, 10), "monthly", policy(1, 20))
    expect(result.anchor).toEqual(d(2026, 2, 1))
    expect(result.stub && iso(result.stub.period)).toBe("2026-01-10/2026-02-01")
    expect(result.stub?.days).toBe(22)
    expect(result.stub?.periodDays).toBe(31)
    expect(result.full).toEqual([])
    expect(result.coveredUntil).toEqual(d(2026, 2, 1))
    expect(
      iso(
        nextPeriod(
          result.anchor,
          "monthly",
          result.stub?.period ?? { start: result.anchor, end: result.anchor }
        )
      )
    ).toBe("2026-02-01/2026-03-01")
  })

  it("adds the next full cycle when ordered after the cutoff day", () => {
    const result = firstPeriods(d(2026, 1, 25), "monthly", policy(1, 20))
    expect(result.stub && iso(result.stub.period)).toBe("2026-01-25/2026-02-01")
    expect(result.stub?.days).toBe(7)
    expect(result.full.map(iso)).toEqual(["2026-02-01/2026-03-01"])
    expect(result.coveredUntil).toEqual(d(2026, 3, 1))
  })

  it("does not add a cycle on the cutoff day itself, nor without a cutoff", () => {
    expect(firstPeriods(d(2026, 1, 20), "monthly", policy(1, 20)).full).toEqual([])
    expect(firstPeriods(d(2026, 1, 31), "monthly", policy(1)).full).toEqual([])
  })

  it("bills one full period, no stub, when ordered on the prorata day (cutoff ignored)", () => {
    const result = firstPeriods(d(2026, 3, 25), "quarterly", policy(25, 20))
    expect(result.stub).toBeUndefined()
    expect(result.anchor).toEqual(d(2026, 3, 25))
    expect(result.full.map(iso)).toEqual(["2026-03-25/2026-06-25"])
    expect(result.coveredUntil).toEqual(d(2026, 6, 25))
  })

  it("prorates a stub in February against February's length", () => {
    const leap = firstPeriods(d(2024, 2, 20), "monthly", policy(1))
    expect(leap.stub).toMatchObject({ days: 10, periodDays: 29 })
    const common = firstPeriods(d(2026, 2, 20), "monthly", policy(1))
    expect(common.stub).toMatchObject({ days: 9, periodDays: 28 })
  })

  it("prorates long cycles against the full cycle ending at the prorata date", () => {
    const annual = firstPeriods(d(2026, 1, 20), "annually", policy(15, 25))
    expect(annual.stub && iso(annual.stub.period)).toBe("2026-01-20/2026-02-15")
    expect(annual.stub).toMatchObject({ days: 26, periodDays: 365 })
    expect(annual.full).toEqual([])
    const triennial = firstPeriods(d(2026, 1, 28), "triennially", policy(15, 25))
    expect(triennial.stub).toMatchObject({ days: 18, periodDays: 1096 })
    expect(triennial.full.map(iso)).toEqual(["2026-02-15/2029-02-15"])
  })

  it("crosses the year end", () => {
    const result = firstPeriods(d(2026, 12, 28), "monthly", policy(1, 20))
    expect(result.anchor).toEqual(d(2027, 1, 1))
    expect(result.stub?.days).toBe(4)
    expect(result.full.map(iso)).toEqual(["2027-01-01/2027-02-01"])
  })

  it("covers every day from the order date without gaps (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toEpochDay(d(1970, 1, 1)), max: toEpochDay(d(2100, 12, 31)) }).map(fromEpochDay),
        fc.constantFrom(...RecurringCycles),
        fc.integer({ min: 1, max: 28 }),
        fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
        (orderDate, cycle, day, cutoffDay) => {
          const result = firstPeriods(orderDate, cycle, policy(day, cutoffDay))
          const covered = [...(result.stub ? [result.stub.period] : []), ...result.full]
          expect(covered.length).toBeGreaterThan(0)
          expect(covered[0]?.start).toEqual(orderDate)
          covered.forEach((period, i) => {
            expect(periodDays(period)).toBeGreaterThan(0)
            if (i > 0) expect(period.start).toEqual(covered[i - 1]?.end)
          })
          expect(covered.at(-1)?.end).toEqual(result.coveredUntil)
          expect(result.anchor.day).toBe(day)
          if (result.stub) {
            expect(result.stub.days).toBeLessThan(32)
            expect(result.stub.days).toBeLessThanOrEqual(result.stub.periodDays)
          }
        }
      ),
      { numRuns: 2000 }
    )
  })
})
