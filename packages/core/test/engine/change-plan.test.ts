/**
 * Plan changes on the in-memory store and SQLite. The order (2 GB, 10.00 a month from Mar 10, period
 * Mar 10 - Apr 10 = 31 days) is paid; on Mar 20, 21 of 31 days are left:
 * - upgrade to 4 GB (20.00): -6.77 + 13.55 = 6.78 net, + 1.36 TVA = 8.14 due on a plan-change invoice;
 * - downgrade back from 4 GB: 13.55 - 6.77 credited = 6.78 + 1.36 = 8.14 to account credit.
 * At the end of the term, the change waits for its job at Apr 10 and then applies over the new period.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  applyScheduledChange,
  changePlan,
  collectInvoice,
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

describe.each(stores)("changePlan on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )

  const active = (selection = vps2g) =>
    Effect.gen(function* () {
      const store = yield* seedAccount()
      yield* TestClock.setTime(at(2026, 3, 10, 10))
      const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection, actor: staff })
      yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 })
      yield* claimJobs(["collect", "provision"])
      yield* TestClock.setTime(at(2026, 3, 20, 10))
      return { store, ...placed }
    })

  const debian = [{ optionId: "os", choiceId: "debian" }] as const

  it.effect("upgrades now: a plan-change invoice for the difference with its collect job; MRR follows", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active()
        const result = yield* changePlan({
          tenantId,
          subscriptionId,
          change: { planId: "vps-4g", options: debian },
          actor: staff
        })
        expect(result).toMatchObject({ policy: "immediate", amountDue: 814n, credited: 0n })
        const invoice = yield* store.invoices.get(tenantId, result.invoiceId as string)
        expect(invoice).toMatchObject({
          kind: "plan_change",
          status: "open",
          number: "INV-2026-00002",
          totals: { subtotal: 678n, tax: 136n, total: 814n }
        })
        expect(invoice.lines.map((line) => [line.kind, line.amount])).toEqual([
          ["proration", -677n],
          ["proration", 1355n]
        ])
        expect((yield* claimJobs(["collect"])).map((job) => job.payload)).toEqual([
          { invoiceId: result.invoiceId }
        ])
        const subscription = (yield* store.subscriptions.get(tenantId, subscriptionId)).value
        expect(subscription).toMatchObject({ planId: "vps-4g", nextRenewalAt: at(2026, 4, 10) })
        expect(subscription.items.map((item) => item.amount)).toEqual([2000n, 0n])
        const events = yield* store.revenue.events(tenantId, subscriptionId)
        expect(events.map((e) => e.event._tag)).toEqual(["RevenueStarted", "RevenueChanged"])
        const log = yield* store.audit.list(
          tenantId,
          { limit: 1 },
          { type: "subscription", id: subscriptionId }
        )
        expect(log.items.map((entry) => entry.action)).toEqual(["subscription.plan_changed"])
        // The same configuration again is nothing to change.
        const same = yield* Effect.flip(
          changePlan({
            tenantId,
            subscriptionId,
            change: { planId: "vps-4g", options: debian },
            actor: staff
          })
        )
        expect(same._tag).toBe("NothingToChange")
      })
    )
  )

  it.effect("downgrades now: the negative net becomes account credit, tax included", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active({ ...vps2g, planId: "vps-4g" })
        const result = yield* changePlan({
          tenantId,
          subscriptionId,
          change: { planId: "vps-2g", options: debian },
          actor: staff
        })
        expect(result).toMatchObject({ invoiceId: undefined, amountDue: 0n, credited: 814n })
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(814n)
        expect((yield* store.subscriptions.get(tenantId, subscriptionId)).value.planId).toBe("vps-2g")
      })
    )
  )

  it.effect(
    "at the end of the term: a job at the period's end; the renewal's items credited, the new charged",
    () =>
      run(
        Effect.gen(function* () {
          const { store, subscriptionId } = yield* active()
          const change = { planId: "vps-4g", options: debian }
          const result = yield* changePlan({
            tenantId,
            subscriptionId,
            change,
            policy: "end_of_term",
            actor: staff
          })
          expect(result).toEqual({
            policy: "end_of_term",
            effectiveAt: at(2026, 4, 10),
            invoiceId: undefined,
            amountDue: 0n,
            credited: 0n
          })
          expect((yield* store.subscriptions.get(tenantId, subscriptionId)).value.planId).toBe("vps-2g")
          const [job] = yield* claimJobs(["plan_change"])
          expect(job?.runAt).toBe(at(2026, 4, 10))
          // The April renewal is invoiced (with the old plan) and paid before the change takes effect.
          yield* TestClock.setTime(at(2026, 4, 3))
          expect((yield* runBilling({ tenantId })).invoiced).toBe(1)
          const renewal = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items.find(
            (invoice) => invoice.kind === "renewal"
          )
          expect(renewal?.totals.total).toBe(1200n)
          yield* collectInvoice({ tenantId, invoiceId: renewal?.id as string, attempt: 1 })
          yield* TestClock.setTime(at(2026, 4, 10) + 60_000)
          expect(yield* applyScheduledChange({ tenantId, subscriptionId, change, actor: staff })).toBe(
            "applied"
          )
          // The whole of April: -10.00 + 20.00 = 10.00 + 2.00 TVA.
          const invoices = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
          const planChange = invoices.find((invoice) => invoice.kind === "plan_change")
          expect(planChange?.totals).toMatchObject({ subtotal: 1000n, tax: 200n, total: 1200n })
          expect((yield* store.subscriptions.get(tenantId, subscriptionId)).value.planId).toBe("vps-4g")
          // Applied once: the job running again finds nothing to change.
          expect(yield* applyScheduledChange({ tenantId, subscriptionId, change, actor: staff })).toBe(
            "skipped"
          )
        })
      )
  )

  it.effect("an unpaid renewal is voided when the scheduled change takes effect", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId } = yield* active()
        const change = { planId: "vps-4g", options: debian }
        yield* changePlan({ tenantId, subscriptionId, change, policy: "end_of_term", actor: staff })
        yield* TestClock.setTime(at(2026, 4, 3))
        yield* runBilling({ tenantId })
        yield* TestClock.setTime(at(2026, 4, 10) + 60_000)
        expect(yield* applyScheduledChange({ tenantId, subscriptionId, change, actor: staff })).toBe(
          "applied"
        )
        const invoices = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
        expect(invoices.map((invoice) => [invoice.kind, invoice.status, invoice.totals.total])).toEqual([
          ["order", "paid", 1800n],
          ["renewal", "void", 1200n],
          ["plan_change", "open", 2400n]
        ])
      })
    )
  )

  it.effect("refuses a pending subscription", () =>
    run(
      Effect.gen(function* () {
        yield* seedAccount({}, undefined)
        yield* TestClock.setTime(at(2026, 3, 10, 10))
        const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
        const error = yield* Effect.flip(
          changePlan({
            tenantId,
            subscriptionId: placed.subscriptionId,
            change: { planId: "vps-4g", options: debian },
            actor: staff
          })
        )
        expect(error._tag).toBe("SubscriptionNotChangeable")
      })
    )
  )
})
