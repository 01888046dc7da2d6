/**
 * The in-memory `Store`: every rule the SQL adapters enforce (tenant scope, unique keys, optimistic
 * versions, never-negative credit, coupon limits, gapless sequences, job dedupe and leases), with real
 * transactions. Writers are serialized like SQLite's single writer: a transaction holds the one permit
 * until it ends, and a write outside any transaction takes it for that write alone. A transaction works on
 * the live tables after cloning them; on failure, interruption or defect the clone is put back. A nested
 * `withTransaction` is a savepoint.
 */
import { Store, type StoreService } from "@ezscale/core"
import { Effect, Exit, FiberRef, Layer } from "effect"
import { auditRepository } from "./audit"
import { couponRepository, ledgerRepository, sequenceRepository } from "./credit"
import type { Db } from "./db"
import { creditNoteRepository, invoiceRepository, paymentRepository, refundRepository } from "./documents"
import { gatewayAccountRepository } from "./gateway-accounts"
import { idempotencyRepository, jobRepository } from "./jobs"
import { paymentMethodRepository } from "./payment-methods"
import { catalogRepository, customerRepository, subscriptionRepository, tenantRepository } from "./records"
import { exchangeRateRepository, taxRuleRepository } from "./reference"
import { renewalRepository } from "./renewals"
import { revenueRepository } from "./revenue"
import { serviceRepository } from "./services"
import { cloneState, emptyState, type State } from "./state"
import { usageSampleRepository } from "./usage-samples"
import { webhookInboxRepository } from "./webhook-inbox"

export const makeInMemoryStore: Effect.Effect<StoreService> = Effect.gen(function* () {
  let state: State = emptyState()
  const permit = yield* Effect.makeSemaphore(1)
  const inTransaction = FiberRef.unsafeMake(false)

  /** Runs `self` as a unit: on any failure the tables go back to what they were when it started. */
  const savepoint = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      const saved = cloneState(state)
      return Effect.onExit(self, (exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) state = saved
        })
      )
    })

  const db: Db = {
    run: <X extends Effect.Effect<unknown, unknown>>(operation: (state: State) => X) =>
      Effect.flatMap(FiberRef.get(inTransaction), (nested) => {
        const once = Effect.suspend(
          () => operation(state) as Effect.Effect<Effect.Effect.Success<X>, Effect.Effect.Error<X>>
        )
        return nested ? once : permit.withPermits(1)(once)
      })
  }

  const withTransaction: StoreService["withTransaction"] = (self) =>
    Effect.flatMap(FiberRef.get(inTransaction), (nested) =>
      nested ? savepoint(self) : permit.withPermits(1)(Effect.locally(savepoint(self), inTransaction, true))
    )

  const repositories: Omit<StoreService, "renewals"> = {
    tenants: tenantRepository(db),
    customers: customerRepository(db),
    catalogs: catalogRepository(db),
    subscriptions: subscriptionRepository(db),
    invoices: invoiceRepository(db),
    creditNotes: creditNoteRepository(db),
    payments: paymentRepository(db),
    refunds: refundRepository(db),
    ledger: ledgerRepository(db),
    coupons: couponRepository(db),
    sequences: sequenceRepository(db),
    jobs: jobRepository(db),
    idempotency: idempotencyRepository(db),
    taxRules: taxRuleRepository(db),
    exchangeRates: exchangeRateRepository(db),
    paymentMethods: paymentMethodRepository(db),
    webhookInbox: webhookInboxRepository(db),
    audit: auditRepository(db),
    services: serviceRepository(db),
    gatewayAccounts: gatewayAccountRepository(db),
    usageSamples: usageSampleRepository(db),
    revenue: revenueRepository(db),
    withTransaction
  }
  return { ...repositories, renewals: renewalRepository(repositories) }
})

export const InMemoryStore = {
  make: makeInMemoryStore,
  /** A fresh, empty store per layer build. */
  layer: Layer.effect(Store, makeInMemoryStore)
} as const
