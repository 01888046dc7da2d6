/**
 * `DisputeUpdated` from the gateway (Stripe `charge.dispute.*`, PayPal `CUSTOMER.DISPUTE.*`): a
 * customer's bank disputes a payment (a chargeback). The charge is found first (asked of the gateway:
 * see `paymentOfCharge`); then each of the dispute's transitions is done once, whatever order and
 * however often the events come. What was done is what the store holds under the dispute's keys (the
 * staff `notify` jobs `notify:dispute:<gateway>:<dispute>:opened|won|lost`, and the service's
 * `provision:dispute:<gateway>:<dispute>:suspend` / `unsuspend:dispute:<gateway>:<dispute>` jobs), read
 * again in the transaction that acts:
 *
 * - `open` (nothing done yet): staff told (`dispute.opened`); with the tenant's `disputes.suspendService`,
 *   the invoice's subscription (active or past due) is suspended with reason `dispute` and a `provision`
 *   job `{ subscriptionId, action: "suspend" }` written. A service already suspended (for another
 *   reason) is left as it is. The invoice keeps its status (`paid`): the money is held by the bank, not
 *   returned, and billing has no hold state of its own; the gateway refuses refunds of a disputed charge.
 * - `won` (not closed yet): staff told (`dispute.won`); the suspension this dispute made, if still in
 *   place, is lifted (an `unsuspend` job `{ subscriptionId, invoiceId }`, as a payment lifting a
 *   non-payment suspension writes).
 * - `lost` (not closed yet): the payment is reversed for good. It is booked as `refundInvoice` books a
 *   refund to the card (`writeRefund`: a credit note for the disputed amount, a refund row keyed
 *   `dispute:<gateway>:<dispute>`, the invoice `partially_refunded` / `refunded`; no ledger entry, as no
 *   account credit moves): the invoice is written off rather than reopened, because reopening it would
 *   have dunning charge the card that was just charged back (which card networks penalise and the
 *   customer disputes again). Staff are told (`dispute.lost`) and decide whether to bill the customer
 *   again. The service follows the policy: `suspendService` keeps it suspended (or suspends it now);
 *   otherwise a suspension this dispute made is lifted.
 * - a `won` / `lost` with no `open` before (its event late or lost) does the closing transition alone;
 *   an `open` after the dispute closed, or any repeat, changes nothing (`stale`).
 *
 * The port cannot retrieve a dispute; its status is the event's. A dispute closes once (`won` or `lost`),
 * and that first close is kept (also remembered under `dispute:<gateway>:<dispute>:closed`, so two
 * contradicting closes processed at the same time cannot both act).
 */
import { Clock, Effect, Either } from "effect"
import type { Instant } from "../calendar/zone"
import type { Invoice } from "../invoicing/invoice/document"
import { recordRefund } from "../invoicing/invoice/lifecycle"
import { Ids } from "../ports/ids"
import { type GatewayEvent, PaymentGateway } from "../ports/payment-gateway"
import type { Payment } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { transition } from "../subscription/machine"
import { tenantSettings } from "./account"
import {
  type GatewayEventError,
  type GatewayEventOutcome,
  gatewayTemplates,
  notifyStaff,
  paymentOfCharge
} from "./gateway-event-support"
import { writeRefund } from "./refund"

type DisputeEvent = Extract<GatewayEvent, { readonly _tag: "DisputeUpdated" }>

/** The keys under which a dispute's transitions are written (and found again). */
export const disputeKeys = (gateway: string, disputeId: string) => {
  const base = `dispute:${gateway}:${disputeId}`
  return {
    opened: `notify:${base}:opened`,
    won: `notify:${base}:won`,
    lost: `notify:${base}:lost`,
    suspend: `provision:${base}:suspend`,
    unsuspend: `unsuspend:${base}`,
    /** The refund row (and credit note) of a lost dispute. */
    loss: base
  } as const
}

type Keys = ReturnType<typeof disputeKeys>
type Service = "suspended" | "lifted" | "unchanged"

/** Suspends the invoice's subscription for the dispute when it is active or past due. */
const suspendService = (
  store: StoreService,
  invoice: Invoice,
  keys: Keys,
  now: Instant
): Effect.Effect<Service, GatewayEventError> =>
  Effect.gen(function* () {
    if (invoice.subscriptionId === undefined) return "unchanged"
    const { tenantId } = invoice
    const row = yield* store.subscriptions.get(tenantId, invoice.subscriptionId)
    const status = row.value.lifecycle.status
    if (status !== "active" && status !== "past_due") return "unchanged"
    const moved = transition(row.value.lifecycle, { _tag: "Suspend", reason: "dispute" }, now)
    if (Either.isLeft(moved)) return "unchanged"
    yield* store.subscriptions.update(tenantId, { ...row.value, lifecycle: moved.right.state }, row.version)
    yield* store.jobs.enqueue(tenantId, {
      kind: "provision",
      payload: { subscriptionId: row.value.id, action: "suspend" },
      runAt: now,
      dedupeKey: keys.suspend
    })
    return "suspended"
  })

/** Lifts the suspension this dispute made (its `provision` job exists), if it is still the one in place. */
const liftSuspension = (
  store: StoreService,
  invoice: Invoice,
  keys: Keys,
  suspendedByUs: boolean,
  now: Instant
): Effect.Effect<Service, GatewayEventError> =>
  Effect.gen(function* () {
    if (invoice.subscriptionId === undefined || !suspendedByUs) return "unchanged"
    const { tenantId } = invoice
    const row = yield* store.subscriptions.get(tenantId, invoice.subscriptionId)
    const lifecycle = row.value.lifecycle
    if (lifecycle.status !== "suspended" || lifecycle.suspension?.reason !== "dispute") return "unchanged"
    const moved = transition(lifecycle, { _tag: "Unsuspend", by: "staff" }, now)
    if (Either.isLeft(moved)) return "unchanged"
    yield* store.subscriptions.update(tenantId, { ...row.value, lifecycle: moved.right.state }, row.version)
    yield* store.jobs.enqueue(tenantId, {
      kind: "unsuspend",
      payload: { subscriptionId: row.value.id, invoiceId: invoice.id },
      runAt: now,
      dedupeKey: keys.unsuspend
    })
    return "lifted"
  })

/** The `gateway_event` work for a `DisputeUpdated`; `markProcessed` runs in the effect's transaction. */
export const handleDisputeUpdated = (
  tenantId: string,
  event: DisputeEvent,
  markProcessed: Effect.Effect<unknown, GatewayEventError>
): Effect.Effect<GatewayEventOutcome, GatewayEventError, Store | Ids | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const gateway = yield* PaymentGateway
    const lookup = yield* paymentOfCharge(tenantId, event.chargeId, event.invoiceId)
    if (lookup._tag === "Unseen") return { _tag: "ChargeUnseen", chargeId: event.chargeId } as const
    if (lookup._tag === "NotOurs") {
      yield* markProcessed
      return { _tag: "Ignored" } as const
    }
    const { invoice, payment } = lookup
    const keys = disputeKeys(gateway.name, event.disputeId)
    const settings = yield* tenantSettings(store, tenantId)
    const creditNoteId = yield* ids.next("cn")
    const refundId = yield* ids.next("ref")
    const details = {
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      gateway: gateway.name,
      disputeId: event.disputeId,
      chargeId: event.chargeId,
      amount: String(event.amount.amount),
      currency: event.amount.currency,
      ...(event.reason === undefined ? {} : { reason: event.reason })
    }
    return yield* store.withTransaction(
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const found = new Set(
          (yield* store.jobs.findByDedupeKeys(tenantId, [
            keys.opened,
            keys.won,
            keys.lost,
            keys.suspend
          ])).map((job) => job.dedupeKey)
        )
        const closed = found.has(keys.won) || found.has(keys.lost)
        const outcome = (action: "opened" | "won" | "lost" | "stale", service: Service) =>
          Effect.as(markProcessed, {
            _tag: "Dispute",
            invoiceId: invoice.id,
            disputeId: event.disputeId,
            action,
            service
          } as const)
        if (closed || (event.status === "open" && found.has(keys.opened))) {
          return yield* outcome("stale", "unchanged")
        }
        if (event.status !== "open") {
          // A dispute closes once: of a `won` and a `lost` processed at the same time, the first to
          // remember its close wins and the other is stale.
          const first = yield* store.idempotency.remember(tenantId, `${keys.loss}:closed`, {
            status: event.status
          })
          if ((first as { readonly status?: unknown }).status !== event.status) {
            return yield* outcome("stale", "unchanged")
          }
        }
        switch (event.status) {
          case "open": {
            const service = settings.disputes.suspendService
              ? yield* suspendService(store, invoice, keys, now)
              : "unchanged"
            yield* notifyStaff(
              store,
              tenantId,
              keys.opened,
              gatewayTemplates.disputeOpened,
              { ...details, serviceSuspended: service === "suspended" },
              now
            )
            return yield* outcome("opened", service)
          }
          case "won": {
            const service = yield* liftSuspension(store, invoice, keys, found.has(keys.suspend), now)
            yield* notifyStaff(
              store,
              tenantId,
              keys.won,
              gatewayTemplates.disputeWon,
              { ...details, serviceLifted: service === "lifted" },
              now
            )
            return yield* outcome("won", service)
          }
          case "lost": {
            const loss = yield* bookLoss(store, event, invoice, payment, keys, {
              creditNoteId,
              refundId,
              settings,
              gateway: gateway.name,
              now
            })
            const service = settings.disputes.suspendService
              ? yield* suspendService(store, invoice, keys, now)
              : yield* liftSuspension(store, invoice, keys, found.has(keys.suspend), now)
            yield* notifyStaff(
              store,
              tenantId,
              keys.lost,
              gatewayTemplates.disputeLost,
              {
                ...details,
                ...loss,
                serviceSuspended:
                  service === "suspended" || (settings.disputes.suspendService && found.has(keys.suspend))
              },
              now
            )
            return yield* outcome("lost", service)
          }
        }
      })
    )
  })

/**
 * Books a lost dispute as a refund of the payment (credit note, refund row, settlement), or says why it
 * could not (another currency; nothing left to reverse, the payment was refunded meanwhile).
 */
const bookLoss = (
  store: StoreService,
  event: DisputeEvent,
  invoice: Invoice,
  payment: Payment,
  keys: Keys,
  context: {
    readonly creditNoteId: string
    readonly refundId: string
    readonly settings: Effect.Effect.Success<ReturnType<typeof tenantSettings>>
    readonly gateway: string
    readonly now: Instant
  }
): Effect.Effect<{ readonly [key: string]: string | boolean }, GatewayEventError> =>
  Effect.gen(function* () {
    const { tenantId } = invoice
    const refunds = yield* store.refunds.listByInvoice(tenantId, invoice.id)
    if (refunds.some((row) => row.idempotencyKey === keys.loss)) return { lossBooked: true }
    if (event.amount.currency !== invoice.currency) {
      return { lossBooked: false, problem: `the dispute is in ${event.amount.currency}` }
    }
    const left =
      payment.amount -
      refunds.filter((row) => row.paymentId === payment.id).reduce((sum, row) => sum + row.amount, 0n)
    const current = yield* store.invoices.get(tenantId, invoice.id)
    // What the bank took back, within what the payment still holds (refunds made meanwhile are not lost twice).
    let amount = event.amount.amount
    if (amount > left) amount = left
    if (amount <= 0n || Either.isLeft(recordRefund(current, amount))) {
      return { lossBooked: false, problem: "nothing of the payment is left to reverse" }
    }
    const written = yield* writeRefund(store, {
      tenantId,
      invoiceId: invoice.id,
      amount,
      destination: "original_method",
      reason: `Chargeback: dispute ${event.disputeId} lost`,
      payment,
      // The bank has taken the money back: nothing is pending.
      status: "succeeded",
      gatewayRefundId: undefined,
      idempotencyKey: keys.loss,
      actor: { kind: "system", id: `gateway:${context.gateway}` },
      creditNoteId: context.creditNoteId,
      refundId: context.refundId,
      settings: context.settings,
      now: context.now
    }).pipe(
      // Checked just above, on the invoice read in this transaction.
      Effect.catchTags({
        IllegalInvoiceTransition: Effect.die,
        NonPositiveAmount: Effect.die,
        RefundExceedsPaid: Effect.die
      })
    )
    return {
      lossBooked: true,
      lossAmount: String(amount),
      creditNote: written.creditNoteNumber,
      invoiceStatus: written.invoice.status
    }
  })
