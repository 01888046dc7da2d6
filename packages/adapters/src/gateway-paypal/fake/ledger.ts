/**
 * The fake's PayPal-side ledger: orders with their captures and refunds, vault setup and payment
 * tokens, disputes, and what each API operation does to them (`perform`), including the webhook events
 * PayPal would send. The HTTP side (auth, idempotency, faults) is in server.ts.
 */
import type { Money } from "@ezscale/core"
import { makeRepresentations } from "./representations"
import {
  type CaptureRecord,
  type ChargeScript,
  type DisputeRecord,
  failure,
  id,
  type OrderRecord,
  type PaymentTokenRecord,
  PayPalFailure,
  parseMoney,
  type RefundRecord,
  refundedOf,
  type SetupTokenRecord
} from "./state"
import type { Operation } from "./types"
import type { PayPalEvent } from "./webhooks"

/** What an operation did: its answer, what a repeat with its request id gets, and whether the answer is lost. */
export interface Performed {
  readonly status: number
  readonly body: unknown
  readonly replay?: () => { status: number; body: unknown }
  readonly lost?: boolean
}

export const makeLedger = (context: {
  readonly url: string
  readonly now: () => number
  readonly presetTokens?: { readonly [tokenId: string]: ChargeScript }
  readonly publish: (event: PayPalEvent) => void
}) => {
  const { url, now } = context
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z")
  const orders = new Map<string, OrderRecord>()
  const captures = new Map<string, CaptureRecord>()
  const refunds = new Map<string, RefundRecord>()
  const setupTokens = new Map<string, SetupTokenRecord>()
  const paymentTokens = new Map<string, PaymentTokenRecord>()
  const disputes = new Map<string, DisputeRecord>()
  const invoiceIds = new Set<string>()

  for (const [tokenId, script] of Object.entries(context.presetTokens ?? {})) {
    paymentTokens.set(tokenId, { id: tokenId, customerId: undefined, email: "buyer@example.com", script })
  }

  const { link, refundJson, captureJson, orderJson, setupTokenJson, paymentTokenJson, disputeJson } =
    makeRepresentations(url, (captureId) => captures.get(captureId))

  // ----- events ------------------------------------------------------------------------------------

  const emit = (
    eventType: string,
    resourceType: string,
    resource: Record<string, unknown>,
    summary: string
  ) => {
    context.publish({
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

  return {
    orders,
    captures,
    refunds,
    setupTokens,
    paymentTokens,
    disputes,
    render: { refundJson, captureJson, orderJson, setupTokenJson, paymentTokenJson, disputeJson },
    emit,
    captureEvent,
    perform
  }
}
