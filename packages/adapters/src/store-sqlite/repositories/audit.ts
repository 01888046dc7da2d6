/** The audit log on SQLite: rows are inserted and read, never updated or deleted. */
import type { AuditRepository } from "@ezscale/core"
import { and, desc, eq, lt, or } from "drizzle-orm"
import { Effect } from "effect"
import { auditCursor, auditEntryFromRow, auditEntryToRow } from "../../store-sql/audit"
import { checkLimit, pageOf, parseInstantCursor } from "../../store-sql/paging"
import type { SqliteClient } from "../client"
import { auditEntries } from "../schema"

export const auditRepository = (client: SqliteClient): AuditRepository => ({
  append: (tenantId, input) =>
    client.run({ entity: "audit", key: input.targetId }, (db) => {
      const row = auditEntryToRow(tenantId, client.ids.next("aud"), input)
      db.insert(auditEntries).values(row).run()
      return auditEntryFromRow(row)
    }),
  list: (tenantId, page, target) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "audit")
      return yield* client.run({ entity: "audit" }, (db) => {
        const rows = db
          .select()
          .from(auditEntries)
          .where(
            and(
              eq(auditEntries.tenantId, tenantId),
              target === undefined ? undefined : eq(auditEntries.targetType, target.type),
              target === undefined ? undefined : eq(auditEntries.targetId, target.id),
              after === undefined
                ? undefined
                : or(
                    lt(auditEntries.occurredAt, after.at),
                    and(eq(auditEntries.occurredAt, after.at), lt(auditEntries.id, after.id))
                  )
            )
          )
          .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
          .limit(page.limit + 1)
          .all()
        return pageOf(rows, page.limit, auditEntryFromRow, auditCursor)
      })
    })
})
