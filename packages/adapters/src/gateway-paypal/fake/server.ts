/**
 * The PayPal fake: a `node:http` server on 127.0.0.1 (port 0), stateful and in memory, speaking the
 * subset of PayPal's REST API billing uses — OAuth client credentials, Orders v2 (create, get, capture),
 * Payments v2 (captures, refunds), Vault v3 (setup tokens, payment tokens) — with `PayPal-Request-Id`
 * idempotency (a repeat returns the current state of what the first request made, per-API retention),
 * PayPal's error bodies, and signed webhook deliveries. A `control` handle stands in for the buyer
 * (approving orders and setup tokens), opens disputes, and scripts failures (declines, 5xx, 429, hangs).
 * This file is the HTTP side (routing, OAuth, idempotency, faults, control); ledger.ts does the work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { makeSigningIdentity, type SigningIdentity } from "./certificate"
import { makeLedger, type Performed } from "./ledger"
import { type DisputeRecord, failure, id, PayPalFailure, type RefundRecord, refundedOf } from "./state"
import type { Fault, Operation, PayPalFake, PayPalFakeControl, PayPalFakeOptions } from "./types"
import { type PayPalEvent, postDelivery, signDelivery } from "./webhooks"

export type { ChargeScript } from "./state"
export type { Exchange, Fault, Operation, PayPalFake, PayPalFakeControl, PayPalFakeOptions } from "./types"
export type { PayPalDelivery, PayPalEvent } from "./webhooks"

const hours = 3_600_000

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
  const remembered = new Map<string, Remembered>()
  const faults = new Map<Operation, Array<Fault>>()
  const outbox: Array<PayPalEvent> = []
  const hung = new Set<ServerResponse>()
  let requestCount = 0

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
  const ledger = makeLedger({
    url,
    now,
    ...(options.presetTokens === undefined ? {} : { presetTokens: options.presetTokens }),
    publish: (event) => outbox.push(event)
  })
  const { orders, captures, refunds, setupTokens, paymentTokens, disputes, perform, emit, captureEvent } =
    ledger
  const { refundJson, captureJson, disputeJson } = ledger.render

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
