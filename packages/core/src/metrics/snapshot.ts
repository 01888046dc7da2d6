/**
 * What a subscription contributes to MRR, as a snapshot the engine records with each revenue event:
 * its recurring lines, each at what it bills per cycle without tax and after the recurring discounts
 * still running. Setup fees, usage and one-off discounts are not recurring revenue and are left out.
 */
import { Either } from "effect"
import { isRecurring, type RecurringCycle } from "../catalog/cycle"
import type { ProductKind } from "../catalog/schema"
import type { PricedItem } from "../catalog/selection"
import { type Coupon, fixedAmountIn } from "../invoicing/coupon/coupon"
import { applyDiscounts, attributeDiscounts, type DiscountableLine } from "../invoicing/coupon/discounts"
import { CouponCurrencyUnsupported, type CouponNotStackable } from "../invoicing/coupon/errors"
import { allows } from "../invoicing/coupon/redemption"
import { taxAmount } from "../invoicing/tax/compute"
import type { TaxDecision } from "../invoicing/tax/determine"
import type { CurrencyCode } from "../money/currency"
import { applyRatio } from "../money/ratio"
import type { RoundingMode } from "../money/rounding"
import type { Subscription } from "../subscription/subscription"
import { type MrrUnits, monthlyUnits } from "./units"

/** One recurring line of a subscription as MRR counts it. */
export interface RevenueLine {
  readonly kind: PricedItem["kind"]
  readonly itemId: string
  readonly cycle: RecurringCycle
  /** What the line bills per cycle, in minor units, without tax and after the running recurring discounts. */
  readonly amount: bigint
}

/** The MRR-relevant facts of a subscription at one moment. */
export interface RevenueSnapshot {
  readonly subscriptionId: string
  readonly customerId: string
  readonly productId: string
  readonly productKind: ProductKind
  readonly planId: string
  readonly currency: CurrencyCode
  readonly cycle: Subscription["cycle"]
  /** The recurring lines (none for a `one_time` or `free` subscription). */
  readonly lines: ReadonlyArray<RevenueLine>
  /** The recurring coupons whose discount the lines carry. */
  readonly couponIds: ReadonlyArray<string>
}

/** What {@link revenueSnapshot} reads of a subscription. */
export type RevenueSubscription = Pick<
  Subscription,
  | "id"
  | "customerId"
  | "productId"
  | "productKind"
  | "planId"
  | "currency"
  | "cycle"
  | "pricing"
  | "items"
  | "invoicedPeriods"
>

/** What a revenue snapshot is computed from. */
export interface RevenueSnapshotInput {
  readonly subscription: RevenueSubscription
  /** The definitions of the coupons redeemed on the subscription; only the recurring ones still running count. */
  readonly coupons: ReadonlyArray<Coupon>
  /** The subscription's tax decision: needed to take the tax out of tax-inclusive prices. */
  readonly tax: TaxDecision
  /** The mode invoices round discounts and tax with, so MRR is what the renewal invoice charges. */
  readonly rounding: RoundingMode
}

/** Why a snapshot cannot be computed: the running coupons could not discount a renewal either. */
export type RevenueSnapshotError = CouponNotStackable | CouponCurrencyUnsupported

/**
 * Whether a coupon is a recurring discount still running on a subscription that has had
 * `invoicedPeriods` invoices: `forever`, or `{ cycles: N }` with N >= 2 that still discounts the next
 * invoice (N > invoicedPeriods). `once` (and `{ cycles: 1 }`, the same thing) is a one-off discount.
 */
export const isRunningRecurringCoupon = (coupon: Coupon, invoicedPeriods: number): boolean => {
  const { duration } = coupon
  if (duration === "forever") return true
  if (duration === "once") return false
  return duration.cycles >= 2 && duration.cycles > invoicedPeriods
}

/**
 * The subscription's revenue snapshot: its recurring items (those on a recurring cycle), discounted by
 * the running recurring coupons exactly as the next renewal invoice would discount them (one discount
 * per coupon on the eligible subtotal, rounded once, shared among the lines by allocation), then, for
 * tax-inclusive prices, with the tax taken out as the invoice would.
 */
export const revenueSnapshot = (
  input: RevenueSnapshotInput
): Either.Either<RevenueSnapshot, RevenueSnapshotError> => {
  const { subscription, tax, rounding } = input
  const recurring = subscription.items.filter((item) => isRecurring(item.cycle))
  const coupons = input.coupons.filter((coupon) =>
    isRunningRecurringCoupon(coupon, subscription.invoicedPeriods)
  )
  let amounts = recurring.map((item) => item.amount)
  if (coupons.length > 0 && recurring.length > 0) {
    const lines: Array<DiscountableLine> = recurring.map((item, i) => ({
      id: String(i),
      amount: item.amount,
      kind: "recurring",
      productId: subscription.productId,
      planId: subscription.planId
    }))
    const applied = applyDiscounts(lines, coupons, subscription.currency, rounding)
    if (Either.isLeft(applied)) return Either.left(applied.left)
    amounts = attributeDiscounts(lines, applied.right.discounts).map((line) => line.amount)
  }
  if (subscription.pricing === "inclusive") {
    amounts = amounts.map((amount) => taxAmount(amount, "inclusive", tax, rounding).net)
  }
  return Either.right({
    subscriptionId: subscription.id,
    customerId: subscription.customerId,
    productId: subscription.productId,
    productKind: subscription.productKind,
    planId: subscription.planId,
    currency: subscription.currency,
    cycle: subscription.cycle,
    lines: recurring.map((item, i) => ({
      kind: item.kind,
      itemId: item.itemId,
      cycle: item.cycle as RecurringCycle,
      amount: amounts[i] as bigint
    })),
    couponIds: coupons.map((coupon) => coupon.id)
  })
}

/** The snapshot's MRR: every line's amount normalized to a month, in exact MRR units. */
export const snapshotMrr = (snapshot: RevenueSnapshot): MrrUnits => {
  let units = 0n
  for (const line of snapshot.lines) units += monthlyUnits(line.amount, line.cycle)
  return units
}

/**
 * A subscription's MRR in exact units: {@link snapshotMrr} of its {@link revenueSnapshot}, computed
 * without building the snapshot when prices exclude tax and the recurring items share one cycle (nearly
 * every subscription): then the MRR is the recurring subtotal, less the discounts of the running
 * coupons, normalized once.
 */
export const subscriptionMrr = (
  input: RevenueSnapshotInput
): Either.Either<MrrUnits, RevenueSnapshotError> => {
  const { subscription } = input
  if (subscription.pricing === "inclusive") return Either.map(revenueSnapshot(input), snapshotMrr)
  let running = false
  for (const coupon of input.coupons) {
    if (isRunningRecurringCoupon(coupon, subscription.invoicedPeriods)) running = true
  }
  if (!running) {
    let units = 0n
    for (const item of subscription.items) units += monthlyUnits(item.amount, item.cycle)
    return Either.right(units)
  }
  let cycle: RecurringCycle | undefined
  let subtotal = 0n
  let base = 0n
  for (const item of subscription.items) {
    if (!isRecurring(item.cycle)) continue
    if (cycle !== undefined && item.cycle !== cycle) return Either.map(revenueSnapshot(input), snapshotMrr)
    cycle = item.cycle
    subtotal += item.amount
    if (item.amount > 0n) base += item.amount
  }
  if (cycle === undefined) return Either.right(0n)
  const coupons = input.coupons.filter((coupon) =>
    isRunningRecurringCoupon(coupon, subscription.invoicedPeriods)
  )
  const discount =
    coupons.length === 1
      ? singleDiscount(coupons[0] as Coupon, subscription, base, input.rounding)
      : stackedDiscount(coupons, input)
  return Either.map(discount, (amount) => monthlyUnits(subtotal - amount, cycle))
}

/**
 * What one coupon takes off recurring lines of one product and plan (so it covers all of them or none),
 * as `applyDiscounts` computes it: percent of the positive lines' base rounded once, or the fixed amount
 * capped at the base.
 */
const singleDiscount = (
  coupon: Coupon,
  subscription: RevenueSubscription,
  base: bigint,
  rounding: RoundingMode
): Either.Either<bigint, RevenueSnapshotError> => {
  if (coupon.kind === "fixed") {
    const amount = fixedAmountIn(coupon, subscription.currency)
    if (amount === undefined) {
      return Either.left(
        new CouponCurrencyUnsupported({ code: coupon.code, currency: subscription.currency })
      )
    }
    if (!covers(coupon, subscription)) return Either.right(0n)
    return Either.right(amount < base ? amount : base)
  }
  if (!covers(coupon, subscription)) return Either.right(0n)
  const amount = applyRatio(base, coupon.rate, rounding)
  return Either.right(amount > 0n ? amount : 0n)
}

const covers = (coupon: Coupon, subscription: RevenueSubscription): boolean =>
  allows(coupon.appliesTo?.productIds, subscription.productId) &&
  allows(coupon.appliesTo?.planIds, subscription.planId)

/** The total discount of several stacked coupons on the recurring lines, through `applyDiscounts`. */
const stackedDiscount = (
  coupons: ReadonlyArray<Coupon>,
  input: RevenueSnapshotInput
): Either.Either<bigint, RevenueSnapshotError> => {
  const { subscription } = input
  const lines: Array<DiscountableLine> = []
  for (const item of subscription.items) {
    if (!isRecurring(item.cycle)) continue
    lines.push({
      id: item.itemId,
      amount: item.amount,
      kind: "recurring",
      productId: subscription.productId,
      planId: subscription.planId
    })
  }
  return Either.map(
    applyDiscounts(lines, coupons, subscription.currency, input.rounding),
    ({ discounts }) => {
      // Discount amounts are negative; the lines' shares of them add up to them exactly.
      let total = 0n
      for (const discount of discounts) total -= discount.amount
      return total
    }
  )
}
