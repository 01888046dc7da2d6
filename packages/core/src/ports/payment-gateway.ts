/**
 * `PaymentGateway` — a payment provider (Stripe, PayPal, a fake) reduced to what billing needs: a customer
 * at the provider, saving a payment method, charging it, finding out what happened to a charge, and
 * refunding. One gateway instance serves one tenant's provider account; the host builds it from config.
 *
 * Guarantees an adapter must give:
 * - idempotency: every `charge` and `refund` carries a deterministic `idempotencyKey`; calling again with
 *   the same key never charges (or refunds) twice and returns the provider's outcome for that key —
 *   after an `unknown` outcome, the current one;
 * - normalized outcomes: `succeeded | pending | requires_action | failed | canceled | unknown`, with the
 *   provider's reason. A declined card is an outcome (`failed` with `declineCode`), not an error: the
 *   attempt happened and the dunning schedule acts on it. `unknown` (a timeout, a 5xx after sending) means
 *   "maybe charged": the caller must not retry blindly but reconcile with `retrieveCharge`;
 * - refunds are bounded: the refunds of a charge never add up to more than was charged (`InvalidRequest`);
 * - capability flags say what the provider can do (no refunds, no partial refunds, no off-session
 *   charges, which currencies); calling an operation the flags rule out fails with `InvalidRequest`.
 *
 * Errors: `GatewayError` when no outcome could be had, with `reason` `Declined` (a setup or method
 * refused outright) | `RateLimited` | `Auth` | `InvalidRequest` | `Unavailable` | `Unknown`, `retryable`,
 * and the provider's `vendorCode` / `declineCode`.
 */
import { Context, type Effect, type Option, Schema } from "effect"
import type { CurrencyCode } from "../money/currency"
import type { Money } from "../money/money"

export class GatewayError extends Schema.TaggedError<GatewayError>()("GatewayError", {
  reason: Schema.Literal("Declined", "RateLimited", "Auth", "InvalidRequest", "Unavailable", "Unknown"),
  retryable: Schema.Boolean,
  gateway: Schema.String,
  vendorCode: Schema.optionalWith(Schema.String, { exact: true }),
  declineCode: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    const codes = [this.vendorCode, this.declineCode].filter((code) => code !== undefined).join("/")
    return `${this.gateway}: ${this.reason}${codes === "" ? "" : ` [${codes}]`}${this.detail === undefined ? "" : `: ${this.detail}`}`
  }
}

export type ChargeStatus = "succeeded" | "pending" | "requires_action" | "failed" | "canceled" | "unknown"

export interface GatewayCapabilities {
  readonly refunds: boolean
  readonly partialRefunds: boolean
  /** Charging a saved method without the customer present (renewals). */
  readonly offSession: boolean
  readonly currencies: ReadonlyArray<CurrencyCode>
}

export interface GatewayCustomerRequest {
  /** Our customer id: the adapter finds or creates the provider's customer for it (idempotent). */
  readonly customerId: string
  readonly email: string
  readonly name: string
}

export interface SetupRequest {
  readonly gatewayCustomerId: string
  /** Where the provider sends the customer back (redirect flows such as PayPal). */
  readonly returnUrl?: string
}

/** Something the customer's browser completes: a client secret (Stripe) or an approval link (PayPal). */
export interface SetupSession {
  readonly setupId: string
  readonly clientSecret?: string
  readonly approvalUrl?: string
}

export interface PaymentMethod {
  readonly id: string
  readonly kind: "card" | "paypal" | "bank_account" | "other"
  /** For display: "Visa •••• 4242", "paypal: a@b.c". */
  readonly label: string
  readonly expiresAt?: { readonly month: number; readonly year: number }
}

export interface ChargeRequest {
  readonly gatewayCustomerId: string
  readonly invoiceId: string
  readonly amount: Money
  readonly methodId: string
  /** Deterministic, e.g. `collect:<invoiceId>:<attempt>`. */
  readonly idempotencyKey: string
  readonly offSession: boolean
  readonly description?: string
}

export interface ChargeOutcome {
  readonly status: ChargeStatus
  readonly idempotencyKey: string
  readonly amount: Money
  /** The provider's charge id; absent when the outcome is `unknown` and no charge could be seen. */
  readonly chargeId?: string
  /** Why, for `failed` / `canceled` / `unknown` (human readable). */
  readonly reason?: string
  readonly declineCode?: string
  /** For `requires_action`: where the customer completes it (3-D Secure page, approval link). */
  readonly actionUrl?: string
}

export type ChargeReference = { readonly idempotencyKey: string } | { readonly chargeId: string }

export interface RefundRequest {
  readonly chargeId: string
  readonly amount: Money
  readonly idempotencyKey: string
  readonly reason?: string
}

export interface RefundOutcome {
  readonly refundId: string
  readonly chargeId: string
  readonly status: "succeeded" | "pending" | "failed"
  readonly amount: Money
}

export interface PaymentGatewayService {
  /** `stripe`, `paypal`, `fake`... */
  readonly name: string
  readonly capabilities: GatewayCapabilities
  readonly ensureCustomer: (
    request: GatewayCustomerRequest
  ) => Effect.Effect<{ readonly gatewayCustomerId: string }, GatewayError>
  readonly createSetup: (request: SetupRequest) => Effect.Effect<SetupSession, GatewayError>
  /**
   * Redirect flows (PayPal): once the customer has approved `setupId` at the `approvalUrl` and come back,
   * turns it into a saved method. Idempotent per `setupId`. Absent where the browser finishes the setup
   * itself (Stripe: the SetupIntent attaches the method).
   */
  readonly completeSetup?: (setupId: string) => Effect.Effect<PaymentMethod, GatewayError>
  readonly listMethods: (
    gatewayCustomerId: string
  ) => Effect.Effect<ReadonlyArray<PaymentMethod>, GatewayError>
  readonly detachMethod: (methodId: string) => Effect.Effect<void, GatewayError>
  readonly charge: (request: ChargeRequest) => Effect.Effect<ChargeOutcome, GatewayError>
  /** The current outcome of a charge, for reconciling `unknown` / `pending`; none if never seen. */
  readonly retrieveCharge: (
    reference: ChargeReference
  ) => Effect.Effect<Option.Option<ChargeOutcome>, GatewayError>
  readonly refund: (request: RefundRequest) => Effect.Effect<RefundOutcome, GatewayError>
}

export class PaymentGateway extends Context.Tag("@ezscale/core/PaymentGateway")<
  PaymentGateway,
  PaymentGatewayService
>() {}

/**
 * What a provider's webhook event means for billing, whatever the provider. An adapter's
 * `parseWebhook` verifies a delivery and reads it into one of these; events billing does not act on are
 * `ignored` (kept in the inbox all the same). Deliveries come unordered and repeated: the engine acts on
 * the current state (it asks the gateway again before moving money), never on the event's order.
 */
export type GatewayEvent =
  | {
      readonly _tag: "ChargeUpdated"
      /** The charge's outcome now; its `idempotencyKey` ties it to our collection attempt when known. */
      readonly outcome: ChargeOutcome
      /** Our invoice id, from the metadata / custom id the adapter attached to the charge. */
      readonly invoiceId?: string
    }
  | {
      readonly _tag: "RefundUpdated"
      readonly refund: RefundOutcome
      readonly invoiceId?: string
    }
  | {
      readonly _tag: "DisputeUpdated"
      readonly disputeId: string
      readonly chargeId: string
      readonly amount: Money
      /** `open`: money held, evidence due; `won` / `lost`: closed. */
      readonly status: "open" | "won" | "lost"
      readonly reason?: string
      readonly invoiceId?: string
    }
  | {
      readonly _tag: "MethodSaved"
      readonly gatewayCustomerId: string
      readonly method: PaymentMethod
    }
  | {
      readonly _tag: "MethodRemoved"
      readonly gatewayCustomerId?: string
      readonly methodId: string
    }
  | { readonly _tag: "Ignored" }

/** A webhook delivery as received over HTTP: the raw body (signatures cover its exact bytes) and headers. */
export interface WebhookRequest {
  readonly rawBody: Uint8Array
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>
}

/** A verified delivery: the provider's event id and type (the inbox keys), its JSON, and what it means. */
export interface VerifiedWebhook {
  readonly eventId: string
  readonly type: string
  readonly payload: unknown
  readonly event: GatewayEvent
}

/** A delivery that failed verification (bad signature, too old, wrong webhook id, unreadable body). */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  gateway: Schema.String,
  reason: Schema.Literal("Signature", "Expired", "Malformed", "Certificate"),
  detail: Schema.String
}) {
  override get message() {
    return `${this.gateway} webhook rejected (${this.reason}): ${this.detail}`
  }
}

/**
 * The webhook side of a gateway, kept apart from `PaymentGatewayService` because it runs in the HTTP
 * host (no customer, no charge). `verify` checks the signature against the tenant's endpoint secret /
 * webhook id and reads the event; `interpret` reads an event already in the inbox again (processing
 * happens later, in a job).
 */
export interface GatewayWebhooks {
  readonly gateway: string
  readonly verify: (request: WebhookRequest) => Effect.Effect<VerifiedWebhook, WebhookRejected>
  readonly interpret: (payload: unknown) => GatewayEvent
}

/**
 * A tenant's stored gateway account that no gateway can be built from (before any call to the
 * provider): `Disabled` (the tenant switched it off), `Unsupported` (no adapter for that gateway id),
 * `InvalidCredentials` (the opened credentials lack a field or do not fit the account's mode — the
 * detail names the field, never its value), `SdkMissing` (the provider's SDK, an optional peer
 * dependency, is not installed).
 */
export class GatewayAccountError extends Schema.TaggedError<GatewayAccountError>()("GatewayAccountError", {
  reason: Schema.Literal("Disabled", "Unsupported", "InvalidCredentials", "SdkMissing"),
  gateway: Schema.String,
  tenantId: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.gateway} account of tenant ${this.tenantId}: ${this.reason}: ${this.detail}`
  }
}
