/**
 * MRR and ARR of a small population, every figure checkable by hand: prices chosen so each month is a
 * round number, and one case (three quarterly 10.00 plans) where rounding each subscription would drift.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { mrrByCurrency, mrrMoney, reportMrr, subscriptionMrr } from "../../../src"
import { coupon, noTax, rate, snapshotOf, subscription } from "./helpers"

const quarter25 = coupon({ id: "cpn_q25", code: "Q25", kind: "percent", rate: "25", duration: "forever" })

const population = [
  // Ada: 120.00 a year -> 10.00 a month; the 50.00 setup fee is not recurring.
  subscription({
    id: "ada",
    customerId: "ada",
    planId: "vps-2g",
    currency: "EUR",
    cycle: "annually",
    amount: 12000n,
    setupFee: 5000n
  }),
  // Bob: 30.00 a quarter -> 10.00.
  subscription({
    id: "bob",
    customerId: "bob",
    planId: "vps-2g",
    currency: "EUR",
    cycle: "quarterly",
    amount: 3000n
  }),
  // Cy: 20.00 a month less a 25% coupon forever -> 15.00.
  subscription({
    id: "cy",
    customerId: "cy",
    planId: "game-8g",
    productKind: "game_server",
    currency: "USD",
    cycle: "monthly",
    amount: 2000n,
    couponIds: ["cpn_q25"]
  }),
  // Dee: 6000 JPY a half-year -> 1000 JPY.
  subscription({
    id: "dee",
    customerId: "dee",
    planId: "vps-2g",
    currency: "JPY",
    cycle: "semiannually",
    amount: 6000n
  }),
  // Not counted: a trial, a cancelled subscription, a one-time purchase.
  subscription({
    id: "eve",
    customerId: "eve",
    planId: "vps-2g",
    currency: "EUR",
    cycle: "biennially",
    amount: 24000n,
    status: "trialing"
  }),
  subscription({
    id: "fay",
    customerId: "fay",
    planId: "vps-2g",
    currency: "EUR",
    cycle: "triennially",
    amount: 36000n,
    status: "cancelled"
  }),
  subscription({
    id: "gus",
    customerId: "gus",
    planId: "licence",
    currency: "EUR",
    cycle: "one_time",
    amount: 50000n
  }),
  // Hal: three quarterly 10.00 add-on subscriptions: 3.33 1/3 each, exactly 10.00 together.
  ...[1, 2, 3].map((n) =>
    subscription({
      id: `hal-${n}`,
      customerId: "hal",
      planId: "backup",
      currency: "EUR",
      cycle: "quarterly",
      amount: 1000n,
      status: "past_due"
    })
  )
]
const couponsOf = (sub: { id: string }) => (sub.id === "cy" ? [quarter25] : [])

describe("scenario: MRR of eight customers on 2026-03-31", () => {
  const totals = Either.getOrThrow(
    mrrByCurrency(population, { couponsOf, taxOf: () => noTax, rounding: "half-even" })
  )

  it("per subscription: each recurring price normalized to a month, after the running coupon", () => {
    const mrrOf = (id: string) => {
      const sub = population.find((s) => s.id === id)
      if (sub === undefined) throw new Error(id)
      const units = Either.getOrThrow(
        subscriptionMrr({ subscription: sub, coupons: couponsOf(sub), tax: noTax, rounding: "half-even" })
      )
      return mrrMoney(units, sub.currency, "half-even").amount
    }
    expect(mrrOf("ada")).toBe(1000n)
    expect(mrrOf("bob")).toBe(1000n)
    expect(mrrOf("cy")).toBe(1500n)
    expect(mrrOf("dee")).toBe(1000n)
    expect(mrrOf("gus")).toBe(0n)
    expect(mrrOf("hal-1")).toBe(333n)
    expect(snapshotOf(population[2] as (typeof population)[number], [quarter25]).couponIds).toEqual([
      "cpn_q25"
    ])
  })

  it("per currency: exact sums, so Hal's three 3.33 1/3 make 10.00, not 9.99", () => {
    // EUR: Ada 10.00 + Bob 10.00 + Hal 10.00 = 30.00; USD 15.00; JPY 1000.
    expect(totals).toEqual({ EUR: 3000n * 72n, JPY: 1000n * 72n, USD: 1500n * 72n })
  })

  it("in EUR at the day's rates: USD at 0.90, JPY at 160 per EUR; ARR = 12 x MRR", () => {
    const report = Either.getOrThrow(
      reportMrr(totals, {
        currency: "EUR",
        date: "2026-03-31",
        rates: [
          rate("USD", "EUR", "0.9", "2026-03-31"),
          rate("EUR", "JPY", "160", "2026-03-31"),
          rate("USD", "EUR", "1.5", "2026-03-30")
        ],
        rounding: "half-even"
      })
    )
    // 30.00 + 15.00 x 0.9 = 13.50 + 1000 / 160 = 6.25 -> 49.75 a month, 597.00 a year.
    expect(
      report.currencies.map((c) => [c.currency, c.mrr.amount, c.arr.amount, c.converted.amount])
    ).toEqual([
      ["EUR", 3000n, 36000n, 3000n],
      ["JPY", 1000n, 12000n, 625n],
      ["USD", 1500n, 18000n, 1350n]
    ])
    expect(report.total).toEqual({
      mrr: { amount: 4975n, currency: "EUR" },
      arr: { amount: 59700n, currency: "EUR" }
    })
    expect(report.currencies.find((c) => c.currency === "USD")?.rate?.source).toBe("ECB")
  })
})
