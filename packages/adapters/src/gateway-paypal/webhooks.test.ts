import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { it as effectIt } from "@effect/vitest"
import type { GatewayEvent, PaymentGatewayService, VerifiedWebhook, WebhookRequest } from "@ezscale/core"
import { Effect } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { paypalSpecRecorder } from "../../test/paypal-openapi"
import { type PayPalDelivery, type PayPalFakeServer, startPayPalFake } from "./fake"
import {
  makePayPalGatewayFromConfig,
  makePayPalWebhooks,
  payPalCertificates,
  payPalCheckout,
  trustedCertificatesFrom
} from "./index"

const recorder = paypalSpecRecorder()
let fake: PayPalFakeServer
let gateway: PaymentGatewayService

beforeAll(async () => {
  fake = await startPayPalFake({
    presetTokens: {
      "TOK-OK": { kind: "complete" },
      "TOK-PENDING": { kind: "pending", reason: "PENDING_REVIEW" },
      "TOK-DECLINED": { kind: "capture_declined", responseCode: "5120" }
    },
    onExchange: recorder.onExchange
  })
  gateway = makePayPalGatewayFromConfig({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    baseUrl: fake.url,
    timeoutMs: 5_000,
    retries: 0,
    returnUrl: "https://billing.example.test/paypal/return"
  })
})
afterAll(() => fake.close())
afterEach(async () => {
  expect(await recorder.check()).toEqual([])
}, 120_000)

const webhooks = () =>
  makePayPalWebhooks({ webhookId: fake.webhookId, certificates: trustedCertificatesFrom(fake.url) })

const asRequest = (delivery: PayPalDelivery): WebhookRequest => ({
  rawBody: delivery.rawBody,
  headers: delivery.headers
})

const verify = (delivery: PayPalDelivery, verifier = webhooks()) =>
  Effect.runPromise(verifier.verify(asRequest(delivery)))
const rejection = (delivery: PayPalDelivery | WebhookRequest, verifier = webhooks()) =>
  Effect.runPromise(Effect.flip(verifier.verify("event" in delivery ? asRequest(delivery) : delivery)))

let serial = 0
const charge = (methodId: string) => {
  const n = ++serial
  return Effect.runPromise(
    gateway.charge({
      gatewayCustomerId: "customer-webhooks",
      invoiceId: `inv_wh_${n}`,
      amount: { amount: 4200n, currency: "USD" },
      methodId,
      idempotencyKey: `collect:inv_wh_${n}:1`,
      offSession: true
    })
  )
}

/** Verifies every pending delivery; returns [event type, what it means]. */
const verifiedEvents = async (): Promise<ReadonlyArray<readonly [string, GatewayEvent]>> => {
  const verified: Array<VerifiedWebhook> = []
  for (const delivery of fake.control.takeDeliveries()) verified.push(await verify(delivery))
  return verified.map((webhook) => [webhook.type, webhook.event] as const)
}

describe("PayPal webhook verification", () => {
  it("accepts a delivery signed by the fake, fetching the certificate once (cached)", async () => {
    await charge("TOK-OK")
    const verifier = webhooks()
    const deliveries = fake.control.takeDeliveries()
    expect(deliveries.length).toBe(2)
    for (const delivery of deliveries) {
      const verified = await verify(delivery, verifier)
      expect([verified.eventId, verified.type]).toEqual([delivery.event.id, delivery.event.event_type])
    }
    expect(recorder.exchanges().filter((exchange) => exchange.operation === "certs.get").length).toBe(1)
  })

  it("rejects a bad signature, another webhook id, a tampered body and missing headers", async () => {
    await charge("TOK-OK")
    const [delivery] = fake.control.takeDeliveries()
    if (delivery === undefined) throw new Error("no delivery")
    const signature = delivery.headers["paypal-transmission-sig"] ?? ""
    const flipped = `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`
    const badSignature = await rejection({
      ...asRequest(delivery),
      headers: { ...delivery.headers, "paypal-transmission-sig": flipped }
    })
    expect(badSignature.reason).toBe("Signature")
    const otherWebhook = await rejection(
      fake.control.sign(delivery.event, { webhookId: "7XY00000000000000" })
    )
    expect(otherWebhook.reason).toBe("Signature")
    const tampered = Buffer.from(
      Buffer.from(delivery.rawBody).toString("utf8").replace('"42.00"', '"4.20"'),
      "utf8"
    )
    expect(tampered.equals(Buffer.from(delivery.rawBody))).toBe(false)
    expect((await rejection({ rawBody: tampered, headers: delivery.headers })).reason).toBe("Signature")
    const { "paypal-transmission-id": _, ...withoutId } = delivery.headers
    expect((await rejection({ rawBody: delivery.rawBody, headers: withoutId })).reason).toBe("Malformed")
    // The same delivery, untouched, still verifies: the rejections above are the changes'.
    expect((await verify(delivery)).eventId).toBe(delivery.event.id)
  })

  it("production trusts https paypal.com certificate URLs only", async () => {
    await charge("TOK-OK")
    const [delivery] = fake.control.takeDeliveries()
    if (delivery === undefined) throw new Error("no delivery")
    const production = makePayPalWebhooks({ webhookId: fake.webhookId })
    expect((await rejection(delivery, production)).reason).toBe("Certificate")
    const downloads: Array<string> = []
    const injected = makePayPalWebhooks({
      webhookId: fake.webhookId,
      certificates: payPalCertificates({
        download: async (url) => {
          downloads.push(url)
          return fake.certificatePem
        }
      })
    })
    const signedFrom = (certUrl: string) => fake.control.sign(delivery.event, { certUrl })
    const good = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"
    expect((await verify(signedFrom(good), injected)).eventId).toBe(delivery.event.id)
    for (const untrusted of [
      "http://api.paypal.com/v1/notifications/certs/CERT-1",
      "https://api.paypal.com.evil.test/v1/notifications/certs/CERT-1",
      "https://notpaypal.com/v1/notifications/certs/CERT-1"
    ]) {
      expect((await rejection(signedFrom(untrusted), injected)).reason).toBe("Certificate")
    }
    expect(downloads).toEqual([good])
  })

  effectIt.effect("refuses a delivery older than maxAgeSeconds (the test clock is at 1970)", () =>
    Effect.gen(function* () {
      yield* Effect.promise(() => charge("TOK-OK"))
      const [delivery] = fake.control.takeDeliveries()
      if (delivery === undefined) return yield* Effect.die("no delivery")
      const strict = makePayPalWebhooks({
        webhookId: fake.webhookId,
        certificates: trustedCertificatesFrom(fake.url),
        maxAgeSeconds: 300
      })
      const error = yield* Effect.flip(strict.verify(asRequest(delivery)))
      expect(error.reason).toBe("Expired")
    })
  )

  it("takes deliveries over HTTP, duplicated and out of order: the same event ids and meanings", async () => {
    const verifier = webhooks()
    const received: Array<VerifiedWebhook> = []
    const receiver = createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]))
        Effect.runPromise(Effect.either(verifier.verify({ rawBody: Buffer.concat(chunks), headers }))).then(
          (result) => {
            if (result._tag === "Right") received.push(result.right)
            response.writeHead(result._tag === "Right" ? 200 : 400)
            response.end()
          }
        )
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    try {
      await charge("TOK-OK")
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paypal`
      const statuses = await fake.control.deliver(url, { duplicate: true, reverse: true })
      expect(statuses).toEqual([200, 200, 200, 200])
      const ids = received.map((webhook) => webhook.eventId)
      expect(new Set(ids).size).toBe(2)
      expect(ids.slice(0, 2)).toEqual(ids.slice(2))
      expect(received.map((webhook) => webhook.type).slice(0, 2)).toEqual([
        "CHECKOUT.ORDER.COMPLETED",
        "PAYMENT.CAPTURE.COMPLETED"
      ])
      expect(received[0]?.event).toEqual(received[1]?.event)
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()))
    }
  })
})

describe("PayPal events read into GatewayEvent", () => {
  it("captures: COMPLETED, PENDING, DECLINED, DENIED; CHECKOUT.ORDER.COMPLETED", async () => {
    fake.control.takeDeliveries()
    const paid = await charge("TOK-OK")
    const pending = await charge("TOK-PENDING")
    const declined = await charge("TOK-DECLINED")
    fake.control.settleCapture(pending.chargeId ?? "", "DECLINED")
    const events = await verifiedEvents()
    const outcome = (status: string, of: typeof paid, extra: object = {}) => ({
      _tag: "ChargeUpdated",
      invoiceId: expect.stringMatching(/^inv_wh_/),
      outcome: expect.objectContaining({
        status,
        chargeId: of.chargeId,
        idempotencyKey: of.idempotencyKey,
        amount: { amount: 4200n, currency: "USD" },
        ...extra
      })
    })
    expect(events).toEqual([
      ["PAYMENT.CAPTURE.COMPLETED", outcome("succeeded", paid)],
      ["CHECKOUT.ORDER.COMPLETED", outcome("succeeded", paid)],
      ["PAYMENT.CAPTURE.PENDING", outcome("pending", pending, { reason: "PENDING_REVIEW" })],
      ["PAYMENT.CAPTURE.DECLINED", outcome("failed", declined, { declineCode: "5120" })],
      ["PAYMENT.CAPTURE.DENIED", outcome("failed", pending)]
    ])
    const [, first] = events[0] ?? []
    expect(first?._tag === "ChargeUpdated" ? first.invoiceId : undefined).toBe(`inv_wh_${serial - 2}`)
  })

  it("refunds and reversals: PAYMENT.CAPTURE.REFUNDED / REVERSED", async () => {
    const paid = await charge("TOK-OK")
    const chargeId = paid.chargeId ?? ""
    const refund = await Effect.runPromise(
      gateway.refund({
        chargeId,
        amount: { amount: 1200n, currency: "USD" },
        idempotencyKey: `refund:${chargeId}:1`
      })
    )
    fake.control.reverseCapture(chargeId)
    const events = (await verifiedEvents()).filter(([type]) => type.startsWith("PAYMENT.CAPTURE.RE"))
    expect(events).toEqual([
      ["PAYMENT.CAPTURE.REFUNDED", { _tag: "RefundUpdated", refund }],
      [
        "PAYMENT.CAPTURE.REVERSED",
        {
          _tag: "RefundUpdated",
          refund: {
            refundId: expect.any(String),
            chargeId,
            status: "succeeded",
            amount: { amount: 3000n, currency: "USD" }
          }
        }
      ]
    ])
  })

  it("vault tokens: VAULT.PAYMENT-TOKEN.CREATED / DELETED", async () => {
    fake.control.takeDeliveries()
    const { gatewayCustomerId } = await Effect.runPromise(
      gateway.ensureCustomer({ customerId: "webhook-customer", email: "w@example.com", name: "W" })
    )
    const session = await Effect.runPromise(gateway.createSetup({ gatewayCustomerId }))
    fake.control.approveSetupToken(session.setupId)
    const method = await Effect.runPromise(
      gateway.completeSetup?.(session.setupId) ?? Effect.die("no completeSetup")
    )
    await Effect.runPromise(gateway.detachMethod(method.id))
    expect(await verifiedEvents()).toEqual([
      ["VAULT.PAYMENT-TOKEN.CREATED", { _tag: "MethodSaved", gatewayCustomerId, method }],
      ["VAULT.PAYMENT-TOKEN.DELETED", { _tag: "MethodRemoved", gatewayCustomerId, methodId: method.id }]
    ])
  })

  it("disputes: CUSTOMER.DISPUTE.CREATED / UPDATED / RESOLVED (won and lost)", async () => {
    const won = await charge("TOK-OK")
    const lost = await charge("TOK-OK")
    fake.control.takeDeliveries()
    const first = fake.control.openDispute(won.chargeId ?? "")
    fake.control.updateDispute(first, "UNDER_REVIEW")
    fake.control.resolveDispute(first, "seller")
    const second = fake.control.openDispute(lost.chargeId ?? "", "UNAUTHORISED")
    fake.control.resolveDispute(second, "buyer")
    const dispute = (disputeId: string, of: typeof won, status: string, reason: string) => ({
      _tag: "DisputeUpdated",
      disputeId,
      chargeId: of.chargeId,
      amount: { amount: 4200n, currency: "USD" },
      status,
      reason,
      invoiceId: expect.stringMatching(/^inv_wh_/)
    })
    expect(await verifiedEvents()).toEqual([
      ["CUSTOMER.DISPUTE.CREATED", dispute(first, won, "open", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED")],
      ["CUSTOMER.DISPUTE.UPDATED", dispute(first, won, "open", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED")],
      ["CUSTOMER.DISPUTE.RESOLVED", dispute(first, won, "won", "MERCHANDISE_OR_SERVICE_NOT_RECEIVED")],
      ["CUSTOMER.DISPUTE.CREATED", dispute(second, lost, "open", "UNAUTHORISED")],
      ["CUSTOMER.DISPUTE.RESOLVED", dispute(second, lost, "lost", "UNAUTHORISED")]
    ])
  })

  it("anything else is Ignored (and kept: it still verifies)", async () => {
    const checkout = await Effect.runPromise(
      gateway.charge({
        gatewayCustomerId: "customer-webhooks",
        invoiceId: "inv_ignored",
        amount: { amount: 500n, currency: "USD" },
        methodId: payPalCheckout,
        idempotencyKey: "collect:inv_ignored:1",
        offSession: false
      })
    )
    expect(checkout.status).toBe("requires_action")
    const event = {
      id: "WH-1AB23456CD789012E-3FG45678HI901234J",
      event_version: "1.0",
      create_time: new Date().toISOString(),
      resource_type: "subscription",
      event_type: "BILLING.SUBSCRIPTION.ACTIVATED",
      summary: "A billing subscription was activated.",
      resource: { id: "I-BW452GLLEP1G" },
      links: []
    }
    const verified = await verify(fake.control.sign(event))
    expect([verified.type, verified.event]).toEqual(["BILLING.SUBSCRIPTION.ACTIVATED", { _tag: "Ignored" }])
    expect(webhooks().interpret({ event_type: "PAYMENT.CAPTURE.COMPLETED", resource: {} })).toEqual({
      _tag: "Ignored"
    })
  })
})
