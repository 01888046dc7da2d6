import { describe, expect, it } from "vitest"
import {
  addUnits,
  anyPositive,
  arrMoney,
  MRR_UNITS_PER_MINOR,
  monthlyUnits,
  mrrMoney,
  unitsToMinor
} from "./units"

describe("MRR units", () => {
  it("normalizes every cycle to a month exactly (1/72 of a minor unit)", () => {
    // 72.00 per cycle, so the month is 72.00 / months: 72.00, 24.00, 12.00, 6.00, 3.00, 2.00.
    const perCycle = 7200n
    expect(monthlyUnits(perCycle, "monthly")).toBe(7200n * 72n)
    expect(monthlyUnits(perCycle, "quarterly")).toBe(2400n * 72n)
    expect(monthlyUnits(perCycle, "semiannually")).toBe(1200n * 72n)
    expect(monthlyUnits(perCycle, "annually")).toBe(600n * 72n)
    expect(monthlyUnits(perCycle, "biennially")).toBe(300n * 72n)
    expect(monthlyUnits(perCycle, "triennially")).toBe(200n * 72n)
    expect(monthlyUnits(perCycle, "one_time")).toBe(0n)
    expect(monthlyUnits(0n, "free")).toBe(0n)
  })

  it("keeps thirds exact and rounds once when reporting", () => {
    // 10.00 a quarter is 3.33 1/3 a month: three of them are exactly 10.00, not 3 x 3.33 = 9.99.
    const third = monthlyUnits(1000n, "quarterly")
    expect(third).toBe(24000n)
    expect(unitsToMinor(third, "half-even")).toBe(333n)
    expect(unitsToMinor(third * 3n, "half-even")).toBe(1000n)
    expect(mrrMoney(third * 3n, "EUR", "half-even")).toEqual({ amount: 1000n, currency: "EUR" })
    // 0.01 a triennium is 1/36 of a cent a month: up rounds to a cent, down to nothing.
    expect(unitsToMinor(monthlyUnits(1n, "triennially"), "up")).toBe(1n)
    expect(unitsToMinor(monthlyUnits(1n, "triennially"), "down")).toBe(0n)
    expect(MRR_UNITS_PER_MINOR).toBe(72n)
  })

  it("computes ARR on the exact MRR, not on the rounded one", () => {
    // MRR 3.33 1/3 -> ARR 40.00 exactly (12 x 3.33 would be 39.96).
    expect(arrMoney(24000n, "USD", "half-even")).toEqual({ amount: 4000n, currency: "USD" })
  })

  it("adds per currency and drops a currency that reaches zero", () => {
    const one = addUnits({}, "EUR", 72n)
    expect(one).toEqual({ EUR: 72n })
    expect(addUnits(one, "USD", 0n)).toBe(one)
    expect(addUnits(one, "EUR", -72n)).toEqual({})
    expect(anyPositive({})).toBe(false)
    expect(anyPositive(one)).toBe(true)
  })
})
