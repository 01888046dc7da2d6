/** The audit log on MySQL / MariaDB: rows are inserted and read, never updated or deleted. */
import type { AuditRepository } from "@ezscale/core"
import { and, desc, eq, lt, or } from "drizzle-orm"
import { Effect } from "effect"
import { auditCursor, auditEntryFromRow, auditEntryToRow } from "../../store-sql/audit"
import { checkLimit, pageOf, parseInstantCursor } from "../../store-sql/paging"
import type { MysqlClient } from "../client"
import { auditEntries } from "../schema"

export const auditRepository = (client: MysqlClient): AuditRepository => ({
  append: (tenantId, input) =>
    Effect.suspend(() => {
      const row = auditEntryToRow(tenantId, client.ids.next("aud"), input)
      return Effect.as(
        client.run({ entity: "audit", key: input.targetId }, async (db) => {
          await db.insert(auditEntries).values(row)
        }),
        auditEntryFromRow(row)
      )
    }),
  list: (tenantId, page, target) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "audit")
      const rows = yield* client.run({ entity: "audit" }, (db) =>
        db
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
      )
      return pageOf(rows, page.limit, auditEntryFromRow, auditCursor)
    })
})
