/**
 * MRR of a whole population of subscriptions, per currency, in exact units: what a nightly check or a
 * first import computes from the subscriptions themselves (the dashboards read the summaries kept by
 * the revenue events instead).
 */
import { Either } from "effect"
import { type BillingCycle, RecurringCycles } from "../catalog/cycle"
import type { Coupon } from "../invoicing/coupon/coupon"
import type { TaxDecision } from "../invoicing/tax/determine"
import type { CurrencyCode } from "../money/currency"
import type { RoundingMode } from "../money/rounding"
import type { SubscriptionStatus } from "../subscription/state"
import type { Subscription } from "../subscription/subscription"
import { type RevenueSnapshotError, type RevenueSubscription, subscriptionMrr } from "./snapshot"
import { type CurrencyUnits, monthlyUnits } from "./units"

/**
 * Whether a subscription in this status counts in MRR: `active`, `past_due` and `suspended` (it is
 * still billed; it leaves MRR when it is cancelled, terminated or marked fraud). `pending` and
 * `trialing` have not started paying.
 */
export const countsTowardMrr = (status: SubscriptionStatus): boolean =>
  status === "active" || status === "past_due" || status === "suspended"

/** Where {@link mrrByCurrency} finds what a subscription record does not hold itself. */
export interface MrrSources<S extends RevenueSubscription> {
  /** The definitions of the subscription's redeemed coupons; asked only when it has redeemed some. */
  readonly couponsOf: (subscription: S) => ReadonlyArray<Coupon>
  /** The subscription's tax decision (read only for tax-inclusive prices). */
  readonly taxOf: (subscription: S) => TaxDecision
  readonly rounding: RoundingMode
}

/**
 * Total MRR per currency, in exact units, of the subscriptions that count toward MRR
 * ({@link countsTowardMrr}). Currencies whose total is zero are left out.
 */
export const mrrByCurrency = <S extends RevenueSubscription & Pick<Subscription, "lifecycle" | "coupons">>(
  subscriptions: Iterable<S>,
  sources: MrrSources<S>
): Either.Either<CurrencyUnits, RevenueSnapshotError> => {
  // Per currency: the plain per-cycle sums of undiscounted, tax-exclusive subscriptions (normalized once
  // at the end: a sum of prices times a factor is the sum of each price times it), then MRR units of the rest.
  const sums = new Map<CurrencyCode, Array<bigint>>()
  for (const subscription of subscriptions) {
    if (!countsTowardMrr(subscription.lifecycle.status)) continue
    let acc = sums.get(subscription.currency)
    if (acc === undefined) {
      acc = [0n, 0n, 0n, 0n, 0n, 0n, 0n]
      sums.set(subscription.currency, acc)
    }
    if (subscription.coupons.length === 0 && subscription.pricing === "exclusive") {
      for (const item of subscription.items) {
        const slot = cycleSlots[item.cycle]
        if (slot !== undefined) acc[slot] = (acc[slot] as bigint) + item.amount
      }
    } else {
      const mrr = subscriptionMrr({
        subscription,
        coupons: subscription.coupons.length === 0 ? noCoupons : sources.couponsOf(subscription),
        tax: subscription.pricing === "inclusive" ? sources.taxOf(subscription) : noTax,
        rounding: sources.rounding
      })
      if (Either.isLeft(mrr)) return Either.left(mrr.left)
      acc[6] = (acc[6] as bigint) + mrr.right
    }
  }
  const result: CurrencyUnits = {}
  for (const [currency, acc] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let units = acc[6] as bigint
    RecurringCycles.forEach((cycle, slot) => {
      units += monthlyUnits(acc[slot] as bigint, cycle)
    })
    if (units !== 0n) result[currency] = units
  }
  return Either.right(result)
}

/** Each recurring cycle's slot in the per-currency sums, in `RecurringCycles` order. */
const cycleSlots: Readonly<Partial<Record<BillingCycle, number>>> = Object.fromEntries(
  RecurringCycles.map((cycle, slot) => [cycle, slot])
)

const noTax: TaxDecision = { kind: "none" }
const noCoupons: ReadonlyArray<Coupon> = []
