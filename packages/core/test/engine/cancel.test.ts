/**
 * Cancellation on the in-memory store and SQLite. An order of 10.00 + 20% TVA a month from Mar 10
 * (period Mar 10 - Apr 10, 31 days), paid by card, cancelled on Mar 20: 21 of 31 days are unused, so a
 * tenant that credits unused time credits 6.77 + 1.35 TVA = 8.12 (half-even) with a credit note.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  cancelSubscription,
  collectInvoice,
  completeCancellation,
  type Ids,
  type PaymentGateway,
  placeOrder,
  runBilling,
  type Store
} from "@ezscale/core"
import { InMemoryGateway, SequentialIds } from "@ezscale/testkit"
import { Effect, Layer, TestClock } from "effect"
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

describe.each(stores)("cancelSubscription on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )

  /** The order, placed and paid on Mar 10; the clock then on Mar 20, 10:00 Paris time. */
  const active = (unusedTime: "none" | "account_credit") =>
    Effect.gen(function* () {
      const store = yield* seedAccount({ cancellation: { unusedTime } })
      yield* TestClock.setTime(at(2026, 3, 10, 10))
      const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
      yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 })
      yield* TestClock.setTime(at(2026, 3, 20, 10))
      return { store, ...placed }
    })

  it.effect("now: cancelled, no renewal, terminate job, churn, unused time to account credit", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId, invoiceId } = yield* active("account_credit")
        const result = yield* cancelSubscription({
          tenantId,
          subscriptionId,
          mode: "immediately",
          reason: "moving to dedicated",
          actor: staff
        })
        expect(result).toEqual({ status: "cancelled", effectiveAt: at(2026, 3, 20, 10), credited: 812n })
        const subscription = (yield* store.subscriptions.get(tenantId, subscriptionId)).value
        expect(subscription.lifecycle.status).toBe("cancelled")
        expect(subscription.nextRenewalAt).toBeUndefined()
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(812n)
        const invoice = yield* store.invoices.get(tenantId, invoiceId)
        expect(invoice).toMatchObject({
          status: "partially_refunded",
          settlement: { refunded: 812n, credited: 812n }
        })
        const notes = yield* store.creditNotes.listByInvoice(tenantId, invoiceId)
        expect(
          notes.map((n) => [n.number, n.note.totals.net, n.note.totals.tax, n.note.totals.total])
        ).toEqual([["CN-2026-00001", 677n, 135n, 812n]])
        const provision = yield* claimJobs(["provision"])
        expect(provision.map((job) => job.payload)).toEqual([
          { subscriptionId, action: "create" },
          { subscriptionId, action: "terminate" }
        ])
        const events = yield* store.revenue.events(tenantId, subscriptionId)
        expect(events.map((e) => e.event._tag)).toEqual(["RevenueStarted", "RevenueChurned"])
        expect((yield* store.revenue.totals(tenantId)).mrr).toEqual({})
        // Cancelling again is an illegal transition; nothing changes.
        const again = yield* Effect.flip(
          cancelSubscription({ tenantId, subscriptionId, mode: "immediately", reason: "again", actor: staff })
        )
        expect(again._tag).toBe("IllegalTransition")
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(812n)
      })
    )
  )

  it.effect("now, for a tenant that keeps unused time: nothing is credited", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active("none")
        const result = yield* cancelSubscription({
          tenantId,
          subscriptionId,
          mode: "immediately",
          reason: "no longer needed",
          actor: staff
        })
        expect(result.credited).toBe(0n)
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(0n)
      })
    )
  )

  it.effect("now, after the next period was invoiced: its unpaid renewal invoice is voided", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active("none")
        yield* TestClock.setTime(at(2026, 4, 3))
        expect((yield* runBilling({ tenantId })).invoiced).toBe(1)
        yield* TestClock.setTime(at(2026, 4, 5, 10))
        yield* cancelSubscription({
          tenantId,
          subscriptionId,
          mode: "immediately",
          reason: "moving",
          actor: staff
        })
        const invoices = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
        expect(invoices.map((invoice) => [invoice.kind, invoice.status])).toEqual([
          ["order", "paid"],
          ["renewal", "void"]
        ])
      })
    )
  )

  it.effect("at the period's end: scheduled, not renewed, completed by its job when due", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active("account_credit")
        const result = yield* cancelSubscription({
          tenantId,
          subscriptionId,
          mode: "period_end",
          reason: "too expensive",
          actor: staff
        })
        expect(result).toEqual({ status: "active", effectiveAt: at(2026, 4, 10), credited: 0n })
        const jobs = yield* claimJobs(["complete_cancellation"])
        expect(jobs.map((job) => [job.runAt, job.payload])).toEqual([
          [at(2026, 4, 10), { subscriptionId, effectiveAt: at(2026, 4, 10) }]
        ])
        // The billing run stops renewing it instead of invoicing April.
        yield* TestClock.setTime(at(2026, 4, 3))
        expect(yield* runBilling({ tenantId })).toMatchObject({ invoiced: 0, stopped: 1 })
        yield* TestClock.setTime(at(2026, 4, 10) - 1)
        expect((yield* Effect.flip(completeCancellation({ tenantId, subscriptionId })))._tag).toBe(
          "CancellationNotDue"
        )
        yield* TestClock.setTime(at(2026, 4, 10))
        expect(yield* completeCancellation({ tenantId, subscriptionId })).toBe("completed")
        expect(yield* completeCancellation({ tenantId, subscriptionId })).toBe("not_scheduled")
        expect((yield* store.subscriptions.get(tenantId, subscriptionId)).value.lifecycle.status).toBe(
          "cancelled"
        )
        const events = yield* store.revenue.events(tenantId, subscriptionId)
        expect(events.map((e) => e.event._tag)).toEqual(["RevenueStarted", "RevenueChurned"])
        expect((yield* claimJobs(["provision"])).map((job) => job.payload)).toEqual([
          { subscriptionId, action: "create" },
          { subscriptionId, action: "terminate" }
        ])
      })
    )
  )

  it.effect("a pending order: cancelled with its invoice voided, nothing to provision or churn", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount({}, undefined)
        yield* TestClock.setTime(at(2026, 3, 10, 10))
        const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
        const result = yield* cancelSubscription({
          tenantId,
          subscriptionId: placed.subscriptionId,
          mode: "immediately",
          reason: "changed my mind",
          actor: { kind: "customer", id: "cus-1" }
        })
        expect(result.status).toBe("cancelled")
        expect((yield* store.invoices.get(tenantId, placed.invoiceId)).status).toBe("void")
        expect(yield* claimJobs(["provision"])).toEqual([])
        expect(yield* store.revenue.events(tenantId, placed.subscriptionId)).toEqual([])
        const scheduled = yield* Effect.flip(
          cancelSubscription({
            tenantId,
            subscriptionId: placed.subscriptionId,
            mode: "period_end",
            reason: "x",
            actor: staff
          })
        )
        expect(scheduled._tag).toBe("SubscriptionNotChangeable")
      })
    )
  )
})
