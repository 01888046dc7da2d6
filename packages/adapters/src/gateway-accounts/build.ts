/**
 * A tenant's stored gateway account -> its `PaymentGateway` service (and layer) and its `GatewayWebhooks`.
 * The credentials are opened with the `SecretCipher` under the account's row context and checked; the
 * vendor adapter is loaded with a dynamic `import()`, so only the SDK of a gateway in use has to be
 * installed (`stripe`, `@paypal/paypal-server-sdk` are optional peers). The account's currencies become
 * the adapter's `currencies`: the adapter refuses a charge in any other currency before calling anyone
 * (`GatewayError` `InvalidRequest`, see docs/gateways.md).
 */
import {
  type GatewayAccount,
  GatewayAccountError,
  type GatewayWebhooks,
  PaymentGateway,
  type PaymentGatewayService,
  type SecretCipherService,
  type SecretError,
  type WebhookRejected
} from "@ezscale/core"
import { Effect, Layer, Redacted } from "effect"
import {
  credentialsIssue,
  type GatewayCredentials,
  gatewayAccountContext,
  isSupportedGateway,
  type SupportedGateway
} from "./credentials"

/**
 * The PayPal adapter's certificate source and charge index, written out here so that these options (and
 * this module's types) need nothing from a vendor SDK: `trustedCertificatesFrom`, `payPalCertificates`,
 * `inMemoryChargeIndex` of `@ezscale/adapters/gateway-paypal` fit them.
 */
export interface PayPalCertificateSource {
  readonly fetch: (url: string) => Effect.Effect<string, WebhookRejected>
}
export interface PayPalOrderIndex {
  readonly get: (idempotencyKey: string) => string | undefined
  readonly set: (idempotencyKey: string, orderId: string) => void
}

/** How the host wants the gateway built; none of it is a secret. */
export interface GatewayBuildOptions {
  /**
   * A local stand-in (the fakes: `stripeFake.url`, `payPalFake.url`); never set in production, where each
   * SDK talks to its vendor.
   */
  readonly baseUrl?: string
  /** Per request, ms (default 30 000). */
  readonly timeoutMs?: number
  /** Where the customer comes back after 3-D Secure (Stripe) or approving at PayPal. */
  readonly returnUrl?: string
  readonly stripe?: {
    /** The SDK's own retries, same idempotency key (default 1). */
    readonly maxNetworkRetries?: number
    /** Webhook signature tolerance, seconds (default 300). */
    readonly toleranceSeconds?: number
  }
  readonly paypal?: {
    readonly cancelUrl?: string
    readonly brandName?: string
    readonly retries?: number
    readonly retryDelayMs?: number
    /** Where webhook certificates come from; default PayPal's (https on paypal.com). */
    readonly certificates?: PayPalCertificateSource
    readonly maxAgeSeconds?: number
    readonly index?: PayPalOrderIndex
  }
}

/** What a stored account gives: the gateway, as a service and as a layer, and its webhook side. */
export interface TenantGateway {
  readonly account: GatewayAccount
  readonly gateway: PaymentGatewayService
  readonly layer: Layer.Layer<PaymentGateway>
  readonly webhooks: GatewayWebhooks
}

const failure = (account: GatewayAccount, reason: GatewayAccountError["reason"], detail: string) =>
  new GatewayAccountError({ reason, gateway: account.gateway, tenantId: account.tenantId, detail })

const sdkOf: Readonly<Record<SupportedGateway, string>> = {
  stripe: "stripe",
  paypal: "@paypal/paypal-server-sdk"
}

/**
 * Loads a vendor adapter. A module that cannot be found is the optional SDK not installed (`SdkMissing`);
 * anything else is a defect.
 */
export const loadVendorAdapter = <M>(
  account: GatewayAccount,
  gateway: SupportedGateway,
  importer: () => Promise<M>
): Effect.Effect<M, GatewayAccountError> =>
  Effect.tryPromise({ try: importer, catch: (error) => error }).pipe(
    Effect.catchAll((error) => {
      const code = (error as { readonly code?: unknown } | undefined)?.code
      return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND"
        ? Effect.fail(
            failure(
              account,
              "SdkMissing",
              `install ${sdkOf[gateway]} to use ${gateway} (an optional peer dependency)`
            )
          )
        : Effect.die(error)
    })
  )

const stripeConnection = (baseUrl: string | undefined) => {
  if (baseUrl === undefined) return {}
  const url = new URL(baseUrl)
  const protocol = url.protocol === "http:" ? ("http" as const) : ("https" as const)
  return {
    host: url.hostname,
    port: url.port === "" ? (protocol === "http" ? 80 : 443) : Number(url.port),
    protocol
  }
}

const buildStripe = (
  account: GatewayAccount,
  credentials: GatewayCredentials["stripe"],
  options: GatewayBuildOptions
): Effect.Effect<TenantGateway, GatewayAccountError> =>
  Effect.map(
    loadVendorAdapter(account, "stripe", () => import("../gateway-stripe/index")),
    (stripe) => {
      const gateway = stripe.makeStripeGateway({
        tenantId: account.tenantId,
        secretKey: Redacted.make(credentials.secretKey),
        currencies: account.currencies,
        ...stripeConnection(options.baseUrl),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.stripe?.maxNetworkRetries === undefined
          ? {}
          : { maxNetworkRetries: options.stripe.maxNetworkRetries }),
        ...(options.returnUrl === undefined ? {} : { returnUrl: options.returnUrl })
      })
      const webhooks = stripe.makeStripeWebhooks({
        secrets: credentials.webhookSecrets.map((secret) => Redacted.make(secret)),
        ...(options.stripe?.toleranceSeconds === undefined
          ? {}
          : { toleranceSeconds: options.stripe.toleranceSeconds })
      })
      return { account, gateway, layer: Layer.succeed(PaymentGateway, gateway), webhooks }
    }
  )

const buildPayPal = (
  account: GatewayAccount,
  credentials: GatewayCredentials["paypal"],
  options: GatewayBuildOptions
): Effect.Effect<TenantGateway, GatewayAccountError> =>
  Effect.flatMap(
    loadVendorAdapter(account, "paypal", () => import("../gateway-paypal/index")),
    (paypal) => {
      const refused = account.currencies.filter((currency) => !paypal.payPalCurrencies.includes(currency))
      if (refused.length > 0) {
        return Effect.fail(failure(account, "Unsupported", `PayPal cannot charge ${refused.join(", ")}`))
      }
      const settings = options.paypal ?? {}
      const gateway = paypal.makePayPalGateway({
        client: paypal.makePayPalClient({
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          environment: account.mode === "live" ? "production" : "sandbox",
          timeoutMs: options.timeoutMs ?? 30_000,
          ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl })
        }),
        currencies: account.currencies,
        ...(settings.retries === undefined ? {} : { retries: settings.retries }),
        ...(settings.retryDelayMs === undefined ? {} : { retryDelayMs: settings.retryDelayMs }),
        ...(options.returnUrl === undefined ? {} : { returnUrl: options.returnUrl }),
        ...(settings.cancelUrl === undefined ? {} : { cancelUrl: settings.cancelUrl }),
        ...(settings.brandName === undefined ? {} : { brandName: settings.brandName }),
        ...(settings.index === undefined ? {} : { index: settings.index })
      })
      const webhooks = paypal.makePayPalWebhooks({
        webhookId: credentials.webhookId,
        ...(settings.certificates === undefined ? {} : { certificates: settings.certificates }),
        ...(settings.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: settings.maxAgeSeconds })
      })
      return Effect.succeed({ account, gateway, layer: Layer.succeed(PaymentGateway, gateway), webhooks })
    }
  )

/**
 * The tenant's gateway from its stored account: `Disabled` for a switched-off account, `Unsupported` for
 * a gateway id without an adapter here (or a currency PayPal cannot charge), the cipher's `SecretError`
 * when the credentials do not open (unknown key, tampered, another row's), `InvalidCredentials` when
 * they open but lack a field or do not fit the mode, `SdkMissing` when the vendor SDK is not installed.
 * Nothing is called at the provider.
 */
export const buildTenantGateway = (
  account: GatewayAccount,
  cipher: SecretCipherService,
  options: GatewayBuildOptions = {}
): Effect.Effect<TenantGateway, GatewayAccountError | SecretError> =>
  Effect.gen(function* () {
    if (!account.enabled) return yield* Effect.fail(failure(account, "Disabled", "the account is disabled"))
    const gateway = account.gateway
    if (!isSupportedGateway(gateway)) {
      return yield* Effect.fail(failure(account, "Unsupported", `no adapter for gateway ${gateway}`))
    }
    const opened = yield* cipher.open(account.credentials, gatewayAccountContext(account.tenantId, gateway))
    const issue = credentialsIssue(gateway, account.mode, opened)
    if (issue !== undefined) return yield* Effect.fail(failure(account, "InvalidCredentials", issue))
    return gateway === "stripe"
      ? yield* buildStripe(account, opened as unknown as GatewayCredentials["stripe"], options)
      : yield* buildPayPal(account, opened as unknown as GatewayCredentials["paypal"], options)
  })
