/**
 * `@ezscale/adapters/gateway-paypal` — the `PaymentGateway` port on PayPal (Orders v2, Payments v2,
 * Vault v3) with the official `@paypal/paypal-server-sdk`, and `GatewayWebhooks` for PayPal's signed
 * webhook deliveries (verified locally: CRC32 of the body, RSA-SHA256 with PayPal's certificate).
 *
 *   const GatewayLive = PayPalGateway.layer({ clientId, clientSecret, environment: "production",
 *     returnUrl: "https://billing.example.com/paypal/return" })
 *   const webhooks = PayPalWebhooks.make({ webhookId: "8PT597110X687430LKGECATA" })
 *
 * Set `baseUrl` only to run against a local stand-in such as `@ezscale/adapters/gateway-paypal/fake`.
 */
import { type CurrencyCode, PaymentGateway, type PaymentGatewayService } from "@ezscale/core"
import { Layer, Redacted } from "effect"
import { makePayPalClient } from "./client"
import { makePayPalGateway } from "./gateway"
import { makePayPalWebhooks } from "./webhooks"

export { makePayPalClient, type PayPalClientConfig } from "./client"
export {
  inMemoryChargeIndex,
  makePayPalGateway,
  type PayPalChargeIndex,
  type PayPalGatewayOptions,
  payPalCheckout,
  payPalCustomerId,
  payPalInvoiceId,
  payPalRequestId
} from "./gateway"
export { payPalCurrencies } from "./money"
export {
  type CertificateSource,
  interpretPayPalEvent,
  makePayPalWebhooks,
  type PayPalWebhooksConfig,
  payPalCertificates,
  trustedCertificatesFrom
} from "./webhooks"

export interface PayPalGatewayConfig {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string> | string
  /** Default `sandbox`; production must be asked for. */
  readonly environment?: "sandbox" | "production"
  /** A local stand-in's URL (the fake); never set in production. */
  readonly baseUrl?: string
  /** Per request, ms; default 30 000 (the SDK's own default is no timeout). */
  readonly timeoutMs?: number
  readonly retries?: number
  readonly retryDelayMs?: number
  readonly currencies?: ReadonlyArray<CurrencyCode>
  readonly returnUrl?: string
  readonly cancelUrl?: string
  readonly brandName?: string
}

export const makePayPalGatewayFromConfig = (config: PayPalGatewayConfig): PaymentGatewayService =>
  makePayPalGateway({
    client: makePayPalClient({
      clientId: config.clientId,
      clientSecret: Redacted.isRedacted(config.clientSecret)
        ? Redacted.value(config.clientSecret)
        : config.clientSecret,
      environment: config.environment ?? "sandbox",
      timeoutMs: config.timeoutMs ?? 30_000,
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl })
    }),
    ...(config.retries === undefined ? {} : { retries: config.retries }),
    ...(config.retryDelayMs === undefined ? {} : { retryDelayMs: config.retryDelayMs }),
    ...(config.currencies === undefined ? {} : { currencies: config.currencies }),
    ...(config.returnUrl === undefined ? {} : { returnUrl: config.returnUrl }),
    ...(config.cancelUrl === undefined ? {} : { cancelUrl: config.cancelUrl }),
    ...(config.brandName === undefined ? {} : { brandName: config.brandName })
  })

export const PayPalGateway = {
  make: makePayPalGatewayFromConfig,
  layer: (config: PayPalGatewayConfig): Layer.Layer<PaymentGateway> =>
    Layer.sync(PaymentGateway, () => makePayPalGatewayFromConfig(config))
} as const

export const PayPalWebhooks = { make: makePayPalWebhooks } as const
