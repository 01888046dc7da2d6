/**
 * Cancelling a subscription, now or at the end of its period.
 *
 * - `immediately` (one transaction): the subscription is `cancelled` and stops renewing (no
 *   `nextRenewalAt`); a started one gets a `provision` job `{ subscriptionId, action: "terminate" }` and
 *   its revenue `churned` event; a pending order's open invoice, or the unpaid renewal invoice of a period
 *   not started yet, is voided (credit applied to it goes back to the account). When the tenant credits unused time (`cancellation.unusedTime: "account_credit"`),
 *   the unused part of the paid current period — measured with the tenant's proration settings, capped at
 *   what was paid, tax included — is refunded to account credit against the period's invoice, with its
 *   credit note.
 * - `period_end`: the cancellation is scheduled on the subscription for the end of the current period
 *   (the billing run's `renewalStep` already stops renewing it there), and a `complete_cancellation` job
 *   at that instant completes it: `cancelled`, the terminate job and the churn event. Withdrawn meanwhile,
 *   the job does nothing.
 */
import { Clock, Effect, Either } from "effect"
import { anniversaryPeriod, periodContaining } from "../calendar/anniversary"
import { addDays, compareDates } from "../calendar/civil-date"
import type { InvalidTimeZone } from "../calendar/errors"
import { civilDateAt, type Instant, startOfDayInZone } from "../calendar/zone"
import { isRecurring } from "../catalog/cycle"
import { creditNoteFor } from "../invoicing/invoice/credit-note"
import type { Invoice } from "../invoicing/invoice/document"
import { recordRefund, refundableOf } from "../invoicing/invoice/lifecycle"
import type { TaxError } from "../invoicing/tax/errors"
import type { RevenueEventError } from "../metrics/errors"
import { Ids } from "../ports/ids"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import type { Versioned } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { quoteChange } from "../proration/quote"
import { prorationStrategyFor } from "../proration/strategy"
import type { CancellationNotDue, LifecycleError } from "../subscription/errors"
import { transition } from "../subscription/machine"
import type { Subscription } from "../subscription/subscription"
import {
  type Actor,
  applyRevenue,
  audit,
  currentPeriodInvoice,
  drawCreditNoteNumber,
  isSettled,
  retryOnConflict,
  revenueState,
  taxDecisionFor,
  tenantSettings,
  voidUnpaid
} from "./account"
import { SubscriptionNotChangeable } from "./account-errors"
import type { InvalidBillingSettings } from "./errors"
import type { BillingSettings } from "./settings"

export interface CancelRequest {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly mode: "immediately" | "period_end"
  readonly reason: string
  readonly actor: Actor
}

export interface CancelResult {
  readonly status: Subscription["lifecycle"]["status"]
  /** When the subscription stops (now, or the end of its period). */
  readonly effectiveAt: Instant
  /** Unused time credited to the account (tax included); 0 when none. */
  readonly credited: bigint
}

export type CancelError =
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | LifecycleError
  | SubscriptionNotChangeable
  | TaxError
  | RevenueEventError
  | InvalidTimeZone

/** The subscription's end in the outbox and the metrics: terminate job and churn event, if it started. */
const endService = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  subscription: Subscription,
  at: Instant
) =>
  Effect.gen(function* () {
    if ((yield* revenueState(store, tenantId, subscription)) !== "live") return
    yield* store.jobs.enqueue(tenantId, {
      kind: "provision",
      payload: { subscriptionId: subscription.id, action: "terminate" },
      runAt: at,
      dedupeKey: `provision:terminate:${subscription.id}`
    })
    yield* applyRevenue(store, tenantId, settings, {
      _tag: "RevenueChurned",
      at,
      subscriptionId: subscription.id,
      customerId: subscription.customerId,
      reason: "cancelled"
    })
  })

/** The subscription without a next renewal: the billing run never picks it up again. */
const stopRenewing = (subscription: Subscription): Subscription => {
  const { nextRenewalAt: _, ...rest } = subscription
  return rest
}

/**
 * The unused part of the paid current period, refunded to account credit against the period's invoice
 * with a credit note (in the caller's transaction). 0 when the period was not paid or nothing is left.
 */
const creditUnusedTime = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  subscription: Subscription,
  reason: string,
  now: Instant
): Effect.Effect<bigint, StoreError | TaxError, Ids> =>
  Effect.gen(function* () {
    const invoice = yield* currentPeriodInvoice(store, tenantId, subscription)
    const period = subscription.currentPeriod
    if (invoice === undefined || !isSettled(invoice) || period === undefined) return 0n
    const customer = yield* store.customers.get(tenantId, subscription.customerId)
    const tax = yield* taxDecisionFor(store, tenantId, settings, customer, subscription.productKind)
    const quote = quoteChange({
      invoiceId: "unused-time",
      tenantId,
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      currency: subscription.currency,
      pricing: subscription.pricing,
      anchor: subscription.anchor,
      period,
      at: now,
      timeZone: subscription.timeZone,
      currentItems: subscription.items,
      newItems: [],
      strategy: prorationStrategyFor(settings.proration, subscription.productId),
      policy: "immediate",
      tax,
      rounding: settings.rounding
    })
    // A moment past the period (its renewal unpaid) leaves no unused time of a paid period.
    if (Either.isLeft(quote) || quote.right.policy !== "immediate") return 0n
    // Never more than the period's invoice can still give back (earlier refunds count).
    let amount = quote.right.creditToAccount
    const refundable = refundableOf(invoice)
    if (amount > refundable) amount = refundable
    if (amount <= 0n) return 0n
    yield* refundToCredit(store, tenantId, settings, invoice, amount, `Unused time: ${reason}`, now)
    return amount
  })

/** A refund of `amount` of a settled invoice to account credit, with its credit note. */
const refundToCredit = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  invoice: Invoice,
  amount: bigint,
  reason: string,
  now: Instant
): Effect.Effect<void, StoreError, Ids> =>
  Effect.gen(function* () {
    const ids = yield* Ids
    // `amount` is positive and at most what the settled invoice can give back: both always succeed.
    const note = Either.getOrThrow(creditNoteFor(invoice, amount, reason, now))
    const refunded = Either.getOrThrow(recordRefund(invoice, amount))
    const number = yield* drawCreditNoteNumber(store, tenantId, settings, now)
    yield* store.creditNotes.insert(tenantId, { id: yield* ids.next("cn"), number, note })
    yield* store.ledger
      .append(tenantId, {
        customerId: invoice.customerId,
        currency: invoice.currency,
        amount,
        kind: "refund_to_credit",
        invoiceId: invoice.id,
        note: `Credit note ${number}`,
        at: now
      })
      .pipe(Effect.catchTag("InsufficientCredit", Effect.die))
    yield* store.invoices.update(tenantId, refunded)
  })

/** A pending order cancelled: its open invoice is voided, credit applied to it returned. */
const voidOrderInvoice = (store: StoreService, tenantId: string, subscription: Subscription, now: Instant) =>
  Effect.gen(function* () {
    if (!isRecurring(subscription.cycle)) return
    const period = anniversaryPeriod(subscription.anchor, subscription.cycle, 0)
    const found = yield* store.invoices.findByPeriod(tenantId, subscription.id, period, "order")
    // Something paid on it: it stays for staff to refund.
    if (found._tag === "Some") yield* voidUnpaid(store, tenantId, found.value, now)
  })

/**
 * The renewal invoice of a period that has not started yet (the billing run invoices a few days ahead),
 * voided when nothing was paid on it: a cancelled subscription is not billed for time it will not have.
 * An unpaid period already under way stays for staff (and dunning) to settle.
 */
const voidUpcomingRenewal = (
  store: StoreService,
  tenantId: string,
  subscription: Subscription,
  now: Instant
) =>
  Effect.gen(function* () {
    const { nextRenewalAt, cycle, timeZone } = subscription
    if (nextRenewalAt === undefined || !isRecurring(cycle)) return
    const last = periodContaining(
      subscription.anchor,
      cycle,
      addDays(civilDateAt(nextRenewalAt, timeZone), -1)
    )
    if (compareDates(last.start, civilDateAt(now, timeZone)) <= 0) return
    const found = yield* store.invoices.findByPeriod(tenantId, subscription.id, last, "renewal")
    if (found._tag === "Some") yield* voidUnpaid(store, tenantId, found.value, now)
  })

/** Cancels a subscription now or at the end of its period: see the module comment. */
export const cancelSubscription = (
  request: CancelRequest
): Effect.Effect<CancelResult, CancelError, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, subscriptionId, reason } = request
    const settings = yield* tenantSettings(store, tenantId)
    return yield* retryOnConflict(
      store.withTransaction(
        Effect.gen(function* () {
          const { value: subscription, version } = yield* store.subscriptions.get(tenantId, subscriptionId)
          if (request.mode === "period_end") {
            const period = subscription.currentPeriod
            if (period === undefined) {
              return yield* new SubscriptionNotChangeable({
                subscriptionId,
                status: subscription.lifecycle.status,
                reason: "it has no period to end (cancel it immediately)"
              })
            }
            const effectiveAt = startOfDayInZone(period.end, subscription.timeZone)
            const moved = yield* transition(
              subscription.lifecycle,
              { _tag: "Cancel", mode: "period_end", reason, effectiveAt },
              now
            )
            yield* store.subscriptions.update(tenantId, { ...subscription, lifecycle: moved.state }, version)
            yield* store.jobs.enqueue(tenantId, {
              kind: "complete_cancellation",
              payload: { subscriptionId, effectiveAt },
              runAt: effectiveAt,
              dedupeKey: `complete_cancellation:${subscriptionId}:${effectiveAt}`
            })
            yield* audit(store, tenantId, {
              actor: request.actor,
              action: "subscription.cancellation_scheduled",
              targetType: "subscription",
              targetId: subscriptionId,
              details: { reason, effectiveAt },
              at: now
            })
            return { status: moved.state.status, effectiveAt, credited: 0n } satisfies CancelResult
          }
          const wasPending = subscription.lifecycle.status === "pending"
          const moved = yield* transition(
            subscription.lifecycle,
            { _tag: "Cancel", mode: "immediately", reason },
            now
          )
          const cancelled: Subscription = stopRenewing({ ...subscription, lifecycle: moved.state })
          yield* store.subscriptions.update(tenantId, cancelled, version)
          if (wasPending) yield* voidOrderInvoice(store, tenantId, subscription, now)
          else yield* voidUpcomingRenewal(store, tenantId, subscription, now)
          yield* endService(store, tenantId, settings, subscription, now)
          const credited =
            settings.cancellation.unusedTime === "account_credit" && !wasPending
              ? yield* creditUnusedTime(store, tenantId, settings, subscription, reason, now)
              : 0n
          yield* audit(store, tenantId, {
            actor: request.actor,
            action: "subscription.cancelled",
            targetType: "subscription",
            targetId: subscriptionId,
            details: { reason, credited: String(credited), currency: subscription.currency },
            at: now
          })
          return { status: moved.state.status, effectiveAt: now, credited } satisfies CancelResult
        })
      )
    )
  })

export type CompleteCancellationOutcome = "completed" | "not_scheduled"

/**
 * The `complete_cancellation` job: a cancellation scheduled for the end of the period takes effect (the
 * subscription `cancelled`, the terminate job, the churn event). Withdrawn or already done: nothing.
 * Run before it is due (a clock behind): `CancellationNotDue`, and the job is tried again later.
 */
export const completeCancellation = (request: {
  readonly tenantId: string
  readonly subscriptionId: string
}): Effect.Effect<
  CompleteCancellationOutcome,
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | RevenueEventError
  | InvalidTimeZone
  | CancellationNotDue,
  Store
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, subscriptionId } = request
    const settings = yield* tenantSettings(store, tenantId)
    return yield* retryOnConflict(
      store.withTransaction(
        Effect.gen(function* () {
          const row: Versioned<Subscription> = yield* store.subscriptions.get(tenantId, subscriptionId)
          const subscription = row.value
          const moved = transition(subscription.lifecycle, { _tag: "CompleteCancellation" }, now)
          if (Either.isLeft(moved)) {
            return moved.left._tag === "CancellationNotDue" ? yield* moved.left : ("not_scheduled" as const)
          }
          yield* store.subscriptions.update(
            tenantId,
            stopRenewing({ ...subscription, lifecycle: moved.right.state }),
            row.version
          )
          yield* endService(store, tenantId, settings, subscription, now)
          yield* audit(store, tenantId, {
            actor: { kind: "system", id: "cancellation" },
            action: "subscription.cancelled",
            targetType: "subscription",
            targetId: subscriptionId,
            details: { reason: subscription.lifecycle.cancellation?.reason ?? "", scheduled: true },
            at: now
          })
          return "completed" as const
        })
      )
    )
  })
