/**
 * The credit for the unused part of a period: the reverse of what was actually charged for it, never
 * more than was paid for the period.
 */
import { allocateUnchecked } from "../money/allocate"
import type { RoundingMode } from "../money/rounding"
import { type ProrationFraction, prorate } from "./fraction"
import { type CurrentItem, chargedFor } from "./items"

/** The credit for one current item: a positive amount, the unused part of what it was charged. */
export interface UnusedCredit {
  readonly item: CurrentItem
  readonly amount: bigint
}

/**
 * The credits for the unused part of the period, one per item (items whose credit is zero are left out):
 *
 * 1. each item's credit is `charged x left / length`, rounded once with the named mode, so it is never
 *    more than the item was charged;
 * 2. when these add up to more than `paid` (what was paid for the period), the total credit is capped at
 *    `paid` and the cap is split over the items by allocation (largest remainder) in proportion to their
 *    credits, so no item's credit grows and the credits add up to exactly `paid`.
 */
export const unusedCredits = (
  items: ReadonlyArray<CurrentItem>,
  fraction: ProrationFraction,
  paid: bigint,
  mode: RoundingMode
): Array<UnusedCredit> => {
  const amounts: Array<bigint> = []
  let total = 0n
  for (const item of items) {
    const amount = prorate(chargedFor(item), fraction, mode)
    amounts.push(amount)
    total += amount
  }
  // `total > paid >= 0`, so the weights (non-negative credits) have a positive sum.
  const capped = total > paid ? allocateUnchecked(paid, amounts, total) : amounts
  const credits: Array<UnusedCredit> = []
  for (let i = 0; i < items.length; i++) {
    const amount = capped[i] as bigint
    if (amount !== 0n) credits.push({ item: items[i] as CurrentItem, amount })
  }
  return credits
}
