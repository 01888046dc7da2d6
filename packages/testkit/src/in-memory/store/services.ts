/** Provisioned services: versioned, one per subscription (a `uniques` entry holds the subscription key). */
import { checkService, type ServiceRepository, StoreError, VersionConflict } from "@ezscale/core"
import { Effect, Option } from "effect"
import type { Db } from "./db"
import { key, sameTenant } from "./state"

const subscriptionKey = (tenantId: string, subscriptionId: string) =>
  key(tenantId, "service-subscription", subscriptionId)

export const serviceRepository = (db: Db): ServiceRepository => ({
  get: (tenantId, serviceId) =>
    db.run(({ tables }) => {
      const row = tables.services.get(key(tenantId, serviceId))
      return row === undefined ? Effect.fail(StoreError.notFound("service", serviceId)) : Effect.succeed(row)
    }),
  getBySubscription: (tenantId, subscriptionId) =>
    db.run(({ tables }) => {
      const id = tables.uniques.get(subscriptionKey(tenantId, subscriptionId))
      return Effect.succeed(
        Option.fromNullable(id === undefined ? undefined : tables.services.get(key(tenantId, id)))
      )
    }),
  insert: (tenantId, service) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        db.run(({ tables }) => {
          const k = key(tenantId, valid.id)
          if (tables.services.has(k))
            return Effect.fail(StoreError.conflict("service", valid.id, "id exists"))
          const bySubscription = subscriptionKey(tenantId, valid.subscriptionId)
          if (tables.uniques.has(bySubscription)) {
            return Effect.fail(
              StoreError.conflict("service", valid.subscriptionId, "the subscription has a service")
            )
          }
          const row = { value: valid, version: 1 }
          tables.services.set(k, row)
          tables.uniques.set(bySubscription, valid.id)
          return Effect.succeed(row)
        })
      )
    ),
  update: (tenantId, service, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        db.run(({ tables }) => {
          const k = key(tenantId, valid.id)
          const current = tables.services.get(k)
          if (current === undefined) return Effect.fail(StoreError.notFound("service", valid.id))
          if (current.version !== expectedVersion) {
            return Effect.fail(
              new VersionConflict({
                entity: "service",
                id: valid.id,
                expected: expectedVersion,
                actual: current.version
              })
            )
          }
          if (current.value.subscriptionId !== valid.subscriptionId) {
            return Effect.fail(StoreError.conflict("service", valid.id, "the subscription cannot change"))
          }
          const row = { value: valid, version: current.version + 1 }
          tables.services.set(k, row)
          return Effect.succeed(row)
        })
      )
    )
})
