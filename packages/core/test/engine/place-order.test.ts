/**
 * Placing an order on the in-memory store and SQLite: a pending subscription with its numbered order
 * invoice and collect job; paid by collection, the subscription activates with a provision job and its
 * revenue `started` event, and the billing run renews it from the period's end without setup fees.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  collectInvoice,
  type Ids,
  type PaymentGateway,
  placeOrder,
  runBilling,
  type Store
} from "@ezscale/core"
import { InMemoryGateway, SequentialIds } from "@ezscale/testkit"
import { Effect, Exit, Layer, TestClock } from "effect"
import {
  at,
  claimJobs,
  gatewayMethods,
  seedAccount,
  staff,
  stores,
  tenantId,
  vps2g
} from "./account-fixtures"

const now = at(2026, 3, 10, 10)

describe.each(stores)("placeOrder on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )
  const order = { tenantId, customerId: "cus-1", selection: vps2g, actor: staff }

  it.effect("writes a pending subscription, its numbered order invoice and a collect job", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        yield* TestClock.setTime(now)
        const placed = yield* placeOrder(order)
        const subscription = (yield* store.subscriptions.get(tenantId, placed.subscriptionId)).value
        expect(subscription).toMatchObject({
          customerId: "cus-1",
          planId: "vps-2g",
          cycle: "monthly",
          anchor: { year: 2026, month: 3, day: 10 },
          invoicedPeriods: 1,
          lifecycle: { status: "pending" }
        })
        expect(subscription.nextRenewalAt).toBeUndefined()
        const invoice = yield* store.invoices.get(tenantId, placed.invoiceId)
        // 10.00 for Mar 10 - Apr 10, Debian 0.00, setup 5.00; 20% TVA on 15.00.
        expect(invoice).toMatchObject({
          kind: "order",
          status: "open",
          number: "INV-2026-00001",
          period: { start: { year: 2026, month: 3, day: 10 }, end: { year: 2026, month: 4, day: 10 } },
          totals: { subtotal: 1500n, tax: 300n, total: 1800n }
        })
        const jobs = yield* claimJobs(["collect", "provision"])
        expect(jobs.map((job) => [job.kind, job.payload])).toEqual([
          ["collect", { invoiceId: placed.invoiceId }]
        ])
        const log = yield* store.audit.list(tenantId, { limit: 10 })
        expect(log.items.map((entry) => [entry.action, entry.actor.id, entry.targetId])).toEqual([
          ["order.placed", "staff-7", placed.subscriptionId]
        ])
      })
    )
  )

  it.effect("activates on payment: provision job, revenue started, renewals from the period's end", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        yield* TestClock.setTime(now)
        const placed = yield* placeOrder(order)
        expect((yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 }))._tag).toBe(
          "Paid"
        )
        const subscription = (yield* store.subscriptions.get(tenantId, placed.subscriptionId)).value
        expect(subscription.lifecycle.status).toBe("active")
        expect(subscription.currentPeriod).toEqual({
          start: { year: 2026, month: 3, day: 10 },
          end: { year: 2026, month: 4, day: 10 }
        })
        expect(subscription.nextRenewalAt).toBe(at(2026, 4, 10))
        const jobs = yield* claimJobs(["provision"])
        expect(jobs.map((job) => job.payload)).toEqual([
          { subscriptionId: placed.subscriptionId, action: "create" }
        ])
        const events = yield* store.revenue.events(tenantId, placed.subscriptionId)
        expect(events.map((e) => e.event._tag)).toEqual(["RevenueStarted"])
        const started = events[0]?.event
        expect(started?._tag === "RevenueStarted" && started.snapshot.lines.map((l) => l.amount)).toEqual([
          1000n,
          0n
        ])
        // The first renewal (Apr 10 - May 10) is invoiced from Apr 3 and carries no setup fee.
        yield* TestClock.setTime(at(2026, 4, 3))
        expect((yield* runBilling({ tenantId })).invoiced).toBe(1)
        const invoices = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
        const renewal = invoices.find((invoice) => invoice.kind === "renewal")
        expect(renewal).toMatchObject({
          number: "INV-2026-00002",
          period: { start: { year: 2026, month: 4, day: 10 }, end: { year: 2026, month: 5, day: 10 } },
          totals: { total: 1200n }
        })
      })
    )
  )

  it.effect("places an order once per order key", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        yield* TestClock.setTime(now)
        const first = yield* placeOrder({ ...order, orderKey: "cart-42" })
        const again = yield* placeOrder({ ...order, orderKey: "cart-42" })
        expect(again).toEqual(first)
        const invoices = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
        expect(invoices.map((invoice) => invoice.id)).toEqual([first.invoiceId])
      })
    )
  )

  it.effect("refuses what it cannot sell, writing nothing", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        yield* TestClock.setTime(now)
        const ddos = yield* Effect.flip(
          placeOrder({ ...order, selection: { ...vps2g, addons: [{ addonId: "ddos", cycle: "annually" }] } })
        )
        expect(ddos._tag).toBe("InvalidOrder")
        const plan = yield* Effect.flip(placeOrder({ ...order, selection: { ...vps2g, planId: "vps-9g" } }))
        expect(plan._tag).toBe("PlanNotFound")
        const nobody = yield* Effect.exit(placeOrder({ ...order, customerId: "cus-404" }))
        expect(Exit.isFailure(nobody)).toBe(true)
        expect((yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items).toEqual([])
      })
    )
  )
})
