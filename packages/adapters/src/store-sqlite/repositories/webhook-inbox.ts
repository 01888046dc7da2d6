/** The webhook inbox on SQLite. */
import { StoreError, type WebhookInboxRepository } from "@ezscale/core"
import { and, asc, eq, gt, isNull } from "drizzle-orm"
import { Effect, Either } from "effect"
import { checkLimit, pageOf } from "../../store-sql/paging"
import {
  failedWebhookColumns,
  newWebhookEventRow,
  processedWebhookColumns,
  type WebhookEventRow,
  webhookEventFromRow
} from "../../store-sql/webhook-inbox"
import type { SqliteClient, SqliteDb } from "../client"
import { webhookEvents } from "../schema"

const keyWhere = (tenantId: string, source: string, eventId: string) =>
  and(
    eq(webhookEvents.tenantId, tenantId),
    eq(webhookEvents.source, source),
    eq(webhookEvents.eventId, eventId)
  )

const rowOf = (db: SqliteDb, tenantId: string, source: string, eventId: string) =>
  db
    .select()
    .from(webhookEvents)
    .where(keyWhere(tenantId, source, eventId))
    .get()

const notFound = (source: string, eventId: string) => StoreError.notFound("webhook", `${source}/${eventId}`)

export const webhookInboxRepository = (client: SqliteClient): WebhookInboxRepository => {
  /** Reads the event, applies `change` (left: refuse; right: the columns to set, or none) and returns it. */
  const change = (
    tenantId: string,
    source: string,
    eventId: string,
    decide: (
      row: NonNullable<ReturnType<typeof rowOf>>
    ) => Either.Either<Partial<WebhookEventRow> | undefined, StoreError>
  ) =>
    client
      .run({ entity: "webhook", key: `${source}/${eventId}` }, (db) =>
        client.atomically(() => {
          const row = rowOf(db, tenantId, source, eventId)
          if (row === undefined) return Either.left(notFound(source, eventId))
          return Either.map(decide(row), (columns) => {
            if (columns === undefined) return webhookEventFromRow(row)
            db.update(webhookEvents)
              .set(columns)
              .where(keyWhere(tenantId, source, eventId))
              .run()
            return webhookEventFromRow({ ...row, ...columns })
          })
        })
      )
      .pipe(Effect.flatten)

  return {
    receive: (tenantId, delivery) =>
      client.run({ entity: "webhook", key: `${delivery.source}/${delivery.eventId}` }, (db) => {
        const row = newWebhookEventRow(tenantId, client.ids.next("whk"), delivery)
        const { changes } = db
          .insert(webhookEvents)
          .values(row)
          .onConflictDoNothing({
            target: [webhookEvents.tenantId, webhookEvents.source, webhookEvents.eventId]
          })
          .run()
        if (changes > 0) return { isNew: true, event: webhookEventFromRow(row) }
        const existing = rowOf(db, tenantId, delivery.source, delivery.eventId)
        if (existing === undefined) throw new Error("webhook event vanished after a duplicate key")
        return { isNew: false, event: webhookEventFromRow(existing) }
      }),
    get: (tenantId, source, eventId) =>
      client
        .run({ entity: "webhook", key: `${source}/${eventId}` }, (db) => rowOf(db, tenantId, source, eventId))
        .pipe(
          Effect.flatMap((row) =>
            row === undefined
              ? Effect.fail(notFound(source, eventId))
              : Effect.succeed(webhookEventFromRow(row))
          )
        ),
    markProcessed: (tenantId, source, eventId, at) =>
      change(tenantId, source, eventId, (row) =>
        Either.right(row.processedAt === null ? processedWebhookColumns(at) : undefined)
      ),
    markFailed: (tenantId, source, eventId, failure) =>
      change(tenantId, source, eventId, (row) =>
        row.processedAt === null
          ? Either.right(failedWebhookColumns(row, failure))
          : Either.left(StoreError.conflict("webhook", `${source}/${eventId}`, "already processed"))
      ),
    listUnprocessed: (tenantId, page) =>
      Effect.zipRight(
        checkLimit(page),
        client.run({ entity: "webhook" }, (db) => {
          const rows = db
            .select()
            .from(webhookEvents)
            .where(
              and(
                eq(webhookEvents.tenantId, tenantId),
                isNull(webhookEvents.processedAt),
                page.after === undefined ? undefined : gt(webhookEvents.id, page.after)
              )
            )
            .orderBy(asc(webhookEvents.id))
            .limit(page.limit + 1)
            .all()
          return pageOf(rows, page.limit, webhookEventFromRow, (row) => row.id)
        })
      )
  }
}
