/** Provisioned services on SQLite. */
import { checkService, type ServiceRepository, StoreError } from "@ezscale/core"
import { and, eq, sql } from "drizzle-orm"
import { Effect, Either, Option } from "effect"
import { serviceFromRow, serviceToRow, serviceUpdateRefusal } from "../../store-sql/services"
import { sameTenant } from "../../store-sql/tenant"
import type { SqliteClient } from "../client"
import { services } from "../schema"
import { unlessDuplicate } from "./support"

export const serviceRepository = (client: SqliteClient): ServiceRepository => ({
  get: (tenantId, serviceId) =>
    client
      .run({ entity: "service", key: serviceId }, (db) =>
        db
          .select()
          .from(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId)))
          .get()
      )
      .pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.fail(StoreError.notFound("service", serviceId))
            : Effect.succeed({ value: serviceFromRow(row), version: row.version })
        )
      ),
  getBySubscription: (tenantId, subscriptionId) =>
    client.run({ entity: "service", key: subscriptionId }, (db) =>
      Option.map(
        Option.fromNullable(
          db
            .select()
            .from(services)
            .where(and(eq(services.tenantId, tenantId), eq(services.subscriptionId, subscriptionId)))
            .get()
        ),
        (row) => ({ value: serviceFromRow(row), version: row.version })
      )
    ),
  insert: (tenantId, service) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        client
          .run({ entity: "service", key: valid.id }, (db) =>
            unlessDuplicate(
              () => {
                db.insert(services)
                  .values({ ...serviceToRow(valid), version: 1 })
                  .run()
                return { value: valid, version: 1 }
              },
              (key) =>
                key === "primary"
                  ? StoreError.conflict("service", valid.id, "id exists")
                  : key === "services_subscription_key"
                    ? StoreError.conflict("service", valid.subscriptionId, "the subscription has a service")
                    : undefined
            )
          )
          .pipe(Effect.flatten)
      )
    ),
  update: (tenantId, service, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        client
          .run({ entity: "service", key: valid.id }, (db) =>
            client.atomically(() => {
              const { tenantId: _tenant, id: _id, ...columns } = serviceToRow(valid)
              const where = and(eq(services.tenantId, tenantId), eq(services.id, valid.id))
              const { changes } = db
                .update(services)
                .set({ ...columns, version: sql`${services.version} + 1` })
                .where(
                  and(
                    where,
                    eq(services.version, expectedVersion),
                    eq(services.subscriptionId, valid.subscriptionId)
                  )
                )
                .run()
              if (changes > 0) return Either.right({ value: valid, version: expectedVersion + 1 })
              const current = db
                .select({ version: services.version, subscriptionId: services.subscriptionId })
                .from(services)
                .where(where)
                .get()
              return Either.left(serviceUpdateRefusal(valid, expectedVersion, current))
            })
          )
          .pipe(Effect.flatten)
      )
    )
})
