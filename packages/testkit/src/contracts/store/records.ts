import { describe, expect } from "@effect/vitest"
import { type Customer, StoreError, type Subscription, VersionConflict } from "@ezscale/core"
import { Effect } from "effect"
import { makeCustomer, makeSubscription, makeTenant } from "../../factories"
import { fresh, type StoreIt } from "./support"

/** Walks every page of a listing; asserts the page size is respected. */
export const collectPages = <A, E>(
  list: (
    after: string | undefined
  ) => Effect.Effect<{ readonly items: ReadonlyArray<A>; readonly next?: string }, E>,
  limit: number
) =>
  Effect.gen(function* () {
    const all: Array<A> = []
    let after: string | undefined
    for (let pages = 0; pages < 1000; pages++) {
      const page = yield* list(after)
      expect(page.items.length).toBeLessThanOrEqual(limit)
      all.push(...page.items)
      if (page.next === undefined) return all
      after = page.next
    }
    throw new Error("pagination did not end")
  })

export const recordContract = (it: StoreIt) => {
  describe("tenants and customers", () => {
    it.effect("a tenant is stored and read back; an unknown tenant is NotFound", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const tenant = makeTenant({ id: tenantId, settings: { currency: "EUR", dunning: [1, 3, 7] } })
        yield* store.tenants.put(tenant)
        expect(yield* store.tenants.get(tenantId)).toEqual(tenant)
        const missing = yield* Effect.flip(store.tenants.get(`${tenantId}-missing`))
        expect(missing).toBeInstanceOf(StoreError)
        expect(missing.reason).toBe("NotFound")
      })
    )

    it.effect("customers are isolated by tenant", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const customer = makeCustomer({ id: yield* id("cus"), tenantId })
        yield* store.customers.insert(tenantId, customer)
        expect(yield* store.customers.get(tenantId, customer.id)).toEqual(customer)
        const other = yield* Effect.flip(store.customers.get(otherTenantId, customer.id))
        expect(other.reason).toBe("NotFound")
        expect((yield* store.customers.list(otherTenantId, { limit: 10 })).items).toEqual([])
        const update = yield* Effect.flip(
          store.customers.update(otherTenantId, { ...customer, tenantId: otherTenantId })
        )
        expect(update.reason).toBe("NotFound")
        expect(yield* store.customers.get(tenantId, customer.id)).toEqual(customer)
      })
    )

    it.effect("inserting an existing customer id is a Conflict; updating a missing one NotFound", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const customer = makeCustomer({ id: yield* id("cus"), tenantId })
        yield* store.customers.insert(tenantId, customer)
        expect((yield* Effect.flip(store.customers.insert(tenantId, customer))).reason).toBe("Conflict")
        const renamed = { ...customer, name: "Renamed" }
        yield* store.customers.update(tenantId, renamed)
        expect((yield* store.customers.get(tenantId, customer.id)).name).toBe("Renamed")
        const ghost = makeCustomer({ id: yield* id("cus"), tenantId })
        expect((yield* Effect.flip(store.customers.update(tenantId, ghost))).reason).toBe("NotFound")
      })
    )

    it.effect("keyset pagination returns every customer exactly once, in id order", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const customers: Array<Customer> = []
        for (let i = 0; i < 23; i++) customers.push(makeCustomer({ id: yield* id("cus"), tenantId }))
        for (const customer of [...customers].reverse()) yield* store.customers.insert(tenantId, customer)
        for (const limit of [1, 5, 23, 50]) {
          const all = yield* collectPages(
            (after) => store.customers.list(tenantId, after === undefined ? { limit } : { after, limit }),
            limit
          )
          expect(all.map((c) => c.id)).toEqual(customers.map((c) => c.id).sort())
        }
      })
    )
  })

  describe("subscriptions", () => {
    it.effect("updates compare-and-set on the version; a stale version is a VersionConflict", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const subscription = makeSubscription({ id: yield* id("sub"), tenantId })
        const inserted = yield* store.subscriptions.insert(tenantId, subscription)
        expect(inserted).toEqual({ value: subscription, version: 1 })
        const moved = yield* store.subscriptions.update(tenantId, { ...subscription, planId: "vps-large" }, 1)
        expect(moved.version).toBe(2)
        const stale = yield* Effect.flip(
          store.subscriptions.update(tenantId, { ...subscription, planId: "x" }, 1)
        )
        expect(stale).toBeInstanceOf(VersionConflict)
        expect(stale).toMatchObject({ expected: 1, actual: 2 })
        expect((yield* store.subscriptions.get(tenantId, subscription.id)).value.planId).toBe("vps-large")
        expect((yield* Effect.flip(store.subscriptions.insert(tenantId, subscription))).reason).toBe(
          "Conflict"
        )
      })
    )

    it.effect("dueForRenewal pages through due subscriptions by (nextRenewalAt, id), tenant-scoped", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const base = 1_800_000_000_000
        const due: Array<Subscription> = []
        for (let i = 0; i < 12; i++) {
          const subscription = makeSubscription({
            id: yield* id("sub"),
            tenantId,
            nextRenewalAt: base + (i % 4) * 1000
          })
          due.push(subscription)
          yield* store.subscriptions.insert(tenantId, subscription)
        }
        const { nextRenewalAt: _, ...ended } = makeSubscription({ id: yield* id("sub"), tenantId })
        yield* store.subscriptions.insert(tenantId, ended)
        yield* store.subscriptions.insert(
          tenantId,
          makeSubscription({ id: yield* id("sub"), tenantId, nextRenewalAt: base + 5000 })
        )
        yield* store.subscriptions.insert(
          otherTenantId,
          makeSubscription({ id: yield* id("sub"), tenantId: otherTenantId, nextRenewalAt: base })
        )
        const expected = [...due]
          .sort((a, b) => (a.nextRenewalAt ?? 0) - (b.nextRenewalAt ?? 0) || (a.id < b.id ? -1 : 1))
          .map((s) => s.id)
        const all = yield* collectPages(
          (after) =>
            store.subscriptions.dueForRenewal(
              tenantId,
              base + 5000,
              after === undefined ? { limit: 5 } : { after, limit: 5 }
            ),
          5
        )
        expect(all.map((row) => row.value.id)).toEqual(expected)
        const mine = yield* store.subscriptions.listByCustomer(tenantId, "cus-1", { limit: 100 })
        expect(mine.items).toHaveLength(14)
        expect(mine.next).toBeUndefined()
      })
    )
  })

  describe("catalogs", () => {
    it.effect("a tenant's catalog is put and read back; another tenant has none", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        yield* store.catalogs.put(tenantId, { products: [] })
        expect(yield* store.catalogs.get(tenantId)).toEqual({ products: [] })
        expect((yield* Effect.flip(store.catalogs.get(otherTenantId))).reason).toBe("NotFound")
      })
    )
  })
}
