/**
 * Rows the store keeps that are not domain documents of their own: tenants, versioned wrappers, payments,
 * refunds, ledger entries, coupon redemptions, outbox jobs. Amounts are signed minor units (`bigint`).
 */
import type { Instant } from "../../calendar/zone"
import type { CreditNote } from "../../invoicing/invoice/credit-note"
import type { CurrencyCode } from "../../money/currency"
import type { Json } from "../common"

/** A tenant (a hosting company or a reseller). Its settings are an opaque JSON value to the store. */
export interface Tenant {
  readonly id: string
  readonly name: string
  readonly settings: { readonly [key: string]: Json }
}

/**
 * A row with its optimistic-concurrency version: 1 after insert, +1 after each update. An update names
 * the version it read; if the row moved on, the write fails with `VersionConflict`.
 */
export interface Versioned<A> {
  readonly value: A
  readonly version: number
}

/** A credit note as stored: the document, its id and (once drawn) its legal number. */
export interface StoredCreditNote {
  readonly id: string
  readonly number?: string
  readonly note: CreditNote
}

export type PaymentStatus = "succeeded" | "pending" | "failed"

/** Money received (or attempted) against an invoice, through a gateway or by hand. */
export interface Payment {
  readonly id: string
  readonly invoiceId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  /** Positive minor units. */
  readonly amount: bigint
  readonly status: PaymentStatus
  /** `stripe`, `paypal`, `manual`, `credit`... */
  readonly gateway: string
  /** The gateway's charge id, once known. */
  readonly chargeId?: string
  /**
   * A failed attempt: why, as the gateway's outcome normalized it (`insufficient_funds`, `expired_card`,
   * `card_declined`..., or the outcome's status `failed` / `canceled` when the gateway gave none).
   */
  readonly failureReason?: string
  /** A failed card attempt: the issuer's decline code, when the gateway gave one (`generic_decline`...). */
  readonly declineCode?: string
  /** Unique per tenant: recording the same charge twice (job and webhook) is a `Conflict`. */
  readonly idempotencyKey: string
  readonly at: Instant
}

/**
 * Where a refund stands at the gateway, as the port's `RefundOutcome` names it: `pending` until the
 * gateway reports it `succeeded` or `failed`. A refund to account credit is `succeeded` when written.
 */
export type RefundStatus = "pending" | "succeeded" | "failed"

export const RefundStatuses: ReadonlyArray<RefundStatus> = ["pending", "succeeded", "failed"]

/** Money returned for a payment. */
export interface Refund {
  readonly id: string
  readonly paymentId: string
  readonly invoiceId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  /** Positive minor units. */
  readonly amount: bigint
  /** Where the money went: back to the payment method, or to the customer's account credit. */
  readonly destination: "original_method" | "account_credit"
  readonly status: RefundStatus
  readonly gatewayRefundId?: string
  /** Unique per tenant, like a payment's. */
  readonly idempotencyKey: string
  readonly at: Instant
}

export const LedgerEntryKinds = [
  "credit_added",
  "credit_applied",
  "credit_returned",
  "refund_to_credit",
  "adjustment"
] as const

export type LedgerEntryKind = (typeof LedgerEntryKinds)[number]

/** A movement of a customer's account credit in one currency: positive adds credit, negative uses it. */
export interface LedgerEntryInput {
  readonly customerId: string
  readonly currency: CurrencyCode
  /** Signed minor units. */
  readonly amount: bigint
  readonly kind: LedgerEntryKind
  readonly invoiceId?: string
  readonly note?: string
  readonly at: Instant
}

/** A ledger entry as stored: the store gives it an id and the balance after it. */
export interface LedgerEntry extends LedgerEntryInput {
  readonly id: string
  readonly balanceAfter: bigint
}

/** A coupon redeemed by a customer (for a subscription or an order). */
export interface CouponRedemption {
  readonly couponId: string
  readonly customerId: string
  readonly subscriptionId?: string
  readonly at: Instant
}

/** What to run later: written in the same transaction as the change that calls for it. */
export interface JobSpec {
  /** What the worker does: `provision`, `collect`, `send_email`... */
  readonly kind: string
  readonly payload: Json
  /** Not before this instant. */
  readonly runAt: Instant
  /** Unique per tenant, forever: enqueueing a key that exists returns the existing job. */
  readonly dedupeKey?: string
  /** Attempts before the job is dead (default {@link defaultMaxAttempts}). */
  readonly maxAttempts?: number
}

export const defaultMaxAttempts = 10

/**
 * `pending`: waiting for `runAt`; `running`: claimed, leased to `lockedBy` until `lockedUntil` (after
 * which another worker may claim it); `done`: completed; `dead`: failed `maxAttempts` times, waiting for a
 * person (`retry`).
 */
export type JobState = "pending" | "running" | "done" | "dead"

export interface Job {
  readonly id: string
  readonly tenantId: string
  readonly kind: string
  readonly payload: Json
  readonly runAt: Instant
  readonly dedupeKey?: string
  readonly state: JobState
  /** Times the job was claimed (a crashed run counts). */
  readonly attempts: number
  readonly maxAttempts: number
  readonly lastError?: string
  readonly lockedBy?: string
  readonly lockedUntil?: Instant
}

export interface ClaimRequest {
  /** The worker's clock: jobs with `runAt <= now` and no live lease are claimable. */
  readonly now: Instant
  readonly limit: number
  /** The lease: the job is the worker's until `now + leaseMs`. */
  readonly leaseMs: number
  readonly workerId: string
  /** Only these kinds (all when absent). */
  readonly kinds?: ReadonlyArray<string>
}
