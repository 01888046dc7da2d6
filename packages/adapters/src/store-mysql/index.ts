/**
 * `@ezscale/adapters/store-mysql` — the `Store` port on MySQL 8 / MariaDB >= 10.6 (drizzle + mysql2).
 * Any number of host processes can share one database: transactions hold one pooled connection each,
 * job claims use `FOR UPDATE SKIP LOCKED` leases, and every invariant is a row lock or a unique key.
 *
 *   const StoreLive = MysqlStore.layer({ url: "mysql://billing:secret@db:3306/billing" })
 *
 * Migrations run as a deploy step (`migrateMysql`), or at start-up with `migrate: true`.
 */
import { Store, type StoreError, type StoreService } from "@ezscale/core"
import { Effect, Layer, type Scope } from "effect"
import { type MysqlConfig, makeMysqlClient, openMysqlPool } from "./client"
import { mysqlStoreError } from "./errors"
import { migrateMysql } from "./migrate"
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

export type { MysqlConfig } from "./client"
export { type MysqlMigrateOptions, migrateMysql, mysqlMigrationsFolder } from "./migrate"

/** Opens the pool (migrating first when `migrate` is set) for the life of the scope. */
export const makeMysqlStore = (config: MysqlConfig): Effect.Effect<StoreService, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const pool = yield* Effect.acquireRelease(
      Effect.try({
        try: () => openMysqlPool(config),
        catch: (error) => mysqlStoreError(error, { entity: "database" })
      }),
      (opened) => Effect.promise(() => opened.end()).pipe(Effect.ignore)
    )
    if (config.migrate === true) yield* migrateMysql(pool)
    const client = makeMysqlClient(pool, config)
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

export const MysqlStore = {
  make: makeMysqlStore,
  /** The `Store` on a MySQL / MariaDB database, its pool open while the layer lives. */
  layer: (config: MysqlConfig): Layer.Layer<Store, StoreError> => Layer.scoped(Store, makeMysqlStore(config))
} as const
