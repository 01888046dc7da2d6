import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PricedItem } from "../catalog/selection"
import { RoundingModes } from "../money/rounding"
import { unusedCredits } from "./credit"
import { type ProrationFraction, prorate } from "./fraction"
import type { CurrentItem } from "./items"

const item = (itemId: string, amount: bigint, charged?: bigint): CurrentItem => {
  const priced: PricedItem = {
    kind: "plan",
    itemId,
    description: itemId,
    cycle: "monthly",
    quantity: 1n,
    unitAmount: amount,
    amount,
    setupFee: 0n
  }
  return charged === undefined ? priced : { ...priced, charged }
}
// 20 of 30 days left.
const twoThirds: ProrationFraction = {
  strategy: "whole_days",
  unit: "day",
  left: 20,
  length: 30,
  remaining: { start: { year: 2026, month: 4, day: 11 }, end: { year: 2026, month: 5, day: 1 } }
}
const amounts = (credits: ReturnType<typeof unusedCredits>) => credits.map((c) => [c.item.itemId, c.amount])

describe("unusedCredits", () => {
  it("credits the unused part of what was charged, after discounts", () => {
    const credits = unusedCredits([item("a", 3000n), item("b", 3000n, 2700n)], twoThirds, 5700n, "half-even")
    expect(amounts(credits)).toEqual([
      ["a", 2000n],
      ["b", 1800n]
    ])
  })

  it("caps the total at what was paid and splits the cap by largest remainder", () => {
    // Credits 2000 + 1000 = 3000, but only 1000 was paid: 1000 x 2/3 = 666.67 and 333.33 -> 667 + 333.
    const credits = unusedCredits([item("a", 3000n), item("b", 1500n)], twoThirds, 1000n, "half-even")
    expect(amounts(credits)).toEqual([
      ["a", 667n],
      ["b", 333n]
    ])
  })

  it("credits nothing for an unpaid period, and leaves out items with nothing to credit", () => {
    expect(unusedCredits([item("a", 3000n)], twoThirds, 0n, "half-even")).toEqual([])
    expect(
      amounts(unusedCredits([item("a", 3000n), item("free", 0n)], twoThirds, 3000n, "half-even"))
    ).toEqual([["a", 2000n]])
  })

  it("never credits an item more than its share uncapped, nor more than was paid in total", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 6 }),
        fc.bigInt({ min: 0n, max: 6n * 10n ** 9n }),
        fc.integer({ min: 1, max: 31 }),
        fc.constantFrom(...RoundingModes),
        (charged, paid, left, mode) => {
          const fraction = { ...twoThirds, left, length: 31 }
          const items = charged.map((c, i) => item(`i${i}`, c))
          const credits = unusedCredits(items, fraction, paid, mode)
          let total = 0n
          let uncapped = 0n
          for (const c of charged) uncapped += prorate(c, fraction, mode)
          for (const credit of credits) {
            const own = prorate(credit.item.amount, fraction, mode)
            expect(credit.amount > 0n && credit.amount <= own && own <= credit.item.amount).toBe(true)
            total += credit.amount
          }
          expect(total).toBe(uncapped < paid ? uncapped : paid)
        }
      )
    )
  })
})

describe("unusedCredits over a whole period", () => {
  it("credits exactly what was charged", () => {
    const whole = { ...twoThirds, left: 30 }
    const credits = unusedCredits([item("a", 3001n, 2999n)], whole, 2999n, "up")
    expect(amounts(credits)).toEqual([["a", 2999n]])
  })
})
