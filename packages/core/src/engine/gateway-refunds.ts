/**
 * `RefundUpdated` from the gateway (Stripe `charge.refunded` / `refund.*`, PayPal `PAYMENT.CAPTURE.REFUNDED`).
 * The charge is found first (asked of the gateway: see `paymentOfCharge`), then the refund is compared
 * with the books, keyed by the gateway's refund id:
 *
 * - a refund we booked (`refundInvoice`: a refund row with that gateway refund id): the row's `status`
 *   follows the gateway (`nextRefundStatus`: `pending` -> `succeeded` / `failed`, `succeeded` -> `failed`,
 *   which Stripe reports for a refund the bank sent back; never back to `pending`, never out of
 *   `failed`); `failed` also writes a staff `notify` (`gateway.refund_failed`, once per refund: the
 *   customer did not get the money the credit note says);
 * - a refund we never asked for (made at the gateway's dashboard), `succeeded` or `pending`: booked once
 *   through `refundInvoice`'s path (`writeRefund`: credit note, refund row with the event's status, keyed
 *   `refund:<invoice>:gateway:<gateway>:<refund id>`, settlement `partially_refunded` / `refunded`,
 *   audit), with a staff `notify` (`gateway.refund_booked`). One that cannot be booked (another
 *   currency, more than the payment has left) is not: staff are told (`gateway.refund_not_booked`);
 * - a refund we never booked that `failed`: nothing to book; remembered, so a late `pending` for it books
 *   nothing, and staff are told.
 *
 * "Once" holds against `refundInvoice` too: both book a gateway refund under the marker
 * `gateway_refund:<gateway>:<refund id>` (`idempotency.remember`, first wins) in their transaction. The
 * port cannot retrieve a refund, so its status is the event's; a refund's `failed` is final, which is
 * what makes acting on it safe in any order.
 *
 * A failed refund's row says `failed`, and staff are told; they correct the books (the credit note stays
 * until they do).
 */
import { Clock, Effect, Either, Option, Schema } from "effect"
import { creditNoteFor } from "../invoicing/invoice/credit-note"
import { recordRefund } from "../invoicing/invoice/lifecycle"
import { Ids } from "../ports/ids"
import { PaymentGateway, type RefundOutcome } from "../ports/payment-gateway"
import type { RefundStatus } from "../ports/store/records"
import { Store } from "../ports/store/store"
import { tenantSettings } from "./account"
import {
  type GatewayEventError,
  type GatewayEventOutcome,
  gatewayTemplates,
  notifyStaff,
  paymentOfCharge,
  type RefundAction
} from "./gateway-event-support"
import { GatewayRefundMarker, gatewayRefundKey, refundKey, writeRefund } from "./refund"

/**
 * The status a refund row moves to when the gateway reports `reported`, or `undefined` when it stays:
 * `failed` is final; `succeeded` moves only to `failed`; nothing goes back to `pending`.
 */
export const nextRefundStatus = (current: RefundStatus, reported: RefundStatus): RefundStatus | undefined => {
  if (current === reported || current === "failed" || reported === "pending") return undefined
  return reported
}

/** The `gateway_event` work for a `RefundUpdated`; `markProcessed` runs in the effect's transaction. */
export const handleRefundUpdated = (
  tenantId: string,
  refund: RefundOutcome,
  invoiceHint: string | undefined,
  markProcessed: Effect.Effect<unknown, GatewayEventError>
): Effect.Effect<GatewayEventOutcome, GatewayEventError, Store | Ids | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const gateway = yield* PaymentGateway
    const lookup = yield* paymentOfCharge(tenantId, refund.chargeId, invoiceHint)
    if (lookup._tag === "Unseen") return { _tag: "ChargeUnseen", chargeId: refund.chargeId } as const
    if (lookup._tag === "NotOurs") {
      yield* markProcessed
      return { _tag: "Ignored" } as const
    }
    const { invoice, payment } = lookup
    const invoiceId = invoice.id
    const gatewayRefundId = refund.refundId
    const marker = gatewayRefundKey(gateway.name, gatewayRefundId)
    const settings = yield* tenantSettings(store, tenantId)
    const creditNoteId = yield* ids.next("cn")
    const refundId = yield* ids.next("ref")
    const details = {
      invoiceId,
      customerId: invoice.customerId,
      gateway: gateway.name,
      gatewayRefundId,
      chargeId: refund.chargeId,
      amount: String(refund.amount.amount),
      currency: refund.amount.currency
    }
    const result = (action: RefundAction) => ({ _tag: "Refund", invoiceId, gatewayRefundId, action }) as const
    return yield* store.withTransaction(
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const refunds = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        const booked = refunds.find((row) => row.gatewayRefundId === gatewayRefundId)
        const failureAlert = (refundRowId: string | undefined) =>
          notifyStaff(
            store,
            tenantId,
            `notify:refund_failed:${gateway.name}:${gatewayRefundId}`,
            gatewayTemplates.refundFailed,
            { ...details, ...(refundRowId === undefined ? {} : { refundId: refundRowId }) },
            now
          )
        const done = (action: RefundAction) => Effect.as(markProcessed, result(action))

        if (booked !== undefined) {
          const next = nextRefundStatus(booked.status, refund.status)
          if (next !== undefined) yield* store.refunds.setStatus(tenantId, booked.id, next)
          if (refund.status !== "failed")
            return yield* done(next === undefined ? "unchanged" : "status_updated")
          // Told once per refund (the alert's dedupe key), however often the failure is reported.
          yield* failureAlert(booked.id)
          return yield* done("failure_alerted")
        }
        // Booked by `refundInvoice` (its row is then there too), or failed before it was booked: a late
        // `pending` or `succeeded` for a failed refund books nothing.
        if (Option.isSome(yield* store.idempotency.recall(tenantId, marker))) return yield* done("unchanged")
        if (refund.status === "failed") {
          yield* store.idempotency.remember(tenantId, marker, { failed: true })
          yield* failureAlert(undefined)
          return yield* done("failure_alerted")
        }

        // A refund made at the gateway: book it like `refundInvoice` would have, once.
        const amount = refund.amount.amount
        const left =
          payment.amount -
          refunds.filter((row) => row.paymentId === payment.id).reduce((sum, row) => sum + row.amount, 0n)
        const current = yield* store.invoices.get(tenantId, invoiceId)
        const problem =
          refund.amount.currency !== current.currency
            ? `the refund is in ${refund.amount.currency}, the invoice in ${current.currency}`
            : amount > left
              ? `the refund (${amount}) is more than the payment has left (${left})`
              : Either.match(
                  Either.flatMap(recordRefund(current, amount), () =>
                    creditNoteFor(current, amount, "refund", now)
                  ),
                  { onLeft: (error) => error.message, onRight: () => undefined }
                )
        if (problem !== undefined) {
          yield* notifyStaff(
            store,
            tenantId,
            `notify:refund_not_booked:${gateway.name}:${gatewayRefundId}`,
            gatewayTemplates.refundNotBooked,
            { ...details, problem },
            now
          )
          return yield* done("not_booked")
        }
        const owner = Schema.decodeUnknownSync(GatewayRefundMarker)(
          yield* store.idempotency.remember(tenantId, marker, { creditNoteId })
        )
        if ("failed" in owner || owner.creditNoteId !== creditNoteId) return yield* done("unchanged")
        const written = yield* writeRefund(store, {
          tenantId,
          invoiceId,
          amount,
          destination: "original_method",
          reason: `Refunded at ${gateway.name} (${gatewayRefundId})`,
          payment,
          status: refund.status,
          gatewayRefundId,
          idempotencyKey: refundKey(invoiceId, `gateway:${gateway.name}:${gatewayRefundId}`),
          actor: { kind: "system", id: `gateway:${gateway.name}` },
          creditNoteId,
          refundId,
          settings,
          now
        }).pipe(
          // Checked just above, on the invoice read in this transaction.
          Effect.catchTags({
            IllegalInvoiceTransition: Effect.die,
            NonPositiveAmount: Effect.die,
            RefundExceedsPaid: Effect.die
          })
        )
        yield* notifyStaff(
          store,
          tenantId,
          `notify:refund_booked:${gateway.name}:${gatewayRefundId}`,
          gatewayTemplates.refundBooked,
          { ...details, refundId, creditNote: written.creditNoteNumber, status: written.invoice.status },
          now
        )
        return yield* done("booked")
      })
    )
  })
