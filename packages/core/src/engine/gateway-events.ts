/**
 * Webhooks from the payment gateways, in two steps. `receiveWebhook` (the HTTP host, after `verify`) keeps
 * the delivery in the inbox and enqueues a `gateway_event` job in one transaction; a delivery seen before
 * (same source and event id) writes nothing. The job (`processGatewayEvent`) reads the stored payload
 * again (`GatewayEvents.interpret`) and acts on the gateway's CURRENT state, never on the event's order:
 * deliveries come repeated and out of order.
 *
 * Handled so far: `ChargeUpdated` for a collection attempt (`collect:<invoice>:<attempt>` key): the
 * charge is retrieved from the gateway and its outcome recorded through the same path as
 * `reconcileCollection` (one payment per key, the invoice paid once), and the inbox event marked
 * processed in the same transaction. `Ignored` events, and charges that are not collection attempts, are
 * marked processed. Other events stay unprocessed in the inbox.
 */
import { Clock, Context, Effect, Option } from "effect"
import type { Json } from "../ports/common"
import type { Ids } from "../ports/ids"
import {
  type GatewayError,
  type GatewayWebhooks,
  PaymentGateway,
  type VerifiedWebhook,
  WebhookRejected
} from "../ports/payment-gateway"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import { Store } from "../ports/store/store"
import type { WebhookReceipt } from "../ports/store/webhook-inbox"
import { type CollectOutcome, collectionKey, recordOutcome } from "./collection"
import type { InvalidBillingSettings } from "./errors"

/** The webhook side of the tenant's gateway (provided by the host per tenant and gateway). */
export class GatewayEvents extends Context.Tag("@ezscale/core/GatewayEvents")<
  GatewayEvents,
  GatewayWebhooks
>() {}

/** The job kind that processes one inbox event. */
export const gatewayEventJobKind = "gateway_event"

/** The dedupe key of the job processing an inbox event: one job per (source, event id). */
export const gatewayEventKey = (source: string, eventId: string): string =>
  `gateway_event:${source}:${eventId}`

const isJson = (value: unknown): value is Json => {
  if (value === null) return true
  switch (typeof value) {
    case "boolean":
    case "string":
      return true
    case "number":
      return Number.isFinite(value)
    case "object":
      return Array.isArray(value)
        ? value.every(isJson)
        : Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJson)
    default:
      return false
  }
}

export interface ReceiveWebhookRequest {
  readonly tenantId: string
  /** The source in the inbox: the gateway's name (`stripe`, `paypal`). */
  readonly gateway: string
  readonly verified: VerifiedWebhook
}

/**
 * Keeps a verified delivery in the inbox and enqueues its `gateway_event` job, in one transaction. A
 * duplicate (same gateway and event id) writes nothing and returns the stored event with `isNew: false`.
 * A payload that is not plain JSON is `WebhookRejected` (`Malformed`), and nothing is written.
 */
export const receiveWebhook = (
  request: ReceiveWebhookRequest
): Effect.Effect<WebhookReceipt, StoreError | WebhookRejected, Store> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, gateway, verified } = request
    const payload = verified.payload
    if (!isJson(payload)) {
      return yield* new WebhookRejected({
        gateway,
        reason: "Malformed",
        detail: "the payload is not plain JSON"
      })
    }
    return yield* store.withTransaction(
      Effect.gen(function* () {
        const receipt = yield* store.webhookInbox.receive(tenantId, {
          source: gateway,
          eventId: verified.eventId,
          type: verified.type,
          payload,
          receivedAt: now
        })
        if (!receipt.isNew) return receipt
        yield* store.jobs.enqueue(tenantId, {
          kind: gatewayEventJobKind,
          payload: { source: gateway, eventId: verified.eventId },
          runAt: now,
          dedupeKey: gatewayEventKey(gateway, verified.eventId)
        })
        return receipt
      })
    )
  })

/** Reads a collection attempt's idempotency key (`collect:<invoice>:<attempt>`); undefined for another. */
export const parseCollectionKey = (
  key: string
): { readonly invoiceId: string; readonly attempt: number } | undefined => {
  const match = /^collect:(.+):([1-9][0-9]*)$/.exec(key)
  if (match === null) return undefined
  const invoiceId = match[1] as string
  const attempt = Number(match[2])
  if (!Number.isSafeInteger(attempt) || collectionKey(invoiceId, attempt) !== key) return undefined
  return { invoiceId, attempt }
}

export interface GatewayEventRequest {
  readonly tenantId: string
  readonly source: string
  readonly eventId: string
}

export type GatewayEventOutcome =
  | { readonly _tag: "AlreadyProcessed" }
  /** Nothing for billing to do (an ignored event, a charge that is not a collection attempt). */
  | { readonly _tag: "Ignored" }
  /** The gateway does not know the charge (yet): the job is tried again later. */
  | { readonly _tag: "ChargeUnseen"; readonly idempotencyKey: string }
  | { readonly _tag: "Collection"; readonly invoiceId: string; readonly outcome: CollectOutcome }
  /** An event whose handling is not built yet: it stays unprocessed in the inbox. */
  | { readonly _tag: "Unhandled"; readonly event: string }

/**
 * Processes one inbox event (the `gateway_event` job). Idempotent: a processed event is not acted on
 * again, and the recording path keeps one payment per idempotency key, so a repeated or late event (a
 * `failed` arriving after the `succeeded` one) changes nothing.
 */
export const processGatewayEvent = (
  request: GatewayEventRequest
): Effect.Effect<
  GatewayEventOutcome,
  StoreError | VersionConflict | InvalidBillingSettings | GatewayError,
  Store | Ids | PaymentGateway | GatewayEvents
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const webhooks = yield* GatewayEvents
    const gateway = yield* PaymentGateway
    const { tenantId, source, eventId } = request
    const stored = yield* store.webhookInbox.get(tenantId, source, eventId)
    if (stored.state === "processed") return { _tag: "AlreadyProcessed" } as const
    const event = webhooks.interpret(stored.payload)
    const markProcessed = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      store.webhookInbox.markProcessed(tenantId, source, eventId, now)
    )
    switch (event._tag) {
      case "Ignored":
        yield* markProcessed
        return { _tag: "Ignored" } as const
      case "ChargeUpdated": {
        const key = event.outcome.idempotencyKey
        const attempt = parseCollectionKey(key)
        if (attempt === undefined) {
          yield* markProcessed
          return { _tag: "Ignored" } as const
        }
        // The current state, not the event's: deliveries come late and out of order.
        const found = yield* gateway.retrieveCharge({ idempotencyKey: key })
        if (Option.isNone(found)) return { _tag: "ChargeUnseen", idempotencyKey: key } as const
        const current = found.value
        return yield* store.withTransaction(
          Effect.gen(function* () {
            const invoice = yield* store.invoices.get(tenantId, attempt.invoiceId)
            const recorded = (yield* store.payments.listByInvoice(tenantId, attempt.invoiceId)).some(
              (payment) => payment.idempotencyKey === key
            )
            const outcome: CollectOutcome = recorded
              ? { _tag: "NotOpen" }
              : yield* recordOutcome(
                  { tenantId, invoiceId: attempt.invoiceId, attempt: attempt.attempt },
                  invoice,
                  gateway.name,
                  current,
                  0n,
                  false
                )
            yield* markProcessed
            return { _tag: "Collection", invoiceId: attempt.invoiceId, outcome } as const
          })
        )
      }
      default:
        return { _tag: "Unhandled", event: event._tag } as const
    }
  })
