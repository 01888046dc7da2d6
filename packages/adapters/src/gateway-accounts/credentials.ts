/**
 * What a gateway account's sealed credentials hold, per gateway, and the checks they pass before they are
 * sealed and again after they are opened. A failed check names the field, never its value.
 */
import {
  type EncryptedSecret,
  GatewayAccountError,
  type GatewayMode,
  type Json,
  type SecretCipherService,
  type SecretError
} from "@ezscale/core"
import { Effect } from "effect"

/** Stripe: the account's secret (or restricted) key and its webhook endpoint's signing secrets. */
export interface StripeCredentials {
  /** `sk_live_...` / `rk_live_...` for a live account, `sk_test_...` / `rk_test_...` for a test one. */
  readonly secretKey: string
  /** `whsec_...`: the current one first, the previous one beside it while a secret is rolled. */
  readonly webhookSecrets: ReadonlyArray<string>
}

/** PayPal: the REST app's client id and secret, and the id of our webhook subscription. */
export interface PayPalCredentials {
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookId: string
}

export interface GatewayCredentials {
  readonly stripe: StripeCredentials
  readonly paypal: PayPalCredentials
}

/** The gateways this module can build. */
export type SupportedGateway = keyof GatewayCredentials

export const supportedGateways: ReadonlyArray<SupportedGateway> = ["stripe", "paypal"]

export const isSupportedGateway = (gateway: string): gateway is SupportedGateway =>
  (supportedGateways as ReadonlyArray<string>).includes(gateway)

/**
 * The context a gateway account's credentials are sealed under: they open only in the row of that
 * tenant and gateway, so a ciphertext copied into another tenant's row does not.
 */
export const gatewayAccountContext = (tenantId: string, gateway: string): string =>
  `gateway-account:${tenantId}:${gateway}`

type Loose = { readonly [key: string]: unknown }

const isText = (value: unknown): value is string =>
  typeof value === "string" && value.trim() !== "" && value.length <= 1024

const stripeKeyModes: ReadonlyArray<readonly [string, GatewayMode]> = [
  ["sk_live_", "live"],
  ["rk_live_", "live"],
  ["sk_test_", "test"],
  ["rk_test_", "test"]
]

/** Why `value` is not `gateway`'s credentials for an account in `mode`; `undefined` when it is. */
export const credentialsIssue = (
  gateway: SupportedGateway,
  mode: GatewayMode,
  value: unknown
): string | undefined => {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "credentials are a JSON object"
  const fields = value as Loose
  switch (gateway) {
    case "stripe": {
      if (!isText(fields.secretKey)) return "secretKey is missing or empty"
      const secretKey = fields.secretKey
      const keyMode = stripeKeyModes.find(([prefix]) => secretKey.startsWith(prefix))?.[1]
      if (keyMode === undefined) return "secretKey is not a Stripe secret or restricted key (sk_ / rk_)"
      if (keyMode !== mode) return `secretKey is a ${keyMode} key but the account is ${mode}`
      const secrets = fields.webhookSecrets
      if (!Array.isArray(secrets) || secrets.length === 0 || !secrets.every(isText)) {
        return "webhookSecrets lists at least one signing secret"
      }
      return undefined
    }
    case "paypal": {
      for (const field of ["clientId", "clientSecret", "webhookId"] as const) {
        if (!isText(fields[field])) return `${field} is missing or empty`
      }
      return undefined
    }
  }
}

/**
 * Checks `credentials` for the gateway and mode and seals them for the tenant's row: what goes in
 * `GatewayAccount.credentials`. `InvalidCredentials` (naming the field) when they do not fit.
 */
export const sealGatewayCredentials = <G extends SupportedGateway>(
  cipher: SecretCipherService,
  account: { readonly tenantId: string; readonly gateway: G; readonly mode: GatewayMode },
  credentials: GatewayCredentials[G]
): Effect.Effect<EncryptedSecret, GatewayAccountError | SecretError> => {
  const issue = credentialsIssue(account.gateway, account.mode, credentials)
  return issue === undefined
    ? cipher.seal(credentials as unknown as Json, gatewayAccountContext(account.tenantId, account.gateway))
    : Effect.fail(
        new GatewayAccountError({
          reason: "InvalidCredentials",
          gateway: account.gateway,
          tenantId: account.tenantId,
          detail: issue
        })
      )
}
