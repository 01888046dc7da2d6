import { describe, expect } from "@effect/vitest"
import { InvalidPaymentMethod, type SavedPaymentMethod } from "@ezscale/core"
import { Effect } from "effect"
import { makePaymentMethod } from "../../factories"
import { fresh, type StoreIt } from "./support"

/** The default method id of each gateway in a listing (a gateway with two defaults shows both). */
const defaults = (methods: ReadonlyArray<SavedPaymentMethod>) =>
  methods
    .filter((m) => m.isDefault)
    .map((m) => `${m.gateway}:${m.id}`)
    .sort()

export const paymentMethodContract = (it: StoreIt) => {
  describe("payment methods", () => {
    it.effect("exactly one default per (customer, gateway): the first, or the last one asked to be", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const method = (overrides: Partial<SavedPaymentMethod>) =>
          Effect.map(id("pm"), (pmId) =>
            makePaymentMethod({ id: pmId, gatewayMethodId: `tok_${pmId}`, ...overrides })
          )
        const first = yield* store.paymentMethods.insert(tenantId, yield* method({ isDefault: false }))
        expect(first.isDefault).toBe(true)
        const second = yield* store.paymentMethods.insert(tenantId, yield* method({ isDefault: false }))
        expect(second.isDefault).toBe(false)
        const paypal = yield* store.paymentMethods.insert(
          tenantId,
          yield* method({ gateway: "paypal", kind: "paypal", label: "PayPal a@b.example", isDefault: false })
        )
        expect(paypal.isDefault).toBe(true)
        const third = yield* store.paymentMethods.insert(tenantId, yield* method({ isDefault: true }))
        expect(third.isDefault).toBe(true)
        const other = yield* store.paymentMethods.insert(tenantId, yield* method({ customerId: "cus-2" }))
        expect(other.isDefault).toBe(true)
        const listed = yield* store.paymentMethods.list(tenantId, "cus-1")
        expect(listed.map((m) => m.id)).toEqual([first.id, second.id, paypal.id, third.id])
        expect(defaults(listed)).toEqual([`paypal:${paypal.id}`, `stripe:${third.id}`].sort())
        expect(listed[0]).toEqual({
          ...makePaymentMethod({ id: first.id, gatewayMethodId: `tok_${first.id}` }),
          isDefault: false
        })
        expect(yield* store.paymentMethods.get(tenantId, third.id)).toEqual(third)
        expect(yield* store.paymentMethods.list(otherTenantId, "cus-1")).toEqual([])
        expect((yield* Effect.flip(store.paymentMethods.get(otherTenantId, first.id))).reason).toBe(
          "NotFound"
        )
      })
    )

    it.effect("setDefault moves the default; removing the default hands it to the newest left", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const saved: Array<SavedPaymentMethod> = []
        for (let i = 0; i < 3; i++) {
          const pmId = yield* id("pm")
          const { expiresAt: _, ...noExpiry } = makePaymentMethod({
            id: pmId,
            gatewayMethodId: `tok_${pmId}`
          })
          saved.push(yield* store.paymentMethods.insert(tenantId, noExpiry))
        }
        const [a, b, c] = saved.map((m) => m.id) as [string, string, string]
        const list = () => store.paymentMethods.list(tenantId, "cus-1")
        expect(defaults(yield* list())).toEqual([`stripe:${a}`])
        expect(Object.hasOwn(saved[0] ?? {}, "expiresAt")).toBe(false)
        expect((yield* store.paymentMethods.setDefault(tenantId, b)).isDefault).toBe(true)
        expect(defaults(yield* list())).toEqual([`stripe:${b}`])
        yield* store.paymentMethods.setDefault(tenantId, b)
        expect(defaults(yield* list())).toEqual([`stripe:${b}`])
        yield* store.paymentMethods.remove(tenantId, a)
        expect(defaults(yield* list())).toEqual([`stripe:${b}`])
        yield* store.paymentMethods.remove(tenantId, b)
        expect(defaults(yield* list())).toEqual([`stripe:${c}`])
        yield* store.paymentMethods.remove(tenantId, c)
        expect(yield* list()).toEqual([])
        expect((yield* Effect.flip(store.paymentMethods.remove(tenantId, c))).reason).toBe("NotFound")
        expect((yield* Effect.flip(store.paymentMethods.setDefault(tenantId, c))).reason).toBe("NotFound")
        // a removed token can be saved again, and is the default of an empty gateway
        const again = yield* store.paymentMethods.insert(
          tenantId,
          makePaymentMethod({ id: yield* id("pm"), gatewayMethodId: `tok_${a}` })
        )
        expect(again.isDefault).toBe(true)
      })
    )

    it.effect("ids and gateway tokens are unique per tenant", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const method = makePaymentMethod({ id: yield* id("pm"), gatewayMethodId: "pm_shared" })
        yield* store.paymentMethods.insert(tenantId, method)
        expect(yield* Effect.flip(store.paymentMethods.insert(tenantId, method))).toMatchObject({
          reason: "Conflict"
        })
        const sameToken = { ...method, id: yield* id("pm"), customerId: "cus-2" }
        expect(yield* Effect.flip(store.paymentMethods.insert(tenantId, sameToken))).toMatchObject({
          reason: "Conflict"
        })
        expect(yield* store.paymentMethods.list(tenantId, "cus-2")).toEqual([])
        yield* store.paymentMethods.insert(tenantId, { ...sameToken, gateway: "other" })
        yield* store.paymentMethods.insert(otherTenantId, method)
      })
    )

    it.effect("a card number, an empty or long field, a bad kind or expiry is InvalidPaymentMethod", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const base = makePaymentMethod({ id: yield* id("pm") })
        const refused: ReadonlyArray<SavedPaymentMethod> = [
          { ...base, gatewayMethodId: "4242424242424242" },
          { ...base, label: "Visa 4242 4242 4242 4242" },
          { ...base, gatewayCustomerId: "5555-5555-5555-4444" },
          { ...base, label: "" },
          { ...base, gateway: "g".repeat(33) },
          { ...base, gatewayMethodId: "t".repeat(256) },
          { ...base, kind: "cash" as SavedPaymentMethod["kind"] },
          { ...base, expiresAt: { month: 13, year: 2030 } },
          { ...base, expiresAt: { month: 1, year: 30 } }
        ]
        for (const method of refused) {
          expect(yield* Effect.flip(store.paymentMethods.insert(tenantId, method))).toBeInstanceOf(
            InvalidPaymentMethod
          )
        }
        expect(yield* store.paymentMethods.list(tenantId, "cus-1")).toEqual([])
        // digit runs that are no card number (a last-4, a PayPal id, an id made at the epoch) are fine
        yield* store.paymentMethods.insert(tenantId, {
          ...base,
          id: yield* id("pm"),
          gatewayMethodId: "tok_pm_0000000000629C4DWRP4F0YTJB"
        })
        yield* store.paymentMethods.insert(tenantId, {
          ...base,
          gatewayMethodId: "B-12345678901",
          label: "•••• 4242"
        })
      })
    )

    it.effect("concurrent saves, default moves and removals leave exactly one default", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const ids: Array<string> = []
        for (let i = 0; i < 12; i++) ids.push(yield* id("pm"))
        yield* Effect.forEach(
          ids,
          (pmId, i) =>
            store.paymentMethods.insert(
              tenantId,
              makePaymentMethod({ id: pmId, gatewayMethodId: `tok_${pmId}`, isDefault: i % 2 === 0 })
            ),
          { concurrency: "unbounded" }
        )
        const first = yield* store.paymentMethods.list(tenantId, "cus-1")
        expect(first).toHaveLength(12)
        expect(defaults(first)).toHaveLength(1)
        yield* Effect.forEach(
          ids,
          (pmId, i) =>
            i % 3 === 0
              ? store.paymentMethods.remove(tenantId, pmId)
              : store.paymentMethods.setDefault(tenantId, pmId),
          { concurrency: "unbounded" }
        )
        const after = yield* store.paymentMethods.list(tenantId, "cus-1")
        expect(after).toHaveLength(8)
        expect(defaults(after)).toHaveLength(1)
      })
    )
  })
}
