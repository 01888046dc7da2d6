/**
 * The Stripe fake, driven by the official `stripe` SDK: Stripe's idempotency (§5.1 of payments.md),
 * test cards, 3-D Secure, refunds, disputes, events, signed webhooks and scripted failures. Every answer
 * the fake gives is checked against Stripe's OpenAPI document after each test.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { loadStripeSpec, responseRecorder, type StripeSpec } from "../../../test/stripe-openapi"
import { parseForm } from "./form"
import { type StripeFake, startStripeFake } from "./index"

const recorder = responseRecorder()
let spec: StripeSpec
let fake: StripeFake
let stripe: Stripe

const client = (options: { timeout?: number } = {}) =>
  new Stripe("sk_test_fake", {
    ...fake.connection,
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: options.timeout ?? 5_000
  })

beforeAll(async () => {
  spec = await loadStripeSpec()
  fake = await startStripeFake({ onResponse: recorder.record })
  stripe = client()
}, 120_000)

afterAll(() => fake.close())

afterEach(() => {
  expect(spec.violations(recorder.take())).toEqual([])
})

const customer = () =>
  stripe.customers.create({ email: "a@example.com", name: "A" }, { idempotencyKey: crypto.randomUUID() })

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error as Stripe.errors.StripeError
  }
  throw new Error("expected the call to fail")
}

describe("the spec check", () => {
  it("can fail: an incomplete PaymentIntent and an unknown error type are violations", () => {
    const responses = [
      {
        operationId: "PostPaymentIntents",
        method: "POST",
        path: "/v1/payment_intents",
        status: 200,
        body: { id: "pi_1", object: "payment_intent" },
        replayed: false
      },
      {
        operationId: "PostRefunds",
        method: "POST",
        path: "/v1/refunds",
        status: 400,
        body: { error: { type: "teapot_error", message: "x" } },
        replayed: false
      }
    ]
    expect(spec.violations(responses)).toHaveLength(2)
  })
})

describe("form bodies", () => {
  it("reads Stripe's bracket notation into objects and arrays", () => {
    expect(
      parseForm("amount=100&metadata[invoice]=inv_1&payment_method_types[0]=card&expand[]=customer&a[b][c]=d")
    ).toEqual({
      amount: "100",
      metadata: { invoice: "inv_1" },
      payment_method_types: ["card"],
      expand: ["customer"],
      a: { b: { c: "d" } }
    })
  })
})

describe("idempotency", () => {
  it("replays the stored response for the same key and parameters, with Idempotent-Replayed", async () => {
    const key = `replay-${crypto.randomUUID()}`
    const first = await stripe.customers.create(
      { email: "r@example.com", metadata: { n: "1" } },
      { idempotencyKey: key }
    )
    const second = await stripe.customers.create(
      { email: "r@example.com", metadata: { n: "1" } },
      { idempotencyKey: key }
    )
    expect(second.id).toBe(first.id)
    expect(first.lastResponse.idempotencyKey).toBe(key)
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined()
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true")
    expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId)
    expect(first.lastResponse.headers["stripe-notice"]).toBeUndefined()
    expect([...fake.state.customers.values()].filter((c) => c.id === first.id)).toHaveLength(1)
  })

  it("refuses the same key with other parameters or on another endpoint (idempotency_error)", async () => {
    const key = `mismatch-${crypto.randomUUID()}`
    await stripe.customers.create({ email: "m@example.com" }, { idempotencyKey: key })
    const other = await failure(
      stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: key })
    )
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    expect(other.statusCode).toBe(400)
    const elsewhere = await failure(
      stripe.setupIntents.create({ usage: "off_session" }, { idempotencyKey: key })
    )
    expect(elsewhere).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
  })

  it("answers 409 while the first request with the key is still executing", async () => {
    const key = `inflight-${crypto.randomUUID()}`
    fake.failNext({ kind: "delay", ms: 300, operationId: "PostCustomers" })
    const first = stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const concurrent = await failure(
      stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key })
    )
    expect(concurrent.statusCode).toBe(409)
    expect(concurrent.code).toBe("idempotency_key_in_use")
    const done = await first
    const again = await stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key })
    expect(again.id).toBe(done.id)
  })

  it("keeps nothing for a request that failed validation: the key can be used again", async () => {
    const key = `invalid-${crypto.randomUUID()}`
    const invalid = await failure(
      stripe.paymentIntents.create({ amount: 0, currency: "usd" }, { idempotencyKey: key })
    )
    expect(invalid).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(invalid.code).toBe("amount_too_small")
    const valid = await stripe.paymentIntents.create(
      { amount: 500, currency: "usd" },
      { idempotencyKey: key }
    )
    expect(valid.amount).toBe(500)
  })

  it("forgets keys after the retention period (a new request then)", async () => {
    const key = `expiry-${crypto.randomUUID()}`
    const first = await stripe.customers.create({ email: "e@example.com" }, { idempotencyKey: key })
    fake.advance(24 * 3_600_000)
    const later = await stripe.customers.create({ email: "e@example.com" }, { idempotencyKey: key })
    expect(later.id).not.toBe(first.id)
  })

  it("GET requests carry no key and are never stored", async () => {
    const created = await customer()
    const read = await stripe.customers.retrieve(created.id)
    expect(read.id).toBe(created.id)
    expect(read.lastResponse.idempotencyKey).toBeUndefined()
  })
})

describe("payment methods and setup intents", () => {
  it("saves a card through a SetupIntent, lists it, makes it the default and detaches it", async () => {
    const owner = await customer()
    const setup = await stripe.setupIntents.create(
      { customer: owner.id, usage: "off_session", allowed_payment_method_types: ["card"] },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(setup.client_secret).toMatch(/^seti_.+_secret_/)
    expect(setup.status).toBe("requires_payment_method")
    const confirmed = await stripe.setupIntents.confirm(
      setup.id,
      { payment_method: "pm_card_visa" },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(confirmed.status).toBe("succeeded")
    const methods = await stripe.customers.listPaymentMethods(owner.id, { type: "card" })
    expect(methods.data.map((method) => [method.id, method.card?.last4])).toEqual([
      [confirmed.payment_method, "4242"]
    ])
    const updated = await stripe.customers.update(
      owner.id,
      { invoice_settings: { default_payment_method: confirmed.payment_method as string } },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(updated.invoice_settings.default_payment_method).toBe(confirmed.payment_method)
    await stripe.paymentMethods.detach(
      confirmed.payment_method as string,
      {},
      { idempotencyKey: crypto.randomUUID() }
    )
    expect((await stripe.customers.listPaymentMethods(owner.id)).data).toEqual([])
    expect((await stripe.customers.retrieve(owner.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: null }
    })
    const types = fake.events().map((event) => event.type)
    expect(types).toEqual(
      expect.arrayContaining(["setup_intent.succeeded", "payment_method.attached", "payment_method.detached"])
    )
  })

  it("attaching a test token makes a new method; an unknown one is resource_missing", async () => {
    const owner = await customer()
    const attached = await stripe.paymentMethods.attach(
      "pm_card_mastercard",
      { customer: owner.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(attached.id).not.toBe("pm_card_mastercard")
    expect(attached.card?.brand).toBe("mastercard")
    const unknown = await failure(
      stripe.paymentMethods.attach("pm_nope", { customer: owner.id }, { idempotencyKey: crypto.randomUUID() })
    )
    expect(unknown.code).toBe("resource_missing")
    expect(unknown.statusCode).toBe(404)
  })

  it("pm_card_chargeCustomerFail saves (SetupIntent succeeds) and then declines every charge", async () => {
    const owner = await customer()
    const setup = await stripe.setupIntents.create(
      { customer: owner.id, usage: "off_session" },
      { idempotencyKey: crypto.randomUUID() }
    )
    const saved = await stripe.setupIntents.confirm(
      setup.id,
      { payment_method: "pm_card_chargeCustomerFail" },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(saved.status).toBe("succeeded")
    const method = await stripe.paymentMethods.retrieve(saved.payment_method as string)
    expect([method.customer, method.card?.last4]).toEqual([owner.id, "0341"])
    const declined = await failure(
      stripe.paymentIntents.create(
        {
          amount: 1500,
          currency: "eur",
          customer: owner.id,
          payment_method: method.id,
          off_session: true,
          confirm: true
        },
        { idempotencyKey: crypto.randomUUID() }
      )
    )
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect([declined.statusCode, declined.code, declined.decline_code]).toEqual([
      402,
      "card_declined",
      "generic_decline"
    ])
    expect(declined.payment_intent?.status).toBe("requires_payment_method")
  })

  it("a declining card cannot be saved with a SetupIntent: 402 card_declined", async () => {
    const owner = await customer()
    const setup = await stripe.setupIntents.create(
      { customer: owner.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    const refused = await failure(
      stripe.setupIntents.confirm(
        setup.id,
        { payment_method: "pm_card_chargeDeclined" },
        { idempotencyKey: crypto.randomUUID() }
      )
    )
    expect([refused.statusCode, refused.code]).toEqual([402, "card_declined"])
  })

  it("a card that needs 3-D Secure on setup waits in requires_action, then pays off-session", async () => {
    const owner = await customer()
    const setup = await stripe.setupIntents.create(
      { customer: owner.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    const pending = await stripe.setupIntents.confirm(
      setup.id,
      { payment_method: "pm_card_authenticationRequiredOnSetup", return_url: "https://billing.test/return" },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(pending.status).toBe("requires_action")
    expect(pending.next_action?.redirect_to_url?.url).toContain(`/fake/3ds/${setup.id}`)
    fake.completeAction(setup.id)
    const done = await stripe.setupIntents.retrieve(setup.id)
    expect(done.status).toBe("succeeded")
    const paid = await stripe.paymentIntents.create(
      {
        amount: 1200,
        currency: "usd",
        customer: owner.id,
        payment_method: done.payment_method as string,
        off_session: true,
        confirm: true
      },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(paid.status).toBe("succeeded")
  })
})

describe("payment intents", () => {
  const pay = (
    paymentMethod: string,
    options: { offSession?: boolean; key?: string; amount?: number } = {}
  ) =>
    customer().then((owner) =>
      stripe.paymentIntents.create(
        {
          amount: options.amount ?? 2500,
          currency: "usd",
          customer: owner.id,
          payment_method: paymentMethod,
          confirm: true,
          off_session: options.offSession ?? true,
          allowed_payment_method_types: ["card"],
          metadata: { ezscale_invoice_id: "inv_1" }
        },
        { idempotencyKey: options.key ?? crypto.randomUUID() }
      )
    )

  it("charges a good card: succeeded, with a charge", async () => {
    const intent = await pay("pm_card_visa")
    expect(intent.status).toBe("succeeded")
    expect(intent.amount_received).toBe(2500)
    expect(intent.latest_charge).toMatch(/^ch_/)
    expect(intent.metadata).toEqual({ ezscale_invoice_id: "inv_1" })
  })

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"],
    ["pm_card_chargeDeclinedLostCard", "card_declined", "lost_card"],
    ["pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card"],
    ["pm_card_chargeDeclinedFraudulent", "card_declined", "fraudulent"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"],
    ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"],
    ["pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error"]
  ])("%s declines with 402 %s / %s and the PaymentIntent in the error", async (card, code, declineCode) => {
    const declined = await failure(pay(card))
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(declined.statusCode).toBe(402)
    expect([declined.code, declined.decline_code]).toEqual([code, declineCode])
    expect(declined.payment_intent?.status).toBe("requires_payment_method")
    expect(declined.payment_intent?.last_payment_error?.decline_code).toBe(declineCode)
  })

  it("3-D Secure: on-session requires_action with a redirect; off-session fails authentication_required", async () => {
    const owner = await customer()
    const onSession = await stripe.paymentIntents.create(
      {
        amount: 900,
        currency: "eur",
        customer: owner.id,
        payment_method: "pm_card_authenticationRequired",
        confirm: true,
        return_url: "https://billing.test/return"
      },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(onSession.status).toBe("requires_action")
    expect(onSession.next_action?.type).toBe("redirect_to_url")
    fake.completeAction(onSession.id)
    expect((await stripe.paymentIntents.retrieve(onSession.id)).status).toBe("succeeded")
    const offSession = await failure(pay("pm_card_authenticationRequired"))
    expect([offSession.statusCode, offSession.code]).toEqual([402, "authentication_required"])
    expect(offSession.payment_intent?.status).toBe("requires_payment_method")
  })

  it("a replayed decline is the stored 402, not a second attempt", async () => {
    const key = crypto.randomUUID()
    const owner = await customer()
    const params = {
      amount: 700,
      currency: "usd",
      customer: owner.id,
      payment_method: "pm_card_chargeDeclined",
      confirm: true,
      off_session: true
    }
    const first = await failure(stripe.paymentIntents.create(params, { idempotencyKey: key }))
    const second = await failure(stripe.paymentIntents.create(params, { idempotencyKey: key }))
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id)
    expect(second.headers?.["idempotent-replayed"]).toBe("true")
    expect(fake.paymentIntents().filter((intent) => intent.customer === owner.id)).toHaveLength(1)
  })

  it("finds intents by metadata with the search API", async () => {
    const marker = crypto.randomUUID()
    const owner = await customer()
    const made = await stripe.paymentIntents.create(
      {
        amount: 100,
        currency: "usd",
        customer: owner.id,
        payment_method: "pm_card_visa",
        confirm: true,
        metadata: { ezscale_idempotency_key: marker }
      },
      { idempotencyKey: crypto.randomUUID() }
    )
    const found = await stripe.paymentIntents.search({
      query: `metadata['ezscale_idempotency_key']:'${marker}'`
    })
    expect(found.data.map((intent) => intent.id)).toEqual([made.id])
    const none = await stripe.paymentIntents.search({
      query: "metadata['ezscale_idempotency_key']:'nothing'"
    })
    expect(none.data).toEqual([])
    const bad = await failure(stripe.paymentIntents.search({ query: "amount>5" }))
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
  })

  it("serves the 3-D Secure page the redirect points to; completing it sends the customer back", async () => {
    const owner = await customer()
    const waiting = await stripe.paymentIntents.create(
      {
        amount: 650,
        currency: "usd",
        customer: owner.id,
        payment_method: "pm_card_threeDSecure2Required",
        confirm: true,
        return_url: "https://billing.test/return?order=7"
      },
      { idempotencyKey: crypto.randomUUID() }
    )
    const url = waiting.next_action?.redirect_to_url?.url ?? ""
    const shown = await fetch(url)
    expect([shown.status, await shown.text()]).toEqual([200, expect.stringContaining("650 usd")])
    const done = await fetch(`${url}?outcome=succeed`, { method: "POST", redirect: "manual" })
    expect(done.status).toBe(303)
    expect(done.headers.get("location")).toBe(
      `https://billing.test/return?order=7&payment_intent=${waiting.id}`
    )
    expect((await stripe.paymentIntents.retrieve(waiting.id)).status).toBe("succeeded")
    expect((await fetch(url)).status).toBe(404)
    const failing = await stripe.paymentIntents.create(
      { amount: 650, currency: "usd", payment_method: "pm_card_threeDSecure2Required", confirm: true },
      { idempotencyKey: crypto.randomUUID() }
    )
    const stripePage = failing.next_action?.use_stripe_sdk as { stripe_js?: string } | undefined
    await fetch(`${stripePage?.stripe_js}?outcome=fail`, { method: "POST" })
    const failed = await stripe.paymentIntents.retrieve(failing.id)
    expect([failed.status, failed.last_payment_error?.code]).toEqual([
      "requires_payment_method",
      "payment_intent_authentication_failure"
    ])
  })

  it("cancels an intent waiting for 3-D Secure", async () => {
    const owner = await customer()
    const waiting = await stripe.paymentIntents.create(
      {
        amount: 300,
        currency: "usd",
        customer: owner.id,
        payment_method: "pm_card_authenticationRequired",
        confirm: true
      },
      { idempotencyKey: crypto.randomUUID() }
    )
    const canceled = await stripe.paymentIntents.cancel(
      waiting.id,
      {},
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(canceled.status).toBe("canceled")
  })
})

describe("scripted failures", () => {
  const charge = (key: string) =>
    stripe.paymentIntents.create(
      { amount: 4200, currency: "usd", payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: key }
    )
  const intentsFor = (key: string) =>
    fake
      .events()
      .filter(
        (event) =>
          event.type === "payment_intent.succeeded" &&
          (event.request as { idempotency_key: string }).idempotency_key === key
      )

  it("429 is a StripeRateLimitError and nothing happened", async () => {
    const key = crypto.randomUUID()
    fake.failNext({ kind: "status", status: 429 })
    expect(await failure(charge(key))).toBeInstanceOf(Stripe.errors.StripeRateLimitError)
    expect(intentsFor(key)).toHaveLength(0)
    expect((await charge(key)).status).toBe("succeeded")
    expect(intentsFor(key)).toHaveLength(1)
  })

  it("a 500 before execution stores nothing: the retry with the key charges once", async () => {
    const key = crypto.randomUUID()
    fake.failNext({ kind: "status", status: 500, operationId: "PostPaymentIntents" })
    const error = await failure(charge(key))
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError)
    expect(error.statusCode).toBe(500)
    await charge(key)
    expect(intentsFor(key)).toHaveLength(1)
  })

  it("a 500 after execution is stored and replayed: the charge happened once", async () => {
    const key = crypto.randomUUID()
    fake.failNext({ kind: "error_after_execution", operationId: "PostPaymentIntents" })
    expect((await failure(charge(key))).statusCode).toBe(500)
    const replay = await failure(charge(key))
    expect([replay.statusCode, replay.headers?.["idempotent-replayed"]]).toEqual([500, "true"])
    expect(intentsFor(key)).toHaveLength(1)
  })

  it("hangs past the client's timeout, having charged or not", async () => {
    const impatient = client({ timeout: 300 })
    const performed = crypto.randomUUID()
    fake.failNext({ kind: "hang", performed: true, operationId: "PostPaymentIntents" })
    const timedOut = await failure(
      impatient.paymentIntents.create(
        { amount: 4200, currency: "usd", payment_method: "pm_card_visa", confirm: true },
        { idempotencyKey: performed }
      )
    )
    expect(timedOut).toBeInstanceOf(Stripe.errors.StripeConnectionError)
    expect(intentsFor(performed)).toHaveLength(1)
    const lost = crypto.randomUUID()
    fake.failNext({ kind: "hang", performed: false, operationId: "PostPaymentIntents" })
    expect(
      await failure(
        impatient.paymentIntents.create(
          { amount: 4200, currency: "usd", payment_method: "pm_card_visa", confirm: true },
          { idempotencyKey: lost }
        )
      )
    ).toBeInstanceOf(Stripe.errors.StripeConnectionError)
    expect(intentsFor(lost)).toHaveLength(0)
  })

  it("rejects a wrong API key with 401", async () => {
    const stranger = new Stripe("rk_live_nope", {
      ...fake.connection,
      maxNetworkRetries: 0,
      telemetry: false
    })
    expect(await failure(stranger.customers.retrieve("cus_x"))).toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError
    )
  })
})

describe("refunds and disputes", () => {
  const paid = async (amount: number) => {
    const owner = await customer()
    return stripe.paymentIntents.create(
      {
        amount,
        currency: "usd",
        customer: owner.id,
        payment_method: "pm_card_visa",
        confirm: true,
        off_session: true
      },
      { idempotencyKey: crypto.randomUUID() }
    )
  }

  it("refunds partially then fully, never more than the charge", async () => {
    const intent = await paid(1000)
    const part = await stripe.refunds.create(
      { payment_intent: intent.id, amount: 300 },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect([part.status, part.amount, part.charge]).toEqual(["succeeded", 300, intent.latest_charge])
    const over = await failure(
      stripe.refunds.create(
        { payment_intent: intent.id, amount: 701 },
        { idempotencyKey: crypto.randomUUID() }
      )
    )
    expect([over.statusCode, over.param]).toEqual([400, "amount"])
    const rest = await stripe.refunds.create(
      { payment_intent: intent.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(rest.amount).toBe(700)
    const again = await failure(
      stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: crypto.randomUUID() })
    )
    expect(again.code).toBe("charge_already_refunded")
    expect((await stripe.refunds.retrieve(rest.id)).status).toBe("succeeded")
  })

  it("a failing refund is accepted pending, then fails with refund.failed", async () => {
    const intent = await paid(800)
    fake.failNextRefund("expired_or_canceled_card")
    const refund = await stripe.refunds.create(
      { payment_intent: intent.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(refund.status).toBe("pending")
    const later = await stripe.refunds.retrieve(refund.id)
    expect([later.status, later.failure_reason]).toEqual(["failed", "expired_or_canceled_card"])
    expect(
      fake
        .events()
        .some(
          (event) =>
            event.type === "refund.failed" &&
            (event.data as { object: { id: string } }).object.id === refund.id
        )
    ).toBe(true)
    const retry = await stripe.refunds.create(
      { payment_intent: intent.id },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(retry.amount).toBe(800)
  })

  it("a dispute opens, goes under review with evidence and closes won", async () => {
    const intent = await paid(1500)
    const opened = fake.openDispute(intent.id, { reason: "fraudulent" })
    const read = await stripe.disputes.retrieve(opened.id as string)
    expect([read.status, read.amount, read.payment_intent]).toEqual(["needs_response", 1500, intent.id])
    const reviewed = await stripe.disputes.update(
      read.id,
      { evidence: { uncategorized_text: "service delivered" }, submit: true },
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(reviewed.status).toBe("under_review")
    fake.closeDispute(read.id, "won")
    expect((await stripe.disputes.retrieve(read.id)).status).toBe("won")
    const lostOne = fake.openDispute((await paid(200)).id)
    const accepted = await stripe.disputes.close(
      lostOne.id as string,
      {},
      { idempotencyKey: crypto.randomUUID() }
    )
    expect(accepted.status).toBe("lost")
  })
})

describe("events and webhooks", () => {
  let receiver: Server
  const received: Array<{ body: string; signature: string }> = []
  let url = ""

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        received.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(request.headers["stripe-signature"])
        })
        response.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`
  })

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

  it("lists and retrieves events, newest first, by type", async () => {
    const owner = await customer()
    const listed = await stripe.events.list({ type: "customer.created", limit: 3 })
    expect(listed.data[0]?.data.object).toMatchObject({ id: owner.id })
    expect(listed.data.every((event) => event.type === "customer.created")).toBe(true)
    const one = await stripe.events.retrieve(listed.data[0]?.id ?? "")
    expect(one.request?.idempotency_key).toBeTruthy()
  })

  it("delivers signed events that the SDK verifies, repeated and out of order, with the request's key", async () => {
    fake.setWebhook({ url, secrets: ["whsec_current"] })
    const key = crypto.randomUUID()
    await stripe.paymentIntents.create(
      { amount: 1000, currency: "usd", payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: key }
    )
    const pending = fake.pendingEvents().map((event) => event.type)
    expect(pending).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"])
    received.length = 0
    const deliveries = await fake.deliverWebhooks({ order: "reverse", times: 2 })
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200, 200, 200, 200])
    const events = received.map(({ body, signature }) =>
      stripe.webhooks.constructEvent(body, signature, "whsec_current")
    )
    expect(events.map((event) => event.type)).toEqual([
      "payment_intent.succeeded",
      "charge.succeeded",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "payment_intent.created"
    ])
    expect(events[0]?.request?.idempotency_key).toBe(key)
    expect(() =>
      stripe.webhooks.constructEvent(received[0]?.body ?? "", received[0]?.signature ?? "", "whsec_other")
    ).toThrow(Stripe.errors.StripeSignatureVerificationError)
  })

  it("delivers as events happen in autoDeliver mode (the host's demo)", async () => {
    const demo = await startStripeFake({
      onResponse: recorder.record,
      autoDeliver: true,
      webhook: { url, secrets: ["whsec_demo"] }
    })
    try {
      received.length = 0
      const sdk = new Stripe("sk_test_demo", { ...demo.connection, maxNetworkRetries: 0, telemetry: false })
      const made = await sdk.customers.create({ email: "demo@example.com" }, { idempotencyKey: "demo-1" })
      for (let wait = 0; wait < 50 && received.length === 0; wait++)
        await new Promise((resolve) => setTimeout(resolve, 20))
      expect(received).toHaveLength(1)
      const event = stripe.webhooks.constructEvent(
        received[0]?.body ?? "",
        received[0]?.signature ?? "",
        "whsec_demo"
      )
      expect([event.type, (event.data.object as { id: string }).id]).toEqual(["customer.created", made.id])
      expect(demo.pendingEvents()).toEqual([])
    } finally {
      await demo.close()
    }
  })

  it("signs with every secret while one is rolled (several v1 entries)", async () => {
    fake.setWebhook({ url, secrets: ["whsec_new", "whsec_old"] })
    await customer()
    received.length = 0
    await fake.deliverWebhooks()
    const [delivery] = received
    expect(delivery?.signature.match(/v1=/g)).toHaveLength(2)
    for (const secret of ["whsec_new", "whsec_old"]) {
      expect(
        stripe.webhooks.constructEvent(delivery?.body ?? "", delivery?.signature ?? "", secret).type
      ).toBe("customer.created")
    }
    fake.setWebhook(undefined)
  })
})
