/**
 * `Store` — everything the engine keeps: one repository per aggregate, an outbox of jobs, and a
 * transaction combinator. Implemented by the SQL adapters (MySQL / MariaDB, SQLite) and, for tests, by
 * the in-memory store of `@ezscale/testkit`; all of them pass the same contract suite (`storeContract`).
 *
 * Guarantees an adapter must give:
 * - tenant scope: every call names its tenant; one tenant never reads or changes another's rows (the only
 *   cross-tenant call is `jobs.claim`, whose jobs each carry their tenant);
 * - transactions: `withTransaction(effect)` runs `effect` with every store write in it atomic — if it
 *   fails (or is interrupted, or dies), nothing it wrote is visible afterwards, sequences and job dedupe
 *   keys included. A `withTransaction` inside another one is a savepoint: its failure undoes only its own
 *   writes, and the outer transaction may recover and commit. Writes outside any transaction are each
 *   atomic on their own;
 * - the unique keys and invariants written on the repositories: the renewal invoice key
 *   (`DuplicateInvoice`), optimistic versions (`VersionConflict`), a never-negative credit balance
 *   (`InsufficientCredit`), coupon limits (`CouponExhausted`, `CouponAlreadyRedeemed`), gapless
 *   sequences, job dedupe keys, unique payment / refund idempotency keys; and for the aggregates
 *   beside the billing documents (each in its own file here): tax rule sets replaced whole, one exchange
 *   rate per pair and day, exactly one default payment method per (customer, gateway), one inbox event
 *   per (source, event id), an audit log that only grows, one versioned service per subscription, one
 *   usage sample per (service, slot) keeping the larger counts, revenue metrics written in one step,
 *   a page of renewals written or refused write by write (`renewals.commit`), one versioned gateway
 *   account per (tenant, gateway) (`VersionConflict`);
 * - keyset pages: every row exactly once, in the listing's order.
 *
 * Errors: `StoreError` (`Conflict | NotFound | Unavailable | Unknown`, `retryable`, `cause`) for the
 * boundary; the domain errors above where a rule is broken; `InvalidExchangeRate`,
 * `InvalidPaymentMethod`, `InvalidService`, `InvalidUsageSample`, `InvalidTaxRule`,
 * `InvalidGatewayAccount` for input a store
 * cannot keep (nothing is written). Errors of the effect run by
 * `withTransaction` pass through unchanged.
 */
import { Context, type Effect } from "effect"
import type { AuditRepository } from "./audit"
import type { StoreError } from "./errors"
import type { ExchangeRateRepository } from "./exchange-rates"
import type { GatewayAccountRepository } from "./gateway-accounts"
import type { PaymentMethodRepository } from "./payment-methods"
import type { RenewalRepository } from "./renewals"
import type {
  CatalogRepository,
  CouponRepository,
  CreditNoteRepository,
  CustomerRepository,
  IdempotencyRepository,
  InvoiceRepository,
  JobRepository,
  LedgerRepository,
  PaymentRepository,
  RefundRepository,
  SequenceRepository,
  SubscriptionRepository,
  TenantRepository
} from "./repositories"
import type { RevenueRepository } from "./revenue"
import type { ServiceRepository } from "./services"
import type { TaxRuleRepository } from "./tax-rules"
import type { UsageSampleRepository } from "./usage-samples"
import type { WebhookInboxRepository } from "./webhook-inbox"

export interface StoreService {
  readonly tenants: TenantRepository
  readonly customers: CustomerRepository
  readonly catalogs: CatalogRepository
  readonly subscriptions: SubscriptionRepository
  readonly invoices: InvoiceRepository
  readonly creditNotes: CreditNoteRepository
  readonly payments: PaymentRepository
  readonly refunds: RefundRepository
  readonly ledger: LedgerRepository
  readonly coupons: CouponRepository
  readonly sequences: SequenceRepository
  readonly jobs: JobRepository
  readonly idempotency: IdempotencyRepository
  readonly taxRules: TaxRuleRepository
  readonly exchangeRates: ExchangeRateRepository
  readonly paymentMethods: PaymentMethodRepository
  readonly webhookInbox: WebhookInboxRepository
  readonly audit: AuditRepository
  readonly services: ServiceRepository
  readonly usageSamples: UsageSampleRepository
  readonly revenue: RevenueRepository
  /** A tenant's payment gateway accounts, credentials sealed (see `GatewayAccountRepository`). */
  readonly gatewayAccounts: GatewayAccountRepository
  /** Renewals of a page written in one call: what the billing run writes (see `RenewalRepository`). */
  readonly renewals: RenewalRepository
  /** Runs `self` in one transaction: all its writes, or none. */
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
}

export class Store extends Context.Tag("@ezscale/core/Store")<Store, StoreService>() {}
