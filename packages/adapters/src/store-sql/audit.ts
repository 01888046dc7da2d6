/** Row <-> record mapping for the audit log, identical for both dialects. */
import type { AuditEntry, AuditEntryInput } from "@ezscale/core"
import { decodeJson, encodeJson } from "./json"
import { instantCursor } from "./paging"

export interface AuditEntryRow {
  readonly tenantId: string
  readonly id: string
  readonly actorKind: string
  readonly actorId: string
  readonly action: string
  readonly targetType: string
  readonly targetId: string
  /** JSON text. */
  readonly details: string
  readonly occurredAt: number
}

export const auditEntryToRow = (tenantId: string, id: string, entry: AuditEntryInput): AuditEntryRow => ({
  tenantId,
  id,
  actorKind: entry.actor.kind,
  actorId: entry.actor.id,
  action: entry.action,
  targetType: entry.targetType,
  targetId: entry.targetId,
  details: encodeJson(entry.details),
  occurredAt: entry.at
})

export const auditEntryFromRow = (row: AuditEntryRow): AuditEntry => ({
  id: row.id,
  actor: { kind: row.actorKind as AuditEntry["actor"]["kind"], id: row.actorId },
  action: row.action,
  targetType: row.targetType,
  targetId: row.targetId,
  details: decodeJson(row.details),
  at: row.occurredAt
})

export const auditCursor = (row: Pick<AuditEntryRow, "occurredAt" | "id">): string =>
  instantCursor(row.occurredAt, row.id)
