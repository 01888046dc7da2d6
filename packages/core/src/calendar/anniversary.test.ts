import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cycleMonths, type RecurringCycle, RecurringCycles } from "../catalog/cycle"
import { anniversaryPeriod, nextPeriod, periodContaining, periodIndexAt } from "./anniversary"
import {
  type CivilDate,
  compareDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  monthsBetween,
  toEpochDay
} from "./civil-date"
import { type BillingPeriod, periodContains, periodDays } from "./period"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const iso = (p: BillingPeriod) => `${formatIsoDate(p.start)}/${formatIsoDate(p.end)}`

const chain = (anchor: CivilDate, cycle: RecurringCycle, count: number): Array<BillingPeriod> => {
  let current = anniversaryPeriod(anchor, cycle, 0)
  const periods = [current]
  while (periods.length < count) {
    current = nextPeriod(anchor, cycle, current)
    periods.push(current)
  }
  return periods
}

describe("anniversaryPeriod / nextPeriod", () => {
  it("keeps a Jan 31 anchor through short months and leap years", () => {
    expect(chain(d(2023, 12, 31), "monthly", 15).map(iso)).toEqual([
      "2023-12-31/2024-01-31",
      "2024-01-31/2024-02-29",
      "2024-02-29/2024-03-31",
      "2024-03-31/2024-04-30",
      "2024-04-30/2024-05-31",
      "2024-05-31/2024-06-30",
      "2024-06-30/2024-07-31",
      "2024-07-31/2024-08-31",
      "2024-08-31/2024-09-30",
      "2024-09-30/2024-10-31",
      "2024-10-31/2024-11-30",
      "2024-11-30/2024-12-31",
      "2024-12-31/2025-01-31",
      "2025-01-31/2025-02-28",
      "2025-02-28/2025-03-31"
    ])
  })

  it("computes each period from the anchor, the same whichever way it is reached", () => {
    const anchor = d(2026, 1, 31)
    expect(iso(anniversaryPeriod(anchor, "monthly", 1))).toBe("2026-02-28/2026-03-31")
    expect(iso(anniversaryPeriod(anchor, "monthly", 2))).toBe("2026-03-31/2026-04-30")
    expect(iso(anniversaryPeriod(anchor, "monthly", 25))).toBe("2028-02-29/2028-03-31")
    expect(iso(anniversaryPeriod(anchor, "monthly", -1))).toBe("2025-12-31/2026-01-31")
    expect(chain(anchor, "monthly", 26)[25]).toEqual(anniversaryPeriod(anchor, "monthly", 25))
  })

  it("keeps a Feb 29 anchor on Feb 29 in leap years and Feb 28 otherwise", () => {
    expect(chain(d(2024, 2, 29), "annually", 5).map(iso)).toEqual([
      "2024-02-29/2025-02-28",
      "2025-02-28/2026-02-28",
      "2026-02-28/2027-02-28",
      "2027-02-28/2028-02-29",
      "2028-02-29/2029-02-28"
    ])
    expect(chain(d(2024, 2, 29), "monthly", 2).map(iso)).toEqual([
      "2024-02-29/2024-03-29",
      "2024-03-29/2024-04-29"
    ])
  })

  it("handles 36-month cycles across centuries", () => {
    expect(chain(d(2096, 2, 29), "triennially", 3).map(iso)).toEqual([
      "2096-02-29/2099-02-28",
      "2099-02-28/2102-02-28",
      "2102-02-28/2105-02-28"
    ])
    expect(chain(d(2026, 8, 31), "triennially", 2).map(iso)).toEqual([
      "2026-08-31/2029-08-31",
      "2029-08-31/2032-08-31"
    ])
  })

  it("handles quarterly and semiannual month ends", () => {
    expect(chain(d(2025, 11, 30), "quarterly", 4).map(iso)).toEqual([
      "2025-11-30/2026-02-28",
      "2026-02-28/2026-05-30",
      "2026-05-30/2026-08-30",
      "2026-08-30/2026-11-30"
    ])
    expect(chain(d(2025, 8, 31), "semiannually", 3).map(iso)).toEqual([
      "2025-08-31/2026-02-28",
      "2026-02-28/2026-08-31",
      "2026-08-31/2027-02-28"
    ])
    expect(chain(d(2026, 3, 15), "biennially", 2).map(iso)).toEqual([
      "2026-03-15/2028-03-15",
      "2028-03-15/2030-03-15"
    ])
  })

  it("continues from a stub that ends on the anchor", () => {
    const anchor = d(2026, 2, 1)
    const stub = { start: d(2026, 1, 20), end: anchor }
    expect(iso(nextPeriod(anchor, "monthly", stub))).toBe("2026-02-01/2026-03-01")
  })
})

describe("periodContaining / periodIndexAt", () => {
  const anchor = d(2026, 1, 31)

  it("finds the period around a date, including clamped months", () => {
    expect(iso(periodContaining(anchor, "monthly", d(2026, 3, 15)))).toBe("2026-02-28/2026-03-31")
    expect(iso(periodContaining(anchor, "monthly", d(2026, 3, 31)))).toBe("2026-03-31/2026-04-30")
    expect(iso(periodContaining(anchor, "monthly", d(2026, 2, 28)))).toBe("2026-02-28/2026-03-31")
    expect(iso(periodContaining(anchor, "monthly", d(2026, 2, 27)))).toBe("2026-01-31/2026-02-28")
    expect(iso(periodContaining(anchor, "monthly", anchor))).toBe("2026-01-31/2026-02-28")
    expect(iso(periodContaining(anchor, "annually", d(2027, 1, 30)))).toBe("2026-01-31/2027-01-31")
    expect(iso(periodContaining(anchor, "quarterly", d(2026, 1, 30)))).toBe("2025-10-31/2026-01-31")
    expect(periodIndexAt(anchor, "monthly", d(2026, 1, 30))).toBe(-1)
    expect(periodIndexAt(anchor, "triennially", d(2035, 6, 1))).toBe(3)
  })
})

describe("anniversary properties", () => {
  const anchorArb = fc
    .integer({ min: toEpochDay(d(1970, 1, 1)), max: toEpochDay(d(2100, 12, 31)) })
    .map(fromEpochDay)
  const cycleArb = fc.constantFrom(...RecurringCycles)

  it("10 years of periods never skip or overlap a day and keep the anchor day", () => {
    fc.assert(
      fc.property(anchorArb, cycleArb, (anchor, cycle) => {
        const count = Math.ceil(120 / cycleMonths(cycle))
        const periods = chain(anchor, cycle, count)
        expect(periods[0]?.start).toEqual(anchor)
        periods.forEach((period, i) => {
          expect(periodDays(period)).toBeGreaterThan(0)
          const { start } = period
          expect(start.day).toBe(Math.min(anchor.day, daysInMonth(start.year, start.month)))
          expect(period).toEqual(anniversaryPeriod(anchor, cycle, i))
          const next = periods[i + 1]
          if (next !== undefined) expect(next.start).toEqual(period.end)
        })
        const last = periods.at(-1)
        if (last === undefined) throw new Error("no periods")
        expect(monthsBetween(anchor, last.end)).toBe(count * cycleMonths(cycle))
        const total = periods.reduce((sum, period) => sum + periodDays(period), 0)
        expect(total).toBe(daysBetween(anchor, last.end))
      }),
      { numRuns: 300 }
    )
  })

  it("periodContaining returns the one period holding the date", () => {
    fc.assert(
      fc.property(anchorArb, cycleArb, fc.integer({ min: -4000, max: 4000 }), (anchor, cycle, offset) => {
        const date = fromEpochDay(toEpochDay(anchor) + offset)
        const period = periodContaining(anchor, cycle, date)
        expect(periodContains(period, date)).toBe(true)
        const index = periodIndexAt(anchor, cycle, date)
        expect(period).toEqual(anniversaryPeriod(anchor, cycle, index))
        expect(compareDates(anniversaryPeriod(anchor, cycle, index + 1).start, date)).toBe(1)
      }),
      { numRuns: 2000 }
    )
  })
})
