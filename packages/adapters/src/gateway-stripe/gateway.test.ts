/**
 * The Stripe adapter on the official SDK against the local fake: the gateway contract, then what is
 * Stripe's own — customers per (tenant, customer), declines per code, 3-D Secure, timeouts and 5xx after
 * the charge (unknown -> retrieveCharge -> no second charge), rate limits, refunds, saved cards. Every
 * answer the fake gives is checked against Stripe's OpenAPI document after each test.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { type ChargeRequest, type CurrencyCode, GatewayError, PaymentGateway } from "@ezscale/core"
import { gatewayContract } from "@ezscale/testkit/contracts"
import { Effect, Layer, Option } from "effect"
import Stripe from "stripe"
import { afterAll, afterEach, beforeAll } from "vitest"
import { loadStripeSpec, responseRecorder, type StripeSpec } from "../../test/stripe-openapi"
import { type StripeFake, startStripeFake } from "./fake"
import { makeStripeGateway, type StripeGatewayConfig, type StripeGatewayService } from "./index"

const recorder = responseRecorder()
let spec: StripeSpec

beforeAll(async () => {
  spec = await loadStripeSpec()
}, 120_000)

afterEach(() => {
  expect(spec.violations(recorder.take())).toEqual([])
})

const currencies: ReadonlyArray<CurrencyCode> = ["USD", "EUR", "ISK", "KWD"]

const configFor = (fake: StripeFake, overrides: Partial<StripeGatewayConfig> = {}): StripeGatewayConfig => ({
  tenantId: "tenant-a",
  secretKey: "sk_test_adapter",
  currencies,
  ...fake.connection,
  timeoutMs: 2_000,
  maxNetworkRetries: 0,
  returnUrl: "https://billing.test/pay/return",
  ...overrides
})

// --- the contract ------------------------------------------------------------------------------------

let contractFake: StripeFake | undefined

const contractLayer = Layer.scoped(
  PaymentGateway,
  Effect.gen(function* () {
    const fake = yield* Effect.acquireRelease(
      Effect.promise(() => startStripeFake({ onResponse: recorder.record })),
      (started) => Effect.promise(() => started.close())
    )
    contractFake = fake
    return makeStripeGateway(configFor(fake))
  })
)

gatewayContract("stripe (fake server)", contractLayer, {
  currency: "USD",
  succeedingMethod: "pm_card_visa",
  decliningMethod: "pm_card_chargeDeclined",
  requiresActionMethod: "pm_card_authenticationRequired",
  answerLost: {
    methodId: "pm_card_visa",
    arrange: Effect.sync(() =>
      contractFake?.failNext({ kind: "hang", performed: true, operationId: "PostPaymentIntents" })
    )
  }
})

// --- Stripe's own ------------------------------------------------------------------------------------

describe("StripeGateway", () => {
  let fake: StripeFake
  let gateway: StripeGatewayService
  /** Plays the customer's browser (Stripe.js) against the fake. */
  let browser: Stripe

  beforeAll(async () => {
    fake = await startStripeFake({ onResponse: recorder.record })
    gateway = makeStripeGateway(configFor(fake))
    impatient = makeStripeGateway(configFor(fake, { timeoutMs: 600 }))
    browser = new Stripe("sk_test_browser", { ...fake.connection, maxNetworkRetries: 0, telemetry: false })
  })

  afterAll(() => fake.close())

  let serial = 0
  const customer = (tenant = gateway) =>
    tenant.ensureCustomer({ customerId: `customer-${++serial}`, email: "c@example.com", name: "C" })

  /** The same account with a short timeout, for the tests that wait for one. */
  let impatient: StripeGatewayService
  const charge = (overrides: Partial<ChargeRequest> & { gatewayCustomerId: string }, via = gateway) =>
    via.charge({
      invoiceId: `inv-${++serial}`,
      amount: { amount: 2_000n, currency: "USD" },
      methodId: "pm_card_visa",
      idempotencyKey: `collect:inv-${serial}:1`,
      offSession: true,
      ...overrides
    })

  const succeededFor = (idempotencyKey: string) =>
    fake
      .succeededCharges()
      .filter((c) => (c.metadata as Record<string, string>).ezscale_idempotency_key === idempotencyKey)

  describe("customers", () => {
    it.effect(
      "one Stripe customer per (tenant, customer), found again after the idempotency key expired",
      () =>
        Effect.gen(function* () {
          const request = { customerId: "customer-x", email: "x@example.com", name: "X" }
          const first = yield* gateway.ensureCustomer(request)
          fake.advance(25 * 3_600_000)
          const again = yield* gateway.ensureCustomer(request)
          expect(again).toEqual(first)
          const otherTenant = makeStripeGateway(configFor(fake, { tenantId: "tenant-b" }))
          const theirs = yield* otherTenant.ensureCustomer(request)
          expect(theirs.gatewayCustomerId).not.toBe(first.gatewayCustomerId)
          expect(fake.state.customers.get(first.gatewayCustomerId)?.metadata).toEqual({
            ezscale_tenant_id: "tenant-a",
            ezscale_customer_id: "customer-x"
          })
        })
    )
  })

  describe("charges", () => {
    it.effect("a charge carries our key (never the SDK's), the invoice id and the key in metadata", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const outcome = yield* charge({
          gatewayCustomerId,
          invoiceId: "inv-meta",
          idempotencyKey: "collect:inv-meta:1"
        })
        expect(outcome).toMatchObject({ status: "succeeded", idempotencyKey: "collect:inv-meta:1" })
        expect(outcome.chargeId).toMatch(/^pi_/)
        const intent = fake.state.paymentIntents.get(outcome.chargeId ?? "")
        expect(intent?.metadata).toEqual({
          ezscale_tenant_id: "tenant-a",
          ezscale_invoice_id: "inv-meta",
          ezscale_idempotency_key: "collect:inv-meta:1"
        })
        const keys = fake.events().flatMap((event) => {
          const key = (event.request as { idempotency_key: string | null }).idempotency_key
          return key === null ? [] : [key]
        })
        expect(keys.filter((key) => key.startsWith("stripe-node-retry"))).toEqual([])
        expect(keys).toContain("collect:inv-meta:1")
      })
    )

    it.effect.each([
      ["pm_card_chargeDeclined", "generic_decline"],
      ["pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"],
      ["pm_card_chargeDeclinedLostCard", "lost_card"],
      ["pm_card_chargeDeclinedStolenCard", "stolen_card"],
      ["pm_card_chargeDeclinedFraudulent", "fraudulent"],
      ["pm_card_chargeDeclinedExpiredCard", "expired_card"],
      ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc"],
      ["pm_card_chargeDeclinedProcessingError", "processing_error"]
    ] as const)("%s is a failed outcome with decline code %s", ([methodId, declineCode]) =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const outcome = yield* charge({ gatewayCustomerId, methodId })
        expect(outcome.status).toBe("failed")
        expect(outcome.declineCode).toBe(declineCode)
        expect(outcome.reason).toBeDefined()
        expect(outcome.chargeId).toMatch(/^pi_/)
      })
    )

    it.effect("3-D Secure off-session: requires_action (authentication_required), no link from Stripe", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const outcome = yield* charge({ gatewayCustomerId, methodId: "pm_card_authenticationRequired" })
        expect(outcome).toMatchObject({ status: "requires_action", declineCode: "authentication_required" })
        expect(outcome.actionUrl).toBeUndefined()
      })
    )

    it.effect(
      "3-D Secure on-session: requires_action with the page to send the customer to; then succeeded",
      () =>
        Effect.gen(function* () {
          const { gatewayCustomerId } = yield* customer()
          const outcome = yield* charge({
            gatewayCustomerId,
            methodId: "pm_card_authenticationRequired",
            offSession: false
          })
          expect(outcome.status).toBe("requires_action")
          expect(outcome.actionUrl).toBe(`${fake.url}/fake/3ds/${outcome.chargeId}`)
          expect(fake.state.paymentIntents.get(outcome.chargeId ?? "")?.next_action).toMatchObject({
            redirect_to_url: { return_url: "https://billing.test/pay/return" }
          })
          fake.completeAction(outcome.chargeId ?? "")
          const now = yield* gateway.retrieveCharge({ chargeId: outcome.chargeId ?? "" })
          expect(Option.map(now, (o) => o.status)).toEqual(Option.some("succeeded"))
        })
    )

    it.effect(
      "timeout after the charge happened: unknown, retrieveCharge finds it, the retry replays it",
      () =>
        Effect.gen(function* () {
          const { gatewayCustomerId } = yield* customer()
          fake.failNext({ kind: "hang", performed: true, operationId: "PostPaymentIntents" })
          const key = "collect:inv-timeout:1"
          const invoiceId = "inv-timeout"
          const first = yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key }, impatient)
          expect(first).toMatchObject({ status: "unknown", idempotencyKey: key })
          const found = Option.getOrThrow(yield* gateway.retrieveCharge({ idempotencyKey: key }))
          expect(found.status).toBe("succeeded")
          const retried = yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key })
          expect(retried.chargeId).toBe(found.chargeId)
          expect(succeededFor(key)).toHaveLength(1)
        })
    )

    it.effect("timeout before anything ran: unknown, nothing to find, the retry charges once", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        fake.failNext({ kind: "hang", performed: false, operationId: "PostPaymentIntents" })
        const key = "collect:inv-lost:1"
        const invoiceId = "inv-lost"
        expect((yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key }, impatient)).status).toBe(
          "unknown"
        )
        expect(Option.isNone(yield* gateway.retrieveCharge({ idempotencyKey: key }))).toBe(true)
        expect(Option.isNone(yield* gateway.retrieveCharge({ chargeId: "pi_never_made" }))).toBe(true)
        expect((yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key })).status).toBe(
          "succeeded"
        )
        expect(succeededFor(key)).toHaveLength(1)
      })
    )

    it.effect(
      "a 500 after the charge: unknown, found by retrieveCharge; Stripe replays the 500, no second charge",
      () =>
        Effect.gen(function* () {
          const { gatewayCustomerId } = yield* customer()
          fake.failNext({ kind: "error_after_execution", operationId: "PostPaymentIntents" })
          const key = "collect:inv-500:1"
          const invoiceId = "inv-500"
          expect((yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key })).status).toBe(
            "unknown"
          )
          expect((yield* charge({ gatewayCustomerId, invoiceId, idempotencyKey: key })).status).toBe(
            "unknown"
          )
          const found = yield* gateway.retrieveCharge({ idempotencyKey: key })
          expect(Option.map(found, (o) => o.status)).toEqual(Option.some("succeeded"))
          expect(succeededFor(key)).toHaveLength(1)
        })
    )

    it.effect("the SDK's own retry after a 500 reuses our key: one charge", () =>
      Effect.gen(function* () {
        const patient = makeStripeGateway(configFor(fake, { maxNetworkRetries: 1 }))
        const { gatewayCustomerId } = yield* customer(patient)
        fake.failNext({ kind: "status", status: 500, operationId: "PostPaymentIntents" })
        const key = "collect:inv-retried:1"
        const outcome = yield* patient.charge({
          gatewayCustomerId,
          invoiceId: "inv-retried",
          amount: { amount: 1_000n, currency: "USD" },
          methodId: "pm_card_visa",
          idempotencyKey: key,
          offSession: true
        })
        expect(outcome.status).toBe("succeeded")
        expect(succeededFor(key)).toHaveLength(1)
      })
    )

    it.effect("429 is a retryable RateLimited error; a 500 elsewhere is retryable Unavailable", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        fake.failNext({ kind: "status", status: 429, operationId: "PostPaymentIntents" })
        const limited = yield* Effect.flip(charge({ gatewayCustomerId }))
        expect([limited.reason, limited.retryable, limited.vendorCode]).toEqual([
          "RateLimited",
          true,
          "rate_limit"
        ])
        fake.failNext({ kind: "status", status: 500, operationId: "GetCustomersCustomerPaymentMethods" })
        const down = yield* Effect.flip(gateway.listMethods(gatewayCustomerId))
        expect([down.reason, down.retryable]).toEqual(["Unavailable", true])
      })
    )

    it.effect("the same key with another amount is an InvalidRequest (idempotency_error)", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        yield* charge({ gatewayCustomerId, invoiceId: "inv-same", idempotencyKey: "collect:inv-same:1" })
        const error = yield* Effect.flip(
          charge({
            gatewayCustomerId,
            invoiceId: "inv-same",
            idempotencyKey: "collect:inv-same:1",
            amount: { amount: 2_001n, currency: "USD" }
          })
        )
        expect(error).toBeInstanceOf(GatewayError)
        expect([error.reason, error.vendorCode]).toEqual(["InvalidRequest", "idempotency_error"])
      })
    )

    it.effect("amounts follow Stripe's currency rules: ISK in hundredths, three-decimal ending in 0", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const isk = yield* charge({ gatewayCustomerId, amount: { amount: 4_990n, currency: "ISK" } })
        expect(isk.amount).toEqual({ amount: 4_990n, currency: "ISK" })
        expect(fake.state.paymentIntents.get(isk.chargeId ?? "")?.amount).toBe(499_000)
        const before = fake.paymentIntents().length
        const kwd = yield* Effect.flip(
          charge({ gatewayCustomerId, amount: { amount: 1_235n, currency: "KWD" } })
        )
        expect(kwd.reason).toBe("InvalidRequest")
        expect(fake.paymentIntents()).toHaveLength(before)
      })
    )
  })

  describe("refunds", () => {
    it.effect("partial and full refunds, bounded; the currency must be the charge's", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const charged = yield* charge({ gatewayCustomerId, amount: { amount: 1_000n, currency: "USD" } })
        const chargeId = charged.chargeId ?? ""
        const part = yield* gateway.refund({
          chargeId,
          amount: { amount: 250n, currency: "USD" },
          idempotencyKey: "refund:1"
        })
        expect(part).toMatchObject({
          chargeId,
          status: "succeeded",
          amount: { amount: 250n, currency: "USD" }
        })
        const wrong = yield* Effect.flip(
          gateway.refund({ chargeId, amount: { amount: 250n, currency: "EUR" }, idempotencyKey: "refund:2" })
        )
        expect(wrong.reason).toBe("InvalidRequest")
        const over = yield* Effect.flip(
          gateway.refund({ chargeId, amount: { amount: 751n, currency: "USD" }, idempotencyKey: "refund:3" })
        )
        expect(over.reason).toBe("InvalidRequest")
        const rest = yield* gateway.refund({
          chargeId,
          amount: { amount: 750n, currency: "USD" },
          idempotencyKey: "refund:4",
          reason: "requested_by_customer"
        })
        expect(rest.amount.amount).toBe(750n)
        expect(fake.state.refunds.get(rest.refundId)?.reason).toBe("requested_by_customer")
      })
    )

    it.effect("a refund the bank will return is pending first", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const charged = yield* charge({ gatewayCustomerId })
        fake.failNextRefund()
        const refund = yield* gateway.refund({
          chargeId: charged.chargeId ?? "",
          amount: charged.amount,
          idempotencyKey: "refund:pending"
        })
        expect(refund.status).toBe("pending")
        expect(fake.state.refunds.get(refund.refundId)?.status).toBe("failed")
      })
    )
  })

  describe("saved cards", () => {
    it.effect("a SetupIntent's client secret; the saved card listed, made default, detached", () =>
      Effect.gen(function* () {
        const { gatewayCustomerId } = yield* customer()
        const session = yield* gateway.createSetup({ gatewayCustomerId })
        expect(session.clientSecret).toMatch(/^seti_.+_secret_/)
        expect((yield* gateway.createSetup({ gatewayCustomerId })).setupId).toBe(session.setupId)
        yield* Effect.promise(() =>
          browser.setupIntents.confirm(
            session.setupId,
            { payment_method: "pm_card_visa" },
            { idempotencyKey: "browser:1" }
          )
        )
        const methods = yield* gateway.listMethods(gatewayCustomerId)
        expect(methods.map((m) => [m.kind, m.label])).toEqual([["card", "Visa •••• 4242"]])
        const methodId = methods[0]?.id ?? ""
        expect((yield* gateway.createSetup({ gatewayCustomerId })).setupId).not.toBe(session.setupId)
        yield* gateway.setDefaultMethod(gatewayCustomerId, methodId)
        expect(yield* gateway.defaultMethod(gatewayCustomerId)).toEqual(Option.some(methodId))
        const renewal = yield* charge({ gatewayCustomerId, methodId })
        expect(renewal.status).toBe("succeeded")
        yield* gateway.detachMethod(methodId)
        expect(yield* gateway.listMethods(gatewayCustomerId)).toEqual([])
        expect(yield* gateway.defaultMethod(gatewayCustomerId)).toEqual(Option.none())
        const gone = yield* Effect.flip(gateway.detachMethod("pm_unknown"))
        expect(gone.reason).toBe("InvalidRequest")
      })
    )
  })
})

layer(Layer.empty)((it) => {
  it.effect("capabilities: refunds, partial refunds, off-session, the configured currencies", () =>
    Effect.sync(() => {
      const gateway = makeStripeGateway({ tenantId: "t", secretKey: "sk_test_x", currencies: ["EUR"] })
      expect(gateway.capabilities).toEqual({
        refunds: true,
        partialRefunds: true,
        offSession: true,
        currencies: ["EUR"]
      })
      expect(gateway.name).toBe("stripe")
    })
  )
})
