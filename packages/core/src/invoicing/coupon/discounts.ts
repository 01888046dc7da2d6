import { Either } from "effect"
import { allocateAmount, applyRatio, type CurrencyCode, type RoundingMode } from "../../money"
import { type Coupon, fixedAmountIn } from "./coupon"
import { CouponCurrencyUnsupported, CouponNotStackable } from "./errors"
import { allows } from "./redemption"

/**
 * What an invoice line is for. Percent and fixed discounts reduce `recurring` and `one_time` lines
 * (the price of the product); `setup` lines are waived only by a `freeSetup` coupon; `usage` lines
 * (metered overage) are never discounted.
 */
export type DiscountableLineKind = "recurring" | "one_time" | "setup" | "usage"

export interface DiscountableLine {
  readonly id: string
  /** Minor units; a line of zero or less (a credit) is never discounted. */
  readonly amount: bigint
  readonly kind: DiscountableLineKind
  readonly productId?: string
  readonly planId?: string
}

/** One discount of one coupon on one line; `amount` is negative, ready to add to the invoice. */
export interface DiscountLine {
  readonly couponId: string
  readonly code: string
  readonly lineId: string
  readonly reason: "percent" | "fixed" | "free_setup"
  readonly amount: bigint
}

export interface DiscountedLine {
  readonly id: string
  readonly original: bigint
  /** Sum of the discounts on this line (>= 0, never more than `original`). */
  readonly discount: bigint
  /** `original - discount`: what is left to charge (and to tax). */
  readonly amount: bigint
}

export interface AppliedDiscounts {
  readonly discounts: ReadonlyArray<DiscountLine>
  readonly lines: ReadonlyArray<DiscountedLine>
}

/**
 * The order stackable coupons apply in: percent before fixed, then `priority` ascending (a coupon
 * without one comes after those with one), then code, then id.
 */
export const stackingOrder = (a: Coupon, b: Coupon): number =>
  kindRank(a) - kindRank(b) ||
  (a.priority ?? Number.POSITIVE_INFINITY) - (b.priority ?? Number.POSITIVE_INFINITY) ||
  compareStrings(a.code, b.code) ||
  compareStrings(a.id, b.id)

const kindRank = (coupon: Coupon): number => (coupon.kind === "percent" ? 0 : 1)
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Applies coupons (already checked with `checkRedemption` and `appliesOnCycle`) to an invoice's lines.
 *
 * - One coupon applies alone, stackable or not. Several apply only if every one is stackable (else a
 *   {@link CouponNotStackable} for the first that is not), in {@link stackingOrder}, each on what the
 *   coupons before it left of each line.
 * - A coupon applies to the lines of its `appliesTo` products and plans (both, when both are given).
 * - Percent: `remaining x rate` per line, rounded once per line with the named mode.
 * - Fixed: the coupon's amount in `currency` (none is a {@link CouponCurrencyUnsupported}), capped at
 *   what is left of the eligible lines, and split over them by allocation (largest remainder) in
 *   proportion to what is left of each, so no line goes below zero.
 * - `freeSetup`: what is left of each eligible setup line is waived.
 *
 * Discounts of zero are left out.
 */
export const applyDiscounts = (
  lines: ReadonlyArray<DiscountableLine>,
  coupons: ReadonlyArray<Coupon>,
  currency: CurrencyCode,
  mode: RoundingMode
): Either.Either<AppliedDiscounts, CouponNotStackable | CouponCurrencyUnsupported> => {
  if (coupons.length > 1) {
    const single = coupons.find((coupon) => !coupon.stackable)
    if (single !== undefined) return Either.left(new CouponNotStackable({ code: single.code }))
  }
  const remaining = lines.map((line) => (line.amount > 0n ? line.amount : 0n))
  const discounts: Array<DiscountLine> = []
  const take = (coupon: Coupon, index: number, reason: DiscountLine["reason"], amount: bigint) => {
    const line = lines[index]
    const left = remaining[index] ?? 0n
    const capped = amount < left ? amount : left
    if (line === undefined || capped <= 0n) return
    remaining[index] = left - capped
    discounts.push({ couponId: coupon.id, code: coupon.code, lineId: line.id, reason, amount: -capped })
  }

  for (const coupon of [...coupons].sort(stackingOrder)) {
    const covered = (line: DiscountableLine, i: number) =>
      (remaining[i] ?? 0n) > 0n &&
      allows(coupon.appliesTo?.productIds, line.productId) &&
      allows(coupon.appliesTo?.planIds, line.planId)
    const eligible = lines.flatMap((line, i) =>
      covered(line, i) && (line.kind === "recurring" || line.kind === "one_time") ? [i] : []
    )

    if (coupon.kind === "percent") {
      for (const i of eligible) take(coupon, i, "percent", applyRatio(remaining[i] ?? 0n, coupon.rate, mode))
    } else {
      const amount = fixedAmountIn(coupon, currency)
      if (amount === undefined)
        return Either.left(new CouponCurrencyUnsupported({ code: coupon.code, currency }))
      const weights = eligible.map((i) => remaining[i] ?? 0n)
      const available = weights.reduce((sum, w) => sum + w, 0n)
      // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
      const total = amount < available ? amount : available
      if (total > 0n) {
        const parts = Either.getOrThrow(allocateAmount(total, weights))
        eligible.forEach((lineIndex, k) => {
          take(coupon, lineIndex, "fixed", parts[k] ?? 0n)
        })
      }
    }

    if (coupon.freeSetup === true) {
      lines.forEach((line, i) => {
        if (line.kind === "setup" && covered(line, i)) take(coupon, i, "free_setup", remaining[i] ?? 0n)
      })
    }
  }

  return Either.right({
    discounts,
    lines: lines.map((line, i) => {
      const discount = (line.amount > 0n ? line.amount : 0n) - (remaining[i] ?? 0n)
      return { id: line.id, original: line.amount, discount, amount: line.amount - discount }
    })
  })
}
