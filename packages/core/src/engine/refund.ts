/**
 * Refunding a paid invoice, in full or in part, to the payment method (through the `PaymentGateway`) or
 * to the customer's account credit (a `refund_to_credit` ledger entry). Always with a credit note of the
 * same amount, numbered from the credit notes' own gapless sequence; the invoice's settlement records the
 * amount as refunded and credited (`partially_refunded`, then `refunded`).
 *
 * Exactly once: the request carries the staff action's key (`requestKey`); the gateway refund's
 * idempotency key is `refund:<invoiceId>:<requestKey>`, so a retry after a crash between the gateway's
 * answer and the write replays the provider's refund instead of refunding twice, and the refund row is
 * unique on it. The key is remembered in the refund's transaction: asking again returns the first
 * refund. Domain checks (the invoice is paid, the amount is refundable) come before any gateway call.
 */
import { Clock, Data, Effect, Option, Schema } from "effect"
import type { Instant } from "../calendar/zone"
import { creditNoteFor } from "../invoicing/invoice/credit-note"
import type { Invoice, InvoiceStatus } from "../invoicing/invoice/document"
import type {
  IllegalInvoiceTransition,
  NonPositiveAmount,
  RefundExceedsPaid
} from "../invoicing/invoice/errors"
import { recordRefund } from "../invoicing/invoice/lifecycle"
import { money } from "../money/money"
import { Ids } from "../ports/ids"
import { type GatewayError, PaymentGateway, type RefundOutcome } from "../ports/payment-gateway"
import type { StoreError } from "../ports/store/errors"
import type { Payment, RefundStatus } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { type Actor, audit, drawCreditNoteNumber, tenantSettings } from "./account"
import { RefundFailed, RefundNotPossible } from "./account-errors"
import type { InvalidBillingSettings } from "./errors"
import type { BillingSettings } from "./settings"

export interface RefundInvoiceRequest {
  readonly tenantId: string
  readonly invoiceId: string
  /** Positive minor units (gross), at most what is still refundable. */
  readonly amount: bigint
  readonly destination: "original_method" | "account_credit"
  /** Printed on the credit note. */
  readonly reason: string
  /** The staff action's idempotency key: the same key refunds once. */
  readonly requestKey: string
  readonly actor: Actor
}

export interface RefundInvoiceResult {
  readonly creditNoteId: string
  readonly creditNoteNumber: string
  /** The refund row, when the invoice had a payment to refund (not when credit alone paid it). */
  readonly refundId: string | undefined
  readonly status: InvoiceStatus
  /** Everything refunded on the invoice so far. */
  readonly refunded: bigint
}

export type RefundInvoiceError =
  | StoreError
  | InvalidBillingSettings
  | IllegalInvoiceTransition
  | NonPositiveAmount
  | RefundExceedsPaid
  | RefundNotPossible
  | RefundFailed
  | GatewayError

const Remembered = Schema.Struct({
  creditNoteId: Schema.String,
  creditNoteNumber: Schema.String,
  /** When the refund row is not the request's own (its gateway webhook booked it first). */
  refundId: Schema.optionalWith(Schema.String, { exact: true })
})

class RequestTaken extends Data.TaggedError("RequestTaken")<{ readonly remembered: unknown }> {}

class BookedFromWebhook extends Data.TaggedError("BookedFromWebhook")<{
  readonly gatewayRefundId: string
  readonly creditNoteId: string
}> {}

/**
 * The marker that books a gateway refund once, whoever records it (`refundInvoice` or the gateway's
 * `RefundUpdated` webhook): `{ creditNoteId }` once booked, `{ failed: true }` when the gateway said the
 * refund failed before it was booked.
 */
export const GatewayRefundMarker = Schema.Union(
  Schema.Struct({ creditNoteId: Schema.String }),
  Schema.Struct({ failed: Schema.Literal(true) })
)

/** The idempotency key of the marker of a gateway refund (`gateway_refund:<gateway>:<refund id>`). */
export const gatewayRefundKey = (gateway: string, gatewayRefundId: string): string =>
  `gateway_refund:${gateway}:${gatewayRefundId}`

/** The gateway idempotency key (and refund row key) of a refund request. */
export const refundKey = (invoiceId: string, requestKey: string): string =>
  `refund:${invoiceId}:${requestKey}`

/** What a succeeded payment can still give back: its amount less the refunds made against it. */
const refundableByPayment = (store: StoreService, tenantId: string, invoiceId: string) =>
  Effect.map(
    Effect.zip(
      store.payments.listByInvoice(tenantId, invoiceId),
      store.refunds.listByInvoice(tenantId, invoiceId)
    ),
    ([payments, refunds]) =>
      payments
        .filter((payment) => payment.status === "succeeded")
        .map((payment) => ({
          payment,
          left:
            payment.amount -
            refunds
              .filter((refund) => refund.paymentId === payment.id)
              .reduce((sum, refund) => sum + refund.amount, 0n)
        }))
  )

/** The answer to a request whose key was refunded before: the first refund, as it stands now. */
const answer = (store: StoreService, tenantId: string, invoiceId: string, key: string, remembered: unknown) =>
  Effect.gen(function* () {
    const { refundId, ...first } = Schema.decodeUnknownSync(Remembered)(remembered)
    const invoice = yield* store.invoices.get(tenantId, invoiceId)
    const refunds = yield* store.refunds.listByInvoice(tenantId, invoiceId)
    return {
      ...first,
      refundId: refundId ?? refunds.find((refund) => refund.idempotencyKey === key)?.id,
      status: invoice.status,
      refunded: invoice.settlement.refunded
    } satisfies RefundInvoiceResult
  })

/** The answer when the gateway's webhook booked the refund first: its credit note and refund row. */
const bookedAnswer = (
  store: StoreService,
  tenantId: string,
  invoiceId: string,
  key: string,
  booked: { readonly gatewayRefundId: string; readonly creditNoteId: string }
) =>
  Effect.gen(function* () {
    const { gatewayRefundId, creditNoteId } = booked
    const refund = (yield* store.refunds.listByInvoice(tenantId, invoiceId)).find(
      (row) => row.gatewayRefundId === gatewayRefundId
    )
    const note = (yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).find(
      (stored) => stored.id === creditNoteId
    )
    const invoice = yield* store.invoices.get(tenantId, invoiceId)
    if (refund === undefined || note === undefined || note.number === undefined) {
      return yield* Effect.die(`refund ${gatewayRefundId} of invoice ${invoiceId} is booked but not stored`)
    }
    const remembered = { creditNoteId: note.id, creditNoteNumber: note.number }
    yield* store.idempotency.remember(tenantId, key, { ...remembered, refundId: refund.id })
    return {
      ...remembered,
      refundId: refund.id,
      status: invoice.status,
      refunded: invoice.settlement.refunded
    } satisfies RefundInvoiceResult
  })

export interface RefundWrite {
  readonly tenantId: string
  readonly invoiceId: string
  readonly amount: bigint
  readonly destination: "original_method" | "account_credit"
  readonly reason: string
  /** The payment refunded (none when credit alone paid the invoice). */
  readonly payment: Payment | undefined
  /** The refund row's status: the gateway's answer, `succeeded` for one it does not carry (account credit). */
  readonly status: RefundStatus
  readonly gatewayRefundId: string | undefined
  /** The refund row's unique key. */
  readonly idempotencyKey: string
  readonly actor: Actor
  readonly creditNoteId: string
  readonly refundId: string
  readonly settings: BillingSettings
  readonly now: Instant
}

/**
 * Books a refund, inside the caller's transaction: the credit note (numbered), the refund row, the
 * `refund_to_credit` ledger entry for a refund to account credit, the invoice's settlement
 * (`partially_refunded` / `refunded`) and the audit entry. The one booking path of `refundInvoice` and of
 * refunds the gateway reports (made at its dashboard, or a lost dispute).
 */
export const writeRefund = (
  store: StoreService,
  write: RefundWrite
): Effect.Effect<
  { readonly creditNoteNumber: string; readonly invoice: Invoice },
  StoreError | IllegalInvoiceTransition | NonPositiveAmount | RefundExceedsPaid | InvalidBillingSettings
> =>
  Effect.gen(function* () {
    const { tenantId, invoiceId, amount, now } = write
    const current = yield* store.invoices.get(tenantId, invoiceId)
    const note = yield* creditNoteFor(current, amount, write.reason, now)
    const refunded: Invoice = yield* recordRefund(current, amount)
    const creditNoteNumber = yield* drawCreditNoteNumber(store, tenantId, write.settings, now)
    yield* store.creditNotes.insert(tenantId, { id: write.creditNoteId, number: creditNoteNumber, note })
    if (write.payment !== undefined) {
      yield* store.refunds.insert(tenantId, {
        id: write.refundId,
        paymentId: write.payment.id,
        invoiceId,
        customerId: current.customerId,
        currency: current.currency,
        amount,
        destination: write.destination,
        status: write.status,
        ...(write.gatewayRefundId === undefined ? {} : { gatewayRefundId: write.gatewayRefundId }),
        idempotencyKey: write.idempotencyKey,
        at: now
      })
    }
    if (write.destination === "account_credit") {
      yield* store.ledger
        .append(tenantId, {
          customerId: current.customerId,
          currency: current.currency,
          amount,
          kind: "refund_to_credit",
          invoiceId,
          note: `Credit note ${creditNoteNumber}`,
          at: now
        })
        // Adding credit never makes a balance negative.
        .pipe(Effect.catchTag("InsufficientCredit", Effect.die))
    }
    yield* store.invoices.update(tenantId, refunded)
    yield* audit(store, tenantId, {
      actor: write.actor,
      action: "invoice.refunded",
      targetType: "invoice",
      targetId: invoiceId,
      details: {
        amount: String(amount),
        currency: current.currency,
        destination: write.destination,
        creditNote: creditNoteNumber,
        reason: write.reason,
        ...(write.gatewayRefundId === undefined ? {} : { gatewayRefundId: write.gatewayRefundId })
      },
      at: now
    })
    return { creditNoteNumber, invoice: refunded }
  })

/** Refunds an invoice: see the module comment. */
export const refundInvoice = (
  request: RefundInvoiceRequest
): Effect.Effect<RefundInvoiceResult, RefundInvoiceError, Store | Ids | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const gateway = yield* PaymentGateway
    const now = yield* Clock.currentTimeMillis
    const { tenantId, invoiceId, amount } = request
    const key = refundKey(invoiceId, request.requestKey)
    const recalled = yield* store.idempotency.recall(tenantId, key)
    if (Option.isSome(recalled)) return yield* answer(store, tenantId, invoiceId, key, recalled.value)

    const settings = yield* tenantSettings(store, tenantId)
    const invoice = yield* store.invoices.get(tenantId, invoiceId)
    yield* recordRefund(invoice, amount) // the domain's checks, before anything leaves the house
    const candidates = yield* refundableByPayment(store, tenantId, invoiceId)
    // The latest payment that can give the whole amount back.
    const source = [...candidates].reverse().find((candidate) => candidate.left >= amount)

    let payment: Payment | undefined = source?.payment ?? candidates[candidates.length - 1]?.payment
    let outcome: RefundOutcome | undefined
    if (request.destination === "original_method") {
      const refusal = (reason: string) => new RefundNotPossible({ invoiceId, reason })
      if (
        source === undefined ||
        source.payment.chargeId === undefined ||
        source.payment.gateway !== gateway.name
      ) {
        return yield* refusal(`no ${gateway.name} payment of the invoice can refund ${amount}`)
      }
      if (!gateway.capabilities.refunds) return yield* refusal(`${gateway.name} does not refund`)
      if (amount < source.payment.amount && !gateway.capabilities.partialRefunds) {
        return yield* refusal(`${gateway.name} does not refund part of a payment`)
      }
      payment = source.payment
      outcome = yield* gateway.refund({
        chargeId: source.payment.chargeId,
        amount: money(amount, invoice.currency),
        idempotencyKey: key,
        reason: request.reason
      })
      if (outcome.status === "failed") {
        return yield* new RefundFailed({ invoiceId, idempotencyKey: key, status: outcome.status })
      }
    }

    const creditNoteId = yield* ids.next("cn")
    const refundId = yield* ids.next("ref")
    const write = Effect.gen(function* () {
      if (outcome !== undefined) {
        // The gateway refund is booked once, whichever comes first: this request or its webhook.
        const marker = yield* store.idempotency.remember(
          tenantId,
          gatewayRefundKey(gateway.name, outcome.refundId),
          { creditNoteId }
        )
        const owner = Schema.decodeUnknownSync(GatewayRefundMarker)(marker)
        if ("failed" in owner) {
          return yield* new RefundFailed({ invoiceId, idempotencyKey: key, status: "failed" })
        }
        if (owner.creditNoteId !== creditNoteId) {
          return yield* new BookedFromWebhook({
            gatewayRefundId: outcome.refundId,
            creditNoteId: owner.creditNoteId
          })
        }
      }
      const written = yield* writeRefund(store, {
        tenantId,
        invoiceId,
        amount,
        destination: request.destination,
        reason: request.reason,
        payment,
        // `failed` was refused above; a gateway's `pending` moves on with its RefundUpdated events.
        status: outcome?.status ?? "succeeded",
        gatewayRefundId: outcome?.refundId,
        idempotencyKey: key,
        actor: request.actor,
        creditNoteId,
        refundId,
        settings,
        now
      })
      const creditNoteNumber = written.creditNoteNumber
      const first = yield* store.idempotency.remember(tenantId, key, { creditNoteId, creditNoteNumber })
      if (Schema.decodeUnknownSync(Remembered)(first).creditNoteId !== creditNoteId) {
        return yield* new RequestTaken({ remembered: first })
      }
      return {
        creditNoteId,
        creditNoteNumber,
        refundId: payment === undefined ? undefined : refundId,
        status: written.invoice.status,
        refunded: written.invoice.settlement.refunded
      } satisfies RefundInvoiceResult
    })
    return yield* store.withTransaction(write).pipe(
      Effect.catchTag("RequestTaken", (taken) => answer(store, tenantId, invoiceId, key, taken.remembered)),
      // The gateway's webhook booked this refund first (a dashboard-like refund): answer with its record.
      Effect.catchTag("BookedFromWebhook", (booked) => bookedAnswer(store, tenantId, invoiceId, key, booked)),
      // The same request written concurrently (its refund key is taken): answer as the first did.
      Effect.catchIf(
        (error): error is StoreError => error._tag === "StoreError" && error.reason === "Conflict",
        (error) =>
          Effect.flatMap(store.idempotency.recall(tenantId, key), (remembered) =>
            Option.isSome(remembered)
              ? answer(store, tenantId, invoiceId, key, remembered.value)
              : Effect.fail(error)
          )
      )
    )
  })
