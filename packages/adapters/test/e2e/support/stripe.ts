/**
 * The e2e harness on Stripe: the Stripe fake (on the harness's clock, its webhooks signed with the
 * endpoint secret and delivered to the harness's endpoint), the real adapter on the official SDK, the
 * adapter's webhook verification, and a second SDK client playing the customer's browser (Stripe.js
 * confirming a SetupIntent). Every answer the fake gives is recorded for the OpenAPI check.
 */

import {
  makeStripeGateway,
  makeStripeWebhooks,
  type StripeGatewayService
} from "@ezscale/adapters/gateway-stripe"
import { type FakeResponse, type StripeFake, startStripeFake } from "@ezscale/adapters/gateway-stripe/fake"
import { Effect } from "effect"
import Stripe from "stripe"
import {
  customerId,
  type Harness,
  manualClock,
  onDay,
  openDatabase,
  type StoreKind,
  startHarness,
  storeMethod
} from "./harness"

export const endpointSecret = "whsec_e2e_endpoint"

export interface StripeHarness extends Harness<StripeGatewayService> {
  readonly fake: StripeFake
  readonly browser: Stripe
  /** The fake's answers since the last call (for the OpenAPI check). */
  readonly responses: () => ReadonlyArray<FakeResponse>
}

export const startStripeHarness = async (kind: StoreKind, mysqlUrl: string): Promise<StripeHarness> => {
  const db = await openDatabase(kind, mysqlUrl)
  const clock = manualClock(onDay(-7))
  const recorded: Array<FakeResponse> = []
  const fake = await startStripeFake({ now: clock.now, onResponse: (response) => recorded.push(response) })
  const gateway = makeStripeGateway({
    tenantId: "tenant-1",
    secretKey: "sk_test_e2e",
    currencies: ["EUR"],
    ...fake.connection,
    timeoutMs: 3_000,
    maxNetworkRetries: 0,
    // where 3-D Secure sends the customer back after an on-session payment
    returnUrl: "https://billing.test/pay/return"
  })
  const harness = await startHarness({
    db,
    clock,
    gateway,
    webhooks: makeStripeWebhooks({ secrets: [endpointSecret] })
  })
  fake.setWebhook({ url: harness.webhookUrl, secrets: [endpointSecret] })
  const browser = new Stripe("sk_test_browser", {
    ...fake.connection,
    maxNetworkRetries: 0,
    telemetry: false
  })
  return {
    ...harness,
    fake,
    browser,
    responses: () => recorded.splice(0),
    close: async () => {
      await fake.close()
      await harness.close()
    }
  }
}

/**
 * The customer saves a card: our Stripe customer, a SetupIntent for off-session use confirmed by the
 * browser with `card` (a Stripe test card), the method made the default at Stripe and stored as the
 * customer's default. `attach` instead attaches the card directly (a card that passes saving and is
 * declined later: the fake's test cards that decline also refuse a SetupIntent).
 */
export const saveCard = (h: StripeHarness, card: string, how: "setup_intent" | "attach" = "setup_intent") =>
  Effect.gen(function* () {
    const { gatewayCustomerId } = yield* h.gateway.ensureCustomer({
      customerId,
      email: "camille@example.test",
      name: "Camille Martin"
    })
    const before = new Set((yield* h.gateway.listMethods(gatewayCustomerId)).map((method) => method.id))
    let setupId: string | undefined
    if (how === "setup_intent") {
      const session = yield* h.gateway.createSetup({ gatewayCustomerId })
      setupId = session.setupId
      yield* Effect.promise(() =>
        h.browser.setupIntents.confirm(
          session.setupId,
          { payment_method: card },
          { idempotencyKey: `browser:${session.setupId}` }
        )
      )
    } else {
      yield* Effect.promise(() =>
        h.browser.paymentMethods.attach(
          card,
          { customer: gatewayCustomerId },
          { idempotencyKey: `attach:${card}` }
        )
      )
    }
    const added = (yield* h.gateway.listMethods(gatewayCustomerId)).filter((method) => !before.has(method.id))
    if (added.length !== 1) throw new Error(`expected one new method at Stripe, found ${added.length}`)
    const method = added[0] as (typeof added)[number]
    yield* h.gateway.setDefaultMethod(gatewayCustomerId, method.id)
    const saved = yield* storeMethod(gatewayCustomerId, method)
    return { gatewayCustomerId, method, saved, setupId }
  })

/** The fake's PaymentIntents made under one of our idempotency keys (its metadata). */
export const intentsFor = (fake: StripeFake, key: string) =>
  fake
    .paymentIntents()
    .filter((intent) => (intent.metadata as Record<string, string>).ezscale_idempotency_key === key)
