/** Row <-> record mapping for the webhook inbox, identical for both dialects. */
import type { WebhookDelivery, WebhookEvent } from "@ezscale/core"
import { decodeJson, encodeJson } from "./json"

export interface WebhookEventRow {
  readonly tenantId: string
  readonly id: string
  readonly source: string
  readonly eventId: string
  readonly type: string
  /** The vendor's payload as JSON text. */
  readonly payload: string
  readonly receivedAt: number
  readonly state: string
  readonly failures: number
  readonly lastError: string | null
  readonly failedAt: number | null
  /** NULL while the event waits: the pending index is (tenant_id, processed_at, id). */
  readonly processedAt: number | null
}

export const newWebhookEventRow = (
  tenantId: string,
  id: string,
  delivery: WebhookDelivery
): WebhookEventRow => ({
  tenantId,
  id,
  source: delivery.source,
  eventId: delivery.eventId,
  type: delivery.type,
  payload: encodeJson(delivery.payload),
  receivedAt: delivery.receivedAt,
  state: "received",
  failures: 0,
  lastError: null,
  failedAt: null,
  processedAt: null
})

export const webhookEventFromRow = (row: WebhookEventRow): WebhookEvent => ({
  id: row.id,
  source: row.source,
  eventId: row.eventId,
  type: row.type,
  payload: decodeJson(row.payload),
  receivedAt: row.receivedAt,
  state: row.state as WebhookEvent["state"],
  failures: row.failures,
  ...(row.lastError === null ? {} : { lastError: row.lastError }),
  ...(row.failedAt === null ? {} : { failedAt: row.failedAt }),
  ...(row.processedAt === null ? {} : { processedAt: row.processedAt })
})

/** The columns `markFailed` changes: one more failure. */
export const failedWebhookColumns = (
  row: WebhookEventRow,
  failure: { readonly error: string; readonly at: number }
) =>
  ({ state: "failed", failures: row.failures + 1, lastError: failure.error, failedAt: failure.at }) as const

/** The columns `markProcessed` changes. */
export const processedWebhookColumns = (at: number) => ({ state: "processed", processedAt: at }) as const
