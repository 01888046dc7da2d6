/**
 * A plan change scheduled for the end of a period (`changePlan` with `end_of_term`), applied by its
 * `plan_change` job when the next period starts: see `change-plan.ts`'s module comment.
 */
import { Clock, Effect } from "effect"
import { periodContaining } from "../calendar/anniversary"
import { civilDateAt } from "../calendar/zone"
import { isRecurring } from "../catalog/cycle"
import type { Ids } from "../ports/ids"
import { Store } from "../ports/store/store"
import { isEnded } from "../subscription/state"
import {
  type Actor,
  applyRevenue,
  audit,
  isSettled,
  retryOnConflict,
  revenueState,
  snapshotOf,
  taxDecisionFor,
  tenantSettings,
  voidUnpaid
} from "./account"
import { applyNow, type ChangePlanError, changeable, type PlanChange, priceChange } from "./change-plan"

export type ScheduledChangeOutcome = "applied" | "skipped"

/**
 * The `plan_change` job: a change scheduled for the end of a period, applied when that period starts
 * (see the module comment). `skipped` when the subscription no longer runs.
 */
export const applyScheduledChange = (request: {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly change: PlanChange
  readonly actor: Actor
}): Effect.Effect<ScheduledChangeOutcome, ChangePlanError, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, subscriptionId } = request
    const settings = yield* tenantSettings(store, tenantId)
    return yield* retryOnConflict(
      store.withTransaction(
        Effect.gen(function* () {
          const { value: subscription, version } = yield* store.subscriptions.get(tenantId, subscriptionId)
          const { status } = subscription.lifecycle
          if (isEnded(status) || !changeable.has(status) || !isRecurring(subscription.cycle)) return "skipped"
          const items = yield* priceChange(store, subscription, request.change).pipe(
            Effect.catchTag("NothingToChange", () => Effect.succeed(undefined))
          )
          if (items === undefined) return "skipped"
          const today = civilDateAt(now, subscription.timeZone)
          const period = periodContaining(subscription.anchor, subscription.cycle, today)
          const renewal = yield* store.invoices.findByPeriod(tenantId, subscriptionId, period, "renewal")
          if (renewal._tag === "None") {
            // Not invoiced yet: the renewal will bill the new items (a new cycle counts from today).
            const cycle = request.change.cycle ?? subscription.cycle
            const moved = cycle !== subscription.cycle
            yield* store.subscriptions.update(
              tenantId,
              {
                ...subscription,
                planId: request.change.planId,
                items,
                cycle,
                ...(moved ? { anchor: today } : {})
              },
              version
            )
            if ((yield* revenueState(store, tenantId, subscription)) === "live") {
              const customer = yield* store.customers.get(tenantId, subscription.customerId)
              const tax = yield* taxDecisionFor(store, tenantId, settings, customer, subscription.productKind)
              const changed = (yield* store.subscriptions.get(tenantId, subscriptionId)).value
              const snapshot = yield* snapshotOf(store, tenantId, settings, changed, tax)
              yield* applyRevenue(store, tenantId, settings, {
                _tag: "RevenueChanged",
                at: now,
                reason: "plan_change",
                snapshot
              })
            }
            yield* audit(store, tenantId, {
              actor: request.actor,
              action: "subscription.plan_changed",
              targetType: "subscription",
              targetId: subscriptionId,
              details: { fromPlan: subscription.planId, toPlan: request.change.planId, scheduled: true },
              at: now
            })
            return "applied"
          }
          let paid: bigint | undefined
          const invoice = renewal.value
          if (!isSettled(invoice)) {
            paid = 0n
            yield* voidUnpaid(store, tenantId, invoice, now)
          }
          yield* applyNow({
            store,
            settings,
            subscription,
            version,
            period,
            paid,
            planId: request.change.planId,
            items,
            actor: request.actor,
            action: "subscription.plan_changed",
            now
          })
          return "applied"
        })
      )
    )
  })
