import { type ChargeRequest, GatewayError, PaymentGateway, type PaymentGatewayService } from "@ezscale/core"
import { gatewayContract } from "@ezscale/testkit/contracts"
import { Effect, Layer, Option } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { paypalSpecRecorder } from "../../test/paypal-openapi"
import { type PayPalFakeServer, startPayPalFake } from "./fake"
import { makePayPalGatewayFromConfig, type PayPalGatewayConfig, payPalCheckout } from "./index"

const recorder = paypalSpecRecorder()
let fake: PayPalFakeServer

beforeAll(async () => {
  fake = await startPayPalFake({
    presetTokens: {
      "TOK-OK": { kind: "complete" },
      "TOK-DECLINED": { kind: "capture_declined" },
      "TOK-PAYER-ACTION": { kind: "payer_action" },
      "TOK-ANSWER-LOST": { kind: "answer_lost" }
    },
    onExchange: recorder.onExchange
  })
})
afterAll(() => fake.close())
// Every answer the fake gave to the SDK must match PayPal's OpenAPI documents.
afterEach(async () => {
  expect(await recorder.check()).toEqual([])
}, 120_000)

const adapter = (overrides: Partial<PayPalGatewayConfig> = {}): PaymentGatewayService =>
  makePayPalGatewayFromConfig({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    baseUrl: fake.url,
    timeoutMs: 5_000,
    retries: 1,
    retryDelayMs: 10,
    returnUrl: "https://billing.example.test/paypal/return",
    ...overrides
  })

gatewayContract(
  "paypal (SDK against the fake)",
  Layer.suspend(() => Layer.succeed(PaymentGateway, adapter({ timeoutMs: 2_000 }))),
  {
    currency: "USD",
    succeedingMethod: "TOK-OK",
    decliningMethod: "TOK-DECLINED",
    requiresActionMethod: "TOK-PAYER-ACTION",
    answerLost: { methodId: "TOK-ANSWER-LOST" }
  }
)

let serial = 0
const chargeRequest = (methodId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  gatewayCustomerId: "customer-x",
  invoiceId: `inv_${++serial}`,
  amount: { amount: 2500n, currency: "USD" },
  methodId,
  idempotencyKey: `collect:inv_${serial}:1`,
  offSession: true,
  ...overrides
})

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const flip = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.flip(effect))

/** A token saved through the vault flow, scripted as given. */
const savedToken = async (gateway: PaymentGatewayService, customer: string) => {
  const { gatewayCustomerId } = await run(
    gateway.ensureCustomer({ customerId: customer, email: "c@example.com", name: "C" })
  )
  const session = await run(gateway.createSetup({ gatewayCustomerId }))
  fake.control.approveSetupToken(session.setupId)
  const completeSetup = gateway.completeSetup
  if (completeSetup === undefined) throw new Error("the PayPal gateway completes setups")
  const method = await run(completeSetup(session.setupId))
  return { gatewayCustomerId, method, session }
}

describe("PayPal gateway: vault and merchant-initiated charges", () => {
  it("saves a method: setup token -> buyer approval -> payment token; listed, charged, detached", async () => {
    const gateway = adapter()
    const { gatewayCustomerId, method, session } = await savedToken(gateway, "customer-vault-1")
    expect(gatewayCustomerId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(session.approvalUrl).toContain(`approval_session_id=${session.setupId}`)
    expect(method.kind).toBe("paypal")
    expect(await run(gateway.completeSetup?.(session.setupId) ?? Effect.die("no completeSetup"))).toEqual(
      method
    )
    expect(await run(gateway.listMethods(gatewayCustomerId))).toEqual([method])
    const outcome = await run(gateway.charge(chargeRequest(method.id, { gatewayCustomerId })))
    expect(outcome.status).toBe("succeeded")
    await run(gateway.detachMethod(method.id))
    expect(await run(gateway.listMethods(gatewayCustomerId))).toEqual([])
    fake.control.takeDeliveries()
  })

  it("an unapproved setup cannot be completed", async () => {
    const gateway = adapter()
    const { gatewayCustomerId } = await run(
      gateway.ensureCustomer({ customerId: "c-unapproved", email: "u@example.com", name: "U" })
    )
    const session = await run(gateway.createSetup({ gatewayCustomerId }))
    const error = await flip(gateway.completeSetup?.(session.setupId) ?? Effect.die("no completeSetup"))
    expect([error.reason, error.vendorCode]).toEqual(["InvalidRequest", "SETUP_TOKEN_NOT_APPROVED"])
  })

  it("handles both 'completed at create' and 'needs capture', each captured once", async () => {
    const gateway = adapter()
    const { method } = await savedToken(gateway, "customer-two-step")
    const before = fake.control.stats().captures
    const single = await run(gateway.charge(chargeRequest(method.id)))
    fake.control.scriptToken(method.id, { kind: "needs_capture" })
    const request = chargeRequest(method.id)
    const twoStep = await run(gateway.charge(request))
    expect([single.status, twoStep.status]).toEqual(["succeeded", "succeeded"])
    expect(twoStep.chargeId).toBeDefined()
    expect(await run(gateway.charge(request))).toEqual(twoStep)
    expect(await run(adapter().charge(request))).toEqual(twoStep)
    expect(fake.control.stats().captures).toBe(before + 2)
    expect(recorder.exchanges().map((exchange) => exchange.operation)).toEqual(
      expect.arrayContaining(["oauth.token", "orders.create", "orders.get", "orders.capture"])
    )
    const byId = await run(gateway.retrieveCharge({ chargeId: twoStep.chargeId ?? "" }))
    expect(Option.map(byId, (o) => [o.status, o.idempotencyKey])).toEqual(
      Option.some(["succeeded", request.idempotencyKey])
    )
    fake.control.takeDeliveries()
  })

  it("declines and other outcomes: INSTRUMENT_DECLINED at capture, PENDING, payer action", async () => {
    const gateway = adapter()
    const { method } = await savedToken(gateway, "customer-declines")
    fake.control.scriptToken(method.id, { kind: "refused", issue: "INSTRUMENT_DECLINED" })
    const refused = await run(gateway.charge(chargeRequest(method.id)))
    expect([refused.status, refused.declineCode]).toEqual(["failed", "INSTRUMENT_DECLINED"])
    fake.control.scriptToken(method.id, { kind: "capture_declined", responseCode: "5400" })
    const declined = await run(gateway.charge(chargeRequest(method.id)))
    expect([declined.status, declined.declineCode]).toEqual(["failed", "5400"])
    fake.control.scriptToken(method.id, { kind: "pending", reason: "PENDING_REVIEW" })
    const pending = await run(gateway.charge(chargeRequest(method.id)))
    expect([pending.status, pending.reason]).toEqual(["pending", "PENDING_REVIEW"])
    fake.control.settleCapture(pending.chargeId ?? "", "COMPLETED")
    const settled = await run(gateway.retrieveCharge({ chargeId: pending.chargeId ?? "" }))
    expect(Option.map(settled, (o) => o.status)).toEqual(Option.some("succeeded"))
    fake.control.scriptToken(method.id, { kind: "payer_action" })
    const action = await run(gateway.charge(chargeRequest(method.id)))
    expect(action.status).toBe("requires_action")
    expect(action.actionUrl).toContain("/checkoutnow?token=")
    fake.control.takeDeliveries()
  })

  it("checks the currency and amount before any call", async () => {
    const gateway = adapter({ currencies: ["USD", "EUR"] })
    const requests = fake.control.stats().requests
    const error = await flip(
      gateway.charge(chargeRequest("TOK-OK", { amount: { amount: 100n, currency: "GBP" } }))
    )
    expect([error.reason, error.vendorCode]).toEqual(["InvalidRequest", "CURRENCY_NOT_SUPPORTED"])
    const huf = await flip(
      adapter({ currencies: ["HUF"] }).charge(
        chargeRequest("TOK-OK", { amount: { amount: 150n, currency: "HUF" } })
      )
    )
    expect(huf.vendorCode).toBe("DECIMALS_NOT_SUPPORTED")
    const refund = await flip(
      gateway.refund({ chargeId: "X", amount: { amount: 1n, currency: "GBP" }, idempotencyKey: "r" })
    )
    expect(refund.reason).toBe("InvalidRequest")
    expect(fake.control.stats().requests).toBe(requests)
  })
})

describe("PayPal gateway: one-off checkout", () => {
  it("create -> approval link -> the payer approves -> charging again with the key captures, once", async () => {
    const gateway = adapter()
    const request = chargeRequest(payPalCheckout, {
      offSession: false,
      amount: { amount: 1250n, currency: "EUR" }
    })
    const first = await run(gateway.charge(request))
    expect(first.status).toBe("requires_action")
    const orderId = new URL(first.actionUrl ?? "").searchParams.get("token") ?? ""
    fake.control.approveOrder(orderId)
    const before = fake.control.stats().captures
    const paid = await run(gateway.charge(request))
    expect([paid.status, paid.amount]).toEqual(["succeeded", request.amount])
    expect(await run(gateway.charge(request))).toEqual(paid)
    expect(fake.control.stats().captures).toBe(before + 1)
    const offSession = await flip(gateway.charge({ ...request, offSession: true, idempotencyKey: "other" }))
    expect(offSession.reason).toBe("InvalidRequest")
    fake.control.takeDeliveries()
  })
})

describe("PayPal gateway: failures, retries and reconciliation", () => {
  it("a timeout after PayPal captured is unknown; retrieveCharge finds the capture; no second capture", async () => {
    const gateway = adapter({ timeoutMs: 400, retries: 0 })
    const request = chargeRequest("TOK-OK")
    const before = fake.control.stats().captures
    fake.control.fault("orders.create", { kind: "hang", when: "after" })
    const outcome = await run(gateway.charge(request))
    expect([outcome.status, outcome.chargeId]).toEqual(["unknown", undefined])
    expect(fake.control.stats().captures).toBe(before + 1)
    const found = await run(gateway.retrieveCharge({ idempotencyKey: request.idempotencyKey }))
    expect(Option.map(found, (o) => o.status)).toEqual(Option.some("succeeded"))
    const again = await run(gateway.charge(request))
    expect(again.status).toBe("succeeded")
    expect(again.chargeId).toBe(Option.getOrThrow(found).chargeId)
    expect(fake.control.stats().captures).toBe(before + 1)
    fake.control.takeDeliveries()
  })

  it("a timeout before PayPal acted is unknown; the lookup finds no charge; nothing was captured", async () => {
    const gateway = adapter({ timeoutMs: 400, retries: 0 })
    const request = chargeRequest("TOK-OK")
    const before = fake.control.stats()
    fake.control.fault("orders.create", { kind: "hang", when: "before" })
    expect((await run(gateway.charge(request))).status).toBe("unknown")
    expect(Option.isNone(await run(gateway.retrieveCharge({ idempotencyKey: request.idempotencyKey })))).toBe(
      true
    )
    expect(fake.control.stats().captures).toBe(before.captures)
    const retried = await run(
      gateway.charge({ ...request, idempotencyKey: `${request.idempotencyKey}:retry` })
    )
    expect(retried.status).toBe("succeeded")
    expect(fake.control.stats().captures).toBe(before.captures + 1)
    fake.control.takeDeliveries()
  })

  it("a timeout on the capture call of a two-step charge is unknown, then found by key", async () => {
    const gateway = adapter({ timeoutMs: 400, retries: 0 })
    const { method } = await savedToken(gateway, "customer-capture-timeout")
    fake.control.scriptToken(method.id, { kind: "needs_capture" })
    const request = chargeRequest(method.id)
    fake.control.fault("orders.capture", { kind: "hang", when: "after" })
    const before = fake.control.stats().captures
    expect((await run(gateway.charge(request))).status).toBe("unknown")
    const found = await run(adapter().retrieveCharge({ idempotencyKey: request.idempotencyKey }))
    expect(Option.map(found, (o) => o.status)).toEqual(Option.some("succeeded"))
    expect(fake.control.stats().captures).toBe(before + 1)
    fake.control.takeDeliveries()
  })

  it("our retry repeats the same PayPal-Request-Id: 500 once, a hang once — one charge", async () => {
    const gateway = adapter({ timeoutMs: 400, retries: 1 })
    const before = fake.control.stats().captures
    fake.control.fault("orders.create", { kind: "status", status: 500 })
    expect((await run(gateway.charge(chargeRequest("TOK-OK")))).status).toBe("succeeded")
    fake.control.fault("orders.create", { kind: "hang", when: "after" })
    expect((await run(gateway.charge(chargeRequest("TOK-OK")))).status).toBe("succeeded")
    expect(fake.control.stats().captures).toBe(before + 2)
    fake.control.takeDeliveries()
  })

  it("5xx after every retry is unknown; 429 is RateLimited; nothing listening is Unavailable", async () => {
    const gateway = adapter({ retries: 1 })
    fake.control.fault("orders.create", { kind: "status", status: 503 }, 2)
    const request = chargeRequest("TOK-OK")
    expect((await run(gateway.charge(request))).status).toBe("unknown")
    const captures = fake.control.stats().captures
    const lookup = await run(gateway.retrieveCharge({ idempotencyKey: request.idempotencyKey }))
    expect(Option.isNone(lookup)).toBe(true)
    // The lookup used the key's request id: a later charge with it is canceled, never a payment.
    expect((await run(adapter().charge(request))).status).toBe("canceled")
    expect(fake.control.stats().captures).toBe(captures)
    fake.control.fault("orders.create", { kind: "status", status: 429 }, 2)
    const limited = await flip(gateway.charge(chargeRequest("TOK-OK")))
    expect([limited.reason, limited.retryable]).toEqual(["RateLimited", true])
    const closed = adapter({ baseUrl: "http://127.0.0.1:9", retries: 0 })
    const down = await flip(closed.charge(chargeRequest("TOK-OK")))
    expect([down.reason, down.retryable]).toEqual(["Unavailable", true])
  })

  it("past PayPal's request-id retention a replay cannot charge twice (unique invoice_id)", async () => {
    const request = chargeRequest("TOK-OK")
    const first = await run(adapter().charge(request))
    const before = fake.control.stats().captures
    fake.control.advanceTime(7 * 3_600_000)
    const error = await flip(adapter().charge(request))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error.vendorCode).toBe("DUPLICATE_INVOICE_ID")
    expect(fake.control.stats().captures).toBe(before)
    expect(first.status).toBe("succeeded")
    fake.control.takeDeliveries()
  })
})
