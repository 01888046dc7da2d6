import {
  type CatalogRepository,
  type Customer,
  type CustomerRepository,
  StoreError,
  type SubscriptionRepository,
  type TenantRepository,
  VersionConflict
} from "@ezscale/core"
import { Effect } from "effect"
import type { Db } from "./db"
import { key, paginate, rowsOf, sameTenant, sortableInstant } from "./state"

export const tenantRepository = (db: Db): TenantRepository => ({
  get: (tenantId) =>
    db.run(({ tables }) => {
      const tenant = tables.tenants.get(tenantId)
      return tenant === undefined
        ? Effect.fail(StoreError.notFound("tenant", tenantId))
        : Effect.succeed(tenant)
    }),
  put: (tenant) =>
    db.run(({ tables }) =>
      Effect.sync(() => {
        tables.tenants.set(tenant.id, tenant)
      })
    )
})

export const customerRepository = (db: Db): CustomerRepository => ({
  get: (tenantId, customerId) =>
    db.run(({ tables }) => {
      const customer = tables.customers.get(key(tenantId, customerId))
      return customer === undefined
        ? Effect.fail(StoreError.notFound("customer", customerId))
        : Effect.succeed(customer)
    }),
  getMany: (tenantId, customerIds) =>
    db.run(({ tables }) => {
      const found = new Map<string, Customer>()
      for (const id of customerIds) {
        const customer = tables.customers.get(key(tenantId, id))
        if (customer !== undefined && !found.has(id)) found.set(id, customer)
      }
      return Effect.succeed([...found.values()])
    }),
  insert: (tenantId, customer) =>
    Effect.zipRight(
      sameTenant(tenantId, customer, "customer"),
      db.run(({ tables }) => {
        const k = key(tenantId, customer.id)
        if (tables.customers.has(k))
          return Effect.fail(StoreError.conflict("customer", customer.id, "id exists"))
        tables.customers.set(k, customer)
        return Effect.void
      })
    ),
  update: (tenantId, customer) =>
    Effect.zipRight(
      sameTenant(tenantId, customer, "customer"),
      db.run(({ tables }) => {
        const k = key(tenantId, customer.id)
        if (!tables.customers.has(k)) return Effect.fail(StoreError.notFound("customer", customer.id))
        tables.customers.set(k, customer)
        return Effect.void
      })
    ),
  list: (tenantId, page) =>
    db.run(({ tables }) => paginate(rowsOf(tables.customers, tenantId), (customer) => customer.id, page))
})

export const catalogRepository = (db: Db): CatalogRepository => ({
  get: (tenantId) =>
    db.run(({ tables }) => {
      const catalog = tables.catalogs.get(key(tenantId))
      return catalog === undefined
        ? Effect.fail(StoreError.notFound("catalog", tenantId))
        : Effect.succeed(catalog)
    }),
  put: (tenantId, catalog) =>
    db.run(({ tables }) =>
      Effect.sync(() => {
        tables.catalogs.set(key(tenantId), catalog)
      })
    )
})

export const subscriptionRepository = (db: Db): SubscriptionRepository => ({
  get: (tenantId, subscriptionId) =>
    db.run(({ tables }) => {
      const row = tables.subscriptions.get(key(tenantId, subscriptionId))
      return row === undefined
        ? Effect.fail(StoreError.notFound("subscription", subscriptionId))
        : Effect.succeed(row)
    }),
  insert: (tenantId, subscription) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      db.run(({ tables }) => {
        const k = key(tenantId, subscription.id)
        if (tables.subscriptions.has(k)) {
          return Effect.fail(StoreError.conflict("subscription", subscription.id, "id exists"))
        }
        const row = { value: subscription, version: 1 }
        tables.subscriptions.set(k, row)
        return Effect.succeed(row)
      })
    ),
  update: (tenantId, subscription, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      db.run(({ tables }) => {
        const k = key(tenantId, subscription.id)
        const current = tables.subscriptions.get(k)
        if (current === undefined) return Effect.fail(StoreError.notFound("subscription", subscription.id))
        if (current.version !== expectedVersion) {
          return Effect.fail(
            new VersionConflict({
              entity: "subscription",
              id: subscription.id,
              expected: expectedVersion,
              actual: current.version
            })
          )
        }
        const row = { value: subscription, version: current.version + 1 }
        tables.subscriptions.set(k, row)
        return Effect.succeed(row)
      })
    ),
  dueForRenewal: (tenantId, before, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(
          tables.subscriptions,
          tenantId,
          ({ value }) => value.nextRenewalAt !== undefined && value.nextRenewalAt < before
        ),
        ({ value }) => `${sortableInstant(value.nextRenewalAt ?? 0)}|${value.id}`,
        page
      )
    ),
  listByCustomer: (tenantId, customerId, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(tables.subscriptions, tenantId, ({ value }) => value.customerId === customerId),
        ({ value }) => value.id,
        page
      )
    )
})
