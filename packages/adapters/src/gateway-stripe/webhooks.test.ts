/**
 * Stripe webhooks: the signature check (good, bad, tampered, expired, future, rolled secret, signed by
 * the fake and by the SDK's own test helper), and every event type the fake emits, delivered over HTTP,
 * verified and read into a `GatewayEvent`.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { type GatewayEvent, type VerifiedWebhook, WebhookRejected } from "@ezscale/core"
import { Effect, Either, Redacted, TestClock } from "effect"
import Stripe from "stripe"
import { afterAll, afterEach, beforeAll } from "vitest"
import { loadStripeSpec, responseRecorder, type StripeSpec } from "../../test/stripe-openapi"
import { type StripeFake, signStripePayload, startStripeFake } from "./fake"
import { makeStripeGateway, makeStripeWebhooks } from "./index"

const now = 1_800_000_000
const payload = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "payment_intent.succeeded",
  data: {
    object: {
      id: "pi_1",
      object: "payment_intent",
      amount: 1999,
      currency: "eur",
      status: "succeeded",
      metadata: { ezscale_invoice_id: "inv_9", ezscale_idempotency_key: "collect:inv_9:1" }
    }
  }
})

const request = (body: string, signature: string | undefined) => ({
  rawBody: new TextEncoder().encode(body),
  headers: { "content-type": "application/json", "stripe-signature": signature }
})

const verifyAt = (
  seconds: number,
  secrets: ReadonlyArray<string>,
  body: string,
  signature: string | undefined
) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(seconds * 1000)
    return yield* Effect.either(makeStripeWebhooks({ secrets }).verify(request(body, signature)))
  })

const rejection = (result: Either.Either<VerifiedWebhook, WebhookRejected>) =>
  Either.match(result, { onLeft: (error) => error.reason, onRight: () => "accepted" })

describe("Stripe webhook signatures", () => {
  it.effect("a good signature is accepted and the event read", () =>
    Effect.gen(function* () {
      const result = yield* verifyAt(now, ["whsec_a"], payload, signStripePayload(payload, ["whsec_a"], now))
      const verified = Either.getOrThrow(result)
      expect([verified.eventId, verified.type]).toEqual(["evt_1", "payment_intent.succeeded"])
      expect(verified.event).toEqual({
        _tag: "ChargeUpdated",
        invoiceId: "inv_9",
        outcome: {
          status: "succeeded",
          idempotencyKey: "collect:inv_9:1",
          amount: { amount: 1999n, currency: "EUR" },
          chargeId: "pi_1"
        }
      })
    })
  )

  it.effect("a header made by the stripe SDK's own test helper is accepted (an independent signer)", () =>
    Effect.gen(function* () {
      const sdk = new Stripe("sk_test_x")
      const header = sdk.webhooks.generateTestHeaderString({ payload, secret: "whsec_sdk", timestamp: now })
      expect(rejection(yield* verifyAt(now, ["whsec_sdk"], payload, header))).toBe("accepted")
    })
  )

  it.effect("a wrong secret, a tampered body, a missing or empty header are Signature rejections", () =>
    Effect.gen(function* () {
      const header = signStripePayload(payload, ["whsec_a"], now)
      expect(rejection(yield* verifyAt(now, ["whsec_b"], payload, header))).toBe("Signature")
      expect(rejection(yield* verifyAt(now, ["whsec_a"], payload.replace("1999", "1"), header))).toBe(
        "Signature"
      )
      expect(rejection(yield* verifyAt(now, ["whsec_a"], payload, undefined))).toBe("Signature")
      expect(rejection(yield* verifyAt(now, ["whsec_a"], payload, `t=${now}`))).toBe("Signature")
      expect(rejection(yield* verifyAt(now, ["whsec_a"], payload, header.replace(/^t=\d+/, "t=")))).toBe(
        "Signature"
      )
    })
  )

  it.effect("older than the tolerance is Expired; within it, or from the future, accepted", () =>
    Effect.gen(function* () {
      const header = signStripePayload(payload, ["whsec_a"], now)
      expect(rejection(yield* verifyAt(now + 301, ["whsec_a"], payload, header))).toBe("Expired")
      expect(rejection(yield* verifyAt(now + 300, ["whsec_a"], payload, header))).toBe("accepted")
      expect(rejection(yield* verifyAt(now - 60, ["whsec_a"], payload, header))).toBe("accepted")
      const strict = yield* Effect.either(
        makeStripeWebhooks({ secrets: ["whsec_a"], toleranceSeconds: 10 }).verify(request(payload, header))
      )
      expect(rejection(strict)).toBe("accepted")
      yield* TestClock.setTime((now + 11) * 1000)
      const late = yield* Effect.either(
        makeStripeWebhooks({ secrets: ["whsec_a"], toleranceSeconds: 10 }).verify(request(payload, header))
      )
      expect(rejection(late)).toBe("Expired")
    })
  )

  it.effect("a rolled secret: several v1 entries, several configured secrets", () =>
    Effect.gen(function* () {
      const both = signStripePayload(payload, ["whsec_new", "whsec_old"], now)
      const oldOnly = signStripePayload(payload, ["whsec_old"], now)
      expect(rejection(yield* verifyAt(now, ["whsec_new"], payload, both))).toBe("accepted")
      expect(rejection(yield* verifyAt(now, ["whsec_old"], payload, both))).toBe("accepted")
      expect(rejection(yield* verifyAt(now, ["whsec_new", "whsec_old"], payload, oldOnly))).toBe("accepted")
      expect(rejection(yield* verifyAt(now, ["whsec_new"], payload, oldOnly))).toBe("Signature")
    })
  )

  it.effect("a signed body that is not an event is Malformed", () =>
    Effect.gen(function* () {
      for (const body of ["not json", JSON.stringify({ object: "event" })]) {
        const result = yield* verifyAt(now, ["whsec_a"], body, signStripePayload(body, ["whsec_a"], now))
        expect(Either.getLeft(result).pipe((left) => left._tag === "Some" && left.value)).toBeInstanceOf(
          WebhookRejected
        )
        expect(rejection(result)).toBe("Malformed")
      }
    })
  )
})

describe("Stripe events, delivered by the fake and interpreted", () => {
  const recorder = responseRecorder()
  let spec: StripeSpec
  let fake: StripeFake
  let receiver: Server
  const received: Array<VerifiedWebhook> = []
  const webhooks = makeStripeWebhooks({ secrets: [Redacted.make("whsec_endpoint")] })

  beforeAll(async () => {
    spec = await loadStripeSpec()
    receiver = createServer((incoming, response) => {
      const chunks: Array<Buffer> = []
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
      incoming.on("end", () => {
        const headers = Object.fromEntries(
          Object.entries(incoming.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(",") : value
          ])
        )
        Effect.runPromise(Effect.either(webhooks.verify({ rawBody: Buffer.concat(chunks), headers }))).then(
          (result) => {
            if (Either.isRight(result)) received.push(result.right)
            response.writeHead(Either.isRight(result) ? 200 : 400).end()
          }
        )
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    fake = await startStripeFake({
      onResponse: recorder.record,
      webhook: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`,
        secrets: ["whsec_endpoint"]
      }
    })
  }, 120_000)

  afterAll(async () => {
    await fake.close()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  afterEach(() => {
    expect(spec.violations(recorder.take())).toEqual([])
  })

  it("every event type reads into what it means for billing; repeats and disorder are delivered as such", async () => {
    const gateway = makeStripeGateway({
      tenantId: "tenant-w",
      secretKey: "sk_test_w",
      currencies: ["USD"],
      ...fake.connection,
      maxNetworkRetries: 0,
      timeoutMs: 5_000,
      returnUrl: "https://billing.test/return"
    })
    const browser = new Stripe("sk_test_browser", {
      ...fake.connection,
      maxNetworkRetries: 0,
      telemetry: false
    })
    const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
    const { gatewayCustomerId } = await run(
      gateway.ensureCustomer({ customerId: "cust-w", email: "w@example.com", name: "W" })
    )
    const setup = await run(gateway.createSetup({ gatewayCustomerId }))
    await browser.setupIntents.confirm(
      setup.setupId,
      { payment_method: "pm_card_visa" },
      { idempotencyKey: "b1" }
    )
    const [method] = await run(gateway.listMethods(gatewayCustomerId))
    const methodId = method?.id ?? ""
    const charge = (invoiceId: string, methodUsed: string, offSession = true) =>
      run(
        gateway.charge({
          gatewayCustomerId,
          invoiceId,
          amount: { amount: 1_000n, currency: "USD" },
          methodId: methodUsed,
          idempotencyKey: `collect:${invoiceId}:1`,
          offSession
        })
      )
    const paid = await charge("inv-paid", methodId)
    await charge("inv-declined", "pm_card_chargeDeclinedInsufficientFunds")
    const waiting = await charge("inv-3ds", "pm_card_authenticationRequired", false)
    await browser.paymentIntents.cancel(waiting.chargeId ?? "", {}, { idempotencyKey: "b2" })
    await run(
      gateway.refund({
        chargeId: paid.chargeId ?? "",
        amount: { amount: 400n, currency: "USD" },
        idempotencyKey: "r1"
      })
    )
    fake.failNextRefund("expired_or_canceled_card")
    await run(
      gateway.refund({
        chargeId: paid.chargeId ?? "",
        amount: { amount: 100n, currency: "USD" },
        idempotencyKey: "r2"
      })
    )
    const won = fake.openDispute(paid.chargeId ?? "", { reason: "fraudulent" })
    await browser.disputes.update(won.id as string, { submit: true }, { idempotencyKey: "b3" })
    fake.closeDispute(won.id as string, "won")
    const lost = fake.openDispute((await charge("inv-lost", methodId)).chargeId ?? "", {
      reason: "product_not_received"
    })
    fake.closeDispute(lost.id as string, "lost")
    await run(gateway.detachMethod(methodId))

    const queued = fake.pendingEvents().length
    const deliveries = await fake.deliverWebhooks({ order: "reverse", times: 2 })
    expect(deliveries).toHaveLength(queued * 2)
    expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true)
    expect(received).toHaveLength(queued * 2)
    expect(received.slice(0, queued).map((r) => r.eventId)).toEqual(
      received.slice(queued).map((r) => r.eventId)
    )

    const first = new Map<string, Array<GatewayEvent>>()
    for (const webhook of received.slice(0, queued).reverse()) {
      first.set(webhook.type, [...(first.get(webhook.type) ?? []), webhook.event])
    }
    const of = (type: string) => first.get(type) ?? []
    const usd = (amount: bigint) => ({ amount, currency: "USD" })

    for (const ignored of [
      "customer.created",
      "setup_intent.created",
      "payment_intent.created",
      "charge.succeeded",
      "charge.failed",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.funds_reinstated"
    ]) {
      expect(of(ignored).length, ignored).toBeGreaterThan(0)
      expect(
        of(ignored).every((event) => event._tag === "Ignored"),
        ignored
      ).toBe(true)
    }
    const card = { id: methodId, kind: "card", label: "Visa •••• 4242", expiresAt: { month: 12, year: 2034 } }
    expect(of("payment_method.attached")).toEqual([{ _tag: "MethodSaved", gatewayCustomerId, method: card }])
    expect(of("setup_intent.succeeded")).toEqual([
      { _tag: "MethodSaved", gatewayCustomerId, method: { id: methodId, kind: "card", label: "card" } }
    ])
    expect(of("payment_method.detached")).toEqual([{ _tag: "MethodRemoved", gatewayCustomerId, methodId }])
    expect(of("payment_intent.succeeded")).toContainEqual({
      _tag: "ChargeUpdated",
      invoiceId: "inv-paid",
      outcome: {
        status: "succeeded",
        idempotencyKey: "collect:inv-paid:1",
        amount: usd(1_000n),
        chargeId: paid.chargeId
      }
    })
    expect(of("payment_intent.payment_failed")).toEqual([
      {
        _tag: "ChargeUpdated",
        invoiceId: "inv-declined",
        outcome: expect.objectContaining({ status: "failed", declineCode: "insufficient_funds" })
      }
    ])
    expect(of("payment_intent.requires_action")).toEqual([
      {
        _tag: "ChargeUpdated",
        invoiceId: "inv-3ds",
        outcome: expect.objectContaining({
          status: "requires_action",
          actionUrl: `${fake.url}/fake/3ds/${waiting.chargeId}`
        })
      }
    ])
    expect(of("payment_intent.canceled")).toEqual([
      {
        _tag: "ChargeUpdated",
        invoiceId: "inv-3ds",
        outcome: expect.objectContaining({ status: "canceled" })
      }
    ])
    expect(
      of("refund.created").map((e) => e._tag === "RefundUpdated" && [e.refund.status, e.refund.amount])
    ).toEqual([
      ["succeeded", usd(400n)],
      ["pending", usd(100n)]
    ])
    expect(of("refund.failed")).toEqual([
      {
        _tag: "RefundUpdated",
        refund: expect.objectContaining({ status: "failed", amount: usd(100n), chargeId: paid.chargeId })
      }
    ])
    expect(of("refund.updated").map((e) => e._tag === "RefundUpdated" && e.refund.status)).toEqual(["failed"])
    expect(of("charge.refunded")[0]).toEqual({
      _tag: "RefundUpdated",
      invoiceId: "inv-paid",
      refund: expect.objectContaining({ status: "succeeded", amount: usd(400n), chargeId: paid.chargeId })
    })
    expect(of("charge.dispute.created")).toEqual([
      {
        _tag: "DisputeUpdated",
        disputeId: won.id,
        chargeId: paid.chargeId,
        amount: usd(1_000n),
        status: "open",
        reason: "fraudulent"
      },
      expect.objectContaining({
        _tag: "DisputeUpdated",
        disputeId: lost.id,
        status: "open",
        reason: "product_not_received"
      })
    ])
    expect(of("charge.dispute.updated")).toEqual([
      expect.objectContaining({ disputeId: won.id, status: "open" })
    ])
    expect(of("charge.dispute.closed")).toEqual([
      expect.objectContaining({ disputeId: won.id, status: "won" }),
      expect.objectContaining({ disputeId: lost.id, status: "lost" })
    ])
  })
})
