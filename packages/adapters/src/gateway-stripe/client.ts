/**
 * The official `stripe` SDK, built from config. Host, port and protocol are the only difference between
 * Stripe and the local fake. The timeout is explicit (the SDK's default is 80 s) and retries are few:
 * every POST carries our deterministic idempotency key, so a retry replays instead of repeating.
 */
import { Redacted } from "effect"
import Stripe from "stripe"

export interface StripeConnectionConfig {
  /** `sk_live_...` / `sk_test_...` / a restricted key. */
  readonly secretKey: Redacted.Redacted<string> | string
  /** Default `api.stripe.com`; `127.0.0.1` for the fake. */
  readonly host?: string
  readonly port?: number
  readonly protocol?: "http" | "https"
  /** Per request, milliseconds; default 30 000. */
  readonly timeoutMs?: number
  /** The SDK's own retries (same key each time); default 1. */
  readonly maxNetworkRetries?: number
}

export const makeStripeClient = (config: StripeConnectionConfig): Stripe =>
  new Stripe(typeof config.secretKey === "string" ? config.secretKey : Redacted.value(config.secretKey), {
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.protocol === undefined ? {} : { protocol: config.protocol }),
    timeout: config.timeoutMs ?? 30_000,
    maxNetworkRetries: config.maxNetworkRetries ?? 1,
    telemetry: false,
    appInfo: { name: "EZSCALE Billing", url: "https://github.com/ezscale/billing" }
  })
