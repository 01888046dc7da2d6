/**
 * Usage samples on MySQL / MariaDB: `INSERT ... ON DUPLICATE KEY UPDATE` keeping the larger count in each
 * direction (GREATEST), slots in ascending order so racing batches lock rows in the same order.
 */
import { checkUsageSamples, mergeUsageSamples, type UsageSampleRepository } from "@ezscale/core"
import { and, asc, eq, gte, lt, sql } from "drizzle-orm"
import { Effect } from "effect"
import { sampleChunks, usageSampleFromRow, usageSampleToRow } from "../../store-sql/usage-samples"
import type { MysqlClient } from "../client"
import { usageSamples } from "../schema"

export const usageSampleRepository = (client: MysqlClient): UsageSampleRepository => ({
  record: (tenantId, serviceId, samples) =>
    Effect.flatMap(checkUsageSamples(serviceId, samples), (valid) => {
      const rows = mergeUsageSamples(valid).map((sample) => usageSampleToRow(tenantId, serviceId, sample))
      return rows.length === 0
        ? Effect.void
        : client.atomically(
            Effect.forEach(
              sampleChunks(rows),
              (chunk) =>
                client.run({ entity: "usage_sample", key: serviceId }, (db) =>
                  db
                    .insert(usageSamples)
                    .values([...chunk])
                    .onDuplicateKeyUpdate({
                      set: {
                        bytesIn: sql`GREATEST(${usageSamples.bytesIn}, VALUES(${usageSamples.bytesIn}))`,
                        bytesOut: sql`GREATEST(${usageSamples.bytesOut}, VALUES(${usageSamples.bytesOut}))`
                      }
                    })
                ),
              { discard: true }
            )
          )
    }),
  window: (tenantId, { serviceId, from, to }) =>
    to <= from
      ? Effect.succeed([])
      : client
          .run({ entity: "usage_sample", key: serviceId }, (db) =>
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
          )
          .pipe(Effect.map((rows) => rows.map(usageSampleFromRow)))
})
