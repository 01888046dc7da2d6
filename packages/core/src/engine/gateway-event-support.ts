/**
 * What the `gateway_event` handlers share: reading a collection attempt's key, finding which of our
 * payments a gateway charge is (asking the gateway for the charge's current state first), the staff
 * `notify` jobs they write, and the outcome each event gives.
 */
import { Effect, Option } from "effect"
import type { Instant } from "../calendar/zone"
import type { Invoice } from "../invoicing/invoice/document"
import type { Json } from "../ports/common"
import type { Ids } from "../ports/ids"
import { type GatewayError, PaymentGateway } from "../ports/payment-gateway"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import type { Payment } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { attemptKey, type CollectOutcome, type CollectRequest, recordOutcome } from "./collection"
import type { InvalidBillingSettings } from "./errors"

/** Reads a collection attempt's idempotency key (`collect:<invoice>:<attempt>`); undefined for another. */
export const parseCollectionKey = (key: string): Omit<CollectRequest, "tenantId"> | undefined => {
  const match =
    /^collect:(.+):([1-9][0-9]*)$/.exec(key) ?? /^checkout:([^:]+):([^:]+):([1-9][0-9]*)$/.exec(key)
  if (match === null) return undefined
  const invoiceId = match[1] as string
  const attempt = Number(match.at(-1))
  const request =
    match.length === 4
      ? { invoiceId, attempt, checkout: { methodId: match[2] as string } }
      : { invoiceId, attempt }
  if (!Number.isSafeInteger(attempt) || attemptKey(request) !== key) return undefined
  return request
}

/** The notification templates of gateway events (the `notify` job's `template`; `audience: "staff"`). */
export const gatewayTemplates = {
  /** A refund the gateway reports as failed (the customer did not get the money back). */
  refundFailed: "gateway.refund_failed",
  /** A refund made at the gateway (its dashboard) that billing booked: credit note and settlement. */
  refundBooked: "gateway.refund_booked",
  /** A refund made at the gateway that billing could not book (currency, more than was paid...). */
  refundNotBooked: "gateway.refund_not_booked",
  disputeOpened: "dispute.opened",
  disputeWon: "dispute.won",
  disputeLost: "dispute.lost",
  /** A method the gateway saved for a customer billing does not know (or the store refused). */
  methodNotSaved: "gateway.method_not_saved"
} as const

/** A `notify` job for the tenant's staff (`audience: "staff"`), once per dedupe key. */
export const notifyStaff = (
  store: StoreService,
  tenantId: string,
  dedupeKey: string,
  template: string,
  details: { readonly [key: string]: Json },
  now: Instant
) =>
  store.jobs.enqueue(tenantId, {
    kind: "notify",
    payload: { ...details, template, audience: "staff" },
    runAt: now,
    dedupeKey
  })

export interface GatewayEventRequest {
  readonly tenantId: string
  readonly source: string
  readonly eventId: string
}

/** What a `RefundUpdated` did (see `GatewayEventOutcome`'s `Refund`). */
export type RefundAction = "unchanged" | "status_updated" | "failure_alerted" | "booked" | "not_booked"

export type GatewayEventOutcome =
  | { readonly _tag: "AlreadyProcessed" }
  /** Nothing for billing to do (an ignored event, a charge that is not one of ours). */
  | { readonly _tag: "Ignored" }
  /**
   * The gateway does not show the charge (yet): the job is tried again later. Named by the collection
   * attempt's key, or by the gateway's charge id for refunds and disputes.
   */
  | { readonly _tag: "ChargeUnseen"; readonly idempotencyKey?: string; readonly chargeId?: string }
  | { readonly _tag: "Collection"; readonly invoiceId: string; readonly outcome: CollectOutcome }
  | {
      readonly _tag: "Refund"
      readonly invoiceId: string
      readonly gatewayRefundId: string
      /**
       * `unchanged`: already as the books say; `status_updated`: our refund's row moved on (`pending` ->
       * `succeeded`); `failure_alerted`: a failed refund (its row `failed`), staff told; `booked`: a refund
       * made at the gateway, booked (credit note, settlement); `not_booked`: one that could not be booked,
       * staff told.
       */
      readonly action: RefundAction
    }
  | {
      readonly _tag: "Dispute"
      readonly invoiceId: string
      readonly disputeId: string
      /** What this event changed: `stale` when the stored state is already past it (repeated, late). */
      readonly action: "opened" | "won" | "lost" | "stale"
      /** The subscription's service: suspended, lifted, or left as it was. */
      readonly service: "suspended" | "lifted" | "unchanged"
    }
  | {
      readonly _tag: "Method"
      readonly gatewayMethodId: string
      /**
       * `saved` / `removed`: the store changed; `unchanged`: already so; `stale`: the gateway's current
       * state contradicts the event (saved then detached); `unknown_customer`: no customer of ours;
       * `refused`: the store refused the method (staff told).
       */
      readonly action: "saved" | "removed" | "unchanged" | "stale" | "unknown_customer" | "refused"
    }

export type GatewayEventError = StoreError | VersionConflict | InvalidBillingSettings | GatewayError

/** What a charge the gateway names (refunds, disputes) is to us. */
export type ChargeLookup =
  | { readonly _tag: "Unseen" }
  | { readonly _tag: "NotOurs" }
  | { readonly _tag: "Found"; readonly invoice: Invoice; readonly payment: Payment }

/**
 * Finds our payment for a gateway charge: the charge is retrieved from the gateway (its current state,
 * and its idempotency key, which names the collection attempt and so the invoice; else the invoice id
 * the event carried), then the invoice's succeeded payment with that charge id or key. A succeeded
 * collection charge not recorded yet (its own event still waiting) is recorded first, through the
 * collection's recording path.
 */
export const paymentOfCharge = (
  tenantId: string,
  chargeId: string,
  invoiceHint: string | undefined
): Effect.Effect<ChargeLookup, GatewayEventError, Store | Ids | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const gateway = yield* PaymentGateway
    const found = yield* gateway.retrieveCharge({ chargeId })
    if (Option.isNone(found)) return { _tag: "Unseen" } as const
    const current = found.value
    const attempt = parseCollectionKey(current.idempotencyKey)
    const invoiceId = attempt?.invoiceId ?? invoiceHint
    if (invoiceId === undefined) return { _tag: "NotOurs" } as const
    const invoice = yield* store.invoices.get(tenantId, invoiceId).pipe(
      Effect.map((value): Invoice | undefined => value),
      Effect.catchIf(
        (error) => error.reason === "NotFound",
        () => Effect.succeed(undefined)
      )
    )
    if (invoice === undefined) return { _tag: "NotOurs" } as const
    const ours = (payments: ReadonlyArray<Payment>) =>
      payments.find(
        (payment) =>
          payment.status === "succeeded" &&
          (payment.chargeId === chargeId || payment.idempotencyKey === current.idempotencyKey)
      )
    const payments = yield* store.payments.listByInvoice(tenantId, invoiceId)
    let payment = ours(payments)
    if (
      payment === undefined &&
      attempt !== undefined &&
      current.status === "succeeded" &&
      !payments.some((recorded) => recorded.idempotencyKey === current.idempotencyKey)
    ) {
      yield* recordOutcome({ tenantId, ...attempt }, invoice, gateway.name, current, 0n, false)
      payment = ours(yield* store.payments.listByInvoice(tenantId, invoiceId))
    }
    if (payment === undefined) return { _tag: "NotOurs" } as const
    return { _tag: "Found", invoice: yield* store.invoices.get(tenantId, invoiceId), payment } as const
  })
