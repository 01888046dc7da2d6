/**
 * `@ezscale/adapters/gateway-stripe/fake` — a stateful local stand-in for Stripe's v1 API, for tests and
 * the host's demo mode: customers, test payment methods (`pm_card_visa`, `pm_card_chargeDeclined...`,
 * `pm_card_authenticationRequired`), setup and payment intents, refunds, disputes, events and signed
 * webhook deliveries, with Stripe's idempotency. The official `stripe` SDK talks to it when given
 * `host`, `port` and `protocol: "http"` (`fake.connection`).
 *
 *   const fake = await startStripeFake({ webhook: { url, secrets: ["whsec_test"] } })
 *   const stripe = new Stripe("sk_test_demo", { ...fake.connection, maxNetworkRetries: 0 })
 */
import { StripeFake, type StripeFakeOptions } from "./server"

export { type CardBehaviour, type TestCard, testCards } from "./cards"
export { canonicalForm, parseForm } from "./form"
export {
  type Delivery,
  type FakeResponse,
  type ScriptedFailure,
  StripeFake,
  type StripeFakeOptions,
  signStripePayload,
  type WebhookTarget
} from "./server"

/** Starts a fake on 127.0.0.1 (a free port unless given); `close()` it when done. */
export const startStripeFake = (options: StripeFakeOptions = {}, port = 0): Promise<StripeFake> =>
  new StripeFake(options).listen(port)
