/**
 * Saved and removed payment methods from webhooks, on the in-memory store and SQLite, with the in-memory
 * gateway: a method the gateway saved for a customer of ours is stored once (the first one the default);
 * a removed one is deleted and the default handed on; the gateway's current state wins over a late event;
 * a gateway customer billing does not know saves nothing and tells staff.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  ensureGatewayCustomer,
  type GatewayEvent,
  gatewayTemplates,
  PaymentGateway,
  type PaymentMethod
} from "@ezscale/core"
import { Effect, TestClock } from "effect"
import { seedAccount, stores, tenantId } from "./account-fixtures"
import { deliver, notices, now, provideGatewayTest } from "./gateway-fixtures"

const saved = (gatewayCustomerId: string, method: PaymentMethod): GatewayEvent => ({
  _tag: "MethodSaved",
  gatewayCustomerId,
  method
})
const removed = (gatewayCustomerId: string | undefined, methodId: string): GatewayEvent => ({
  _tag: "MethodRemoved",
  methodId,
  ...(gatewayCustomerId === undefined ? {} : { gatewayCustomerId })
})

/** The customer at the gateway (remembered by billing) and a card it saved there through a setup. */
const customerWithCard = Effect.gen(function* () {
  const store = yield* seedAccount()
  yield* store.paymentMethods.remove(tenantId, "spm-1") // the customer starts with no saved method
  yield* TestClock.setTime(now)
  const gateway = yield* PaymentGateway
  const { gatewayCustomerId } = yield* ensureGatewayCustomer({ tenantId, customerId: "cus-1" })
  const newCard = Effect.gen(function* () {
    yield* gateway.createSetup({ gatewayCustomerId })
    const methods = yield* gateway.listMethods(gatewayCustomerId)
    return methods[methods.length - 1] as PaymentMethod
  })
  return { store, gateway, gatewayCustomerId, newCard }
})

describe.each(stores)("saved methods from webhooks on %s", (_, storeLayer) => {
  const run = provideGatewayTest(storeLayer)

  it.effect("saves each method once, the first as default; removing hands the default on", () =>
    run(
      Effect.gen(function* () {
        const { store, gateway, gatewayCustomerId, newCard } = yield* customerWithCard
        const first = yield* newCard
        expect(yield* deliver("evt_1", saved(gatewayCustomerId, first))).toEqual({
          _tag: "Method",
          gatewayMethodId: first.id,
          action: "saved"
        })
        expect(yield* deliver("evt_1b", saved(gatewayCustomerId, first))).toMatchObject({
          action: "unchanged"
        })
        const second = yield* newCard
        expect(yield* deliver("evt_2", saved(gatewayCustomerId, second))).toMatchObject({ action: "saved" })
        const stored = yield* store.paymentMethods.list(tenantId, "cus-1")
        expect(stored.map((m) => [m.gatewayMethodId, m.gateway, m.gatewayCustomerId, m.isDefault])).toEqual([
          [first.id, "fake", gatewayCustomerId, true],
          [second.id, "fake", gatewayCustomerId, false]
        ])

        yield* gateway.detachMethod(first.id)
        expect(yield* deliver("evt_3", removed(gatewayCustomerId, first.id))).toEqual({
          _tag: "Method",
          gatewayMethodId: first.id,
          action: "removed"
        })
        expect(yield* deliver("evt_3b", removed(gatewayCustomerId, first.id))).toMatchObject({
          action: "unchanged"
        })
        const left = yield* store.paymentMethods.list(tenantId, "cus-1")
        expect(left.map((m) => [m.gatewayMethodId, m.isDefault])).toEqual([[second.id, true]])
        for (const id of ["evt_1", "evt_1b", "evt_2", "evt_3", "evt_3b"]) {
          expect((yield* store.webhookInbox.get(tenantId, "fake", id)).state).toBe("processed")
        }
      })
    )
  )

  it.effect("the gateway's current state wins: a late saved after the detach, a removed while attached", () =>
    run(
      Effect.gen(function* () {
        const { store, gateway, gatewayCustomerId, newCard } = yield* customerWithCard
        const card = yield* newCard
        // The removal is processed first, while the gateway still has the card: nothing to remove.
        expect(yield* deliver("evt_r", removed(gatewayCustomerId, card.id))).toMatchObject({
          action: "stale"
        })
        yield* gateway.detachMethod(card.id)
        // The saved event comes late, after the card was detached at the gateway: not saved.
        expect(yield* deliver("evt_s", saved(gatewayCustomerId, card))).toMatchObject({ action: "stale" })
        expect(yield* store.paymentMethods.list(tenantId, "cus-1")).toEqual([])
      })
    )
  )

  it.effect("a gateway customer billing does not know saves nothing and tells staff once", () =>
    run(
      Effect.gen(function* () {
        const { store } = yield* customerWithCard
        const card: PaymentMethod = { id: "pm_stranger", kind: "card", label: "Visa •••• 1881" }
        expect(yield* deliver("evt_1", saved("gcus_other", card))).toMatchObject({
          action: "unknown_customer"
        })
        expect(yield* deliver("evt_2", saved("gcus_other", card))).toMatchObject({
          action: "unknown_customer"
        })
        expect(yield* deliver("evt_3", removed(undefined, "pm_stranger"))).toMatchObject({
          action: "unknown_customer"
        })
        expect(yield* store.paymentMethods.list(tenantId, "cus-1")).toEqual([])
        const told = yield* notices([gatewayTemplates.methodNotSaved])
        expect(told.map((job) => job.payload)).toEqual([
          expect.objectContaining({
            audience: "staff",
            gatewayCustomerId: "gcus_other",
            gatewayMethodId: "pm_stranger"
          })
        ])
      })
    )
  )

  it.effect("a method the store refuses (a card number as its label) is not saved: staff are told", () =>
    run(
      Effect.gen(function* () {
        const { store, gateway, gatewayCustomerId, newCard } = yield* customerWithCard
        const card = yield* newCard
        const leaky = { ...card, label: "4242 4242 4242 4242" }
        expect(gateway.name).toBe("fake")
        expect(yield* deliver("evt_1", saved(gatewayCustomerId, leaky))).toMatchObject({ action: "refused" })
        expect(yield* store.paymentMethods.list(tenantId, "cus-1")).toEqual([])
        expect(yield* notices([gatewayTemplates.methodNotSaved])).toHaveLength(1)
      })
    )
  )
})
