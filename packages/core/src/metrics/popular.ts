/** Popular plans: which plans the live subscriptions are on, and what they bring. */
import type { ProductKind } from "../catalog/schema"
import type { SubscriptionRevenue } from "./apply"
import { sortedRecord } from "./ledger"
import type { CurrencyUnits } from "./units"

/** One plan of the live subscriptions: how many are on it and their MRR. */
export interface PlanPopularity {
  readonly productId: string
  readonly planId: string
  readonly productKind: ProductKind
  /** Live subscriptions on the plan. */
  readonly subscriptions: number
  /** Their MRR per currency (exact units). */
  readonly mrr: CurrencyUnits
}

/**
 * The plans of the live subscriptions, most subscriptions first (ties by product id, then plan id),
 * at most `limit` of them.
 */
export const popularPlans = (
  subscriptions: Iterable<SubscriptionRevenue>,
  limit = Number.POSITIVE_INFINITY
): Array<PlanPopularity> => {
  const plans = new Map<
    string,
    { plan: Omit<PlanPopularity, "subscriptions" | "mrr">; count: number; mrr: CurrencyUnits }
  >()
  for (const row of subscriptions) {
    if (row.status !== "live") continue
    const { productId, planId, productKind } = row.snapshot
    const key = `${productId}\u0000${planId}`
    const entry = plans.get(key) ?? { plan: { productId, planId, productKind }, count: 0, mrr: {} }
    entry.count++
    if (row.mrr !== 0n) entry.mrr[row.currency] = (entry.mrr[row.currency] ?? 0n) + row.mrr
    plans.set(key, entry)
  }
  return [...plans.values()]
    .map(({ plan, count, mrr }) => ({ ...plan, subscriptions: count, mrr: sortedRecord(mrr) }))
    .sort(
      (a, b) =>
        b.subscriptions - a.subscriptions ||
        (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0) ||
        (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0)
    )
    .slice(0, limit)
}
