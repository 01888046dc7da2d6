/**
 * The official PayPal SDK client, built from our config. The SDK knows only its two hosted environments;
 * when a `baseUrl` is configured (the local fake, a recording proxy) a `Client` subclass adds a request
 * interceptor that swaps the environment's URL prefix for it — the OAuth token call included, since the
 * token manager builds its requests through the same factory (payments.md §4.1). Production never sets
 * `baseUrl` and talks to PayPal through the SDK's own environment.
 */
import { Client, Environment } from "@paypal/paypal-server-sdk"

export interface PayPalClientConfig {
  readonly clientId: string
  readonly clientSecret: string
  readonly environment: "sandbox" | "production"
  /** Only for a local stand-in (the fake); production uses the SDK's environment URLs. */
  readonly baseUrl?: string
  /** Per request, in ms (the SDK's default is none). */
  readonly timeoutMs: number
}

const environmentUrls: Readonly<Record<PayPalClientConfig["environment"], string>> = {
  sandbox: "https://api-m.sandbox.paypal.com",
  production: "https://api-m.paypal.com"
}

type RequestBuilderFactory = ReturnType<Client["getRequestBuilderFactory"]>

/**
 * A `Client` whose every request (OAuth included) goes to `baseUrl` instead of the environment's host.
 * The SDK's token manager takes its request factory while `Client`'s constructor is still running, so the
 * interceptor reads the redirect when a request is made, not when the factory is.
 */
class RedirectedClient extends Client {
  private redirect: { readonly from: string; readonly to: string } | undefined

  constructor(config: ConstructorParameters<typeof Client>[0], from: string, to: string) {
    super(config)
    this.redirect = { from, to }
  }

  override getRequestBuilderFactory(): RequestBuilderFactory {
    const base = super.getRequestBuilderFactory()
    return (...args) => {
      const builder = base(...args)
      builder.interceptRequest((request) => {
        const redirect = this.redirect
        return redirect !== undefined && request.url.startsWith(redirect.from)
          ? { ...request, url: `${redirect.to}${request.url.slice(redirect.from.length)}` }
          : request
      })
      return builder
    }
  }
}

export const makePayPalClient = (config: PayPalClientConfig): Client => {
  const options: ConstructorParameters<typeof Client>[0] = {
    clientCredentialsAuthCredentials: {
      oAuthClientId: config.clientId,
      oAuthClientSecret: config.clientSecret
    },
    environment: config.environment === "production" ? Environment.Production : Environment.Sandbox,
    timeout: config.timeoutMs,
    // Our own retry loop (gateway.ts) repeats POSTs with the same PayPal-Request-Id; the SDK's stays off.
    httpClientOptions: { timeout: config.timeoutMs, retryConfig: { maxNumberOfRetries: 0 } }
    // No `logging`: the SDK then uses its null logger (bodies carry payer data).
  }
  return config.baseUrl === undefined
    ? new Client(options)
    : new RedirectedClient(options, environmentUrls[config.environment], config.baseUrl.replace(/\/+$/, ""))
}
