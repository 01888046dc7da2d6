import { Either } from "effect"
import { applyRatio, type CurrencyCode, type RoundingMode } from "../../money"
import { allocateUnchecked } from "../../money/allocate"
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
  readonly productId?: string | undefined
  readonly planId?: string | undefined
}

/**
 * One coupon's discount on an invoice: one line, with a negative `amount`, computed on `base` (what was
 * left of the lines it covers) and reducing the lines at `lineIndexes`. How much of it each line bears
 * is an allocation, see {@link attributeDiscounts}.
 */
export interface DiscountLine {
  readonly couponId: string
  readonly code: string
  readonly reason: "percent" | "fixed" | "free_setup"
  readonly amount: bigint
  readonly base: bigint
  readonly lineIndexes: ReadonlyArray<number>
}

export interface DiscountedLine {
  readonly id: string
  readonly original: bigint
  /** Sum of the discounts this line bears (>= 0, never more than `original`). */
  readonly discount: bigint
  /** `original - discount`: what is left to charge. */
  readonly amount: bigint
}

export interface AppliedDiscounts {
  readonly discounts: ReadonlyArray<DiscountLine>
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

const productLine = (line: DiscountableLine) => line.kind === "recurring" || line.kind === "one_time"
const setupLine = (line: DiscountableLine) => line.kind === "setup"

/** Indexes of the lines of `kind` the coupon covers that still have something left to discount. */
const eligibleLines = (
  lines: ReadonlyArray<DiscountableLine>,
  remaining: ReadonlyArray<bigint>,
  coupon: Coupon,
  kind: (line: DiscountableLine) => boolean
): Array<number> => {
  const eligible: Array<number> = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as DiscountableLine
    if (
      kind(line) &&
      (remaining[i] as bigint) > 0n &&
      allows(coupon.appliesTo?.productIds, line.productId) &&
      allows(coupon.appliesTo?.planIds, line.planId)
    ) {
      eligible.push(i)
    }
  }
  return eligible
}

/** What is left of each line to discount: its amount, or nothing for a credit line. */
const remainingOf = (lines: ReadonlyArray<DiscountableLine>): Array<bigint> => {
  const remaining: Array<bigint> = []
  for (const line of lines) remaining.push(line.amount > 0n ? line.amount : 0n)
  return remaining
}

/**
 * Each line's share of a discount, by allocation in proportion to what is left of it (`remaining`, as it
 * was when the discount was computed: its `base` is their sum).
 */
export const discountShares = (discount: DiscountLine, remaining: ReadonlyArray<bigint>): Array<bigint> =>
  discount.lineIndexes.length === 1
    ? [-discount.amount]
    : allocateUnchecked(
        -discount.amount,
        discount.lineIndexes.map((i) => remaining[i] as bigint),
        discount.base
      )

const record = (
  discounts: Array<DiscountLine>,
  remaining: Array<bigint> | undefined,
  coupon: Coupon,
  reason: DiscountLine["reason"],
  amount: bigint,
  base: bigint,
  on: Array<number>
): void => {
  if (amount <= 0n) return
  const discount: DiscountLine = {
    couponId: coupon.id,
    code: coupon.code,
    reason,
    amount: -amount,
    base,
    lineIndexes: on
  }
  discounts.push(discount)
  if (remaining === undefined) return
  const parts = discountShares(discount, remaining)
  on.forEach((i, k) => {
    remaining[i] = (remaining[i] as bigint) - (parts[k] as bigint)
  })
}

/**
 * Applies coupons (already checked with `checkRedemption` and `appliesOnCycle`) to an invoice's lines,
 * giving ONE discount line per coupon (and one more for a `freeSetup` waiver).
 *
 * - One coupon applies alone, stackable or not. Several apply only if every one is stackable (else a
 *   {@link CouponNotStackable} for the first that is not), in {@link stackingOrder}, each on what the
 *   coupons before it left of each line.
 * - A coupon covers the `recurring` and `one_time` lines of its `appliesTo` products and plans (both,
 *   when both are given); `usage` lines are never discounted.
 * - Percent: `base x rate`, rounded once with the named mode, where `base` is what is left of the lines
 *   it covers.
 * - Fixed: the coupon's amount in `currency` (none is a {@link CouponCurrencyUnsupported}), capped at the
 *   base, so no line goes below zero.
 * - `freeSetup`: what is left of the covered setup lines is waived, as a line of its own.
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
  const remaining = remainingOf(lines)
  const discounts: Array<DiscountLine> = []
  // Only a later coupon needs to know what an earlier one left of each line.
  const track = coupons.length > 1 ? remaining : undefined
  for (const coupon of coupons.length > 1 ? [...coupons].sort(stackingOrder) : coupons) {
    const covered = eligibleLines(lines, remaining, coupon, productLine)
    let base = 0n
    for (const i of covered) base += remaining[i] as bigint
    if (coupon.kind === "percent") {
      if (covered.length > 0) {
        record(discounts, track, coupon, "percent", applyRatio(base, coupon.rate, mode), base, covered)
      }
    } else {
      const amount = fixedAmountIn(coupon, currency)
      if (amount === undefined)
        return Either.left(new CouponCurrencyUnsupported({ code: coupon.code, currency }))
      record(discounts, track, coupon, "fixed", amount < base ? amount : base, base, covered)
    }
    if (coupon.freeSetup === true) {
      const setups = eligibleLines(lines, remaining, coupon, setupLine)
      let setupBase = 0n
      for (const i of setups) setupBase += remaining[i] as bigint
      record(discounts, track, coupon, "free_setup", setupBase, setupBase, setups)
    }
  }
  return Either.right({ discounts })
}

/**
 * How much of each discount each line bears, replaying the discounts in order: each is split over its
 * lines by allocation (largest remainder) in proportion to what the discounts before it left of them.
 * For credit notes and revenue by product; the parts always add up to the discounts exactly.
 */
export const attributeDiscounts = (
  lines: ReadonlyArray<DiscountableLine>,
  discounts: ReadonlyArray<DiscountLine>
): Array<DiscountedLine> => {
  const remaining = remainingOf(lines)
  for (const discount of discounts) {
    const parts = discountShares(discount, remaining)
    discount.lineIndexes.forEach((i, k) => {
      remaining[i] = (remaining[i] as bigint) - (parts[k] as bigint)
    })
  }
  return lines.map((line, i) => {
    const discount = (line.amount > 0n ? line.amount : 0n) - (remaining[i] as bigint)
    return { id: line.id, original: line.amount, discount, amount: line.amount - discount }
  })
}
