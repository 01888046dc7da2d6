/**
 * `@ezscale/adapters/gateway-accounts` — a tenant's payment gateways from its stored accounts
 * (`Store.gatewayAccounts`: gateway, mode, currencies, credentials sealed by the `SecretCipher`).
 *
 *   // saving an account (admin panel): seal, then put at version 0 (new) or the version read
 *   const credentials = yield* sealGatewayCredentials(cipher, { tenantId, gateway: "stripe", mode: "live" },
 *     { secretKey, webhookSecrets: [whsec] })
 *   yield* store.gatewayAccounts.put(tenantId, { tenantId, gateway: "stripe", mode: "live",
 *     currencies: ["USD", "EUR"], credentials, enabled: true, createdAt: now, updatedAt: now }, 0)
 *
 *   // using it (a collect job, the webhook endpoint)
 *   const { layer, webhooks } = yield* loadTenantGateway(tenantId, "stripe", { returnUrl })
 *
 * The vendor adapters (`gateway-stripe`, `gateway-paypal`) are imported only when an account of theirs
 * is built, so a deployment installs only the SDKs it uses.
 */
import {
  type GatewayAccountError,
  SecretCipher,
  type SecretError,
  Store,
  type StoreError,
  type VersionConflict
} from "@ezscale/core"
import { Effect } from "effect"
import { buildTenantGateway, type GatewayBuildOptions, type TenantGateway } from "./build"
import { gatewayAccountContext } from "./credentials"

export {
  buildTenantGateway,
  type GatewayBuildOptions,
  type PayPalCertificateSource,
  type PayPalOrderIndex,
  type TenantGateway
} from "./build"
export {
  credentialsIssue,
  type GatewayCredentials,
  gatewayAccountContext,
  isSupportedGateway,
  type PayPalCredentials,
  type StripeCredentials,
  type SupportedGateway,
  sealGatewayCredentials,
  supportedGateways
} from "./credentials"

/** Reads the tenant's account at `gateway` and builds it (see `buildTenantGateway`). */
export const loadTenantGateway = (
  tenantId: string,
  gateway: string,
  options: GatewayBuildOptions = {}
): Effect.Effect<TenantGateway, StoreError | GatewayAccountError | SecretError, Store | SecretCipher> =>
  Effect.gen(function* () {
    const store = yield* Store
    const cipher = yield* SecretCipher
    const { value } = yield* store.gatewayAccounts.get(tenantId, gateway)
    return yield* buildTenantGateway(value, cipher, options)
  })

/**
 * Key rotation for one tenant's gateway accounts: every account whose credentials were sealed by another
 * key than the active one is resealed under it and put back with the version read (an account changed
 * meanwhile is `VersionConflict`: run it again). Returns the gateways resealed. `updatedAt` stays as it
 * was: a rotation is not an edit of the account. Run it for every tenant after making a new
 * key active, then drop the old key once nothing names it.
 */
export const resealGatewayAccounts = (
  tenantId: string
): Effect.Effect<ReadonlyArray<string>, StoreError | SecretError | VersionConflict, Store | SecretCipher> =>
  Effect.gen(function* () {
    const store = yield* Store
    const cipher = yield* SecretCipher
    const resealed: Array<string> = []
    for (const { value: account, version } of yield* store.gatewayAccounts.list(tenantId)) {
      if (account.credentials.keyId === cipher.activeKeyId) continue
      const credentials = yield* cipher.reseal(
        account.credentials,
        gatewayAccountContext(tenantId, account.gateway)
      )
      yield* store.gatewayAccounts
        .put(tenantId, { ...account, credentials }, version)
        .pipe(Effect.catchTag("InvalidGatewayAccount", (error) => Effect.die(error)))
      resealed.push(account.gateway)
    }
    return resealed
  })
