import { Either } from "effect"
import type { BillingCycle } from "../../catalog/cycle"
import type { CurrencyCode } from "../../money"
import { type Coupon, fixedAmountIn } from "./coupon"
import {
  CouponAlreadyRedeemed,
  CouponCurrencyUnsupported,
  CouponExhausted,
  CouponExpired,
  CouponNotApplicable,
  type RedemptionError
} from "./errors"

/** What the caller knows about a redemption attempt; `now` is the caller's clock (epoch ms). */
export interface RedemptionAttempt {
  readonly customerId: string
  readonly now: number
  /** Redemptions of this coupon by anyone so far. */
  readonly redemptionsSoFar: number
  readonly customerHasRedeemed: boolean
  readonly productId?: string
  readonly planId?: string
  readonly cycle?: BillingCycle
  readonly currency: CurrencyCode
}

/**
 * Whether the coupon may be redeemed, checked in this order: expiry (a coupon is expired from the
 * instant `expiresAt` on: `now >= expiresAt`), the redemption limit, once per customer, the product /
 * plan / cycle restriction (an attempt without the restricted value does not qualify), and — for a
 * fixed coupon — an amount in the currency.
 */
export const checkRedemption = (
  coupon: Coupon,
  attempt: RedemptionAttempt
): Either.Either<void, RedemptionError> => {
  const { code } = coupon
  if (coupon.expiresAt !== undefined && attempt.now >= coupon.expiresAt) {
    return Either.left(new CouponExpired({ code, expiresAt: coupon.expiresAt, now: attempt.now }))
  }
  if (coupon.maxRedemptions !== undefined && attempt.redemptionsSoFar >= coupon.maxRedemptions) {
    return Either.left(new CouponExhausted({ code, maxRedemptions: coupon.maxRedemptions }))
  }
  if (coupon.oncePerCustomer === true && attempt.customerHasRedeemed) {
    return Either.left(new CouponAlreadyRedeemed({ code, customerId: attempt.customerId }))
  }
  const restriction = coupon.appliesTo
  if (!allows(restriction?.productIds, attempt.productId)) {
    return Either.left(new CouponNotApplicable({ code, reason: "product" }))
  }
  if (!allows(restriction?.planIds, attempt.planId)) {
    return Either.left(new CouponNotApplicable({ code, reason: "plan" }))
  }
  if (!allows(restriction?.cycles, attempt.cycle)) {
    return Either.left(new CouponNotApplicable({ code, reason: "cycle" }))
  }
  if (coupon.kind === "fixed" && fixedAmountIn(coupon, attempt.currency) === undefined) {
    return Either.left(new CouponCurrencyUnsupported({ code, currency: attempt.currency }))
  }
  return Either.void
}

/** No list allows everything; a list allows only a value on it. */
export const allows = <A>(list: ReadonlyArray<A> | undefined, value: A | undefined): boolean =>
  list === undefined || (value !== undefined && list.includes(value))

/**
 * Whether the coupon still discounts the subscription's `cycleIndex`-th invoice (1 = the first):
 * `once` only the first, `{ cycles: N }` the first N, `forever` all of them.
 */
export const appliesOnCycle = (coupon: Coupon, cycleIndex: number): boolean => {
  if (!Number.isInteger(cycleIndex) || cycleIndex < 1) return false
  const { duration } = coupon
  if (duration === "once") return cycleIndex === 1
  if (duration === "forever") return true
  return cycleIndex <= duration.cycles
}
