/**
 * Staff granting account credit, on the in-memory store and SQLite: one ledger entry and one audit
 * entry; collection then spends the credit before charging the card.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  collectInvoice,
  grantCredit,
  type Ids,
  type PaymentGateway,
  placeOrder,
  type Store
} from "@ezscale/core"
import { InMemoryGateway, SequentialIds } from "@ezscale/testkit"
import { Effect, Layer, TestClock } from "effect"
import { at, gatewayMethods, seedAccount, staff, stores, tenantId, vps2g } from "./account-fixtures"

describe.each(stores)("grantCredit on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )
  const grant = {
    tenantId,
    customerId: "cus-1",
    currency: "EUR",
    amount: 500n,
    reason: "outage",
    actor: staff
  } as const

  it.effect("adds credit with its audit entry; collection spends it first", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        yield* TestClock.setTime(at(2026, 3, 10, 10))
        const entry = yield* grantCredit(grant)
        expect(entry).toMatchObject({
          amount: 500n,
          balanceAfter: 500n,
          kind: "credit_added",
          note: "outage"
        })
        const log = yield* store.audit.list(tenantId, { limit: 10 }, { type: "customer", id: "cus-1" })
        expect(log.items.map((e) => [e.action, e.details])).toEqual([
          ["customer.credit_added", { amount: "500", currency: "EUR", reason: "outage" }]
        ])
        const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
        expect(yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 })).toEqual({
          _tag: "Paid",
          by: "payment",
          creditApplied: 500n
        })
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(0n)
      })
    )
  )

  it.effect("refuses a non-positive amount and an unknown customer, writing nothing", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount()
        expect((yield* Effect.flip(grantCredit({ ...grant, amount: 0n })))._tag).toBe("NonPositiveAmount")
        expect(yield* Effect.flip(grantCredit({ ...grant, customerId: "cus-404" }))).toMatchObject({
          _tag: "StoreError",
          reason: "NotFound"
        })
        expect(yield* store.ledger.entries(tenantId, "cus-1")).toEqual([])
        expect((yield* store.audit.list(tenantId, { limit: 10 })).items).toEqual([])
      })
    )
  )
})
