/**
 * The two sides of a change: the items as they were charged for the current period, and the items the
 * subscription will have. What a change is made of: the cycles on each side, and the items that differ.
 */
import { Either } from "effect"
import { isRecurring, type RecurringCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import {
  CycleNotProratable,
  EmptyChange,
  InvalidChargedAmount,
  InvalidPaidAmount,
  MixedCycles
} from "./errors"

/**
 * An item of the subscription as it was charged for the current period. `charged` is what the customer
 * was actually charged for it in that period, after discounts, in the invoice's price basis; it defaults
 * to the item's `amount` (no discount). Credits are a share of `charged`, never of the list price.
 */
export type CurrentItem = PricedItem & { readonly charged?: bigint }

/** What the customer was charged for a current item in the period: `charged`, else its `amount`. */
export const chargedFor = (item: CurrentItem): bigint => item.charged ?? item.amount

/** The cycle the current items were charged on and the cycle the new items will be billed on. */
export interface ChangeCycles {
  readonly from: RecurringCycle
  readonly to: RecurringCycle
}

const sideCycle = (
  side: "current" | "new",
  items: ReadonlyArray<PricedItem>
): Either.Either<RecurringCycle | undefined, MixedCycles | CycleNotProratable> => {
  let cycle: RecurringCycle | undefined
  for (const item of items) {
    if (!isRecurring(item.cycle)) {
      return Either.left(new CycleNotProratable({ itemId: item.itemId, cycle: item.cycle }))
    }
    if (cycle === undefined) cycle = item.cycle
    else if (item.cycle !== cycle) {
      return Either.left(new MixedCycles({ side, cycles: [...new Set(items.map((i) => i.cycle))] }))
    }
  }
  return Either.right(cycle)
}

/**
 * The cycles of a change. Each side has one recurring cycle; a side without items takes the other side's
 * (adding items to a period, or removing every item, changes no cycle). Errors: {@link MixedCycles},
 * {@link CycleNotProratable}, and {@link EmptyChange} when neither side has an item.
 */
export const changeCycles = (
  currentItems: ReadonlyArray<PricedItem>,
  newItems: ReadonlyArray<PricedItem>
): Either.Either<ChangeCycles, MixedCycles | CycleNotProratable | EmptyChange> => {
  // Plain checks rather than `Either.gen`: a quote runs for every change previewed, and a generator
  // costs more than the rest of this function.
  const from = sideCycle("current", currentItems)
  if (Either.isLeft(from)) return Either.left(from.left)
  const to = sideCycle("new", newItems)
  if (Either.isLeft(to)) return Either.left(to.left)
  const either = from.right ?? to.right
  if (either === undefined) return Either.left(new EmptyChange())
  return Either.right({ from: from.right ?? either, to: to.right ?? either })
}

/**
 * Checks the amounts a credit is based on: every `charged` and the `paid` total must not be negative.
 * Returns what was paid for the period, which defaults to everything charged for it.
 */
export const paidForPeriod = (
  currentItems: ReadonlyArray<CurrentItem>,
  paid: bigint | undefined
): Either.Either<bigint, InvalidChargedAmount | InvalidPaidAmount> => {
  let charged = 0n
  for (const item of currentItems) {
    const amount = chargedFor(item)
    if (amount < 0n) return Either.left(new InvalidChargedAmount({ itemId: item.itemId, charged: amount }))
    charged += amount
  }
  if (paid === undefined) return Either.right(charged)
  return paid < 0n ? Either.left(new InvalidPaidAmount({ paid })) : Either.right(paid)
}

/**
 * Whether two items bill the same thing at the same price: same kind, id, choice, cycle, quantity and
 * amounts. The description and what was charged (a discount) do not matter: an unchanged item keeps
 * what it was charged for the rest of the period.
 */
export const sameItem = (a: PricedItem, b: PricedItem): boolean =>
  a.kind === b.kind &&
  a.itemId === b.itemId &&
  a.choiceId === b.choiceId &&
  a.cycle === b.cycle &&
  a.quantity === b.quantity &&
  a.unitAmount === b.unitAmount &&
  a.amount === b.amount

/** The items a change credits and charges: both sides without the items that are the same on both. */
export interface ChangedItems {
  /** Current items that go away or change: the unused part of each is credited. */
  readonly removed: ReadonlyArray<CurrentItem>
  /** New items that were not there, or changed: each is charged. */
  readonly added: ReadonlyArray<PricedItem>
}

/**
 * Takes out every item that is the same on both sides ({@link sameItem}), each matched once, so an
 * unchanged plan, option or add-on produces no line. A changed quantity, choice or price is a removed
 * item and an added one.
 */
export const changedItems = (
  currentItems: ReadonlyArray<CurrentItem>,
  newItems: ReadonlyArray<PricedItem>
): ChangedItems => {
  const matched = new Set<number>()
  const added: Array<PricedItem> = []
  for (const item of newItems) {
    const index = currentItems.findIndex((current, i) => !matched.has(i) && sameItem(current, item))
    if (index < 0) added.push(item)
    else matched.add(index)
  }
  if (matched.size === 0) return { removed: currentItems, added }
  return { removed: currentItems.filter((_, i) => !matched.has(i)), added }
}
