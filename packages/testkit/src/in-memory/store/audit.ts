/** The audit log: entries are appended and listed, never replaced or removed. */
import type { AuditEntry, AuditRepository } from "@ezscale/core"
import { Effect } from "effect"
import type { Db } from "./db"
import { key, nextSerial, paginateDescending, rowsOf, sortableInstant } from "./state"

export const auditRepository = (db: Db): AuditRepository => ({
  append: (tenantId, input) =>
    db.run((state) => {
      const entry: AuditEntry = { ...input, id: nextSerial(state, "aud") }
      state.tables.audit.set(key(tenantId, entry.id), entry)
      return Effect.succeed(entry)
    }),
  list: (tenantId, page, target) =>
    db.run(({ tables }) =>
      paginateDescending(
        rowsOf(
          tables.audit,
          tenantId,
          (entry) =>
            target === undefined || (entry.targetType === target.type && entry.targetId === target.id)
        ),
        (entry) => `${sortableInstant(entry.at)}|${entry.id}`,
        page
      )
    )
})
