/**
 * A tenant's accounts at payment gateways: which gateway (`stripe`, `paypal`...), live or test, the
 * currencies the account can charge, and its credentials (API keys, client id and secret, webhook
 * signing secret or webhook id) — only as an encrypted envelope with the id of the key that sealed it.
 * The store never sees a plaintext credential; the host opens it (`SecretCipher`) when it builds the
 * tenant's gateway.
 */
import { Either, Schema } from "effect"
import type { Instant } from "../../calendar/zone"
import { type CurrencyCode, isCurrencyCode } from "../../money/currency"
import type { VersionConflict } from "./errors"
import type { Versioned } from "./records"
import type { Op } from "./repositories"
import { type EncryptedSecret, encryptedSecretIssue } from "./services"

/** `live` takes real money; `test` is the gateway's sandbox (Stripe test keys, PayPal sandbox). */
export type GatewayMode = "live" | "test"

export const GatewayModes = ["live", "test"] as const satisfies ReadonlyArray<GatewayMode>

export interface GatewayAccount {
  readonly tenantId: string
  /** The gateway: `stripe`, `paypal`, later others — lower case letters, digits, `-`, `_`; 1-32 characters. */
  readonly gateway: string
  readonly mode: GatewayMode
  /** What the account can charge, in the order the tenant lists them: at least one, no repeats. */
  readonly currencies: ReadonlyArray<CurrencyCode>
  /** The gateway's credentials as one sealed JSON object (its shape is the gateway adapter's business). */
  readonly credentials: EncryptedSecret
  /** A disabled account is kept but no gateway is built from it. */
  readonly enabled: boolean
  readonly createdAt: Instant
  readonly updatedAt: Instant
}

/** A gateway account the store refuses to keep; nothing is written. */
export class InvalidGatewayAccount extends Schema.TaggedError<InvalidGatewayAccount>()(
  "InvalidGatewayAccount",
  {
    gateway: Schema.String,
    issue: Schema.String
  }
) {
  override get message() {
    return `Gateway account ${this.gateway} cannot be saved: ${this.issue}`
  }
}

const gatewayId = /^[a-z][a-z0-9_-]{0,31}$/

/** How many currencies one account may list (ISO 4217 has fewer). */
export const MAX_ACCOUNT_CURRENCIES = 200

const isInstant = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0

/**
 * The first reason `account` cannot be saved: a gateway id that is not 1-32 characters of lower case
 * letters, digits, `-` and `_` (starting with a letter), an unknown mode, no currencies or an unknown or
 * repeated one, credentials that are not an encrypted envelope with a key id, a non-boolean `enabled`,
 * instants that are not epoch milliseconds or an update before the creation.
 */
export const checkGatewayAccount = (
  account: GatewayAccount
): Either.Either<GatewayAccount, InvalidGatewayAccount> => {
  const invalid = (issue: string) =>
    Either.left(new InvalidGatewayAccount({ gateway: String(account.gateway), issue }))
  if (typeof account.gateway !== "string" || !gatewayId.test(account.gateway)) {
    return invalid("gateway is 1-32 characters: a lower case letter, then letters, digits, - or _")
  }
  if (!(GatewayModes as ReadonlyArray<string>).includes(account.mode)) {
    return invalid(`unknown mode ${String(account.mode)}: live or test`)
  }
  const currencies = account.currencies as unknown
  if (!Array.isArray(currencies) || currencies.length === 0) return invalid("currencies lists at least one")
  if (currencies.length > MAX_ACCOUNT_CURRENCIES) {
    return invalid(`currencies lists at most ${MAX_ACCOUNT_CURRENCIES}`)
  }
  const seen = new Set<string>()
  for (const code of currencies) {
    if (typeof code !== "string" || !isCurrencyCode(code)) return invalid(`unknown currency ${String(code)}`)
    if (seen.has(code)) return invalid(`currency ${code} is listed twice`)
    seen.add(code)
  }
  const issue = encryptedSecretIssue(account.credentials)
  if (issue !== undefined) return invalid(`credentials ${issue}`)
  if (typeof account.enabled !== "boolean") return invalid("enabled is true or false")
  if (!isInstant(account.createdAt) || !isInstant(account.updatedAt)) {
    return invalid("createdAt and updatedAt are epoch milliseconds")
  }
  if (account.updatedAt < account.createdAt) return invalid("updatedAt is not before createdAt")
  return Either.right(account)
}

/** `checkGatewayAccount`, and an `expectedVersion` that is 0 (insert) or a version (a positive integer). */
export const checkGatewayAccountPut = (
  account: GatewayAccount,
  expectedVersion: number
): Either.Either<GatewayAccount, InvalidGatewayAccount> =>
  Number.isSafeInteger(expectedVersion) && expectedVersion >= 0
    ? checkGatewayAccount(account)
    : Either.left(
        new InvalidGatewayAccount({
          gateway: String(account.gateway),
          issue: "expectedVersion is 0 (not there yet) or the version read"
        })
      )

/**
 * A tenant's gateway accounts: at most one per (tenant, gateway), the key of every call. Versioned
 * (1 after the first put, +1 per put).
 *
 * `put` inserts or replaces, checked against the version the caller read: `expectedVersion` 0 means "not
 * there yet" (insert), n means "replace version n". Anything else — an account already there for 0, a
 * moved-on or missing one for n — is `VersionConflict` (`actual` 0 when there is none) and writes
 * nothing, so an edit in the admin panel and a key rotation re-sealing the credentials never overwrite
 * each other unseen: the loser re-reads and decides. The record is kept as given (`createdAt` included).
 */
export interface GatewayAccountRepository {
  /** `NotFound` when the tenant has no account at that gateway. */
  readonly get: (tenantId: string, gateway: string) => Op<Versioned<GatewayAccount>>
  /** The tenant's accounts, ordered by gateway id. */
  readonly list: (tenantId: string) => Op<ReadonlyArray<Versioned<GatewayAccount>>>
  readonly put: (
    tenantId: string,
    account: GatewayAccount,
    expectedVersion: number
  ) => Op<Versioned<GatewayAccount>, VersionConflict | InvalidGatewayAccount>
  /** Removes the account (`NotFound` when it is not there). */
  readonly remove: (tenantId: string, gateway: string) => Op<void>
}
