import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { Coupon } from "./coupon"
import { appliesOnCycle, checkRedemption, type RedemptionAttempt } from "./redemption"

const percent = (extra: Partial<Coupon> = {}): Coupon =>
  ({
    id: "c1",
    code: "SAVE10",
    kind: "percent",
    rate: { num: 1n, den: 10n },
    duration: "once",
    stackable: false,
    ...extra
  }) as Coupon
const fixed: Coupon = {
  id: "c2",
  code: "FIVE",
  kind: "fixed",
  amounts: { EUR: 500n },
  duration: "once",
  stackable: false
}

const attempt: RedemptionAttempt = {
  customerId: "cus_1",
  now: 1_000_000,
  redemptionsSoFar: 0,
  customerHasRedeemed: false,
  productId: "vps",
  planId: "vps-2g",
  cycle: "monthly",
  currency: "EUR"
}

const outcome = (coupon: Coupon, extra: Partial<RedemptionAttempt> = {}) =>
  Either.match(checkRedemption(coupon, { ...attempt, ...extra }), {
    onLeft: (e) => ("reason" in e ? `${e._tag}(${e.reason})` : e._tag),
    onRight: () => "ok"
  })

describe("checkRedemption", () => {
  it("accepts an unrestricted coupon", () => {
    expect(outcome(percent())).toBe("ok")
  })

  it("expires exactly at expiresAt", () => {
    const coupon = percent({ expiresAt: 1_000_000 })
    expect(outcome(coupon, { now: 999_999 })).toBe("ok")
    expect(outcome(coupon, { now: 1_000_000 })).toBe("CouponExpired")
    expect(outcome(coupon, { now: 1_000_001 })).toBe("CouponExpired")
    const error = checkRedemption(coupon, attempt)
    expect(Either.isLeft(error) && error.left).toMatchObject({
      code: "SAVE10",
      expiresAt: 1_000_000,
      now: 1_000_000
    })
  })

  it("is exhausted after maxRedemptions", () => {
    const coupon = percent({ maxRedemptions: 3 })
    expect(outcome(coupon, { redemptionsSoFar: 2 })).toBe("ok")
    expect(outcome(coupon, { redemptionsSoFar: 3 })).toBe("CouponExhausted")
  })

  it("is redeemed once per customer when so marked", () => {
    expect(outcome(percent({ oncePerCustomer: true }), { customerHasRedeemed: true })).toBe(
      "CouponAlreadyRedeemed"
    )
    expect(outcome(percent({ oncePerCustomer: true }), { customerHasRedeemed: false })).toBe("ok")
    expect(outcome(percent(), { customerHasRedeemed: true })).toBe("ok")
  })

  it("applies only to its products, plans and billing cycles", () => {
    const coupon = percent({
      appliesTo: { productIds: ["vps"], planIds: ["vps-2g", "vps-4g"], cycles: ["annually"] }
    })
    expect(outcome(coupon, { cycle: "annually" })).toBe("ok")
    expect(outcome(coupon, { cycle: "monthly" })).toBe("CouponNotApplicable(cycle)")
    expect(outcome(coupon, { cycle: "annually", productId: "dedicated" })).toBe(
      "CouponNotApplicable(product)"
    )
    expect(outcome(coupon, { cycle: "annually", planId: "vps-8g" })).toBe("CouponNotApplicable(plan)")
    const { productId: _, ...withoutProduct } = attempt
    expect(Either.isLeft(checkRedemption(coupon, { ...withoutProduct, cycle: "annually" }))).toBe(true)
  })

  it("needs an amount in the currency for a fixed coupon", () => {
    expect(outcome(fixed, { currency: "EUR" })).toBe("ok")
    expect(outcome(fixed, { currency: "USD" })).toBe("CouponCurrencyUnsupported")
    expect(outcome(percent(), { currency: "USD" })).toBe("ok")
  })

  it("reports expiry before the other checks", () => {
    const coupon = percent({ expiresAt: 0, maxRedemptions: 1, oncePerCustomer: true })
    expect(outcome(coupon, { redemptionsSoFar: 5, customerHasRedeemed: true })).toBe("CouponExpired")
  })
})

describe("appliesOnCycle", () => {
  it("once: the first invoice only", () => {
    expect([1, 2].map((n) => appliesOnCycle(percent(), n))).toEqual([true, false])
  })

  it("3 cycles: invoices 1 to 3, not 4", () => {
    const coupon = percent({ duration: { cycles: 3 } })
    expect([1, 2, 3, 4, 5].map((n) => appliesOnCycle(coupon, n))).toEqual([true, true, true, false, false])
  })

  it("forever: every invoice", () => {
    expect([1, 2, 120].map((n) => appliesOnCycle(percent({ duration: "forever" }), n))).toEqual([
      true,
      true,
      true
    ])
  })

  it("never before the first invoice", () => {
    expect([0, -1, 1.5].map((n) => appliesOnCycle(percent({ duration: "forever" }), n))).toEqual([
      false,
      false,
      false
    ])
  })
})
