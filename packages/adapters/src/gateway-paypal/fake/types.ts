/** The fake's public shapes: its options, its control handle, what tests see of its exchanges. */
import type { CaptureRecord, ChargeScript, OrderRecord } from "./state"
import type { PayPalDelivery, PayPalEvent } from "./webhooks"

export type Operation =
  | "oauth.token"
  | "orders.create"
  | "orders.get"
  | "orders.capture"
  | "captures.get"
  | "captures.refund"
  | "refunds.get"
  | "setup-tokens.create"
  | "setup-tokens.get"
  | "payment-tokens.create"
  | "payment-tokens.list"
  | "payment-tokens.get"
  | "payment-tokens.delete"
  | "certs.get"

/** One request and the fake's answer, for validating against PayPal's OpenAPI documents. */
export interface Exchange {
  readonly operation: Operation
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly requestHeaders: Readonly<Record<string, string>>
  readonly requestBody: unknown
  readonly status: number
  readonly responseBody: unknown
}

/** A scripted failure: an error status before acting, or a hang (no answer) before or after acting. */
export type Fault =
  | { readonly kind: "status"; readonly status: 429 | 500 | 503 }
  | { readonly kind: "hang"; readonly when: "before" | "after" }

export interface PayPalFakeOptions {
  readonly clientId?: string
  readonly clientSecret?: string
  /** Our webhook subscription's id, signed into every delivery. */
  readonly webhookId?: string
  /** Where deliveries go when `deliver` is called without a URL. */
  readonly webhookUrl?: string
  /** Vault tokens any customer may charge, and how each charge goes (the fake's test vocabulary). */
  readonly presetTokens?: { readonly [tokenId: string]: ChargeScript }
  /** `PayPal-Request-Id` retention per API, in ms (PayPal: orders 6 h, payments 45 d, vault 3 h). */
  readonly retention?: { readonly orders?: number; readonly payments?: number; readonly vault?: number }
  /** Sees every exchange (tests validate them against the OpenAPI documents). */
  readonly onExchange?: (exchange: Exchange) => void
}

export interface PayPalFakeControl {
  /** The buyer approves an order (checkout) — it becomes APPROVED. */
  readonly approveOrder: (orderId: string) => void
  /** The buyer approves a vault setup token — it becomes APPROVED. */
  readonly approveSetupToken: (setupTokenId: string) => void
  /** How charges with this vault token go from now on. */
  readonly scriptToken: (tokenId: string, script: ChargeScript) => void
  /** The next `count` calls of an operation fail this way (before or after acting). */
  readonly fault: (operation: Operation, fault: Fault, count?: number) => void
  readonly clearFaults: () => void
  /** A PENDING capture settles: COMPLETED, or DECLINED (PayPal then sends PAYMENT.CAPTURE.DENIED). */
  readonly settleCapture: (captureId: string, status: "COMPLETED" | "DECLINED") => void
  /** The payer's bank pulls the money back (PAYMENT.CAPTURE.REVERSED). */
  readonly reverseCapture: (captureId: string) => void
  readonly openDispute: (captureId: string, reason?: string) => string
  readonly updateDispute: (disputeId: string, status: "WAITING_FOR_SELLER_RESPONSE" | "UNDER_REVIEW") => void
  readonly resolveDispute: (disputeId: string, favour: "buyer" | "seller") => void
  /** Moves the fake's clock (idempotency retention). */
  readonly advanceTime: (ms: number) => void
  /** Counts of what PayPal did. */
  readonly stats: () => {
    readonly orders: number
    readonly captures: number
    readonly refunds: number
    readonly requests: number
  }
  readonly order: (orderId: string) => OrderRecord | undefined
  readonly capture: (captureId: string) => CaptureRecord | undefined
  /** Events not yet taken, oldest first. */
  readonly events: () => ReadonlyArray<PayPalEvent>
  /** Takes the pending events as signed deliveries (optionally each twice, or newest first). */
  readonly takeDeliveries: (options?: {
    readonly duplicate?: boolean
    readonly reverse?: boolean
  }) => ReadonlyArray<PayPalDelivery>
  /** Signs an arbitrary event or body (for tests of tampering and wrong webhook ids). */
  readonly sign: (
    event: PayPalEvent,
    options?: { readonly body?: string; readonly webhookId?: string; readonly certUrl?: string }
  ) => PayPalDelivery
  /** POSTs the pending events to the URL (or `webhookUrl`); returns the receiver's status codes. */
  readonly deliver: (
    url?: string,
    options?: { readonly duplicate?: boolean; readonly reverse?: boolean }
  ) => Promise<ReadonlyArray<number>>
}

export interface PayPalFake {
  /** `http://127.0.0.1:<port>` — what the adapter's `baseUrl` is set to. */
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookId: string
  /** Where the fake serves its signing certificate (`PAYPAL-CERT-URL`). */
  readonly certUrl: string
  readonly certificatePem: string
  readonly control: PayPalFakeControl
  readonly close: () => Promise<void>
}
