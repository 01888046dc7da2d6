/** Row <-> record mapping for a tenant's gateway accounts, identical for both dialects. */
import { type CurrencyCode, type GatewayAccount, VersionConflict } from "@ezscale/core"
import { decodeJson, encodeJson } from "./json"

export interface GatewayAccountRow {
  readonly tenantId: string
  readonly gateway: string
  readonly mode: string
  /** The currencies, a JSON array of codes in the tenant's order. */
  readonly currencies: string
  /** The sealed credentials and the id of the key that sealed them. */
  readonly credentialsCiphertext: string
  readonly credentialsKeyId: string
  readonly enabled: boolean
  readonly createdAt: number
  readonly updatedAt: number
}

export const gatewayAccountToRow = (account: GatewayAccount): GatewayAccountRow => ({
  tenantId: account.tenantId,
  gateway: account.gateway,
  mode: account.mode,
  currencies: encodeJson(account.currencies),
  credentialsCiphertext: account.credentials.ciphertext,
  credentialsKeyId: account.credentials.keyId,
  enabled: account.enabled,
  createdAt: account.createdAt,
  updatedAt: account.updatedAt
})

export const gatewayAccountFromRow = (row: GatewayAccountRow): GatewayAccount => ({
  tenantId: row.tenantId,
  gateway: row.gateway,
  mode: row.mode as GatewayAccount["mode"],
  currencies: decodeJson(row.currencies) as ReadonlyArray<CurrencyCode>,
  credentials: { ciphertext: row.credentialsCiphertext, keyId: row.credentialsKeyId },
  enabled: row.enabled,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

/** A put that found another version than the one it was told (`actual` 0: there is none). */
export const gatewayAccountConflict = (gateway: string, expected: number, actual: number | undefined) =>
  new VersionConflict({ entity: "gateway_account", id: gateway, expected, actual: actual ?? 0 })
