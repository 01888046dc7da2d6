import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { BillingCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import { type Coupon, decodeCoupon } from "../invoicing/coupon/coupon"
import { renewalInvoice } from "../invoicing/invoice/renewal"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent } from "../money/ratio"
import {
  isRunningRecurringCoupon,
  type RevenueSubscription,
  revenueSnapshot,
  snapshotMrr,
  subscriptionMrr
} from "./snapshot"

const item = (
  kind: PricedItem["kind"],
  itemId: string,
  cycle: BillingCycle,
  amount: bigint,
  setupFee = 0n
): PricedItem => ({
  kind,
  itemId,
  description: itemId,
  cycle,
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee
})

const subscription = (
  items: ReadonlyArray<PricedItem>,
  overrides: Partial<RevenueSubscription> = {}
): RevenueSubscription => ({
  id: "sub_1",
  customerId: "cus_1",
  productId: "vps-kvm",
  productKind: "vps",
  planId: "vps-2g",
  currency: "EUR",
  cycle: items[0]?.cycle ?? "monthly",
  pricing: "exclusive",
  items,
  invoicedPeriods: 1,
  ...overrides
})

const coupon = (input: Record<string, unknown>): Coupon =>
  Either.getOrThrow(decodeCoupon({ id: "c1", code: "C1", stackable: true, ...input }))

const noTax: TaxDecision = { kind: "none" }
const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr", name: "TVA", rate: percent(20), compound: false }]
}

describe("which coupons are recurring discounts", () => {
  it("counts forever, and N >= 2 cycles while the next invoice is still discounted", () => {
    const forever = coupon({ kind: "percent", rate: "10", duration: "forever" })
    const once = coupon({ kind: "percent", rate: "10", duration: "once" })
    const single = coupon({ kind: "percent", rate: "10", duration: { cycles: 1 } })
    const three = coupon({ kind: "percent", rate: "10", duration: { cycles: 3 } })
    expect(isRunningRecurringCoupon(forever, 50)).toBe(true)
    expect(isRunningRecurringCoupon(once, 0)).toBe(false)
    expect(isRunningRecurringCoupon(single, 0)).toBe(false)
    expect([0, 1, 2, 3, 4].map((n) => isRunningRecurringCoupon(three, n))).toEqual([
      true,
      true,
      true,
      false,
      false
    ])
  })
})

describe("revenue snapshot", () => {
  it("normalizes a subscription's recurring items and leaves out setup fees and one-time items", () => {
    const snapshot = Either.getOrThrow(
      revenueSnapshot({
        subscription: subscription([
          item("plan", "vps-2g", "annually", 12000n, 5000n),
          item("addon", "cpanel", "annually", 2400n),
          item("addon", "migration", "one_time", 9900n)
        ]),
        coupons: [],
        tax: noTax,
        rounding: "half-even"
      })
    )
    expect(snapshot.lines.map((line) => [line.itemId, line.amount])).toEqual([
      ["vps-2g", 12000n],
      ["cpanel", 2400n]
    ])
    // 120.00 + 24.00 a year = 12.00 a month.
    expect(snapshotMrr(snapshot)).toBe(1200n * 72n)
  })

  it("discounts as the renewal invoice does: one percent discount on the subtotal, shared by allocation", () => {
    // 10% of 19.99 + 5.01 = 25.00 -> 2.50, shared 2.00 / 0.50 (each line's exact share rounds cleanly).
    const items = [item("plan", "vps-2g", "monthly", 1999n), item("option", "ip", "monthly", 501n)]
    const ten = coupon({ kind: "percent", rate: "10", duration: "forever" })
    const sub = subscription(items)
    const snapshot = Either.getOrThrow(
      revenueSnapshot({ subscription: sub, coupons: [ten], tax: noTax, rounding: "half-even" })
    )
    expect(snapshot.couponIds).toEqual(["c1"])
    expect(snapshot.lines.reduce((sum, line) => sum + line.amount, 0n)).toBe(2250n)
    const invoice = Either.getOrThrow(
      renewalInvoice({
        invoiceId: "inv",
        subscription: { ...sub, tenantId: "t", pricing: "exclusive" },
        period: { start: { year: 2026, month: 1, day: 1 }, end: { year: 2026, month: 2, day: 1 } },
        cycleNumber: 2,
        coupons: [ten],
        includeSetup: false,
        tax: noTax,
        dueAt: 0,
        rounding: "half-even"
      })
    )
    expect(snapshotMrr(snapshot)).toBe(invoice.totals.subtotal * 72n)
  })

  it("leaves out one-off coupons and caps a fixed coupon at the recurring subtotal", () => {
    const items = [item("plan", "vps-2g", "monthly", 1000n)]
    const once = coupon({ kind: "percent", rate: "50", duration: "once" })
    const big = coupon({ id: "c2", code: "C2", kind: "fixed", amounts: { EUR: "1500" }, duration: "forever" })
    const input = { subscription: subscription(items), tax: noTax, rounding: "half-even" as const }
    expect(snapshotMrr(Either.getOrThrow(revenueSnapshot({ ...input, coupons: [once] })))).toBe(1000n * 72n)
    expect(snapshotMrr(Either.getOrThrow(revenueSnapshot({ ...input, coupons: [big] })))).toBe(0n)
    const usd = coupon({ kind: "fixed", amounts: { USD: "100" }, duration: "forever" })
    const refused = revenueSnapshot({ ...input, coupons: [usd] })
    expect(Either.isLeft(refused) && refused.left._tag).toBe("CouponCurrencyUnsupported")
  })

  it("takes the tax out of tax-inclusive prices", () => {
    // 12.00 including 20% VAT is 10.00 net.
    const input = {
      subscription: subscription([item("plan", "vps-2g", "monthly", 1200n)], { pricing: "inclusive" }),
      coupons: [],
      tax: vat20,
      rounding: "half-even" as const
    }
    expect(snapshotMrr(Either.getOrThrow(revenueSnapshot(input)))).toBe(1000n * 72n)
    expect(subscriptionMrr(input)).toEqual(Either.right(1000n * 72n))
  })

  it("the quick MRR equals the snapshot's MRR, or fails alike (property)", () => {
    const cycles: ReadonlyArray<BillingCycle> = [
      "monthly",
      "quarterly",
      "annually",
      "triennially",
      "one_time"
    ]
    const pool: ReadonlyArray<Coupon> = [
      coupon({ id: "p10", code: "P10", kind: "percent", rate: "10", duration: "forever" }),
      coupon({ id: "p33", code: "P33", kind: "percent", rate: "33.5", duration: { cycles: 3 } }),
      coupon({ id: "f5", code: "F5", kind: "fixed", amounts: { EUR: "500" }, duration: "forever" }),
      coupon({ id: "fu", code: "FU", kind: "fixed", amounts: { USD: "300" }, duration: "forever" }),
      coupon({ id: "o50", code: "O50", kind: "percent", rate: "50", duration: "once" }),
      coupon({
        id: "r20",
        code: "R20",
        kind: "percent",
        rate: "20",
        duration: "forever",
        appliesTo: { planIds: ["other"] }
      }),
      coupon({ id: "solo", code: "SOLO", kind: "percent", rate: "15", duration: "forever", stackable: false })
    ]
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...cycles), fc.bigInt({ min: 0n, max: 10n ** 9n })), {
          minLength: 1,
          maxLength: 5
        }),
        fc.subarray([...pool], { maxLength: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom("exclusive" as const, "inclusive" as const),
        fc.constantFrom("monthly" as const, "mixed" as const),
        (lines, coupons, invoicedPeriods, pricing, shape) => {
          const items = lines.map(([cycle, amount], i) =>
            item(i === 0 ? "plan" : "option", `i${i}`, shape === "monthly" ? "monthly" : cycle, amount)
          )
          const input = {
            subscription: subscription(items, { invoicedPeriods, pricing }),
            coupons,
            tax: vat20,
            rounding: "half-even" as const
          }
          const quick = subscriptionMrr(input)
          expect(quick).toEqual(Either.map(revenueSnapshot(input), snapshotMrr))
          if (coupons.length === 0 && pricing === "exclusive") {
            // Undiscounted, tax-exclusive: every amount x 72 / its months, one-time items left out.
            const months: Record<string, bigint> = {
              monthly: 1n,
              quarterly: 3n,
              annually: 12n,
              triennially: 36n
            }
            let expected = 0n
            for (const it of items) {
              const m = months[it.cycle]
              if (m !== undefined) expected += (it.amount * 72n) / m
            }
            expect(quick).toEqual(Either.right(expected))
          }
        }
      ),
      { numRuns: 500 }
    )
  })
})
