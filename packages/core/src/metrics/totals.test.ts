import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { Coupon } from "../invoicing/coupon/coupon"
import { decodeCoupon } from "../invoicing/coupon/coupon"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent } from "../money/ratio"
import { SubscriptionStatuses } from "../subscription/state"
import type { Subscription } from "../subscription/subscription"
import { arpu } from "./arpu"
import { countsTowardMrr, mrrByCurrency } from "./totals"

const sub = (id: string, overrides: Partial<Subscription> = {}): Subscription => ({
  id,
  tenantId: "t",
  customerId: id,
  productId: "vps",
  productKind: "vps",
  planId: "vps-2g",
  currency: "EUR",
  cycle: "monthly",
  pricing: "exclusive",
  items: [
    {
      kind: "plan",
      itemId: "vps-2g",
      description: "",
      cycle: "monthly",
      quantity: 1n,
      unitAmount: 1200n,
      amount: 1200n,
      setupFee: 0n
    }
  ],
  timeZone: "UTC",
  anchor: { year: 2026, month: 1, day: 1 },
  coupons: [],
  invoicedPeriods: 1,
  lifecycle: { status: "active", suspension: undefined, cancellation: undefined, trialEndsAt: undefined },
  createdAt: 0,
  ...overrides
})
const vat20: TaxDecision = {
  kind: "taxed",
  country: "DE",
  components: [{ ruleId: "de", name: "MwSt", rate: percent(20), compound: false }]
}
const none: TaxDecision = { kind: "none" }

describe("MRR of a population", () => {
  it("counts active, past_due and suspended subscriptions only", () => {
    expect(SubscriptionStatuses.filter(countsTowardMrr)).toEqual(["active", "past_due", "suspended"])
    const subs = SubscriptionStatuses.map((status, i) =>
      sub(`s${i}`, {
        lifecycle: { status, suspension: undefined, cancellation: undefined, trialEndsAt: undefined }
      })
    )
    // Three of eight count: 3 x 12.00.
    expect(mrrByCurrency(subs, { couponsOf: () => [], taxOf: () => none, rounding: "half-even" })).toEqual(
      Either.right({ EUR: 3600n * 72n })
    )
  })

  it("takes tax out of inclusive prices with each subscription's decision, and stops at a coupon that cannot apply", () => {
    const subs = [sub("a", { pricing: "inclusive" }), sub("b", { currency: "USD" })]
    // 12.00 including 20% is 10.00.
    expect(mrrByCurrency(subs, { couponsOf: () => [], taxOf: () => vat20, rounding: "half-even" })).toEqual(
      Either.right({ EUR: 1000n * 72n, USD: 1200n * 72n })
    )
    const eurOnly: Coupon = Either.getOrThrow(
      decodeCoupon({
        id: "c",
        code: "EUR5",
        kind: "fixed",
        amounts: { EUR: "500" },
        duration: "forever",
        stackable: false
      })
    )
    const withCoupon = subs.map((s) => ({ ...s, coupons: [{ couponId: "c", redeemedAt: 0 }] }))
    // Coupon definitions are asked for only when the subscription redeemed one.
    expect(
      mrrByCurrency(subs, { couponsOf: () => [eurOnly], taxOf: () => vat20, rounding: "half-even" })
    ).toEqual(Either.right({ EUR: 1000n * 72n, USD: 1200n * 72n }))
    const refused = mrrByCurrency(withCoupon, {
      couponsOf: () => [eurOnly],
      taxOf: () => none,
      rounding: "half-even"
    })
    expect(Either.isLeft(refused) && refused.left._tag).toBe("CouponCurrencyUnsupported")
  })

  it("ARPU has no total when nobody pays", () => {
    const conversion = {
      currency: "EUR" as const,
      date: "2026-01-31",
      rates: [],
      rounding: "half-even" as const
    }
    expect(arpu({ mrr: {}, payers: {}, payingCustomers: 0 }, conversion)).toEqual(
      Either.right({ currencies: [], total: undefined })
    )
  })
})
