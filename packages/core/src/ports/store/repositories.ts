/**
 * The store's repositories, one per aggregate. Every call names its tenant first: a row written for one
 * tenant is invisible to every other (reads return `NotFound` / nothing, writes never touch it). A record
 * whose own `tenantId` differs from the tenant named is a bug: adapters die (defect) on it.
 */
import type { Effect, Option } from "effect"
import type { BillingPeriod } from "../../calendar/period"
import type { Instant } from "../../calendar/zone"
import type { Catalog } from "../../catalog/schema"
import type { Customer } from "../../customer/customer"
import type { Coupon } from "../../invoicing/coupon/coupon"
import type { CouponAlreadyRedeemed, CouponExhausted } from "../../invoicing/coupon/errors"
import type { Invoice, InvoiceKind } from "../../invoicing/invoice/document"
import type { CurrencyCode } from "../../money/currency"
import type { Subscription } from "../../subscription/subscription"
import type { Json, Page, PageRequest } from "../common"
import type { DuplicateInvoice, InsufficientCredit, StoreError, VersionConflict } from "./errors"
import type {
  ClaimRequest,
  CouponRedemption,
  Job,
  JobSpec,
  LedgerEntry,
  LedgerEntryInput,
  Payment,
  Refund,
  RefundStatus,
  StoredCreditNote,
  Tenant,
  Versioned
} from "./records"

/** A store operation: its result, or a `StoreError` or one of the domain errors `E`. */
export type Op<A, E = never> = Effect.Effect<A, StoreError | E>

export interface TenantRepository {
  /** `NotFound` when there is no such tenant. */
  readonly get: (tenantId: string) => Op<Tenant>
  /** Creates or replaces the tenant. */
  readonly put: (tenant: Tenant) => Op<void>
}

export interface CustomerRepository {
  readonly get: (tenantId: string, customerId: string) => Op<Customer>
  /**
   * The tenant's customers with these ids, in the order the ids are given (an id given twice is returned
   * once; ids the tenant has no customer for are left out: compare the ids to find them). For batches
   * (a billing run reads the customers of a page of subscriptions in one call); any number of ids.
   */
  readonly getMany: (tenantId: string, customerIds: ReadonlyArray<string>) => Op<ReadonlyArray<Customer>>
  /** `Conflict` when the id exists. */
  readonly insert: (tenantId: string, customer: Customer) => Op<void>
  /** `NotFound` when the id does not exist. */
  readonly update: (tenantId: string, customer: Customer) => Op<void>
  /** Ordered by id (ids are time-ordered: oldest first). */
  readonly list: (tenantId: string, page: PageRequest) => Op<Page<Customer>>
}

export interface CatalogRepository {
  /** `NotFound` until a catalog is put. */
  readonly get: (tenantId: string) => Op<Catalog>
  readonly put: (tenantId: string, catalog: Catalog) => Op<void>
}

export interface SubscriptionRepository {
  readonly get: (tenantId: string, subscriptionId: string) => Op<Versioned<Subscription>>
  /** Stores version 1. `Conflict` when the id exists. */
  readonly insert: (tenantId: string, subscription: Subscription) => Op<Versioned<Subscription>>
  /** Compare-and-set on the version read: `VersionConflict` when it moved on, `NotFound` when gone. */
  readonly update: (
    tenantId: string,
    subscription: Subscription,
    expectedVersion: number
  ) => Op<Versioned<Subscription>, VersionConflict>
  /**
   * Subscriptions whose `nextRenewalAt` is set and strictly before `before`, ordered by
   * (`nextRenewalAt`, id). A subscription with no `nextRenewalAt` (ended, or not yet started) is never
   * due: the engine clears it when a subscription stops renewing.
   */
  readonly dueForRenewal: (
    tenantId: string,
    before: Instant,
    page: PageRequest
  ) => Op<Page<Versioned<Subscription>>>
  /** Ordered by id. */
  readonly listByCustomer: (
    tenantId: string,
    customerId: string,
    page: PageRequest
  ) => Op<Page<Versioned<Subscription>>>
}

/**
 * Invoices. The unique renewal key: at most one invoice per (tenant, subscription, period start, period
 * end, kind) among invoices of kind `renewal` or `order` that have both a subscription and a period;
 * inserting a second one fails with `DuplicateInvoice` and writes nothing. Invoice numbers, once set, are
 * unique per tenant (`Conflict`).
 */
export interface InvoiceRepository {
  readonly get: (tenantId: string, invoiceId: string) => Op<Invoice>
  /** `Conflict` when the id or the number exists; `DuplicateInvoice` on the renewal key. */
  readonly insert: (tenantId: string, invoice: Invoice) => Op<void, DuplicateInvoice>
  /** `NotFound` when the id does not exist; the renewal key cannot be changed (`Conflict`). */
  readonly update: (tenantId: string, invoice: Invoice) => Op<void>
  /** Ordered by id. */
  readonly listByCustomer: (tenantId: string, customerId: string, page: PageRequest) => Op<Page<Invoice>>
  /**
   * Open invoices due strictly before `dueBefore`, ordered by (`dueAt`, id): what the dunning run walks
   * (overdue ones, and those close enough to their due date for a reminder).
   */
  readonly listOpen: (tenantId: string, dueBefore: Instant, page: PageRequest) => Op<Page<Invoice>>
  /** The invoice holding the renewal key, if any. */
  readonly findByPeriod: (
    tenantId: string,
    subscriptionId: string,
    period: BillingPeriod,
    kind: InvoiceKind
  ) => Op<Option.Option<Invoice>>
}

export interface CreditNoteRepository {
  /** `Conflict` when the id or the number exists. */
  readonly insert: (tenantId: string, creditNote: StoredCreditNote) => Op<void>
  /** In insertion order. */
  readonly listByInvoice: (tenantId: string, invoiceId: string) => Op<ReadonlyArray<StoredCreditNote>>
}

export interface PaymentRepository {
  /** `Conflict` when the id or the idempotency key exists. */
  readonly insert: (tenantId: string, payment: Payment) => Op<void>
  readonly listByInvoice: (tenantId: string, invoiceId: string) => Op<ReadonlyArray<Payment>>
}

export interface RefundRepository {
  /** `Conflict` when the id or the idempotency key exists. */
  readonly insert: (tenantId: string, refund: Refund) => Op<void>
  readonly listByInvoice: (tenantId: string, invoiceId: string) => Op<ReadonlyArray<Refund>>
  /**
   * Sets a refund's status (what the gateway reported since). The store writes what it is given; the
   * engine decides which moves are allowed. `NotFound` when there is no such refund.
   */
  readonly setStatus: (tenantId: string, refundId: string, status: RefundStatus) => Op<void>
}

/**
 * Account credit, as an append-only ledger per (customer, currency). The balance is the sum of the
 * entries and is never negative: an entry that would make it negative fails with `InsufficientCredit`
 * and writes nothing (adapters check and write under one lock, so two racing debits cannot both pass).
 */
export interface LedgerRepository {
  readonly append: (tenantId: string, entry: LedgerEntryInput) => Op<LedgerEntry, InsufficientCredit>
  /** 0 when there are no entries. */
  readonly balance: (tenantId: string, customerId: string, currency: CurrencyCode) => Op<bigint>
  /** Every entry of the customer (all currencies), oldest first. */
  readonly entries: (tenantId: string, customerId: string) => Op<ReadonlyArray<LedgerEntry>>
}

/**
 * Coupons and their redemptions. `redeem` checks the limits and records the redemption atomically: with
 * `maxRedemptions` N, N redemptions succeed and every later one fails with `CouponExhausted`; with
 * `oncePerCustomer`, a customer's second fails with `CouponAlreadyRedeemed`. Expiry and applicability are
 * the domain's (`checkRedemption`), checked by the caller first.
 */
export interface CouponRepository {
  /** Creates or replaces the coupon; codes are unique per tenant (`Conflict` for another id's code). */
  readonly put: (tenantId: string, coupon: Coupon) => Op<void>
  /** By id (as a subscription's coupon grants name it); `NotFound` for an unknown id. */
  readonly get: (tenantId: string, couponId: string) => Op<Coupon>
  /** By code (as a customer types it); `NotFound` for an unknown code. */
  readonly getByCode: (tenantId: string, code: string) => Op<Coupon>
  readonly redemptionCount: (tenantId: string, couponId: string) => Op<number>
  readonly hasRedeemed: (tenantId: string, couponId: string, customerId: string) => Op<boolean>
  /** `NotFound` for an unknown coupon id. */
  readonly redeem: (
    tenantId: string,
    redemption: CouponRedemption
  ) => Op<void, CouponExhausted | CouponAlreadyRedeemed>
}

/**
 * Gapless counters per (tenant, key), for legal document numbers. `next` returns `start` the first time,
 * then one more each call. Call it inside the transaction that uses the number: a rolled-back transaction
 * gives its number back, so the numbers committed are exactly start, start+1, ... with no gap.
 */
export interface SequenceRepository {
  readonly next: (tenantId: string, key: string, start: number) => Op<number>
}

/**
 * The transactional outbox. `enqueue` belongs in the transaction of the change that calls for the job, so
 * the job exists exactly when the change does. Workers `claim` (across tenants: each job carries its
 * tenant), run, then `complete` or `fail` — passing their `workerId`: a worker whose lease ran out and
 * was taken over gets `Conflict` and must not act further.
 *
 * - claim: jobs with state `pending` and `runAt <= now`, or `running` with `lockedUntil <= now` (a dead
 *   worker's), ordered by (`runAt`, id), at most `limit`; each becomes `running`, leased to the worker
 *   until `now + leaseMs`, `attempts + 1`. A job whose lease expired with `attempts >= maxAttempts` goes
 *   `dead` instead of being handed out again.
 * - fail: `dead` when `attempts >= maxAttempts`, otherwise `pending` again at `retryAt` (or at once).
 * - retry: a `dead` job goes back to `pending` with its attempts reset (`Conflict` when it is not dead).
 */
export interface JobRepository {
  readonly enqueue: (tenantId: string, spec: JobSpec) => Op<Job>
  readonly get: (tenantId: string, jobId: string) => Op<Job>
  /**
   * The tenant's jobs holding these dedupe keys, in the order the keys are given, each once (keys no job
   * holds are left out: compare the keys to find them). Any number of keys. This is how the engine reads
   * which keyed actions were already written (the dunning run's `done` set), whatever their state.
   */
  readonly findByDedupeKeys: (tenantId: string, dedupeKeys: ReadonlyArray<string>) => Op<ReadonlyArray<Job>>
  readonly claim: (request: ClaimRequest) => Op<ReadonlyArray<Job>>
  readonly complete: (jobId: string, workerId: string) => Op<void>
  /**
   * Keeps a live worker's leases while it runs long jobs (its heartbeat): each listed job still `running`
   * under `workerId` is leased until `until`. Returns the ids renewed; a job left out was completed,
   * failed or taken over once its lease ran out (the worker has lost it and must not act further) or
   * does not exist. Across tenants, like `claim`.
   */
  readonly renewLeases: (
    workerId: string,
    jobIds: ReadonlyArray<string>,
    until: Instant
  ) => Op<ReadonlyArray<string>>
  readonly fail: (
    jobId: string,
    workerId: string,
    failure: { readonly error: string; readonly retryAt?: Instant }
  ) => Op<Job>
  /** Dead jobs of the tenant, ordered by id. */
  readonly listDead: (tenantId: string, page: PageRequest) => Op<Page<Job>>
  readonly retry: (tenantId: string, jobId: string) => Op<Job>
}

/**
 * Results of idempotent requests (API `Idempotency-Key`, webhook deliveries). The first `remember` for a
 * key wins: later ones keep the first result and return it.
 */
export interface IdempotencyRepository {
  readonly remember: (tenantId: string, key: string, result: Json) => Op<Json>
  readonly recall: (tenantId: string, key: string) => Op<Option.Option<Json>>
}
