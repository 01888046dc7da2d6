/**
 * What the dunning run's jobs do. Each job re-checks before it acts: it reads the invoice, its service
 * and the jobs already written again, asks `dunningSchedule` once more (its own key left out of `done`),
 * and carries out its action only if that action is still due — an invoice paid, voided or superseded
 * in between makes the job complete with nothing done. Every effect is written in one transaction with
 * the outbox jobs it calls for (`provision`, `notify`), so a job run twice (its worker died) does it
 * once:
 *
 * - retry: `collectInvoice` with the action's attempt (idempotency key `collect:<invoice>:<attempt>`:
 *   the gateway replays, never charges twice);
 * - reminder: a `notify` job `{ template, invoiceId, customerId }`, with `failureReason` (and
 *   `declineCode`) when the invoice's latest collection attempt failed — so do the other notices;
 * - late fee: a `late_fee` line on the invoice (once: the line is the proof);
 * - suspend: the subscription suspended for `non_payment` (compare-and-set), a `provision` job
 *   `{ subscriptionId, action: "suspend" }` and a `notify` job;
 * - terminate: the subscription terminated and no longer renewing, a `provision` terminate job, a
 *   `notify` job, and the `RevenueChurned` event when the subscription counts in the revenue metrics;
 * - cancel order: the pending subscription cancelled, its order invoice voided (credit applied to it
 *   returned to the customer), a `notify` job.
 *
 * A job fails (and is retried with backoff) when the store is unavailable or the subscription changed
 * under it (`VersionConflict`: it re-checks on the next try).
 */
import { Clock, Effect, Either, Schema } from "effect"
import type { Instant } from "../calendar/zone"
import type { DunningAction } from "../dunning/actions"
import { dunningSchedule } from "../dunning/schedule"
import type { Invoice } from "../invoicing/invoice/document"
import { voidInvoice } from "../invoicing/invoice/lifecycle"
import type { StoreError } from "../ports/store/errors"
import type { Job, Versioned } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { transition } from "../subscription/machine"
import type { Subscription } from "../subscription/subscription"
import { collectInvoice } from "./collection"
import { dunningFactKeys, dunningFacts, jobsByKey } from "./dunning-facts"
import { withLateFee } from "./dunning-late-fee"
import type { BillingSettings } from "./settings"
import { billingSettingsOf } from "./settings"

/** The notification templates dunning asks for (the `notify` job's `template`). */
export const dunningTemplates = {
  reminder: (reminder: string) => `dunning.reminder.${reminder}`,
  suspended: "dunning.suspended",
  terminated: "dunning.terminated",
  orderCancelled: "dunning.order-cancelled"
} as const

const InvoicePayload = Schema.Struct({ invoiceId: Schema.String })

/** The payload of a job the run wrote is not what it should be: a bug, so the job dies loudly. */
const payloadOf = (job: Job) => Effect.orDie(Schema.decodeUnknown(InvoicePayload)(job.payload))

/** What a job found when it looked again. */
interface Recheck {
  readonly store: StoreService
  readonly now: Instant
  readonly settings: BillingSettings
  readonly invoice: Invoice
  readonly subscription: Versioned<Subscription> | undefined
  /** The job's action, when it is still due; `undefined` when there is nothing left to do. */
  readonly action: DunningAction | undefined
}

/** Reads the facts again and asks the schedule whether the job's action (its dedupe key) is still due. */
const recheck = (job: Job) =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { invoiceId } = yield* payloadOf(job)
    const key = job.dedupeKey ?? ""
    const { tenantId } = job
    const settings = yield* billingSettingsOf(yield* store.tenants.get(tenantId))
    const orUndefined = <A>(read: Effect.Effect<A, StoreError>) =>
      read.pipe(
        Effect.map((value): A | undefined => value),
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => Effect.succeed(undefined)
        )
      )
    const invoice = yield* orUndefined(store.invoices.get(tenantId, invoiceId))
    if (invoice === undefined) return undefined
    const subscription =
      invoice.subscriptionId === undefined
        ? undefined
        : yield* orUndefined(store.subscriptions.get(tenantId, invoice.subscriptionId))
    const customer = yield* orUndefined(store.customers.get(tenantId, invoice.customerId))
    if (customer === undefined || (invoice.subscriptionId !== undefined && subscription === undefined)) {
      return undefined
    }
    const policy = settings.dunning
    const jobs = jobsByKey(yield* store.jobs.findByDedupeKeys(tenantId, dunningFactKeys(invoice.id, policy)))
    const facts = dunningFacts(invoice.id, policy, jobs, key)
    const plan = dunningSchedule({
      invoice,
      subscription: subscription?.value,
      attempts: facts.attempts,
      done: facts.done,
      policy,
      now,
      zone: customer.timeZone
    })
    const action = plan.due.find((due) => due.key === key)
    return { store, now, settings, invoice, subscription, action } satisfies Recheck
  })

/** Runs `act` when the job's action is still due (of the expected kind); completes with nothing otherwise. */
const whenStillDue =
  <Tag extends DunningAction["_tag"], E, R>(
    tag: Tag,
    act: (
      found: Recheck & { readonly action: Extract<DunningAction, { readonly _tag: Tag }> }
    ) => Effect.Effect<void, E, R>
  ) =>
  (job: Job) =>
    Effect.flatMap(recheck(job), (found) =>
      found?.action?._tag === tag
        ? act(found as Recheck & { readonly action: Extract<DunningAction, { readonly _tag: Tag }> })
        : Effect.void
    )

/**
 * Why the invoice's latest collection attempt failed (its payment row's `failureReason` / `declineCode`),
 * when its latest gateway attempt failed: the dunning notices carry it so they can say why.
 */
const lastFailure = (store: StoreService, tenantId: string, invoiceId: string) =>
  Effect.map(store.payments.listByInvoice(tenantId, invoiceId), (payments) => {
    const latest = [...payments]
      .filter((payment) => payment.status !== "pending")
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .pop()
    return latest?.status === "failed" && latest.failureReason !== undefined
      ? {
          failureReason: latest.failureReason,
          ...(latest.declineCode === undefined ? {} : { declineCode: latest.declineCode })
        }
      : {}
  })

const notify = (
  store: StoreService,
  tenantId: string,
  key: string,
  template: string,
  invoice: Invoice,
  now: Instant
) =>
  Effect.flatMap(lastFailure(store, tenantId, invoice.id), (failure) =>
    store.jobs.enqueue(tenantId, {
      kind: "notify",
      payload: { template, invoiceId: invoice.id, customerId: invoice.customerId, ...failure },
      runAt: now,
      dedupeKey: `notify:${key}`
    })
  )

const provision = (
  store: StoreService,
  tenantId: string,
  key: string,
  subscriptionId: string,
  action: "suspend" | "terminate",
  now: Instant
) =>
  store.jobs.enqueue(tenantId, {
    kind: "provision",
    payload: { subscriptionId, action },
    runAt: now,
    dedupeKey: `provision:${key}`
  })

/** The subscription after a lifecycle command, or `undefined` when the machine refuses it (nothing to do). */
const applyCommand = (
  subscription: Subscription,
  command: Parameters<typeof transition>[1],
  at: Instant
): Subscription | undefined => {
  const moved = transition(subscription.lifecycle, command, at)
  return Either.isRight(moved) ? { ...subscription, lifecycle: moved.right.state } : undefined
}

/** The subscription with no next renewal: an ended service is never billed again. */
const stopRenewing = (subscription: Subscription): Subscription => {
  const { nextRenewalAt: _, ...rest } = subscription
  return rest
}

/** `dunning_retry`: payment attempt n, through collection (same attempt, same key: never charged twice). */
export const retryPaymentHandler = whenStillDue("RetryPayment", ({ invoice, action }) =>
  Effect.asVoid(
    collectInvoice({ tenantId: invoice.tenantId, invoiceId: invoice.id, attempt: action.attempt })
  )
)

/** `dunning_reminder`: a `notify` job for the reminder's template. */
export const sendReminderHandler = whenStillDue("SendReminder", ({ store, invoice, action, now }) =>
  Effect.asVoid(
    notify(store, invoice.tenantId, action.key, dunningTemplates.reminder(action.reminder), invoice, now)
  )
)

/** `dunning_late_fee`: the fee as a line of the invoice, once. */
export const applyLateFeeHandler = whenStillDue("ApplyLateFee", ({ store, invoice, action }) =>
  store.withTransaction(
    Effect.gen(function* () {
      const current = yield* store.invoices.get(invoice.tenantId, invoice.id)
      const charged = withLateFee(current, action.fee)
      if (charged !== undefined) yield* store.invoices.update(invoice.tenantId, charged)
    })
  )
)

/** `dunning_suspend`: suspended for non-payment, with its `provision` and `notify` jobs. */
export const suspendServiceHandler = whenStillDue(
  "SuspendService",
  ({ store, invoice, subscription, action, now }) =>
    Effect.gen(function* () {
      if (subscription === undefined) return
      const suspended = applyCommand(subscription.value, { _tag: "Suspend", reason: action.reason }, now)
      if (suspended === undefined) return
      yield* store.withTransaction(
        Effect.gen(function* () {
          yield* store.subscriptions.update(invoice.tenantId, suspended, subscription.version)
          yield* provision(store, invoice.tenantId, action.key, suspended.id, "suspend", now)
          yield* notify(store, invoice.tenantId, action.key, dunningTemplates.suspended, invoice, now)
        })
      )
    })
)

/** `dunning_terminate`: terminated and no longer renewing, with `provision`, `notify` and the churn. */
export const terminateServiceHandler = whenStillDue(
  "TerminateService",
  ({ store, invoice, subscription, action, now, settings }) =>
    Effect.gen(function* () {
      if (subscription === undefined) return
      const terminated = applyCommand(subscription.value, { _tag: "Terminate" }, now)
      if (terminated === undefined) return
      const { tenantId } = invoice
      yield* store.withTransaction(
        Effect.gen(function* () {
          yield* store.subscriptions.update(tenantId, stopRenewing(terminated), subscription.version)
          yield* provision(store, tenantId, action.key, terminated.id, "terminate", now)
          yield* notify(store, tenantId, action.key, dunningTemplates.terminated, invoice, now)
          // The revenue metrics, when they are kept: a subscription counting in MRR leaves it now.
          const rows = yield* store.revenue.rows(tenantId, terminated.id, terminated.customerId)
          if (rows.subscription?.status === "live") {
            yield* store.revenue.apply(
              tenantId,
              {
                _tag: "RevenueChurned",
                at: now,
                subscriptionId: terminated.id,
                customerId: terminated.customerId,
                reason: "terminated"
              },
              settings.timeZone
            )
          }
        })
      )
    })
)

/** `dunning_cancel_order`: the unpaid order cancelled and its invoice voided, with a `notify` job. */
export const cancelPendingOrderHandler = whenStillDue(
  "CancelPendingOrder",
  ({ store, invoice, subscription, action, now }) =>
    Effect.gen(function* () {
      if (subscription === undefined) return
      const cancelled = applyCommand(
        subscription.value,
        { _tag: "Cancel", mode: "immediately", reason: "order not paid" },
        now
      )
      if (cancelled === undefined) return
      const { tenantId } = invoice
      yield* store.withTransaction(
        Effect.gen(function* () {
          yield* store.subscriptions.update(tenantId, stopRenewing(cancelled), subscription.version)
          const current = yield* store.invoices.get(tenantId, invoice.id)
          const voided = voidInvoice(current, now)
          if (Either.isRight(voided)) {
            yield* store.invoices.update(tenantId, voided.right.invoice)
            if (voided.right.creditReturned > 0n) {
              yield* store.ledger.append(tenantId, {
                customerId: current.customerId,
                currency: current.currency,
                amount: voided.right.creditReturned,
                kind: "credit_returned",
                invoiceId: current.id,
                at: now
              })
            }
          }
          yield* notify(store, tenantId, action.key, dunningTemplates.orderCancelled, invoice, now)
        })
      )
    })
)
