import { describe, expect } from "@effect/vitest"
import type { Customer } from "@ezscale/core"
import { Effect } from "effect"
import { makeCoupon, makeCustomer } from "../../factories"
import { fresh, type StoreIt } from "./support"

/** Reads by id that a billing run needs: a coupon by id, a batch of customers at once. */
export const lookupContract = (it: StoreIt) => {
  describe("lookups by id", () => {
    it.effect(
      "coupons.get reads a coupon by id, as last put; unknown ids and other tenants are NotFound",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId } = yield* fresh
          const coupon = makeCoupon({ id: "cpn-get", code: "GET10", maxRedemptions: 3, priority: 2 })
          yield* store.coupons.put(tenantId, coupon)
          expect(yield* store.coupons.get(tenantId, "cpn-get")).toEqual(coupon)
          const renamed = { ...coupon, code: "GET20", stackable: false }
          yield* store.coupons.put(tenantId, renamed)
          expect(yield* store.coupons.get(tenantId, "cpn-get")).toEqual(renamed)
          const unknown = yield* Effect.flip(store.coupons.get(tenantId, "cpn-missing"))
          expect(unknown).toMatchObject({ _tag: "StoreError", reason: "NotFound", key: "cpn-missing" })
          expect((yield* Effect.flip(store.coupons.get(otherTenantId, "cpn-get"))).reason).toBe("NotFound")
        })
    )

    it.effect(
      "customers.getMany returns the tenant's customers in the order asked, each once, leaving unknown ids out",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, id } = yield* fresh
          const customers: Array<Customer> = []
          for (let i = 0; i < 6; i++) {
            const customer = makeCustomer({ id: yield* id("cus"), tenantId, name: `Customer ${i}` })
            customers.push(customer)
            yield* store.customers.insert(tenantId, customer)
          }
          const foreign = makeCustomer({ id: yield* id("cus"), tenantId: otherTenantId })
          yield* store.customers.insert(otherTenantId, foreign)
          const [c0, c1, c2, c3, , c5] = customers.map((c) => c.id)
          const asked = [c3, "cus-unknown", c0, c3, foreign.id, c5, c1, c0, c2].map((x) => x ?? "")
          const got = yield* store.customers.getMany(tenantId, asked)
          expect(got.map((c) => c.id)).toEqual([c3, c0, c5, c1, c2])
          expect(got[0]).toEqual(customers[3])
          expect(yield* store.customers.getMany(tenantId, [])).toEqual([])
          expect(yield* store.customers.getMany(otherTenantId, [c0 ?? ""])).toEqual([])
          expect(yield* store.customers.getMany(otherTenantId, [foreign.id])).toEqual([foreign])
        })
    )

    it.effect("customers.getMany takes batches far larger than one SQL statement's parameter list", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const stored: Array<string> = []
        for (let i = 0; i < 12; i++) {
          const customer = makeCustomer({ id: yield* id("cus"), tenantId })
          stored.push(customer.id)
          yield* store.customers.insert(tenantId, customer)
        }
        // 70,000 ids: more than SQLite's 32,766 and MySQL's 65,535 placeholders per statement
        const asked = Array.from({ length: 70_000 }, (_, i) =>
          i % 5_000 === 0 ? (stored[(i / 5_000) % stored.length] ?? "") : `cus-none-${i}`
        ).reverse()
        const got = yield* store.customers.getMany(tenantId, asked)
        const expected = [...new Set(asked.filter((x) => stored.includes(x)))]
        expect(got.map((c) => c.id)).toEqual(expected)
        expect(got).toHaveLength(12)
      })
    )
  })
}
