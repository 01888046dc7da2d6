/**
 * The inbox of inbound webhooks (Stripe, PayPal, a panel...): a delivery is verified, written here under
 * its unique (tenant, source, event id), and processed later by a job. A vendor re-sending an event, or
 * two deliveries racing, finds it already there: duplicates are harmless.
 */
import type { Instant } from "../../calendar/zone"
import type { Json, Page, PageRequest } from "../common"
import type { Op } from "./repositories"

/** What arrived: the vendor's event, already verified. */
export interface WebhookDelivery {
  /** Who sent it: `stripe`, `paypal`... */
  readonly source: string
  /** The vendor's event id (`evt_...`, `WH-...`): unique per source. */
  readonly eventId: string
  /** The vendor's event type (`invoice.paid`, `PAYMENT.CAPTURE.COMPLETED`). */
  readonly type: string
  readonly payload: Json
  readonly receivedAt: Instant
}

/** `received`: waiting; `failed`: processing failed (it will be tried again); `processed`: done. */
export type WebhookEventState = "received" | "processed" | "failed"

/** A delivery as the inbox keeps it. */
export interface WebhookEvent extends WebhookDelivery {
  /** Store-made, in arrival order: the order `listUnprocessed` gives. */
  readonly id: string
  readonly state: WebhookEventState
  /** Times processing failed. */
  readonly failures: number
  readonly lastError?: string
  /** When processing last failed. */
  readonly failedAt?: Instant
  readonly processedAt?: Instant
}

/** What `receive` did: kept a new event, or found it already there (and wrote nothing). */
export interface WebhookReceipt {
  readonly isNew: boolean
  /** The event as stored: the first delivery's, for a duplicate. */
  readonly event: WebhookEvent
}

/**
 * The webhook inbox. Unique key: (tenant, source, event id) — `receive` of a key that exists writes
 * nothing and returns the stored event with `isNew: false`, also when two deliveries race. Events are
 * named by (source, event id); `NotFound` for an unknown one.
 *
 * - markProcessed: the event is done (`processedAt`); marking a processed event again changes nothing.
 * - markFailed: one more failure, with its error; a processed event cannot fail afterwards (`Conflict`).
 * - listUnprocessed: events `received` or `failed`, in arrival order (keyset pages).
 */
export interface WebhookInboxRepository {
  readonly receive: (tenantId: string, delivery: WebhookDelivery) => Op<WebhookReceipt>
  readonly get: (tenantId: string, source: string, eventId: string) => Op<WebhookEvent>
  readonly markProcessed: (tenantId: string, source: string, eventId: string, at: Instant) => Op<WebhookEvent>
  readonly markFailed: (
    tenantId: string,
    source: string,
    eventId: string,
    failure: { readonly error: string; readonly at: Instant }
  ) => Op<WebhookEvent>
  readonly listUnprocessed: (tenantId: string, page: PageRequest) => Op<Page<WebhookEvent>>
}
