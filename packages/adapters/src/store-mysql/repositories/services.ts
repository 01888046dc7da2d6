/** Provisioned services on MySQL / MariaDB: compare-and-set updates on the version column. */
import { checkService, type ServiceRepository, StoreError } from "@ezscale/core"
import { and, eq, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import { serviceFromRow, serviceToRow, serviceUpdateRefusal } from "../../store-sql/services"
import { sameTenant } from "../../store-sql/tenant"
import type { MysqlClient } from "../client"
import { services } from "../schema"
import { affectedRows, found, unlessDuplicate } from "./support"

export const serviceRepository = (client: MysqlClient): ServiceRepository => ({
  get: (tenantId, serviceId) =>
    client
      .run({ entity: "service", key: serviceId }, (db) =>
        db
          .select()
          .from(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.id, serviceId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("service", serviceId)(rows[0])),
        Effect.map((row) => ({ value: serviceFromRow(row), version: row.version }))
      ),
  getBySubscription: (tenantId, subscriptionId) =>
    client
      .run({ entity: "service", key: subscriptionId }, (db) =>
        db
          .select()
          .from(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.subscriptionId, subscriptionId)))
          .limit(1)
      )
      .pipe(
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (row) => ({
            value: serviceFromRow(row),
            version: row.version
          }))
        )
      ),
  insert: (tenantId, service) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        unlessDuplicate(
          Effect.as(
            client.run({ entity: "service", key: valid.id }, async (db) => {
              await db.insert(services).values({ ...serviceToRow(valid), version: 1 })
            }),
            { value: valid, version: 1 }
          ),
          (key) =>
            key === "primary"
              ? Effect.fail(StoreError.conflict("service", valid.id, "id exists"))
              : key === "services_subscription_key"
                ? Effect.fail(
                    StoreError.conflict("service", valid.subscriptionId, "the subscription has a service")
                  )
                : undefined
        )
      )
    ),
  update: (tenantId, service, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, service, "service"),
      Effect.flatMap(checkService(service), (valid) =>
        Effect.gen(function* () {
          const context = { entity: "service", key: valid.id }
          const { tenantId: _tenant, id: _id, ...columns } = serviceToRow(valid)
          const where = and(eq(services.tenantId, tenantId), eq(services.id, valid.id))
          const result = yield* client.run(context, (db) =>
            db
              .update(services)
              .set({ ...columns, version: sql`${services.version} + 1` })
              .where(
                and(
                  where,
                  eq(services.version, expectedVersion),
                  eq(services.subscriptionId, valid.subscriptionId)
                )
              )
          )
          if (affectedRows(result) > 0) return { value: valid, version: expectedVersion + 1 }
          const current = yield* client.run(context, (db) =>
            db
              .select({ version: services.version, subscriptionId: services.subscriptionId })
              .from(services)
              .where(where)
              .limit(1)
          )
          return yield* Effect.fail(serviceUpdateRefusal(valid, expectedVersion, current[0]))
        })
      )
    )
})
