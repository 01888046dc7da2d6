/**
 * Gateway webhooks over the in-memory store and SQLite, with the in-memory gateway: a delivery is kept
 * once with one `gateway_event` job, and a `ChargeUpdated` for a collection attempt is recorded from the
 * gateway's current state through the collection's recording path — the same event twice, or a `failed`
 * arriving after the `succeeded` one, leave the invoice paid once.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  type ChargeOutcome,
  collectInvoice,
  decodeBillingSettings,
  defaultDunningPolicy,
  encodeBillingSettings,
  type GatewayEvent,
  GatewayEvents,
  gatewayEventHandlers,
  gatewayEventKey,
  type Ids,
  type PaymentGateway,
  processGatewayEvent,
  receiveWebhook,
  Store,
  workOnce
} from "@ezscale/core"
import {
  date,
  InMemoryGateway,
  InMemoryStore,
  makeCustomer,
  makeInvoice,
  makeSubscription,
  makeTenant,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const now = Date.UTC(2026, 1, 15, 9, 0)
const key = "collect:inv-1:1"

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

/** The test's webhook format: `{ charge: { key, status, amount } }` is a ChargeUpdated, anything else ignored. */
const webhooks = Layer.succeed(GatewayEvents, {
  gateway: "fake",
  verify: () => Effect.die("not used: deliveries are verified by the adapters"),
  interpret: (payload): GatewayEvent => {
    const charge = (payload as { charge?: { key: string; status: ChargeOutcome["status"]; amount: number } })
      .charge
    if (charge === undefined) return { _tag: "Ignored" }
    return {
      _tag: "ChargeUpdated",
      outcome: {
        status: charge.status,
        idempotencyKey: charge.key,
        amount: { amount: BigInt(charge.amount), currency: "EUR" }
      },
      invoiceId: "inv-1"
    }
  }
})

const delivery = (eventId: string, status: ChargeOutcome["status"]) => ({
  tenantId: "tenant-1",
  gateway: "fake",
  verified: {
    eventId,
    type: "charge.updated",
    payload: { charge: { key, status, amount: 1200 } },
    event: { _tag: "Ignored" } as const
  }
})

/** A 12.00 EUR open invoice whose first collection timed out after the gateway charged the card. */
const seed = Effect.gen(function* () {
  const store = yield* Store
  yield* TestClock.setTime(now)
  const billing = encodeBillingSettings(
    Either.getOrThrow(
      decodeBillingSettings({
        timeZone: "Europe/Paris",
        seller: { country: "FR", euVat: "oss" },
        numbering: { format: "INV-{NUMBER:5}", reset: "never", start: 1, mode: "immediate" },
        dunning: defaultDunningPolicy
      })
    )
  )
  yield* store.tenants.put(makeTenant({ settings: { billing } }))
  yield* store.customers.insert("tenant-1", makeCustomer())
  yield* store.subscriptions.insert(
    "tenant-1",
    makeSubscription({ currentPeriod: { start: date(2026, 1, 15), end: date(2026, 2, 15) } })
  )
  yield* store.invoices.insert(
    "tenant-1",
    makeInvoice({
      period: { start: date(2026, 2, 15), end: date(2026, 3, 15) },
      lines: [],
      totals: { subtotal: 1200n, tax: 0n, total: 1200n, discount: 0n }
    })
  )
  yield* store.paymentMethods.insert("tenant-1", {
    id: "spm-1",
    customerId: "cus-1",
    gateway: "fake",
    gatewayCustomerId: "gcus-1",
    gatewayMethodId: "pm_timeout",
    kind: "card",
    label: "Visa •••• 4242",
    isDefault: true,
    createdAt: now
  })
  expect(yield* collectInvoice({ tenantId: "tenant-1", invoiceId: "inv-1", attempt: 1 })).toEqual({
    _tag: "Reconciling",
    status: "unknown"
  })
  return store
})

describe.each(stores)("gateway events on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway | GatewayEvents>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(
        storeLayer(),
        SequentialIds.layer,
        InMemoryGateway.layer({ methods: { pm_timeout: { kind: "unknown_then_succeeded" } } }),
        webhooks
      )
    )

  it.effect("keeps a delivery once with one job; the same event twice pays the invoice once", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed
        const first = yield* receiveWebhook(delivery("evt_1", "succeeded"))
        const second = yield* receiveWebhook(delivery("evt_1", "succeeded"))
        expect([first.isNew, second.isNew]).toEqual([true, false])
        expect(second.event.id).toBe(first.event.id)
        const jobs = yield* store.jobs.findByDedupeKeys("tenant-1", [gatewayEventKey("fake", "evt_1")])
        expect(jobs.map((job) => [job.kind, job.payload])).toEqual([
          ["gateway_event", { source: "fake", eventId: "evt_1" }]
        ])

        // The job runs through the worker; running the event again changes nothing.
        expect(yield* workOnce({ workerId: "w1", handlers: gatewayEventHandlers })).toMatchObject({
          completed: 1
        })
        expect(
          yield* processGatewayEvent({ tenantId: "tenant-1", source: "fake", eventId: "evt_1" })
        ).toEqual({
          _tag: "AlreadyProcessed"
        })
        expect((yield* store.webhookInbox.get("tenant-1", "fake", "evt_1")).state).toBe("processed")
        const invoice = yield* store.invoices.get("tenant-1", "inv-1")
        expect(invoice).toMatchObject({ status: "paid", settlement: { paid: 1200n } })
        const payments = yield* store.payments.listByInvoice("tenant-1", "inv-1")
        expect(payments.map((p) => [p.status, p.amount, p.idempotencyKey])).toEqual([
          ["succeeded", 1200n, key]
        ])
      })
    )
  )

  it.effect("a failed event after the succeeded one leaves the invoice paid once", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed
        yield* receiveWebhook(delivery("evt_ok", "succeeded"))
        yield* receiveWebhook(delivery("evt_late", "failed"))
        const ok = yield* processGatewayEvent({ tenantId: "tenant-1", source: "fake", eventId: "evt_ok" })
        expect(ok).toMatchObject({ _tag: "Collection", outcome: { _tag: "Paid", by: "payment" } })
        const late = yield* processGatewayEvent({ tenantId: "tenant-1", source: "fake", eventId: "evt_late" })
        expect(late).toEqual({ _tag: "Collection", invoiceId: "inv-1", outcome: { _tag: "NotOpen" } })
        expect((yield* store.webhookInbox.get("tenant-1", "fake", "evt_late")).state).toBe("processed")
        expect(yield* store.invoices.get("tenant-1", "inv-1")).toMatchObject({
          status: "paid",
          settlement: { paid: 1200n }
        })
        const payments = yield* store.payments.listByInvoice("tenant-1", "inv-1")
        expect(payments.map((p) => [p.status, p.idempotencyKey])).toEqual([["succeeded", key]])
      })
    )
  )

  it.effect("a failed event first is still recorded from the gateway's current state (succeeded)", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seed
        yield* receiveWebhook(delivery("evt_stale", "failed"))
        yield* processGatewayEvent({ tenantId: "tenant-1", source: "fake", eventId: "evt_stale" })
        expect((yield* store.invoices.get("tenant-1", "inv-1")).status).toBe("paid")
        const payments = yield* store.payments.listByInvoice("tenant-1", "inv-1")
        expect(payments.map((p) => p.status)).toEqual(["succeeded"])
      })
    )
  )
})
