/** Usage samples on SQLite: an upsert per slot that keeps the larger count in each direction. */
import { checkUsageSamples, mergeUsageSamples, type UsageSampleRepository } from "@ezscale/core"
import { and, asc, eq, gte, lt, sql } from "drizzle-orm"
import { Effect } from "effect"
import { sampleChunks, usageSampleFromRow, usageSampleToRow } from "../../store-sql/usage-samples"
import type { SqliteClient } from "../client"
import { usageSamples } from "../schema"

export const usageSampleRepository = (client: SqliteClient): UsageSampleRepository => ({
  record: (tenantId, serviceId, samples) =>
    Effect.flatMap(checkUsageSamples(serviceId, samples), (valid) => {
      const rows = mergeUsageSamples(valid).map((sample) => usageSampleToRow(tenantId, serviceId, sample))
      return rows.length === 0
        ? Effect.void
        : client.run({ entity: "usage_sample", key: serviceId }, (db) =>
            client.atomically(() => {
              for (const chunk of sampleChunks(rows)) {
                db.insert(usageSamples)
                  .values([...chunk])
                  .onConflictDoUpdate({
                    target: [usageSamples.tenantId, usageSamples.serviceId, usageSamples.slotAt],
                    set: {
                      bytesIn: sql`max(${usageSamples.bytesIn}, excluded.bytes_in)`,
                      bytesOut: sql`max(${usageSamples.bytesOut}, excluded.bytes_out)`
                    }
                  })
                  .run()
              }
            })
          )
    }),
  window: (tenantId, { serviceId, from, to }) =>
    to <= from
      ? Effect.succeed([])
      : client.run({ entity: "usage_sample", key: serviceId }, (db) =>
          db
            .select()
            .from(usageSamples)
            .where(
              and(
                eq(usageSamples.tenantId, tenantId),
                eq(usageSamples.serviceId, serviceId),
                gte(usageSamples.slotAt, from),
                lt(usageSamples.slotAt, to)
              )
            )
            .orderBy(asc(usageSamples.slotAt))
            .all()
            .map(usageSampleFromRow)
        )
})
