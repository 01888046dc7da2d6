/**
 * A payment staff record by hand: a bank transfer, a cheque, cash. One transaction writes the payment
 * row (gateway `bank_transfer` / `cheque` / ..., the bank's reference as its charge id, dated the day
 * the money was received), the invoice paid or partly paid, the subscription settled exactly as a
 * gateway payment settles it (`settleSubscription`: past due -> active, a non-payment suspension lifted,
 * a pending order activated) and the audit entry.
 *
 * Idempotent on the reference: the payment's idempotency key is `manual:<reference>` (unique per
 * tenant), and the reference is remembered with what it paid; recording it again for the same invoice
 * and amount returns the first payment, for anything else is `ManualPaymentConflict`.
 */
import { Clock, Data, Effect, Option, Schema } from "effect"
import type { CivilDate } from "../calendar/civil-date"
import { startOfDayInZone } from "../calendar/zone"
import { balanceOf, type InvoiceStatus } from "../invoicing/invoice/document"
import type {
  IllegalInvoiceTransition,
  NonPositiveAmount,
  PaymentExceedsBalance
} from "../invoicing/invoice/errors"
import { recordPayment } from "../invoicing/invoice/lifecycle"
import { Ids } from "../ports/ids"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import { Store } from "../ports/store/store"
import { type Actor, audit, retryOnConflict, tenantSettings } from "./account"
import { ManualPaymentConflict } from "./account-errors"
import { settleSubscription } from "./collection"
import type { InvalidBillingSettings } from "./errors"

export type ManualPaymentMethod = "bank_transfer" | "cheque" | "cash" | "other"

export interface ManualPaymentRequest {
  readonly tenantId: string
  readonly invoiceId: string
  /** Positive minor units of the invoice's currency; at most what the invoice still owes. */
  readonly amount: bigint
  readonly method: ManualPaymentMethod
  /** The bank's or cheque's reference: recording it twice records one payment. */
  readonly reference: string
  /** The day the money was received, in the tenant's zone. */
  readonly receivedOn: CivilDate
  readonly actor: Actor
}

export interface ManualPaymentResult {
  readonly paymentId: string
  /** `false` when the reference was recorded before (nothing was written this time). */
  readonly recorded: boolean
  readonly status: InvoiceStatus
  /** What the invoice still owes. */
  readonly balance: bigint
}

export type ManualPaymentError =
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | ManualPaymentConflict
  | IllegalInvoiceTransition
  | NonPositiveAmount
  | PaymentExceedsBalance

const Remembered = Schema.Struct({
  paymentId: Schema.String,
  invoiceId: Schema.String,
  amount: Schema.String
})

/** The reference was remembered by a concurrent request first: this one is rolled back. */
class ReferenceTaken extends Data.TaggedError("ReferenceTaken")<{ readonly remembered: unknown }> {}

export const manualPaymentKey = (reference: string): string => `manual:${reference}`

/** Records a payment received by hand: see the module comment. */
export const recordManualPayment = (
  request: ManualPaymentRequest
): Effect.Effect<ManualPaymentResult, ManualPaymentError, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const now = yield* Clock.currentTimeMillis
    const { tenantId, invoiceId, amount, reference } = request
    const key = manualPaymentKey(reference)

    /** What a reference already recorded means for this request: the same payment, or a conflict. */
    const known = (value: unknown) =>
      Effect.gen(function* () {
        const first = Schema.decodeUnknownSync(Remembered)(value)
        if (first.invoiceId !== invoiceId || first.amount !== String(amount)) {
          return yield* new ManualPaymentConflict({
            reference,
            invoiceId,
            existingPaymentId: first.paymentId
          })
        }
        const invoice = yield* store.invoices.get(tenantId, invoiceId)
        return {
          paymentId: first.paymentId,
          recorded: false,
          status: invoice.status,
          balance: balanceOf(invoice)
        } satisfies ManualPaymentResult
      })

    const recalled = yield* store.idempotency.recall(tenantId, key)
    if (Option.isSome(recalled)) return yield* known(recalled.value)

    const settings = yield* tenantSettings(store, tenantId)
    const receivedAt = startOfDayInZone(request.receivedOn, settings.timeZone)
    const paymentId = yield* ids.next("pay")
    const write = Effect.gen(function* () {
      const invoice = yield* store.invoices.get(tenantId, invoiceId)
      const paid = yield* recordPayment(invoice, amount, receivedAt)
      yield* store.payments.insert(tenantId, {
        id: paymentId,
        invoiceId,
        customerId: invoice.customerId,
        currency: invoice.currency,
        amount,
        status: "succeeded",
        gateway: request.method,
        chargeId: reference,
        idempotencyKey: key,
        at: receivedAt
      })
      yield* store.invoices.update(tenantId, paid)
      if (paid.status === "paid") yield* settleSubscription(store, tenantId, paid, now)
      yield* audit(store, tenantId, {
        actor: request.actor,
        action: "payment.recorded",
        targetType: "invoice",
        targetId: invoiceId,
        details: {
          paymentId,
          method: request.method,
          reference,
          amount: String(amount),
          currency: invoice.currency
        },
        at: now
      })
      const first = yield* store.idempotency.remember(tenantId, key, {
        paymentId,
        invoiceId,
        amount: String(amount)
      })
      if (Schema.decodeUnknownSync(Remembered)(first).paymentId !== paymentId) {
        return yield* new ReferenceTaken({ remembered: first })
      }
      return {
        paymentId,
        recorded: true,
        status: paid.status,
        balance: balanceOf(paid)
      } satisfies ManualPaymentResult
    })
    return yield* retryOnConflict(store.withTransaction(write)).pipe(
      Effect.catchTag("ReferenceTaken", (taken) => known(taken.remembered)),
      // The same reference inserted concurrently: its payment key is taken. Answer as the first did.
      Effect.catchIf(
        (error): error is StoreError => error._tag === "StoreError" && error.reason === "Conflict",
        (error) =>
          Effect.flatMap(store.idempotency.recall(tenantId, key), (remembered) =>
            Option.isSome(remembered) ? known(remembered.value) : Effect.fail(error)
          )
      )
    )
  })
