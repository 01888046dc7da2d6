/**
 * The webhook inbox on MySQL / MariaDB. A duplicate delivery hits the unique key (tenant, source,
 * event id) and reads the row that holds it; racing deliveries wait on that key's lock, so exactly one
 * is new. Marking an event locks its row first.
 */
import { StoreError, type WebhookEvent, type WebhookInboxRepository } from "@ezscale/core"
import { and, asc, eq, gt, isNull } from "drizzle-orm"
import { Effect } from "effect"
import { checkLimit, pageOf } from "../../store-sql/paging"
import {
  failedWebhookColumns,
  newWebhookEventRow,
  processedWebhookColumns,
  type WebhookEventRow,
  webhookEventFromRow
} from "../../store-sql/webhook-inbox"
import type { MysqlClient } from "../client"
import { webhookEvents } from "../schema"
import { found, unlessDuplicate } from "./support"

const keyWhere = (tenantId: string, source: string, eventId: string) =>
  and(
    eq(webhookEvents.tenantId, tenantId),
    eq(webhookEvents.source, source),
    eq(webhookEvents.eventId, eventId)
  )

export const webhookInboxRepository = (client: MysqlClient): WebhookInboxRepository => {
  const rowOf = (tenantId: string, source: string, eventId: string, lock: boolean) =>
    client
      .run({ entity: "webhook", key: `${source}/${eventId}` }, (db) => {
        const query = db
          .select()
          .from(webhookEvents)
          .where(keyWhere(tenantId, source, eventId))
          .limit(1)
        return lock ? query.for("update") : query
      })
      .pipe(Effect.flatMap((rows) => found("webhook", `${source}/${eventId}`)(rows[0])))

  /** Locks the event, lets `decide` refuse or name the columns to set (none: unchanged), returns it. */
  const change = (
    tenantId: string,
    source: string,
    eventId: string,
    decide: (row: WebhookEventRow) => Effect.Effect<Partial<WebhookEventRow> | undefined, StoreError>
  ): Effect.Effect<WebhookEvent, StoreError> =>
    client.atomically(
      Effect.gen(function* () {
        const row = yield* rowOf(tenantId, source, eventId, true)
        const columns = yield* decide(row)
        if (columns === undefined) return webhookEventFromRow(row)
        yield* client.run({ entity: "webhook", key: `${source}/${eventId}` }, (db) =>
          db
            .update(webhookEvents)
            .set(columns)
            .where(keyWhere(tenantId, source, eventId))
        )
        return webhookEventFromRow({ ...row, ...columns })
      })
    )

  return {
    receive: (tenantId, delivery) =>
      Effect.suspend(() => {
        const row = newWebhookEventRow(tenantId, client.ids.next("whk"), delivery)
        return unlessDuplicate(
          Effect.as(
            client.run({ entity: "webhook", key: `${delivery.source}/${delivery.eventId}` }, async (db) => {
              await db.insert(webhookEvents).values(row)
            }),
            { isNew: true, event: webhookEventFromRow(row) }
          ),
          (key) =>
            key === "webhook_events_event_key"
              ? Effect.map(rowOf(tenantId, delivery.source, delivery.eventId, false), (existing) => ({
                  isNew: false,
                  event: webhookEventFromRow(existing)
                }))
              : undefined
        )
      }),
    get: (tenantId, source, eventId) =>
      Effect.map(rowOf(tenantId, source, eventId, false), webhookEventFromRow),
    markProcessed: (tenantId, source, eventId, at) =>
      change(tenantId, source, eventId, (row) =>
        Effect.succeed(row.processedAt === null ? processedWebhookColumns(at) : undefined)
      ),
    markFailed: (tenantId, source, eventId, failure) =>
      change(tenantId, source, eventId, (row) =>
        row.processedAt === null
          ? Effect.succeed(failedWebhookColumns(row, failure))
          : Effect.fail(StoreError.conflict("webhook", `${source}/${eventId}`, "already processed"))
      ),
    listUnprocessed: (tenantId, page) =>
      Effect.zipRight(
        checkLimit(page),
        client
          .run({ entity: "webhook" }, (db) =>
            db
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
          )
          .pipe(Effect.map((rows) => pageOf(rows, page.limit, webhookEventFromRow, (row) => row.id)))
      )
  }
}
