import { createPublicKey, verify } from "node:crypto"
import { crc32 } from "node:zlib"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { paypalSpecRecorder } from "../../../test/paypal-openapi"
import { type PayPalFakeServer, startPayPalFake } from "./index"

const recorder = paypalSpecRecorder()
let fake: PayPalFakeServer
let token = ""

beforeAll(async () => {
  fake = await startPayPalFake({
    presetTokens: {
      "TOK-COMPLETE": { kind: "complete" },
      "TOK-CAPTURE": { kind: "needs_capture" },
      "TOK-DECLINE": { kind: "capture_declined" },
      "TOK-REFUSE": { kind: "refused", issue: "INSTRUMENT_DECLINED" },
      "TOK-PENDING": { kind: "pending" }
    },
    onExchange: recorder.onExchange
  })
  const response = await fetch(`${fake.url}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded"
    },
    body: "grant_type=client_credentials"
  })
  token = ((await response.json()) as { access_token: string }).access_token
})
afterAll(() => fake.close())
// Every answer the fake gave in a test must match PayPal's OpenAPI documents.
afterEach(async () => {
  expect(await recorder.check()).toEqual([])
}, 120_000)

interface Answer {
  readonly status: number
  // biome-ignore lint/suspicious/noExplicitAny: the tests read PayPal's JSON freely
  readonly body: any
}

const call = async (method: string, path: string, body?: unknown, requestId?: string): Promise<Answer> => {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(requestId === undefined ? {} : { "paypal-request-id": requestId })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) }
}

const vaultOrder = (vaultId: string, value: string, invoiceId: string) => ({
  intent: "CAPTURE",
  purchase_units: [{ amount: { currency_code: "USD", value }, invoice_id: invoiceId, custom_id: "inv_1" }],
  payment_source: { paypal: { vault_id: vaultId } }
})

const captureOf = (order: Answer) => order.body.purchase_units[0].payments?.captures?.[0]

describe("PayPal fake", () => {
  it("refuses bad client credentials and unknown bearer tokens", async () => {
    const bad = await fetch(`${fake.url}/v1/oauth2/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("x:y").toString("base64")}` },
      body: "grant_type=client_credentials"
    })
    expect(bad.status).toBe(401)
    const response = await fetch(`${fake.url}/v2/checkout/orders/X`, {
      headers: { authorization: "Bearer nope" }
    })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { name: string }).name).toBe("AUTHENTICATION_FAILURE")
  })

  it("checkout: create -> approval link -> buyer approves -> capture, once", async () => {
    const created = await call(
      "POST",
      "/v2/checkout/orders",
      {
        intent: "CAPTURE",
        purchase_units: [{ amount: { currency_code: "EUR", value: "12.50" } }],
        payment_source: {
          paypal: { experience_context: { return_url: "https://a.test/ok", cancel_url: "https://a.test/no" } }
        }
      },
      "checkout-1"
    )
    expect(created.status).toBe(201)
    expect(created.body.status).toBe("PAYER_ACTION_REQUIRED")
    expect(created.body.links.map((l: { rel: string }) => l.rel)).toContain("payer-action")
    const early = await call("POST", `/v2/checkout/orders/${created.body.id}/capture`, undefined, "cap-early")
    expect([early.status, early.body.details[0].issue]).toEqual([422, "ORDER_NOT_APPROVED"])
    fake.control.approveOrder(created.body.id)
    const captured = await call("POST", `/v2/checkout/orders/${created.body.id}/capture`, undefined, "cap-1")
    expect(captured.status).toBe(201)
    expect(captured.body.status).toBe("COMPLETED")
    expect(captureOf(captured).amount).toEqual({ currency_code: "EUR", value: "12.50" })
    const replay = await call("POST", `/v2/checkout/orders/${created.body.id}/capture`, undefined, "cap-1")
    expect([replay.status, captureOf(replay).id]).toEqual([200, captureOf(captured).id])
    const again = await call("POST", `/v2/checkout/orders/${created.body.id}/capture`, undefined, "cap-2")
    expect([again.status, again.body.details[0].issue]).toEqual([422, "ORDER_ALREADY_CAPTURED"])
  })

  it("vault: setup token -> buyer approves -> payment token (SETUP_TOKEN) -> listed -> deleted", async () => {
    const setup = await call(
      "POST",
      "/v3/vault/setup-tokens",
      {
        customer: { id: "customer-1" },
        payment_source: {
          paypal: {
            usage_type: "MERCHANT",
            experience_context: { return_url: "https://a.test/ok", cancel_url: "https://a.test/no" }
          }
        }
      },
      "setup-1"
    )
    expect([setup.status, setup.body.status]).toEqual([201, "PAYER_ACTION_REQUIRED"])
    expect(setup.body.links.find((l: { rel: string }) => l.rel === "approve")).toBeDefined()
    const tokenRequest = { payment_source: { token: { id: setup.body.id, type: "SETUP_TOKEN" } } }
    const early = await call("POST", "/v3/vault/payment-tokens", tokenRequest, "pt-early")
    expect(early.status).toBe(422)
    fake.control.approveSetupToken(setup.body.id)
    const created = await call("POST", "/v3/vault/payment-tokens", tokenRequest, "pt-1")
    expect([created.status, created.body.customer.id]).toEqual([201, "customer-1"])
    expect((await call("POST", "/v3/vault/payment-tokens", tokenRequest, "pt-1")).body.id).toBe(
      created.body.id
    )
    const listed = await call("GET", "/v3/vault/payment-tokens?customer_id=customer-1")
    expect(listed.body.payment_tokens.map((t: { id: string }) => t.id)).toEqual([created.body.id])
    expect((await call("DELETE", `/v3/vault/payment-tokens/${created.body.id}`)).status).toBe(204)
    expect(
      (await call("GET", "/v3/vault/payment-tokens?customer_id=customer-1")).body.payment_tokens
    ).toEqual([])
    expect(fake.control.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["VAULT.PAYMENT-TOKEN.CREATED", "VAULT.PAYMENT-TOKEN.DELETED"])
    )
    fake.control.takeDeliveries()
  })

  it("merchant-initiated charges: completed at create, or needing capture; PayPal-Request-Id replays", async () => {
    const before = fake.control.stats().captures
    const single = await call(
      "POST",
      "/v2/checkout/orders",
      vaultOrder("TOK-COMPLETE", "10.00", "k-1"),
      "mit-1"
    )
    expect([single.status, single.body.status, captureOf(single).status]).toEqual([
      201,
      "COMPLETED",
      "COMPLETED"
    ])
    const replay = await call(
      "POST",
      "/v2/checkout/orders",
      vaultOrder("TOK-COMPLETE", "10.00", "k-1"),
      "mit-1"
    )
    expect([replay.status, replay.body.id]).toEqual([200, single.body.id])
    const twoStep = await call(
      "POST",
      "/v2/checkout/orders",
      vaultOrder("TOK-CAPTURE", "5.00", "k-2"),
      "mit-2"
    )
    expect([twoStep.body.status, captureOf(twoStep)]).toEqual(["APPROVED", undefined])
    const captured = await call(
      "POST",
      `/v2/checkout/orders/${twoStep.body.id}/capture`,
      undefined,
      "mit-2-c"
    )
    expect(captureOf(captured).status).toBe("COMPLETED")
    expect(fake.control.stats().captures).toBe(before + 2)
    const noId = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "1.00", "k-3"))
    expect([noId.status, noId.body.details[0].issue]).toEqual([400, "PAYPAL_REQUEST_ID_REQUIRED"])
    const duplicate = await call(
      "POST",
      "/v2/checkout/orders",
      vaultOrder("TOK-COMPLETE", "10.00", "k-1"),
      "mit-1b"
    )
    expect([duplicate.status, duplicate.body.details[0].issue]).toEqual([422, "DUPLICATE_INVOICE_ID"])
    const unknown = await call("POST", "/v2/checkout/orders", vaultOrder("NOPE", "1.00", "k-4"), "mit-4")
    expect([unknown.status, unknown.body.details[0].issue]).toEqual([400, "INVALID_PARAMETER_VALUE"])
  })

  it("declines: a DECLINED capture at create, INSTRUMENT_DECLINED at capture, a PENDING capture", async () => {
    const declined = await call(
      "POST",
      "/v2/checkout/orders",
      vaultOrder("TOK-DECLINE", "3.00", "d-1"),
      "d-1"
    )
    expect(captureOf(declined).status).toBe("DECLINED")
    expect(captureOf(declined).processor_response.response_code).toBe("5120")
    const approved = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-REFUSE", "3.00", "d-2"), "d-2")
    const refused = await call("POST", `/v2/checkout/orders/${approved.body.id}/capture`, undefined, "d-2-c")
    expect([refused.status, refused.body.details[0].issue]).toEqual([422, "INSTRUMENT_DECLINED"])
    const pending = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-PENDING", "3.00", "d-3"), "d-3")
    expect(captureOf(pending).status_details.reason).toBe("PENDING_REVIEW")
    fake.control.settleCapture(captureOf(pending).id, "DECLINED")
    expect((await call("GET", `/v2/payments/captures/${captureOf(pending).id}`)).body.status).toBe("DECLINED")
    expect(fake.control.events().map((e) => e.event_type)).toContain("PAYMENT.CAPTURE.DENIED")
    fake.control.takeDeliveries()
  })

  it("refunds: partial, bounded (REFUND_AMOUNT_EXCEEDED), full remainder, then CAPTURE_FULLY_REFUNDED", async () => {
    const order = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "10.00", "r-1"), "r-1")
    const captureId = captureOf(order).id
    const part = { amount: { currency_code: "USD", value: "6.00" } }
    const first = await call("POST", `/v2/payments/captures/${captureId}/refund`, part, "r-1-a")
    expect([first.status, first.body.status, first.body.amount.value]).toEqual([201, "COMPLETED", "6.00"])
    expect((await call("POST", `/v2/payments/captures/${captureId}/refund`, part, "r-1-a")).body.id).toBe(
      first.body.id
    )
    const over = await call("POST", `/v2/payments/captures/${captureId}/refund`, part, "r-1-b")
    expect([over.status, over.body.details[0].issue]).toEqual([422, "REFUND_AMOUNT_EXCEEDED"])
    const rest = await call("POST", `/v2/payments/captures/${captureId}/refund`, undefined, "r-1-c")
    expect(rest.body.amount.value).toBe("4.00")
    expect((await call("GET", `/v2/payments/captures/${captureId}`)).body.status).toBe("REFUNDED")
    expect((await call("GET", `/v2/payments/refunds/${rest.body.id}`)).body.id).toBe(rest.body.id)
    const done = await call("POST", `/v2/payments/captures/${captureId}/refund`, part, "r-1-d")
    expect(done.body.details[0].issue).toBe("CAPTURE_FULLY_REFUNDED")
    fake.control.takeDeliveries()
  })

  it("scripted faults: 500 once, 429, and a hang after capturing that a repeat finds", async () => {
    fake.control.fault("orders.create", { kind: "status", status: 500 })
    fake.control.fault("orders.create", { kind: "status", status: 429 })
    expect(
      (await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "2.00", "f-1"), "f-1")).status
    ).toBe(500)
    expect(
      (await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "2.00", "f-1"), "f-1")).status
    ).toBe(429)
    const before = fake.control.stats().captures
    fake.control.fault("orders.create", { kind: "hang", when: "after" })
    await expect(
      fetch(`${fake.url}/v2/checkout/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "paypal-request-id": "f-1"
        },
        body: JSON.stringify(vaultOrder("TOK-COMPLETE", "2.00", "f-1")),
        signal: AbortSignal.timeout(300)
      })
    ).rejects.toThrow()
    expect(fake.control.stats().captures).toBe(before + 1)
    const found = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "2.00", "f-1"), "f-1")
    expect([found.status, captureOf(found).status]).toEqual([200, "COMPLETED"])
    expect(fake.control.stats().captures).toBe(before + 1)
    fake.control.takeDeliveries()
  })

  it("signs webhook deliveries as PayPal does, with the certificate served from its URL", async () => {
    const order = await call("POST", "/v2/checkout/orders", vaultOrder("TOK-COMPLETE", "7.00", "w-1"), "w-1")
    const disputeId = fake.control.openDispute(captureOf(order).id)
    fake.control.resolveDispute(disputeId, "seller")
    const deliveries = fake.control.takeDeliveries({ duplicate: true, reverse: true })
    expect(deliveries.map((d) => d.event.event_type)).toEqual([
      "CUSTOMER.DISPUTE.RESOLVED",
      "CUSTOMER.DISPUTE.CREATED",
      "CHECKOUT.ORDER.COMPLETED",
      "PAYMENT.CAPTURE.COMPLETED",
      "CUSTOMER.DISPUTE.RESOLVED",
      "CUSTOMER.DISPUTE.CREATED",
      "CHECKOUT.ORDER.COMPLETED",
      "PAYMENT.CAPTURE.COMPLETED"
    ])
    const delivery = deliveries[0]
    if (delivery === undefined) throw new Error("no delivery")
    const certificate = await (await fetch(delivery.headers["paypal-cert-url"] ?? "")).text()
    expect(certificate).toBe(fake.certificatePem)
    const signed = [
      delivery.headers["paypal-transmission-id"],
      delivery.headers["paypal-transmission-time"],
      fake.webhookId,
      crc32(delivery.rawBody)
    ].join("|")
    const signature = Buffer.from(delivery.headers["paypal-transmission-sig"] ?? "", "base64")
    expect(verify("sha256", Buffer.from(signed), createPublicKey(certificate), signature)).toBe(true)
    expect(verify("sha256", Buffer.from(`${signed}0`), createPublicKey(certificate), signature)).toBe(false)
  })
})

describe("the OpenAPI check itself", () => {
  it("flags an answer PayPal's documents do not allow", async () => {
    const own = paypalSpecRecorder()
    own.onExchange({
      operation: "orders.get",
      method: "get",
      path: "/v2/checkout/orders/ABC",
      query: {},
      requestHeaders: {},
      requestBody: undefined,
      status: 200,
      responseBody: { id: "ABC", status: "SHIPPED", purchase_units: [] }
    })
    const violations = await own.check()
    expect(violations.map((v) => [v.operation, v.side])).toEqual([["orders.get", "response"]])
  })
})
