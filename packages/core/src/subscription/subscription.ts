/**
 * The subscription aggregate as the store keeps it: what was bought (prices locked at order time), how
 * it is billed (cycle, zone, anchor, current period) and where it is in its lifecycle.
 *
 * Structurally a `RenewableSubscription` (invoicing/invoice/renewal.ts), so a stored subscription can be
 * billed as it is.
 */

import type { CivilDate } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import type { Instant } from "../calendar/zone"
import type { BillingCycle } from "../catalog/cycle"
import type { ProductKind } from "../catalog/schema"
import type { PricedItem } from "../catalog/selection"
import type { PriceBasis } from "../invoicing/tax/compute"
import type { CurrencyCode } from "../money/currency"
import type { SubscriptionState } from "./state"

export interface Subscription {
  readonly id: string
  readonly tenantId: string
  readonly customerId: string
  readonly productId: string
  /** The product's kind: tax rules and revenue reports can depend on it. */
  readonly productKind: ProductKind
  readonly planId: string
  readonly currency: CurrencyCode
  /** `one_time` and `free` subscriptions never renew (no `nextRenewalAt`). */
  readonly cycle: BillingCycle
  readonly pricing: PriceBasis
  readonly items: ReadonlyArray<PricedItem>
  /** IANA zone the billing days are computed in (the customer's, fixed at order time). */
  readonly timeZone: string
  /** Anniversary anchor: every period boundary is computed from it (calendar/anniversary.ts). */
  readonly anchor: CivilDate
  /** The period paid or being collected; absent before the first invoice. */
  readonly currentPeriod?: BillingPeriod
  /** When the next renewal invoice is due; absent once the subscription stops renewing. */
  readonly nextRenewalAt?: Instant
  /** Coupons redeemed on the subscription; each discounts as many invoices as its duration allows. */
  readonly coupons: ReadonlyArray<CouponGrant>
  /**
   * How many periods have been invoiced: the next renewal is invoice number `invoicedPeriods + 1`
   * (which decides setup fees and how long a coupon keeps discounting).
   */
  readonly invoicedPeriods: number
  readonly lifecycle: SubscriptionState
  readonly createdAt: Instant
}

/** A coupon redeemed on a subscription. */
export interface CouponGrant {
  readonly couponId: string
  readonly redeemedAt: Instant
}
