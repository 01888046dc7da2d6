/**
 * Changing a subscription's plan, options, add-ons or cycle (`quoteChange`, docs/proration.md).
 *
 * - `immediate` (one transaction): a positive net is a `plan_change` invoice (numbered, with its
 *   `collect` job); a negative net (a downgrade) is account credit, tax included (a `credit_added` ledger
 *   entry); the subscription takes the new items, plan, cycle and anchor (compare-and-set on the version
 *   read); a subscription counted in MRR gets its revenue `changed` event.
 * - `end_of_term`: nothing is billed now. The change is kept as a `plan_change` job due at the start of
 *   the next period (the subscription row has no place for it, and the job is durable and written in the
 *   audit's transaction). When the job runs (`applyScheduledChange`, scheduled-change.ts), at that
 *   period's start, the change is applied as an immediate one over the whole period: if the period's
 *   renewal invoice (made by the billing run some days before, with the old items) was paid, its items
 *   are credited in full and the new ones charged in full, so the customer pays the difference; if
 *   nothing was paid on it, it is voided and the new items are charged in full; if the period was not
 *   invoiced yet, the subscription simply takes the new items and the renewal bills them. A subscription
 *   cancelled or ended by then is left alone.
 *
 * The credit of the current items is capped at what was paid for the period (nothing for an unpaid
 * period, the proration rule); a period whose invoice was paid in part earns no credit.
 */
import { Clock, Effect, Either } from "effect"
import type { InvalidTimeZone } from "../calendar/errors"
import type { BillingPeriod } from "../calendar/period"
import { type Instant, startOfDayInZone } from "../calendar/zone"
import { findProduct } from "../catalog/catalog"
import { type BillingCycle, isRecurring } from "../catalog/cycle"
import type { CatalogError } from "../catalog/errors"
import { type OptionValue, type PricedItem, priceSelection } from "../catalog/selection"
import { issueInvoice } from "../invoicing/invoice/lifecycle"
import type { TaxError } from "../invoicing/tax/errors"
import type { RevenueEventError } from "../metrics/errors"
import type { RevenueSnapshotError } from "../metrics/snapshot"
import { Ids } from "../ports/ids"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import { Store, type StoreService } from "../ports/store/store"
import type { ProrationError } from "../proration/errors"
import { quoteChange } from "../proration/quote"
import { type ChangePolicy, prorationStrategyFor } from "../proration/strategy"
import type { Subscription } from "../subscription/subscription"
import {
  type Actor,
  applyRevenue,
  audit,
  currentPeriodInvoice,
  drawInvoiceNumber,
  enqueueCollect,
  isSettled,
  retryOnConflict,
  revenueState,
  snapshotOf,
  taxDecisionFor,
  tenantSettings
} from "./account"
import { InvalidOrder, NothingToChange, SubscriptionNotChangeable } from "./account-errors"
import type { InvalidBillingSettings } from "./errors"
import type { BillingSettings } from "./settings"

/** What the subscription changes to: its product stays; plan, options, add-ons and cycle may change. */
export interface PlanChange {
  readonly planId: string
  readonly options?: ReadonlyArray<OptionValue>
  readonly addons?: ReadonlyArray<{ readonly addonId: string; readonly cycle?: BillingCycle }>
  /** The cycle it renews on after the change; its current one when left out. */
  readonly cycle?: BillingCycle
}

export interface ChangePlanRequest {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly change: PlanChange
  /** `immediate` by default. */
  readonly policy?: ChangePolicy
  readonly actor: Actor
}

export interface ChangePlanResult {
  readonly policy: ChangePolicy
  /** The first day the new items are in effect. */
  readonly effectiveAt: Instant
  /** The `plan_change` invoice, when the change costs something now. */
  readonly invoiceId: string | undefined
  /** What the customer pays now (the invoice's total), tax included. */
  readonly amountDue: bigint
  /** What was added to the account credit (a downgrade), tax included. */
  readonly credited: bigint
}

export type ChangePlanError =
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | SubscriptionNotChangeable
  | NothingToChange
  | InvalidOrder
  | CatalogError
  | TaxError
  | ProrationError
  | RevenueSnapshotError
  | RevenueEventError
  | InvalidTimeZone

/** The statuses whose plan can change. */
export const changeable = new Set(["active", "past_due", "suspended"])

const sameItems = (a: ReadonlyArray<PricedItem>, b: ReadonlyArray<PricedItem>): boolean =>
  a.length === b.length &&
  a.every((item, i) => {
    const other = b[i] as PricedItem
    return (
      item.kind === other.kind &&
      item.itemId === other.itemId &&
      item.choiceId === other.choiceId &&
      item.cycle === other.cycle &&
      item.quantity === other.quantity &&
      item.unitAmount === other.unitAmount &&
      item.amount === other.amount
    )
  })

/** The new items of a change, priced from the catalog on the cycle they renew on. */
export const priceChange = (store: StoreService, subscription: Subscription, change: PlanChange) =>
  Effect.gen(function* () {
    const catalog = yield* store.catalogs.get(subscription.tenantId)
    const product = yield* findProduct(catalog, subscription.productId)
    const priced = yield* priceSelection(product, {
      productId: product.id,
      planId: change.planId,
      currency: subscription.currency,
      cycle: change.cycle ?? subscription.cycle,
      ...(change.options === undefined ? {} : { options: change.options }),
      ...(change.addons === undefined ? {} : { addons: change.addons })
    })
    const [separate] = priced.separate
    if (separate !== undefined) {
      return yield* new InvalidOrder({ reason: `add-on ${separate.itemId} is billed on its own cycle` })
    }
    if (!isRecurring(priced.cycle)) {
      return yield* new InvalidOrder({ reason: `a subscription cannot move to the ${priced.cycle} cycle` })
    }
    if (priced.cycle === subscription.cycle && sameItems(priced.items, subscription.items)) {
      return yield* new NothingToChange({ subscriptionId: subscription.id })
    }
    return priced.items
  })

const notChangeable = (subscription: Subscription, reason: string) =>
  new SubscriptionNotChangeable({
    subscriptionId: subscription.id,
    status: subscription.lifecycle.status,
    reason
  })

/**
 * The change applied now, over `period` (the current one, or for a scheduled change the period it
 * takes effect in), in the caller's transaction.
 */
export const applyNow = (input: {
  readonly store: StoreService
  readonly settings: BillingSettings
  readonly subscription: Subscription
  readonly version: number
  readonly period: BillingPeriod
  readonly paid: bigint | undefined
  readonly planId: string
  readonly items: ReadonlyArray<PricedItem>
  readonly actor: Actor
  readonly action: string
  readonly now: Instant
}) =>
  Effect.gen(function* () {
    const { store, settings, subscription, now } = input
    const tenantId = subscription.tenantId
    const ids = yield* Ids
    const customer = yield* store.customers.get(tenantId, subscription.customerId)
    const tax = yield* taxDecisionFor(store, tenantId, settings, customer, subscription.productKind)
    const invoiceId = yield* ids.next("inv")
    const quote = yield* quoteChange({
      invoiceId,
      tenantId,
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      currency: subscription.currency,
      pricing: subscription.pricing,
      anchor: subscription.anchor,
      period: input.period,
      at: now,
      timeZone: subscription.timeZone,
      currentItems: subscription.items,
      ...(input.paid === undefined ? {} : { paid: input.paid }),
      newItems: input.items,
      strategy: prorationStrategyFor(settings.proration, subscription.productId),
      policy: "immediate",
      tax,
      rounding: settings.rounding
    })
    if (quote.policy !== "immediate") return yield* Effect.die("an immediate quote")
    let billed: string | undefined
    if (quote.amountDue > 0n) {
      const number = yield* drawInvoiceNumber(store, tenantId, settings, now)
      const issued = Either.getOrThrow(issueInvoice(quote.invoice, now, number)) // a fresh draft issues
      // A plan-change invoice holds no renewal key.
      yield* store.invoices.insert(tenantId, issued).pipe(Effect.catchTag("DuplicateInvoice", Effect.die))
      yield* enqueueCollect(store, tenantId, issued, now)
      billed = issued.id
    }
    if (quote.creditToAccount > 0n) {
      yield* store.ledger
        .append(tenantId, {
          customerId: subscription.customerId,
          currency: subscription.currency,
          amount: quote.creditToAccount,
          kind: "credit_added",
          note: `Plan change of ${subscription.id}: ${subscription.planId} -> ${input.planId}`,
          at: now
        })
        .pipe(Effect.catchTag("InsufficientCredit", Effect.die)) // adding credit never goes negative
    }
    const cycleChanged = quote.cycleChange !== undefined
    const changed: Subscription = {
      ...subscription,
      planId: input.planId,
      items: input.items,
      cycle: quote.cycle,
      anchor: quote.anchor,
      // A new cycle starts a new period on the change day; otherwise the period and renewal stay.
      ...(cycleChanged
        ? {
            currentPeriod: quote.period,
            nextRenewalAt: startOfDayInZone(quote.nextRenewal.date, subscription.timeZone)
          }
        : {})
    }
    yield* store.subscriptions.update(tenantId, changed, input.version)
    if ((yield* revenueState(store, tenantId, subscription)) === "live") {
      const snapshot = yield* snapshotOf(store, tenantId, settings, changed, tax)
      yield* applyRevenue(store, tenantId, settings, {
        _tag: "RevenueChanged",
        at: now,
        reason: "plan_change",
        snapshot
      })
    }
    yield* audit(store, tenantId, {
      actor: input.actor,
      action: input.action,
      targetType: "subscription",
      targetId: subscription.id,
      details: {
        fromPlan: subscription.planId,
        toPlan: input.planId,
        fromCycle: subscription.cycle,
        toCycle: quote.cycle,
        invoiceId: billed ?? null,
        amountDue: String(quote.amountDue),
        credited: String(quote.creditToAccount),
        currency: subscription.currency
      },
      at: now
    })
    return {
      policy: "immediate",
      effectiveAt: now,
      invoiceId: billed,
      amountDue: quote.amountDue,
      credited: quote.creditToAccount
    } satisfies ChangePlanResult
  })

/** Changes a subscription's plan now or at the end of its period: see the module comment. */
export const changePlan = (
  request: ChangePlanRequest
): Effect.Effect<ChangePlanResult, ChangePlanError, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, subscriptionId } = request
    const settings = yield* tenantSettings(store, tenantId)
    return yield* retryOnConflict(
      store.withTransaction(
        Effect.gen(function* () {
          const { value: subscription, version } = yield* store.subscriptions.get(tenantId, subscriptionId)
          const period = subscription.currentPeriod
          if (!changeable.has(subscription.lifecycle.status)) {
            return yield* notChangeable(subscription, "only a running subscription changes plan")
          }
          if (period === undefined) return yield* notChangeable(subscription, "it has no current period")
          const items = yield* priceChange(store, subscription, request.change)
          if ((request.policy ?? "immediate") === "immediate") {
            const invoice = yield* currentPeriodInvoice(store, tenantId, subscription)
            return yield* applyNow({
              store,
              settings,
              subscription,
              version,
              period,
              paid: invoice === undefined || isSettled(invoice) ? undefined : 0n,
              planId: request.change.planId,
              items,
              actor: request.actor,
              action: "subscription.plan_changed",
              now
            })
          }
          const effectiveAt = startOfDayInZone(period.end, subscription.timeZone)
          yield* store.jobs.enqueue(tenantId, {
            kind: "plan_change",
            payload: {
              subscriptionId,
              version,
              change: changePayload(request.change),
              actor: { ...request.actor }
            },
            runAt: effectiveAt,
            dedupeKey: `plan_change:${subscriptionId}:${version}`
          })
          yield* audit(store, tenantId, {
            actor: request.actor,
            action: "subscription.plan_change_scheduled",
            targetType: "subscription",
            targetId: subscriptionId,
            details: {
              fromPlan: subscription.planId,
              toPlan: request.change.planId,
              toCycle: request.change.cycle ?? subscription.cycle,
              effectiveAt
            },
            at: now
          })
          return {
            policy: "end_of_term",
            effectiveAt,
            invoiceId: undefined,
            amountDue: 0n,
            credited: 0n
          } satisfies ChangePlanResult
        })
      )
    )
  })

/** A change as JSON, for the `plan_change` job. */
const changePayload = (change: PlanChange) => ({
  planId: change.planId,
  ...(change.cycle === undefined ? {} : { cycle: change.cycle }),
  ...(change.options === undefined ? {} : { options: change.options.map((value) => ({ ...value })) }),
  ...(change.addons === undefined ? {} : { addons: change.addons.map((addon) => ({ ...addon })) })
})
