/**
 * `@ezscale/adapters/gateway-paypal/fake` — a local, stateful stand-in for PayPal's REST API (OAuth,
 * Orders v2, Payments v2, Vault v3, signed webhooks) for tests and the host's demo mode. Point the PayPal
 * adapter's `baseUrl` at `fake.url` and trust `fake.certUrl` for webhook certificates.
 *
 *   const fake = yield* PayPalFake.scoped({ presetTokens: { "tok-ok": { kind: "complete" } } })
 */
import { Effect, type Scope } from "effect"
import { type PayPalFake as PayPalFakeHandle, type PayPalFakeOptions, startPayPalFake } from "./server"

export type { SigningIdentity } from "./certificate"
export { makeSigningIdentity } from "./certificate"
export {
  type ChargeScript,
  type Exchange,
  type Fault,
  type Operation,
  type PayPalDelivery,
  type PayPalEvent,
  type PayPalFake as PayPalFakeServer,
  type PayPalFakeControl,
  type PayPalFakeOptions,
  startPayPalFake
} from "./server"

export const PayPalFake = {
  start: startPayPalFake,
  /** Started for the life of the scope, closed (hung connections included) when it ends. */
  scoped: (options: PayPalFakeOptions = {}): Effect.Effect<PayPalFakeHandle, never, Scope.Scope> =>
    Effect.acquireRelease(
      Effect.promise(() => startPayPalFake(options)),
      (fake) => Effect.promise(() => fake.close())
    )
} as const
