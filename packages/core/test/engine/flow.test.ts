/**
 * The engine's jobs end to end through the worker, on the in-memory store and on SQLite: the scheduler's
 * billing run writes the renewal and its collect job; on the due date the worker charges the saved card
 * once; a timeout is reconciled, not charged again.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  decodeBillingSettings,
  decodeTaxRules,
  encodeBillingSettings,
  engineHandlers,
  type Ids,
  type PaymentGateway,
  Store,
  scheduleRecurring,
  startOfDayInZone,
  workOnce
} from "@ezscale/core"
import {
  InMemoryGateway,
  InMemoryGatewayInspector,
  InMemoryStore,
  makeCustomer,
  makeSubscription,
  makeTenant,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const zone = "Europe/Paris"
const at = (year: number, month: number, day: number) => startOfDayInZone({ year, month, day }, zone)
const settings = Either.getOrThrow(
  decodeBillingSettings({ timeZone: zone, seller: { country: "FR", euVat: "oss" } })
)
const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

const seed = (methodId: string) =>
  Effect.gen(function* () {
    const store = yield* Store
    yield* store.tenants.put(makeTenant({ settings: { billing: encodeBillingSettings(settings) } }))
    yield* store.taxRules.replace("tenant-1", rules)
    yield* store.customers.insert(
      "tenant-1",
      makeCustomer({ country: "FR", isBusiness: false, timeZone: zone })
    )
    yield* store.subscriptions.insert(
      "tenant-1",
      makeSubscription({
        timeZone: zone,
        anchor: { year: 2026, month: 1, day: 15 },
        nextRenewalAt: at(2026, 2, 15),
        invoicedPeriods: 1,
        lifecycle: {
          status: "active",
          suspension: undefined,
          cancellation: undefined,
          trialEndsAt: undefined
        }
      })
    )
    yield* store.paymentMethods.insert("tenant-1", {
      id: "spm-1",
      customerId: "cus-1",
      gateway: "fake",
      gatewayCustomerId: "gcus-1",
      gatewayMethodId: methodId,
      kind: "card",
      label: "Visa •••• 4242",
      isDefault: true,
      createdAt: at(2026, 1, 15)
    })
    return store
  })

const work = workOnce({ workerId: "w1", handlers: engineHandlers })

describe.each(stores)("engine jobs on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway | InMemoryGatewayInspector>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(
        storeLayer(),
        SequentialIds.layer,
        InMemoryGateway.layer({
          methods: {
            pm_ok: { kind: "succeed" },
            pm_timeout: { kind: "unknown_then_succeeded" },
            pm_unreachable: { kind: "unreachable", times: 2 }
          }
        })
      )
    )

  it.effect("bills on schedule and collects on the due date, charging once", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed("pm_ok")
        yield* TestClock.setTime(at(2026, 2, 10))
        yield* scheduleRecurring("tenant-1", { kind: "billing_run", everyMs: 3_600_000 })
        expect(yield* work).toMatchObject({ claimed: 1, completed: 1 })
        const [invoice] = (yield* store.invoices.listByCustomer("tenant-1", "cus-1", { limit: 10 })).items
        expect(invoice).toMatchObject({ status: "open", totals: { total: 1200n } })
        expect((yield* work).claimed).toBe(0) // the collect job waits for the due date
        yield* TestClock.setTime(at(2026, 2, 15))
        expect(yield* work).toMatchObject({ claimed: 1, completed: 1 })
        expect((yield* store.invoices.get("tenant-1", invoice?.id ?? "")).status).toBe("paid")
        const charges = (yield* InMemoryGatewayInspector).charges()
        expect(charges.map((c) => [c.request.amount.amount, c.calls])).toEqual([[1200n, 1]])
      })
    )
  )

  it.effect("reconciles a charge whose answer timed out, and never charges it twice", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed("pm_timeout")
        yield* TestClock.setTime(at(2026, 2, 10))
        yield* scheduleRecurring("tenant-1", { kind: "billing_run", everyMs: 3_600_000 })
        yield* work
        yield* TestClock.setTime(at(2026, 2, 15))
        yield* work // collect: the gateway's answer is lost; a reconcile job is written
        const [invoice] = (yield* store.invoices.listByCustomer("tenant-1", "cus-1", { limit: 10 })).items
        expect(invoice?.status).toBe("open")
        yield* TestClock.adjust("5 minutes")
        expect(yield* work).toMatchObject({ claimed: 1, completed: 1 })
        expect((yield* store.invoices.get("tenant-1", invoice?.id ?? "")).status).toBe("paid")
        expect((yield* InMemoryGatewayInspector).charges().map((c) => c.calls)).toEqual([1])
        expect((yield* store.payments.listByInvoice("tenant-1", invoice?.id ?? "")).length).toBe(1)
      })
    )
  )

  it.effect("keeps reconciling while a charge sent again is lost again, then records the one charge", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed("pm_unreachable")
        yield* TestClock.setTime(at(2026, 2, 10))
        yield* scheduleRecurring("tenant-1", { kind: "billing_run", everyMs: 3_600_000 })
        yield* work
        yield* TestClock.setTime(at(2026, 2, 15))
        yield* work // collect: the request is lost before the gateway; a reconcile job is written
        const [invoice] = (yield* store.invoices.listByCustomer("tenant-1", "cus-1", { limit: 10 })).items
        const invoiceId = invoice?.id ?? ""
        yield* TestClock.adjust("5 minutes")
        // reconcile: the gateway never saw the key, so it charges again with it — and that is lost too:
        // the job must stay, not complete with the outcome still unknown.
        expect(yield* work).toMatchObject({ claimed: 1, completed: 0 })
        expect((yield* store.invoices.get("tenant-1", invoiceId)).status).toBe("open")
        yield* TestClock.adjust("1 hour")
        expect(yield* work).toMatchObject({ claimed: 1, completed: 1 })
        expect((yield* store.invoices.get("tenant-1", invoiceId)).status).toBe("paid")
        expect((yield* InMemoryGatewayInspector).charges().map((c) => c.calls)).toEqual([1])
        expect((yield* store.payments.listByInvoice("tenant-1", invoiceId)).length).toBe(1)
      })
    )
  )
})
