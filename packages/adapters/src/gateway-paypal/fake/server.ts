/**
 * The PayPal fake: a `node:http` server on 127.0.0.1 (port 0), stateful and in memory, speaking the
 * subset of PayPal's REST API billing uses — OAuth client credentials, Orders v2 (create, get, capture),
 * Payments v2 (captures, refunds), Vault v3 (setup tokens, payment tokens) — with `PayPal-Request-Id`
 * idempotency (a repeat returns the current state of what the first request made, per-API retention),
 * PayPal's error bodies, and signed webhook deliveries. A `control` handle stands in for the buyer
 * (approving orders and setup tokens), opens disputes, and scripts failures (declines, 5xx, 429, hangs).
 */
import { randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { Money } from "@ezscale/core"
import { makeSigningIdentity, type SigningIdentity } from "./certificate"
import {
  amountJson,
  type CaptureRecord,
  type ChargeScript,
  type DisputeRecord,
  failure,
  type Link,
  type OrderRecord,
  type PaymentTokenRecord,
  PayPalFailure,
  parseMoney,
  type RefundRecord,
  refundedOf,
  type SetupTokenRecord
} from "./state"
import { type PayPalDelivery, type PayPalEvent, postDelivery, signDelivery } from "./webhooks"

export type { ChargeScript } from "./state"
export type { PayPalDelivery, PayPalEvent } from "./webhooks"

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

const hours = 3_600_000

/** What an operation did: its answer, what a repeat with its request id gets, and whether the answer is lost. */
interface Performed {
  readonly status: number
  readonly body: unknown
  readonly replay?: () => { status: number; body: unknown }
  readonly lost?: boolean
}

interface Remembered {
  readonly operation: Operation
  readonly at: number
  /** Renders the latest state of what the first request made, or the error it got. */
  readonly replay: () => { status: number; body: unknown }
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const id = (length: number) =>
  randomBytes(length)
    .toString("base64")
    .replace(/[^A-Z0-9]/gi, "")
    .toUpperCase()
    .padEnd(length, "X")
    .slice(0, length)

export const startPayPalFake = async (options: PayPalFakeOptions = {}): Promise<PayPalFake> => {
  const clientId = options.clientId ?? "fake-client-id"
  const clientSecret = options.clientSecret ?? "fake-client-secret"
  const webhookId = options.webhookId ?? "1WH00000000000000"
  const retention = {
    orders: options.retention?.orders ?? 6 * hours,
    payments: options.retention?.payments ?? 45 * 24 * hours,
    vault: options.retention?.vault ?? 3 * hours
  }
  const identity: SigningIdentity = makeSigningIdentity()
  let clockOffset = 0
  const now = () => Date.now() + clockOffset
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z")

  const tokens = new Set<string>()
  const orders = new Map<string, OrderRecord>()
  const captures = new Map<string, CaptureRecord>()
  const refunds = new Map<string, RefundRecord>()
  const setupTokens = new Map<string, SetupTokenRecord>()
  const paymentTokens = new Map<string, PaymentTokenRecord>()
  const disputes = new Map<string, DisputeRecord>()
  const invoiceIds = new Set<string>()
  const remembered = new Map<string, Remembered>()
  const faults = new Map<Operation, Array<Fault>>()
  const outbox: Array<PayPalEvent> = []
  const hung = new Set<ServerResponse>()
  let requestCount = 0

  for (const [tokenId, script] of Object.entries(options.presetTokens ?? {})) {
    paymentTokens.set(tokenId, { id: tokenId, customerId: undefined, email: "buyer@example.com", script })
  }

  let url = ""
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "application/json" })
        response.end(JSON.stringify(failure(500).body))
      }
      console.error("paypal fake:", error)
    })
  })
  // Idle keep-alive connections outlive a slow test step (Node's 5 s default would race clients reusing them).
  server.keepAliveTimeout = 120_000
  server.headersTimeout = 121_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const certUrl = `${url}/v1/notifications/certs/CERT-360caa42-fca2a594-fake`

  // ----- representations ---------------------------------------------------------------------------

  const link = (href: string, rel: string, method = "GET"): Link => ({ href: `${url}${href}`, rel, method })

  const refundJson = (refund: RefundRecord) => ({
    id: refund.id,
    status: "COMPLETED",
    amount: amountJson(refund.amount),
    ...(refund.invoiceId === undefined ? {} : { invoice_id: refund.invoiceId }),
    create_time: refund.createdAt,
    update_time: refund.createdAt,
    links: [
      link(`/v2/payments/refunds/${refund.id}`, "self"),
      link(`/v2/payments/captures/${refund.captureId}`, "up")
    ]
  })

  const captureJson = (capture: CaptureRecord) => ({
    id: capture.id,
    status: capture.status,
    ...(capture.pendingReason === undefined ? {} : { status_details: { reason: capture.pendingReason } }),
    amount: amountJson(capture.amount),
    final_capture: true,
    ...(capture.invoiceId === undefined ? {} : { invoice_id: capture.invoiceId }),
    ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
    ...(capture.responseCode === undefined
      ? {}
      : { processor_response: { response_code: capture.responseCode } }),
    create_time: capture.createdAt,
    update_time: capture.updatedAt,
    links: [
      link(`/v2/payments/captures/${capture.id}`, "self"),
      link(`/v2/payments/captures/${capture.id}/refund`, "refund", "POST"),
      link(`/v2/checkout/orders/${capture.orderId}`, "up")
    ]
  })

  const orderJson = (order: OrderRecord) => {
    const links: Array<Link> = [link(`/v2/checkout/orders/${order.id}`, "self")]
    if (order.status === "CREATED") links.push(link(`/checkoutnow?token=${order.id}`, "approve"))
    if (order.status === "PAYER_ACTION_REQUIRED")
      links.push(link(`/checkoutnow?token=${order.id}`, "payer-action"))
    if (order.status === "APPROVED")
      links.push(link(`/v2/checkout/orders/${order.id}/capture`, "capture", "POST"))
    return {
      id: order.id,
      intent: "CAPTURE",
      status: order.status,
      payment_source: {
        paypal: {
          email_address: order.payerEmail,
          ...(order.vaultId === undefined
            ? {}
            : { attributes: { vault: { id: order.vaultId, status: "VAULTED" } } })
        }
      },
      purchase_units: [
        {
          reference_id: order.referenceId,
          amount: amountJson(order.amount),
          ...(order.invoiceId === undefined ? {} : { invoice_id: order.invoiceId }),
          ...(order.customId === undefined ? {} : { custom_id: order.customId }),
          ...(order.description === undefined ? {} : { description: order.description }),
          ...(order.capture === undefined ? {} : { payments: { captures: [captureJson(order.capture)] } })
        }
      ],
      create_time: order.createdAt,
      update_time: order.updatedAt,
      links
    }
  }

  const setupTokenJson = (setup: SetupTokenRecord) => ({
    id: setup.id,
    customer: { id: setup.customerId },
    status: setup.status,
    payment_source: { paypal: {} },
    links:
      setup.status === "PAYER_ACTION_REQUIRED"
        ? [
            link(`/agreements/approve?approval_session_id=${setup.id}`, "approve"),
            link(`/v3/vault/setup-tokens/${setup.id}`, "self")
          ]
        : [link(`/v3/vault/setup-tokens/${setup.id}`, "self")]
  })

  const paymentTokenJson = (token: PaymentTokenRecord) => ({
    id: token.id,
    ...(token.customerId === undefined ? {} : { customer: { id: token.customerId } }),
    payment_source: { paypal: { email_address: token.email } },
    links: [link(`/v3/vault/payment-tokens/${token.id}`, "self")]
  })

  // ----- events ------------------------------------------------------------------------------------

  const emit = (
    eventType: string,
    resourceType: string,
    resource: Record<string, unknown>,
    summary: string
  ) => {
    outbox.push({
      id: `WH-${id(8)}-${id(17)}`,
      event_version: "1.0",
      create_time: new Date(now()).toISOString(),
      resource_type: resourceType,
      resource_version: "2.0",
      event_type: eventType,
      summary,
      resource,
      links: [{ href: `${url}/v1/notifications/webhooks-events/WH-FAKE`, rel: "self", method: "GET" }]
    })
  }

  const captureEvent = (capture: CaptureRecord) => {
    const type =
      capture.status === "COMPLETED"
        ? "PAYMENT.CAPTURE.COMPLETED"
        : capture.status === "PENDING"
          ? "PAYMENT.CAPTURE.PENDING"
          : "PAYMENT.CAPTURE.DECLINED"
    emit(type, "capture", captureJson(capture), `Payment ${capture.status.toLowerCase()}`)
  }

  const disputeJson = (dispute: DisputeRecord) => {
    const capture = captures.get(dispute.captureId)
    return {
      dispute_id: dispute.id,
      create_time: dispute.createdAt,
      update_time: dispute.updatedAt,
      disputed_transactions: [
        {
          seller_transaction_id: dispute.captureId,
          ...(capture?.invoiceId === undefined ? {} : { invoice_number: capture.invoiceId }),
          ...(capture?.customId === undefined ? {} : { custom: capture.customId })
        }
      ],
      reason: dispute.reason,
      status: dispute.status,
      dispute_amount: amountJson(dispute.amount),
      ...(dispute.outcome === undefined ? {} : { dispute_outcome: { outcome_code: dispute.outcome } }),
      dispute_life_cycle_stage: "CHARGEBACK",
      dispute_channel: "INTERNAL"
    }
  }

  // ----- operations --------------------------------------------------------------------------------

  const orderNotFound = () => failure(404, "INVALID_RESOURCE_ID")

  const makeCapture = (order: OrderRecord, script: ChargeScript): CaptureRecord => {
    const status =
      script.kind === "pending" ? "PENDING" : script.kind === "capture_declined" ? "DECLINED" : "COMPLETED"
    const capture: CaptureRecord = {
      id: id(17),
      orderId: order.id,
      status,
      pendingReason: script.kind === "pending" ? (script.reason ?? "PENDING_REVIEW") : undefined,
      responseCode: script.kind === "capture_declined" ? (script.responseCode ?? "5120") : undefined,
      amount: order.amount,
      invoiceId: order.invoiceId,
      customId: order.customId,
      createdAt: iso(),
      updatedAt: iso(),
      refunds: []
    }
    captures.set(capture.id, capture)
    order.capture = capture
    order.status = "COMPLETED"
    order.updatedAt = iso()
    captureEvent(capture)
    if (status === "COMPLETED")
      emit("CHECKOUT.ORDER.COMPLETED", "checkout-order", orderJson(order), "Checkout Order Completed")
    return capture
  }

  const createOrder = (body: Record<string, unknown>, requestId: string | undefined) => {
    const units = body.purchase_units as ReadonlyArray<Record<string, unknown>> | undefined
    if (body.intent !== "CAPTURE" && body.intent !== "AUTHORIZE")
      throw failure(400, "MISSING_REQUIRED_PARAMETER", undefined, "/intent")
    if (body.intent === "AUTHORIZE") throw failure(422, "UNSUPPORTED_INTENT", undefined, "/intent")
    const unit = units?.[0]
    if (unit === undefined || units === undefined || units.length !== 1)
      throw failure(400, "MISSING_REQUIRED_PARAMETER", undefined, "/purchase_units")
    const amount = parseMoney(unit.amount, "/purchase_units/@reference_id=='default'/amount")
    const source = body.payment_source as { paypal?: Record<string, unknown> } | undefined
    const vaultId = source?.paypal?.vault_id as string | undefined
    const experience = source?.paypal?.experience_context as Record<string, unknown> | undefined
    const invoiceId = unit.invoice_id as string | undefined
    if (vaultId !== undefined && requestId === undefined) throw failure(400, "PAYPAL_REQUEST_ID_REQUIRED")
    const token = vaultId === undefined ? undefined : paymentTokens.get(vaultId)
    if (vaultId !== undefined && token === undefined)
      throw failure(400, "INVALID_PARAMETER_VALUE", undefined, "/payment_source/paypal/vault_id")
    const script: ChargeScript = token?.script ?? { kind: "needs_capture" }
    const singleStep =
      token !== undefined && ["complete", "answer_lost", "pending", "capture_declined"].includes(script.kind)
    if (singleStep && invoiceId !== undefined && invoiceIds.has(invoiceId))
      throw failure(422, "DUPLICATE_INVOICE_ID", undefined, "/purchase_units/0/invoice_id")
    const order: OrderRecord = {
      id: id(17),
      status:
        token === undefined
          ? experience === undefined
            ? "CREATED"
            : "PAYER_ACTION_REQUIRED"
          : script.kind === "payer_action"
            ? "PAYER_ACTION_REQUIRED"
            : "APPROVED",
      amount,
      referenceId: (unit.reference_id as string | undefined) ?? "default",
      invoiceId,
      customId: unit.custom_id as string | undefined,
      description: unit.description as string | undefined,
      vaultId,
      payerEmail: token?.email ?? "buyer@example.com",
      createdAt: iso(),
      updatedAt: iso(),
      capture: undefined,
      onCapture: token === undefined || !singleStep ? script : { kind: "complete" }
    }
    orders.set(order.id, order)
    if (singleStep) {
      if (invoiceId !== undefined) invoiceIds.add(invoiceId)
      makeCapture(order, script.kind === "answer_lost" ? { kind: "complete" } : script)
    }
    return order
  }

  const captureOrder = (order: OrderRecord) => {
    if (order.status === "COMPLETED") throw failure(422, "ORDER_ALREADY_CAPTURED")
    if (order.status !== "APPROVED")
      throw new PayPalFailure(422, {
        ...failure(422, "ORDER_NOT_APPROVED").body,
        links: [{ href: `${url}/checkoutnow?token=${order.id}`, rel: "approve", method: "GET" }]
      })
    const script = order.onCapture
    if (script.kind === "refused") throw failure(422, script.issue)
    if (script.kind === "payer_action") throw failure(422, "PAYER_ACTION_REQUIRED")
    if (order.invoiceId !== undefined && invoiceIds.has(order.invoiceId))
      throw failure(422, "DUPLICATE_INVOICE_ID", undefined, "/purchase_units/0/invoice_id")
    if (order.invoiceId !== undefined) invoiceIds.add(order.invoiceId)
    makeCapture(order, script.kind === "needs_capture" ? { kind: "complete" } : script)
    return order
  }

  const refundCapture = (capture: CaptureRecord, body: Record<string, unknown> | undefined): RefundRecord => {
    if (capture.status === "REFUNDED") throw failure(422, "CAPTURE_FULLY_REFUNDED")
    if (capture.status !== "COMPLETED" && capture.status !== "PARTIALLY_REFUNDED")
      throw failure(422, capture.status === "PENDING" ? "PENDING_CAPTURE" : "REFUND_NOT_ALLOWED")
    const remaining = capture.amount.amount - refundedOf(capture)
    const amount: Money =
      body?.amount === undefined
        ? { amount: remaining, currency: capture.amount.currency }
        : parseMoney(body.amount, "/amount")
    if (amount.currency !== capture.amount.currency) throw failure(422, "REFUND_CAPTURE_CURRENCY_MISMATCH")
    if (amount.amount > remaining) throw failure(422, "REFUND_AMOUNT_EXCEEDED")
    const refund: RefundRecord = {
      id: id(17),
      captureId: capture.id,
      amount,
      invoiceId: body?.invoice_id as string | undefined,
      createdAt: iso()
    }
    refunds.set(refund.id, refund)
    capture.refunds.push(refund)
    capture.status = refundedOf(capture) === capture.amount.amount ? "REFUNDED" : "PARTIALLY_REFUNDED"
    capture.updatedAt = iso()
    emit("PAYMENT.CAPTURE.REFUNDED", "refund", refundJson(refund), "A capture was refunded")
    return refund
  }

  // ----- HTTP --------------------------------------------------------------------------------------

  const route = (
    method: string,
    path: string
  ): { operation: Operation; params: ReadonlyArray<string> } | undefined => {
    const table: ReadonlyArray<[string, RegExp, Operation]> = [
      ["POST", /^\/v1\/oauth2\/token$/, "oauth.token"],
      ["POST", /^\/v2\/checkout\/orders$/, "orders.create"],
      ["GET", /^\/v2\/checkout\/orders\/([^/]+)$/, "orders.get"],
      ["POST", /^\/v2\/checkout\/orders\/([^/]+)\/capture$/, "orders.capture"],
      ["GET", /^\/v2\/payments\/captures\/([^/]+)$/, "captures.get"],
      ["POST", /^\/v2\/payments\/captures\/([^/]+)\/refund$/, "captures.refund"],
      ["GET", /^\/v2\/payments\/refunds\/([^/]+)$/, "refunds.get"],
      ["POST", /^\/v3\/vault\/setup-tokens$/, "setup-tokens.create"],
      ["GET", /^\/v3\/vault\/setup-tokens\/([^/]+)$/, "setup-tokens.get"],
      ["POST", /^\/v3\/vault\/payment-tokens$/, "payment-tokens.create"],
      ["GET", /^\/v3\/vault\/payment-tokens$/, "payment-tokens.list"],
      ["GET", /^\/v3\/vault\/payment-tokens\/([^/]+)$/, "payment-tokens.get"],
      ["DELETE", /^\/v3\/vault\/payment-tokens\/([^/]+)$/, "payment-tokens.delete"],
      ["GET", /^\/v1\/notifications\/certs\/([^/]+)$/, "certs.get"]
    ]
    for (const [m, pattern, operation] of table) {
      const match = m === method ? pattern.exec(path) : null
      if (match !== null) return { operation, params: match.slice(1).map(decodeURIComponent) }
    }
    return undefined
  }

  const retentionOf = (operation: Operation) =>
    operation.startsWith("orders.")
      ? retention.orders
      : operation.startsWith("captures.")
        ? retention.payments
        : retention.vault

  /** Acts on a request; returns the status and body, and what a repeat with its request id replays. */
  const perform = (
    operation: Operation,
    params: ReadonlyArray<string>,
    body: Record<string, unknown> | undefined,
    query: URLSearchParams,
    requestId: string | undefined
  ): Performed => {
    const param = params[0] ?? ""
    switch (operation) {
      case "orders.create": {
        const order = createOrder(body ?? {}, requestId)
        const script = order.vaultId === undefined ? undefined : paymentTokens.get(order.vaultId)?.script
        return {
          lost: script?.kind === "answer_lost",
          status: 201,
          body: orderJson(order),
          replay: () => ({ status: 200, body: orderJson(order) })
        }
      }
      case "orders.get": {
        const order = orders.get(param)
        if (order === undefined) throw orderNotFound()
        return { status: 200, body: orderJson(order) }
      }
      case "orders.capture": {
        const order = orders.get(param)
        if (order === undefined) throw orderNotFound()
        captureOrder(order)
        return {
          status: 201,
          body: orderJson(order),
          replay: () => ({ status: 200, body: orderJson(order) })
        }
      }
      case "captures.get": {
        const capture = captures.get(param)
        if (capture === undefined) throw orderNotFound()
        return { status: 200, body: captureJson(capture) }
      }
      case "captures.refund": {
        const capture = captures.get(param)
        if (capture === undefined) throw orderNotFound()
        const refund = refundCapture(capture, body)
        return {
          status: 201,
          body: refundJson(refund),
          replay: () => ({ status: 201, body: refundJson(refund) })
        }
      }
      case "refunds.get": {
        const refund = refunds.get(param)
        if (refund === undefined) throw orderNotFound()
        return { status: 200, body: refundJson(refund) }
      }
      case "setup-tokens.create": {
        const source = (body?.payment_source ?? {}) as { paypal?: Record<string, unknown> }
        if (source.paypal === undefined)
          throw failure(422, "PAYMENT_SOURCE_NOT_SUPPORTED", "The fake vaults PayPal wallets only.")
        const experience = (source.paypal.experience_context ?? {}) as Record<string, unknown>
        const customer = (body?.customer as { id?: string } | undefined)?.id ?? id(10)
        const setup: SetupTokenRecord = {
          id: id(17),
          customerId: customer,
          status: "PAYER_ACTION_REQUIRED",
          returnUrl: experience.return_url as string | undefined,
          cancelUrl: experience.cancel_url as string | undefined,
          paymentTokenId: undefined
        }
        setupTokens.set(setup.id, setup)
        return {
          status: 201,
          body: setupTokenJson(setup),
          replay: () => ({ status: 200, body: setupTokenJson(setup) })
        }
      }
      case "setup-tokens.get": {
        const setup = setupTokens.get(param)
        if (setup === undefined) throw orderNotFound()
        return { status: 200, body: setupTokenJson(setup) }
      }
      case "payment-tokens.create": {
        // PayPal's SDK and docs send type SETUP_TOKEN; the OpenAPI document's enum lists only BILLING_AGREEMENT.
        const token = (body?.payment_source as { token?: { id?: string; type?: string } } | undefined)?.token
        if (token?.type !== "SETUP_TOKEN" || token.id === undefined)
          throw failure(400, "INVALID_PARAMETER_VALUE", undefined, "/payment_source/token")
        const setup = setupTokens.get(token.id)
        if (setup === undefined) throw failure(404, "INVALID_RESOURCE_ID")
        if (setup.status === "PAYER_ACTION_REQUIRED")
          throw failure(
            422,
            "SETUP_TOKEN_NOT_APPROVED",
            "The setup token has not been approved by the payer."
          )
        const existing =
          setup.paymentTokenId === undefined ? undefined : paymentTokens.get(setup.paymentTokenId)
        if (existing !== undefined) return { status: 200, body: paymentTokenJson(existing) }
        const created: PaymentTokenRecord = {
          id: id(7),
          customerId: setup.customerId,
          email: `payer-${setup.customerId.toLowerCase()}@example.com`,
          script: { kind: "complete" }
        }
        paymentTokens.set(created.id, created)
        setup.status = "VAULTED"
        setup.paymentTokenId = created.id
        emit(
          "VAULT.PAYMENT-TOKEN.CREATED",
          "payment_token",
          paymentTokenJson(created),
          "A payment token has been created."
        )
        return {
          status: 201,
          body: paymentTokenJson(created),
          replay: () => ({ status: 200, body: paymentTokenJson(created) })
        }
      }
      case "payment-tokens.list": {
        const customerId = query.get("customer_id") ?? ""
        const list = [...paymentTokens.values()].filter((token) => token.customerId === customerId)
        return {
          status: 200,
          body: {
            customer: { id: customerId },
            payment_tokens: list.map(paymentTokenJson),
            links: [link(`/v3/vault/payment-tokens?customer_id=${customerId}`, "self")]
          }
        }
      }
      case "payment-tokens.get": {
        const token = paymentTokens.get(param)
        if (token === undefined) throw orderNotFound()
        return { status: 200, body: paymentTokenJson(token) }
      }
      case "payment-tokens.delete": {
        const token = paymentTokens.get(param)
        if (token === undefined) throw failure(400, "INVALID_PARAMETER_VALUE", undefined, "id")
        paymentTokens.delete(param)
        emit(
          "VAULT.PAYMENT-TOKEN.DELETED",
          "payment_token",
          paymentTokenJson(token),
          "A payment token has been deleted."
        )
        return { status: 204, body: undefined }
      }
      default:
        throw failure(404)
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    requestCount++
    const parsed = new URL(request.url ?? "/", url)
    const method = request.method ?? "GET"
    const text = await readBody(request)
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(",") : (value ?? "")
      ])
    )
    const found = route(method, parsed.pathname)
    const send = (status: number, body: unknown, contentType = "application/json") => {
      if (found !== undefined) {
        options.onExchange?.({
          operation: found.operation,
          method: method.toLowerCase(),
          path: parsed.pathname,
          query: Object.fromEntries(parsed.searchParams),
          requestHeaders: headers,
          requestBody: text === "" ? undefined : (safeJson(text) ?? text),
          status,
          responseBody: body
        })
      }
      if (body === undefined) {
        response.writeHead(status)
        response.end()
        return
      }
      const payload = typeof body === "string" ? body : JSON.stringify(body)
      response.writeHead(status, { "content-type": contentType, "paypal-debug-id": id(13).toLowerCase() })
      response.end(payload)
    }
    if (found === undefined) return send(404, failure(404).body)
    const fault = faults.get(found.operation)?.shift()
    if (fault?.kind === "status") return send(fault.status, failure(fault.status).body)
    if (fault?.kind === "hang" && fault.when === "before") return void hung.add(response)

    if (found.operation === "certs.get") {
      return send(200, identity.certificatePem, "application/x-pem-file")
    }
    if (found.operation === "oauth.token") {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`
      if (headers.authorization !== expected)
        return send(401, { error: "invalid_client", error_description: "Client Authentication failed" })
      const token = `A21AA${id(40)}`
      tokens.add(token)
      return send(200, {
        scope:
          "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/vault/payment-tokens/readwrite",
        access_token: token,
        token_type: "Bearer",
        app_id: "APP-80W284485P519543T",
        expires_in: 32400,
        nonce: `${new Date(now()).toISOString()}${id(8)}`
      })
    }
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1]
    if (bearer === undefined || !tokens.has(bearer)) return send(401, failure(401).body)

    const requestId = headers["paypal-request-id"]
    const rememberedKey = requestId === undefined ? undefined : `${found.operation}:${requestId}`
    const previous = rememberedKey === undefined ? undefined : remembered.get(rememberedKey)
    if (previous !== undefined && now() - previous.at <= retentionOf(found.operation)) {
      const again = previous.replay()
      return send(again.status, again.body)
    }
    const body = text === "" ? undefined : safeJson(text)
    if (text !== "" && (body === undefined || typeof body !== "object" || body === null))
      return send(400, failure(400, "MALFORMED_REQUEST_JSON").body)
    let result: Performed
    try {
      result = perform(
        found.operation,
        found.params,
        body as Record<string, unknown> | undefined,
        parsed.searchParams,
        requestId
      )
    } catch (error) {
      if (!(error instanceof PayPalFailure)) throw error
      // A business refusal is the request's outcome: a repeat with the same id gets it again.
      const refusal = { status: error.status, body: error.body }
      if (rememberedKey !== undefined && error.status === 422)
        remembered.set(rememberedKey, { operation: found.operation, at: now(), replay: () => refusal })
      result = refusal
    }
    if (rememberedKey !== undefined && result.replay !== undefined)
      remembered.set(rememberedKey, { operation: found.operation, at: now(), replay: result.replay })
    if (fault?.kind === "hang" || result.lost === true) return void hung.add(response)
    return send(result.status, result.body)
  }

  const takeDeliveries = (
    deliveryOptions: { readonly duplicate?: boolean; readonly reverse?: boolean } = {}
  ) => {
    const events = outbox.splice(0, outbox.length)
    const ordered = deliveryOptions.reverse === true ? events.reverse() : events
    const all = deliveryOptions.duplicate === true ? [...ordered, ...ordered] : ordered
    return all.map((event) =>
      signDelivery({ event, identity, certUrl, webhookId, transmissionTime: new Date(now()) })
    )
  }

  const control: PayPalFakeControl = {
    approveOrder: (orderId) => {
      const order = orders.get(orderId)
      if (order === undefined || (order.status !== "CREATED" && order.status !== "PAYER_ACTION_REQUIRED"))
        throw new Error(`paypal fake: order ${orderId} cannot be approved`)
      order.status = "APPROVED"
      order.updatedAt = iso()
    },
    approveSetupToken: (setupTokenId) => {
      const setup = setupTokens.get(setupTokenId)
      if (setup === undefined || setup.status !== "PAYER_ACTION_REQUIRED")
        throw new Error(`paypal fake: setup token ${setupTokenId} cannot be approved`)
      setup.status = "APPROVED"
    },
    scriptToken: (tokenId, script) => {
      const token = paymentTokens.get(tokenId)
      if (token === undefined) throw new Error(`paypal fake: no payment token ${tokenId}`)
      token.script = script
    },
    fault: (operation, fault, count = 1) => {
      const queue = faults.get(operation) ?? []
      for (let i = 0; i < count; i++) queue.push(fault)
      faults.set(operation, queue)
    },
    clearFaults: () => faults.clear(),
    settleCapture: (captureId, status) => {
      const capture = captures.get(captureId)
      if (capture === undefined || capture.status !== "PENDING")
        throw new Error(`paypal fake: capture ${captureId} is not pending`)
      capture.status = status
      capture.pendingReason = undefined
      capture.updatedAt = iso()
      if (status === "COMPLETED") captureEvent(capture)
      else emit("PAYMENT.CAPTURE.DENIED", "capture", captureJson(capture), "A pending payment was denied")
    },
    reverseCapture: (captureId) => {
      const capture = captures.get(captureId)
      if (capture === undefined) throw new Error(`paypal fake: no capture ${captureId}`)
      const remaining = capture.amount.amount - refundedOf(capture)
      const reversal: RefundRecord = {
        id: id(17),
        captureId,
        amount: { amount: remaining, currency: capture.amount.currency },
        invoiceId: capture.invoiceId,
        createdAt: iso()
      }
      refunds.set(reversal.id, reversal)
      capture.refunds.push(reversal)
      capture.status = "REFUNDED"
      capture.updatedAt = iso()
      emit("PAYMENT.CAPTURE.REVERSED", "refund", refundJson(reversal), "A payment was reversed")
    },
    openDispute: (captureId, reason = "MERCHANDISE_OR_SERVICE_NOT_RECEIVED") => {
      const capture = captures.get(captureId)
      if (capture === undefined) throw new Error(`paypal fake: no capture ${captureId}`)
      const dispute: DisputeRecord = {
        id: `PP-D-${Math.floor(Math.random() * 1e8)}`,
        captureId,
        amount: capture.amount,
        reason,
        status: "OPEN",
        outcome: undefined,
        createdAt: iso(),
        updatedAt: iso()
      }
      disputes.set(dispute.id, dispute)
      emit("CUSTOMER.DISPUTE.CREATED", "dispute", disputeJson(dispute), "A new dispute opened")
      return dispute.id
    },
    updateDispute: (disputeId, status) => {
      const dispute = disputes.get(disputeId)
      if (dispute === undefined) throw new Error(`paypal fake: no dispute ${disputeId}`)
      dispute.status = status
      dispute.updatedAt = iso()
      emit("CUSTOMER.DISPUTE.UPDATED", "dispute", disputeJson(dispute), "A dispute was updated")
    },
    resolveDispute: (disputeId, favour) => {
      const dispute = disputes.get(disputeId)
      if (dispute === undefined) throw new Error(`paypal fake: no dispute ${disputeId}`)
      dispute.status = "RESOLVED"
      dispute.outcome = favour === "buyer" ? "RESOLVED_BUYER_FAVOUR" : "RESOLVED_SELLER_FAVOUR"
      dispute.updatedAt = iso()
      emit("CUSTOMER.DISPUTE.RESOLVED", "dispute", disputeJson(dispute), "A dispute was resolved")
    },
    advanceTime: (ms) => {
      clockOffset += ms
    },
    stats: () => ({
      orders: orders.size,
      captures: captures.size,
      refunds: refunds.size,
      requests: requestCount
    }),
    order: (orderId) => orders.get(orderId),
    capture: (captureId) => captures.get(captureId),
    events: () => [...outbox],
    takeDeliveries,
    sign: (event, signOptions = {}) =>
      signDelivery({
        event,
        identity,
        certUrl: signOptions.certUrl ?? certUrl,
        webhookId: signOptions.webhookId ?? webhookId,
        transmissionTime: new Date(now()),
        ...(signOptions.body === undefined ? {} : { body: signOptions.body })
      }),
    deliver: async (target, deliveryOptions) => {
      const destination = target ?? options.webhookUrl
      if (destination === undefined) throw new Error("paypal fake: no webhook URL to deliver to")
      const statuses: Array<number> = []
      for (const delivery of takeDeliveries(deliveryOptions))
        statuses.push(await postDelivery(destination, delivery))
      return statuses
    }
  }

  return {
    url,
    clientId,
    clientSecret,
    webhookId,
    certUrl,
    certificatePem: identity.certificatePem,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hung) response.destroy()
        hung.clear()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
