/**
 * Collection over the in-memory store and SQLite, with the in-memory gateway: credit first, then the
 * default saved method with the key `collect:<invoice>:<attempt>`; one charge per attempt whatever
 * happens, and unknown outcomes reconciled, never charged again.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  collectInvoice,
  decodeBillingSettings,
  defaultDunningPolicy,
  encodeBillingSettings,
  type Ids,
  type PaymentGateway,
  reconcileCollection,
  Store,
  type Subscription,
  type SubscriptionState
} from "@ezscale/core"
import {
  date,
  InMemoryGateway,
  InMemoryGatewayInspector,
  InMemoryStore,
  makeCustomer,
  makeInvoice,
  makeSubscription,
  makeTenant,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const now = Date.UTC(2026, 1, 15, 9, 0)
const period = { start: date(2026, 2, 15), end: date(2026, 3, 15) }

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

const lifecycle = (overrides: Partial<SubscriptionState>): SubscriptionState => ({
  status: "active",
  suspension: undefined,
  cancellation: undefined,
  trialEndsAt: undefined,
  ...overrides
})

/** The tenant's billing settings, with the default dunning policy unless `unsuspendOnPayment` is given. */
const billing = (unsuspendOnPayment = true) =>
  encodeBillingSettings(
    Either.getOrThrow(
      decodeBillingSettings({
        timeZone: "Europe/Paris",
        seller: { country: "FR", euVat: "oss" },
        numbering: { format: "INV-{NUMBER:5}", reset: "never", start: 1, mode: "immediate" },
        dunning: { ...defaultDunningPolicy, unsuspendOnPayment }
      })
    )
  )

/** A 12.00 EUR renewal invoice for Feb 15 - Mar 15, its subscription, and a saved card `methodId`. */
const seed = (
  options: {
    methodId?: string
    credit?: bigint
    subscription?: Partial<Subscription>
    unsuspendOnPayment?: boolean
    dueAt?: number
  } = {}
) =>
  Effect.gen(function* () {
    const store = yield* Store
    yield* TestClock.setTime(now)
    yield* store.tenants.put(makeTenant({ settings: { billing: billing(options.unsuspendOnPayment) } }))
    yield* store.customers.insert("tenant-1", makeCustomer())
    yield* store.subscriptions.insert(
      "tenant-1",
      makeSubscription({
        currentPeriod: { start: date(2026, 1, 15), end: date(2026, 2, 15) },
        lifecycle: lifecycle({ status: "past_due" }),
        ...options.subscription
      })
    )
    const invoice = makeInvoice({
      period,
      ...(options.dueAt === undefined ? {} : { dueAt: options.dueAt }),
      lines: [],
      totals: { subtotal: 1200n, tax: 0n, total: 1200n, discount: 0n }
    })
    yield* store.invoices.insert("tenant-1", invoice)
    if (options.methodId !== undefined) {
      yield* store.paymentMethods.insert("tenant-1", {
        id: "spm-1",
        customerId: "cus-1",
        gateway: "fake",
        gatewayCustomerId: "gcus-1",
        gatewayMethodId: options.methodId,
        kind: "card",
        label: "Visa •••• 4242",
        isDefault: true,
        createdAt: now
      })
    }
    if (options.credit !== undefined) {
      yield* store.ledger.append("tenant-1", {
        customerId: "cus-1",
        currency: "EUR",
        amount: options.credit,
        kind: "credit_added",
        at: now
      })
    }
    return store
  })

const gatewayMethods = {
  pm_ok: { kind: "succeed" },
  pm_declined: { kind: "decline", declineCode: "insufficient_funds" },
  pm_timeout: { kind: "unknown_then_succeeded" },
  pm_3ds: { kind: "requires_action" }
} as const

describe.each(stores)("collectInvoice on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway | InMemoryGatewayInspector>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )
  const request = { tenantId: "tenant-1", invoiceId: "inv-1", attempt: 1 }

  it.effect("charges the default method once, pays the invoice and brings the subscription back", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({ methodId: "pm_ok" })
        expect(yield* collectInvoice(request)).toEqual({ _tag: "Paid", by: "payment", creditApplied: 0n })
        const invoice = yield* store.invoices.get("tenant-1", "inv-1")
        expect(invoice).toMatchObject({ status: "paid", settlement: { paid: 1200n } })
        const payments = yield* store.payments.listByInvoice("tenant-1", "inv-1")
        expect(payments.map((p) => [p.status, p.amount, p.idempotencyKey])).toEqual([
          ["succeeded", 1200n, "collect:inv-1:1"]
        ])
        const subscription = (yield* store.subscriptions.get("tenant-1", "sub-1")).value
        expect(subscription.lifecycle.status).toBe("active")
        expect(subscription.currentPeriod).toEqual(period)
        // Run again (a retried job): nothing more happens, nothing is charged twice.
        expect((yield* collectInvoice(request))._tag).toBe("NotOpen")
        const inspector = yield* InMemoryGatewayInspector
        expect(inspector.charges().map((c) => [c.request.idempotencyKey, c.calls])).toEqual([
          ["collect:inv-1:1", 1]
        ])
      })
    )
  )

  it.effect("uses account credit first and charges only the rest", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({ methodId: "pm_ok", credit: 500n })
        expect(yield* collectInvoice(request)).toEqual({ _tag: "Paid", by: "payment", creditApplied: 500n })
        const inspector = yield* InMemoryGatewayInspector
        expect(inspector.charges().map((c) => c.request.amount.amount)).toEqual([700n])
        expect(yield* store.ledger.balance("tenant-1", "cus-1", "EUR")).toBe(0n)
        expect((yield* store.invoices.get("tenant-1", "inv-1")).settlement).toMatchObject({
          creditApplied: 500n,
          paid: 700n
        })
      })
    )
  )

  it.effect("settles the invoice from credit alone without calling the gateway", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({ methodId: "pm_ok", credit: 5000n })
        expect(yield* collectInvoice(request)).toEqual({ _tag: "Paid", by: "credit", creditApplied: 1200n })
        expect((yield* InMemoryGatewayInspector).charges()).toEqual([])
        expect(yield* store.ledger.balance("tenant-1", "cus-1", "EUR")).toBe(3800n)
        expect((yield* store.subscriptions.get("tenant-1", "sub-1")).value.lifecycle.status).toBe("active")
      })
    )
  )

  it.effect("records a decline for dunning and succeeds on a later attempt with a new key", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({ methodId: "pm_declined" })
        expect(yield* collectInvoice(request)).toEqual({
          _tag: "Failed",
          reason: "card declined",
          declineCode: "insufficient_funds"
        })
        expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("open")
        // the retry of the same attempt does not charge again
        expect((yield* collectInvoice(request))._tag).toBe("Failed")
        // the customer saves a working card; dunning's attempt 2
        yield* store.paymentMethods.remove("tenant-1", "spm-1")
        yield* store.paymentMethods.insert("tenant-1", {
          id: "spm-2",
          customerId: "cus-1",
          gateway: "fake",
          gatewayCustomerId: "gcus-1",
          gatewayMethodId: "pm_ok",
          kind: "card",
          label: "Mastercard •••• 4444",
          isDefault: true,
          createdAt: now
        })
        expect((yield* collectInvoice({ ...request, attempt: 2 }))._tag).toBe("Paid")
        const payments = yield* store.payments.listByInvoice("tenant-1", "inv-1")
        expect(payments.map((p) => [p.idempotencyKey, p.status])).toEqual([
          ["collect:inv-1:1", "failed"],
          ["collect:inv-1:2", "succeeded"]
        ])
        const calls = (yield* InMemoryGatewayInspector).charges().map((c) => c.calls)
        expect(calls).toEqual([1, 1])
      })
    )
  )

  it.effect("reconciles a timeout after the charge was made instead of charging again", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({ methodId: "pm_timeout" })
        expect(yield* collectInvoice(request)).toEqual({ _tag: "Reconciling", status: "unknown" })
        expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("open")
        const [job] = yield* store.jobs.claim({
          now: now + 10 * 60_000,
          limit: 5,
          leaseMs: 1000,
          workerId: "w"
        })
        expect(job).toMatchObject({ kind: "reconcile", payload: { invoiceId: "inv-1", attempt: 1 } })
        expect(yield* reconcileCollection(request)).toEqual({
          _tag: "Paid",
          by: "payment",
          creditApplied: 0n
        })
        expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("paid")
        const inspector = yield* InMemoryGatewayInspector
        expect(inspector.charges().map((c) => c.calls)).toEqual([1])
        // reconciling twice records nothing more
        expect((yield* reconcileCollection(request))._tag).toBe("NotOpen")
        expect((yield* store.payments.listByInvoice("tenant-1", "inv-1")).length).toBe(1)
      })
    )
  )

  it.effect("lifts a non-payment suspension on payment (with an unsuspend job), never an abuse one", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed({
          methodId: "pm_ok",
          subscription: {
            lifecycle: lifecycle({ status: "suspended", suspension: { reason: "non_payment", at: now } })
          }
        })
        yield* collectInvoice(request)
        expect((yield* store.subscriptions.get("tenant-1", "sub-1")).value.lifecycle.status).toBe("active")
        const jobs = yield* store.jobs.claim({ now, limit: 5, leaseMs: 1000, workerId: "w" })
        expect(jobs.map((j) => [j.kind, j.dedupeKey])).toEqual([["unsuspend", "unsuspend:sub-1:inv-1"]])
      })
    ).pipe(
      Effect.zipRight(
        run(
          Effect.gen(function* () {
            const store = yield* seed({
              methodId: "pm_ok",
              subscription: {
                lifecycle: lifecycle({ status: "suspended", suspension: { reason: "abuse", at: now } })
              }
            })
            yield* collectInvoice(request)
            expect((yield* store.subscriptions.get("tenant-1", "sub-1")).value.lifecycle.status).toBe(
              "suspended"
            )
            expect(yield* store.jobs.claim({ now, limit: 5, leaseMs: 1000, workerId: "w" })).toEqual([])
          })
        )
      )
    )
  )

  it.effect(
    "keeps a suspension the policy does not lift on payment, or that this invoice did not cause",
    () =>
      Effect.gen(function* () {
        const suspended = {
          lifecycle: lifecycle({ status: "suspended", suspension: { reason: "non_payment", at: now } })
        }
        const cases = [
          // the tenant's policy keeps services suspended until staff lift them
          { methodId: "pm_ok", subscription: suspended, unsuspendOnPayment: false },
          // suspended before this invoice was even due: another unpaid invoice is why
          { methodId: "pm_ok", subscription: suspended, dueAt: now + 86_400_000 }
        ]
        for (const options of cases) {
          yield* run(
            Effect.gen(function* () {
              const store = yield* seed(options)
              expect(yield* collectInvoice(request)).toMatchObject({ _tag: "Paid" })
              expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("paid")
              expect((yield* store.subscriptions.get("tenant-1", "sub-1")).value.lifecycle.status).toBe(
                "suspended"
              )
              const jobs = yield* store.jobs.claim({ now, limit: 5, leaseMs: 1000, workerId: "w" })
              expect(jobs.map((j) => j.kind)).not.toContain("unsuspend")
            })
          )
        }
      })
  )

  it.effect("leaves the invoice open when there is no saved method or the card needs 3-D Secure", () =>
    run(
      Effect.gen(function* () {
        yield* seed()
        expect(yield* collectInvoice(request)).toEqual({ _tag: "NoPaymentMethod", balance: 1200n })
      })
    ).pipe(
      Effect.zipRight(
        run(
          Effect.gen(function* () {
            const store = yield* seed({ methodId: "pm_3ds" })
            const outcome = yield* collectInvoice(request)
            expect(outcome._tag).toBe("RequiresAction")
            expect(outcome).toMatchObject({ actionUrl: expect.stringContaining("3ds") })
            expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("open")
          })
        )
      )
    )
  )
})
