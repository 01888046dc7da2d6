/**
 * Webhooks from the payment gateways, in two steps. `receiveWebhook` (the HTTP host, after `verify`) keeps
 * the delivery in the inbox and enqueues a `gateway_event` job in one transaction; a delivery seen before
 * (same source and event id) writes nothing. The job (`processGatewayEvent`) reads the stored payload
 * again (`GatewayEvents.interpret`) and acts on the CURRENT state, never on the event's order: deliveries
 * come repeated and out of order. The gateway is asked first (`retrieveCharge`, `listMethods`), then one
 * transaction does the effect and marks the inbox event processed.
 *
 * - `ChargeUpdated` for a collection attempt (`collect:<invoice>:<attempt>` key): the charge's current
 *   outcome recorded through the same path as `reconcileCollection` (one payment per key, the invoice
 *   paid once; `requires_action` tells the customer once, see `recordOutcome`). Other charges: ignored.
 * - `RefundUpdated`: see `gateway-refunds.ts`. `DisputeUpdated`: see `gateway-disputes.ts`.
 *   `MethodSaved` / `MethodRemoved`: see `gateway-methods.ts`.
 * - `Ignored`: marked processed, nothing else.
 *
 * A charge the gateway does not show yet leaves the event unprocessed (`ChargeUnseen`: the job fails and
 * is retried).
 */
import { Clock, Context, Effect, Option } from "effect"
import type { Json } from "../ports/common"
import type { Ids } from "../ports/ids"
import {
  type GatewayWebhooks,
  PaymentGateway,
  type VerifiedWebhook,
  WebhookRejected
} from "../ports/payment-gateway"
import type { StoreError } from "../ports/store/errors"
import { Store } from "../ports/store/store"
import type { WebhookReceipt } from "../ports/store/webhook-inbox"
import { type CollectOutcome, recordOutcome } from "./collection"
import { handleDisputeUpdated } from "./gateway-disputes"
import {
  type GatewayEventError,
  type GatewayEventOutcome,
  type GatewayEventRequest,
  parseCollectionKey
} from "./gateway-event-support"
import { handleMethodRemoved, handleMethodSaved } from "./gateway-methods"
import { handleRefundUpdated } from "./gateway-refunds"

export {
  type GatewayEventError,
  type GatewayEventOutcome,
  type GatewayEventRequest,
  parseCollectionKey
} from "./gateway-event-support"

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

/**
 * Processes one inbox event (the `gateway_event` job): see the module comment. Idempotent: a processed
 * event is not acted on again, and every effect is keyed (payments by idempotency key, refunds by the
 * gateway's refund id, dispute transitions and notices by job dedupe keys, methods by the gateway's
 * method id), so a repeated or late event changes nothing.
 */
export const processGatewayEvent = (
  request: GatewayEventRequest
): Effect.Effect<GatewayEventOutcome, GatewayEventError, Store | Ids | PaymentGateway | GatewayEvents> =>
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
              : yield* recordOutcome({ tenantId, ...attempt }, invoice, gateway.name, current, 0n, false)
            yield* markProcessed
            return { _tag: "Collection", invoiceId: attempt.invoiceId, outcome } as const
          })
        )
      }
      case "RefundUpdated":
        return yield* handleRefundUpdated(tenantId, event.refund, event.invoiceId, markProcessed)
      case "DisputeUpdated":
        return yield* handleDisputeUpdated(tenantId, event, markProcessed)
      case "MethodSaved":
        return yield* handleMethodSaved(tenantId, event, markProcessed)
      case "MethodRemoved":
        return yield* handleMethodRemoved(tenantId, event, markProcessed)
    }
  })
