/**
 * The e2e harness on PayPal: the PayPal fake, the real adapter on the official SDK pointed at it, and the
 * adapter's webhook verification trusting only the fake's certificate URL. Every exchange with the fake is
 * recorded for the OpenAPI check.
 */
import {
  makePayPalGatewayFromConfig,
  makePayPalWebhooks,
  trustedCertificatesFrom
} from "@ezscale/adapters/gateway-paypal"
import {
  type PayPalEvent,
  type PayPalFakeServer,
  startPayPalFake
} from "@ezscale/adapters/gateway-paypal/fake"
import type { PaymentGatewayService } from "@ezscale/core"
import { Effect } from "effect"
import { paypalSpecRecorder } from "../../paypal-openapi"
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

export interface PayPalHarness extends Harness<PaymentGatewayService> {
  readonly fake: PayPalFakeServer
  /** The exchanges with the fake that do not match PayPal's documents (empty when all do). */
  readonly violations: () => Promise<ReadonlyArray<unknown>>
  /** POSTs the fake's pending events to the endpoint (each twice, newest first unless told otherwise). */
  readonly deliver: (options?: {
    readonly duplicate?: boolean
    readonly reverse?: boolean
  }) => Promise<ReadonlyArray<number>>
  /** POSTs one event, signed by the fake, to the endpoint. */
  readonly deliverEvent: (event: PayPalEvent) => Promise<number>
}

export const startPayPalHarness = async (
  kind: StoreKind,
  mysqlUrl: string,
  options: {
    /** The adapter's timeout per request (default 5 s); short where a test waits for one. */
    readonly timeoutMs?: number
  } = {}
): Promise<PayPalHarness> => {
  const db = await openDatabase(kind, mysqlUrl)
  const clock = manualClock(onDay(-7))
  const recorder = paypalSpecRecorder()
  const fake = await startPayPalFake({ onExchange: recorder.onExchange })
  const gateway = makePayPalGatewayFromConfig({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    baseUrl: fake.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    retries: 1,
    retryDelayMs: 10,
    currencies: ["EUR"],
    returnUrl: "https://billing.example.test/paypal/return"
  })
  const harness = await startHarness({
    db,
    clock,
    gateway,
    webhooks: makePayPalWebhooks({
      webhookId: fake.webhookId,
      certificates: trustedCertificatesFrom(fake.url)
    })
  })
  return {
    ...harness,
    fake,
    violations: () => recorder.check(),
    deliver: (options = { duplicate: true, reverse: true }) =>
      fake.control.deliver(harness.webhookUrl, options),
    deliverEvent: async (event) => {
      const delivery = fake.control.sign(event)
      const response = await fetch(harness.webhookUrl, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.rawBody
      })
      await response.arrayBuffer()
      return response.status
    },
    close: async () => {
      await fake.close()
      await harness.close()
    }
  }
}

/**
 * The customer saves PayPal for merchant-initiated charges: a vault setup token, approved by the payer at
 * PayPal (the fake's control), turned into a payment token (`completeSetup`), stored as the default.
 */
export const savePayPal = (h: PayPalHarness) =>
  Effect.gen(function* () {
    const { gatewayCustomerId } = yield* h.gateway.ensureCustomer({
      customerId,
      email: "camille@example.test",
      name: "Camille Martin"
    })
    const session = yield* h.gateway.createSetup({ gatewayCustomerId })
    h.fake.control.approveSetupToken(session.setupId)
    const completeSetup = h.gateway.completeSetup
    if (completeSetup === undefined) throw new Error("the PayPal gateway completes setups")
    const method = yield* completeSetup(session.setupId)
    const listed = yield* h.gateway.listMethods(gatewayCustomerId)
    const saved = yield* storeMethod(gatewayCustomerId, method)
    return { gatewayCustomerId, method, listed, saved, session }
  })
