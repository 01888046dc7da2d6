/** Usage samples: one per (tenant, service, slot), a repeated slot keeping the larger counts. */
import { checkUsageSamples, mergeUsageSamples, type UsageSampleRepository } from "@ezscale/core"
import { Effect } from "effect"
import type { Db } from "./db"
import { key, rowsOf, sortableInstant } from "./state"

export const usageSampleRepository = (db: Db): UsageSampleRepository => ({
  record: (tenantId, serviceId, samples) =>
    Effect.flatMap(checkUsageSamples(serviceId, samples), (valid) =>
      db.run(({ tables }) =>
        Effect.sync(() => {
          for (const sample of mergeUsageSamples(valid)) {
            const k = key(tenantId, serviceId, sortableInstant(sample.at))
            const seen = tables.usageSamples.get(k)
            tables.usageSamples.set(
              k,
              seen === undefined ? sample : (mergeUsageSamples([seen, sample])[0] ?? sample)
            )
          }
        })
      )
    ),
  window: (tenantId, { serviceId, from, to }) =>
    db.run(({ tables }) =>
      Effect.succeed(
        rowsOf(tables.usageSamples, key(tenantId, serviceId), (s) => s.at >= from && s.at < to).sort(
          (a, b) => a.at - b.at
        )
      )
    )
})
