/**
 * `@ezscale/adapters/store-sqlite` — the `Store` port on embedded SQLite (better-sqlite3 + drizzle):
 * one file, or `:memory:`, no server. Writers are serialized (SQLite has one), so it suits one process:
 * a single-machine deployment, a demo, tests. For several host processes use `store-mysql`.
 *
 *   const StoreLive = SqliteStore.layer({ filename: "data/billing.db" })
 */

import { Store, type StoreError, type StoreService } from "@ezscale/core"
import { Effect, Layer, type Scope } from "effect"
import { makeSqliteClient, openSqlite, type SqliteConfig } from "./client"
import { sqliteStoreError } from "./errors"
import { migrateSqlite } from "./migrate"
import { auditRepository } from "./repositories/audit"
import { couponRepository, ledgerRepository, sequenceRepository } from "./repositories/credit"
import {
  creditNoteRepository,
  invoiceRepository,
  paymentRepository,
  refundRepository
} from "./repositories/documents"
import { gatewayAccountRepository } from "./repositories/gateway-accounts"
import { idempotencyRepository, jobRepository } from "./repositories/jobs"
import { paymentMethodRepository } from "./repositories/payment-methods"
import {
  catalogRepository,
  customerRepository,
  subscriptionRepository,
  tenantRepository
} from "./repositories/records"
import { exchangeRateRepository, taxRuleRepository } from "./repositories/reference"
import { renewalRepository } from "./repositories/renewals"
import { revenueRepository } from "./repositories/revenue"
import { serviceRepository } from "./repositories/services"
import { usageSampleRepository } from "./repositories/usage-samples"
import { webhookInboxRepository } from "./repositories/webhook-inbox"

export type { SqliteConfig } from "./client"
export { migrateSqlite, type SqliteMigrateOptions, sqliteMigrationsFolder } from "./migrate"

/** Opens the database (migrating it unless told not to) for the life of the scope. */
export const makeSqliteStore = (config: SqliteConfig): Effect.Effect<StoreService, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const connection = yield* Effect.acquireRelease(
      Effect.try({
        try: () => openSqlite(config),
        catch: (error) => sqliteStoreError(error, { entity: "database", key: config.filename })
      }),
      (opened) => Effect.sync(() => opened.close())
    )
    if (config.migrate !== false) yield* migrateSqlite(connection)
    const client = yield* makeSqliteClient(connection)
    return {
      tenants: tenantRepository(client),
      customers: customerRepository(client),
      catalogs: catalogRepository(client),
      subscriptions: subscriptionRepository(client),
      invoices: invoiceRepository(client),
      creditNotes: creditNoteRepository(client),
      payments: paymentRepository(client),
      refunds: refundRepository(client),
      ledger: ledgerRepository(client),
      coupons: couponRepository(client),
      sequences: sequenceRepository(client),
      jobs: jobRepository(client),
      idempotency: idempotencyRepository(client),
      taxRules: taxRuleRepository(client),
      exchangeRates: exchangeRateRepository(client),
      paymentMethods: paymentMethodRepository(client),
      webhookInbox: webhookInboxRepository(client),
      audit: auditRepository(client),
      services: serviceRepository(client),
      gatewayAccounts: gatewayAccountRepository(client),
      usageSamples: usageSampleRepository(client),
      revenue: revenueRepository(client),
      renewals: renewalRepository(client),
      withTransaction: client.withTransaction
    }
  })

export const SqliteStore = {
  make: makeSqliteStore,
  /** The `Store` on a SQLite file (or `:memory:`), open while the layer lives. */
  layer: (config: SqliteConfig): Layer.Layer<Store, StoreError> =>
    Layer.scoped(Store, makeSqliteStore(config))
} as const
