/** The webhook inbox: one event per (tenant, source, event id), listed in arrival order. */
import { StoreError, type WebhookEvent, type WebhookInboxRepository } from "@ezscale/core"
import { Effect } from "effect"
import type { Db } from "./db"
import { key, nextSerial, paginate, rowsOf, type State } from "./state"

const find = (state: State, tenantId: string, source: string, eventId: string) => {
  const k = key(tenantId, source, eventId)
  const event = state.tables.webhooks.get(k)
  return event === undefined
    ? Effect.fail(StoreError.notFound("webhook", `${source}/${eventId}`))
    : Effect.succeed({ k, event })
}

export const webhookInboxRepository = (db: Db): WebhookInboxRepository => ({
  receive: (tenantId, delivery) =>
    db.run((state) => {
      const k = key(tenantId, delivery.source, delivery.eventId)
      const existing = state.tables.webhooks.get(k)
      if (existing !== undefined) return Effect.succeed({ isNew: false, event: existing })
      const event: WebhookEvent = {
        ...delivery,
        id: nextSerial(state, "whk"),
        state: "received",
        failures: 0
      }
      state.tables.webhooks.set(k, event)
      return Effect.succeed({ isNew: true, event })
    }),
  get: (tenantId, source, eventId) =>
    db.run((state) => Effect.map(find(state, tenantId, source, eventId), ({ event }) => event)),
  markProcessed: (tenantId, source, eventId, at) =>
    db.run((state) =>
      Effect.map(find(state, tenantId, source, eventId), ({ k, event }) => {
        if (event.state === "processed") return event
        const next: WebhookEvent = { ...event, state: "processed", processedAt: at }
        state.tables.webhooks.set(k, next)
        return next
      })
    ),
  markFailed: (tenantId, source, eventId, failure) =>
    db.run((state) =>
      Effect.flatMap(find(state, tenantId, source, eventId), ({ k, event }) => {
        if (event.state === "processed") {
          return Effect.fail(StoreError.conflict("webhook", `${source}/${eventId}`, "already processed"))
        }
        const next: WebhookEvent = {
          ...event,
          state: "failed",
          failures: event.failures + 1,
          lastError: failure.error,
          failedAt: failure.at
        }
        state.tables.webhooks.set(k, next)
        return Effect.succeed(next)
      })
    ),
  listUnprocessed: (tenantId, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(tables.webhooks, tenantId, (event) => event.state !== "processed"),
        (event) => event.id,
        page
      )
    )
})
