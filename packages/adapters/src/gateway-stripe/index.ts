/**
 * `@ezscale/adapters/gateway-stripe` — the `PaymentGateway` port on Stripe with the official `stripe`
 * SDK, and the webhook side (`GatewayWebhooks`). One gateway per tenant's Stripe account:
 *
 *   const StripeLive = StripeGateway.layer({
 *     tenantId, secretKey: Redacted.make(key), currencies: ["USD", "EUR"],
 *     returnUrl: "https://billing.example.com/pay/return"
 *   })
 *   const webhooks = makeStripeWebhooks({ secrets: [Redacted.make(whsec)] })
 *
 * For the local fake pass `host: "127.0.0.1", port, protocol: "http"` (`fake.connection`).
 */
import { PaymentGateway } from "@ezscale/core"
import { Effect, Layer } from "effect"
import { makeStripeClient, type StripeConnectionConfig } from "./client"
import { makeStripeGatewayService, type StripeGatewayOptions, type StripeGatewayService } from "./gateway"

export { fromStripeAmount, toStripeAmount } from "./amounts"
export { makeStripeClient, type StripeConnectionConfig } from "./client"
export { sentAndUnanswered, stripeGatewayError } from "./errors"
export {
  makeStripeGatewayService,
  type StripeGatewayOptions,
  type StripeGatewayService,
  stripeIdempotencyKey
} from "./gateway"
export { metadataKeys } from "./outcomes"
export { interpretStripeEvent, makeStripeWebhooks, type StripeWebhookConfig } from "./webhooks"

export type StripeGatewayConfig = StripeConnectionConfig & StripeGatewayOptions

export const makeStripeGateway = (config: StripeGatewayConfig): StripeGatewayService =>
  makeStripeGatewayService(makeStripeClient(config), config)

export const StripeGateway = {
  make: makeStripeGateway,
  /** Provides the `PaymentGateway` port. */
  layer: (config: StripeGatewayConfig): Layer.Layer<PaymentGateway> =>
    Layer.effect(
      PaymentGateway,
      Effect.sync(() => makeStripeGateway(config))
    )
} as const
