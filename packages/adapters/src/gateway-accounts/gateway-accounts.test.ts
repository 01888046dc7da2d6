/**
 * Gateway accounts end to end: credentials sealed with the cipher, the account stored in SQLite (and only
 * the envelope there), the gateway built from it with the vendor adapter loaded on demand, then charged
 * against the Stripe and PayPal fakes. A charge in a currency the account does not take fails before any
 * request reaches the fake. Also: webhooks verified with the stored secret, every way an account cannot
 * become a gateway, and key rotation over stored accounts. The fakes' answers are checked against the
 * vendors' OpenAPI documents, as in the adapters' own suites.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  type GatewayAccount,
  GatewayAccountError,
  GatewayError,
  type GatewayMode,
  SecretCipher,
  type SecretCipherService,
  SecretError,
  Store
} from "@ezscale/core"
import Database from "better-sqlite3"
import { Effect, Layer, Redacted } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { paypalSpecRecorder } from "../../test/paypal-openapi"
import { loadStripeSpec, responseRecorder, type StripeSpec } from "../../test/stripe-openapi"
import { type PayPalEvent, type PayPalFakeServer, startPayPalFake } from "../gateway-paypal/fake/index"
import { trustedCertificatesFrom } from "../gateway-paypal/index"
import { type StripeFake, signStripePayload, startStripeFake } from "../gateway-stripe/fake/index"
import { generateSecretKey, makeSecretCipher } from "../secrets/index"
import { SqliteStore } from "../store-sqlite/index"
import { loadVendorAdapter } from "./build"
import {
  buildTenantGateway,
  type GatewayCredentials,
  gatewayAccountContext,
  loadTenantGateway,
  resealGatewayAccounts,
  type SupportedGateway,
  sealGatewayCredentials
} from "./index"

const folder = mkdtempSync(join(tmpdir(), "ezscale-gateway-accounts-"))
const filename = join(folder, "billing.db")
const oldKey = generateSecretKey()
const newKey = generateSecretKey()

const stripeRecorder = responseRecorder()
const paypalRecorder = paypalSpecRecorder()
let stripeSpec: StripeSpec
let stripeFake: StripeFake
let paypalFake: PayPalFakeServer

beforeAll(async () => {
  stripeSpec = await loadStripeSpec()
  stripeFake = await startStripeFake({ apiKey: "sk_test_tenant_a_51H", onResponse: stripeRecorder.record })
  paypalFake = await startPayPalFake({
    clientId: "tenant-a-client",
    clientSecret: "tenant-a-secret",
    webhookId: "WH-TENANT-A",
    presetTokens: { "TOK-OK": { kind: "complete" } },
    onExchange: paypalRecorder.onExchange
  })
}, 120_000)

afterAll(async () => {
  await stripeFake?.close()
  await paypalFake?.close()
  rmSync(folder, { recursive: true, force: true })
})

afterEach(async () => {
  expect(stripeSpec.violations(stripeRecorder.take())).toEqual([])
  expect(await paypalRecorder.check()).toEqual([])
}, 120_000)

const cipherOf = (keys: ReadonlyArray<readonly [string, string]>, activeKeyId: string) =>
  Effect.runPromise(
    makeSecretCipher({ keys: keys.map(([id, key]) => ({ id, key: Redacted.make(key) })), activeKeyId })
  )

/** Runs `program` with the SQLite store (the same file throughout) and the cipher. */
const run = <A, E>(program: Effect.Effect<A, E, Store | SecretCipher>, cipher: SecretCipherService) =>
  Effect.runPromise(
    program.pipe(
      Effect.provide(Layer.merge(SqliteStore.layer({ filename }), Layer.succeed(SecretCipher, cipher)))
    )
  )

const stripeCredentials: GatewayCredentials["stripe"] = {
  secretKey: "sk_test_tenant_a_51H",
  webhookSecrets: ["whsec_tenant_a_current", "whsec_tenant_a_previous"]
}
const payPalCredentials = (): GatewayCredentials["paypal"] => ({
  clientId: paypalFake.clientId,
  clientSecret: paypalFake.clientSecret,
  webhookId: paypalFake.webhookId
})

const at = Date.UTC(2026, 10, 22, 12)
let serial = 0
const newTenant = () => `tenant-ga-${++serial}-${Math.random().toString(36).slice(2, 8)}`

/** Seals `credentials` and stores the account at version 0. */
const storeAccount = <G extends SupportedGateway>(
  tenantId: string,
  gateway: G,
  credentials: GatewayCredentials[G],
  overrides: { readonly mode?: GatewayMode; readonly currencies?: GatewayAccount["currencies"] } = {}
) =>
  Effect.gen(function* () {
    const store = yield* Store
    const cipher = yield* SecretCipher
    const mode = overrides.mode ?? "test"
    const sealed = yield* sealGatewayCredentials(cipher, { tenantId, gateway, mode }, credentials)
    const account: GatewayAccount = {
      tenantId,
      gateway,
      mode,
      currencies: overrides.currencies ?? ["USD", "EUR"],
      credentials: sealed,
      enabled: true,
      createdAt: at,
      updatedAt: at
    }
    return yield* store.gatewayAccounts.put(tenantId, account, 0)
  })

/** The raw row as SQLite holds it, read past the store. */
const rawRow = (tenantId: string, gateway: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db
      .prepare("SELECT * FROM gateway_accounts WHERE tenant_id = ? AND gateway = ?")
      .get(tenantId, gateway) as Record<string, unknown> | undefined
  } finally {
    db.close()
  }
}

const usd = (amount: bigint) => ({ amount, currency: "USD" as const })

describe("Stripe account stored encrypted in SQLite", () => {
  it("builds a gateway that charges the fake; the row holds only the envelope", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(storeAccount(tenantId, "stripe", stripeCredentials), cipher)
    const row = rawRow(tenantId, "stripe")
    expect(row?.credentials_key_id).toBe("2026-01")
    expect(
      JSON.stringify(row, (_, value) => (typeof value === "bigint" ? String(value) : value))
    ).not.toMatch(/sk_test|whsec_/)

    const before = stripeFake.succeededCharges().length
    const outcome = await run(
      Effect.gen(function* () {
        const { gateway } = yield* loadTenantGateway(tenantId, "stripe", {
          baseUrl: stripeFake.url,
          timeoutMs: 5_000,
          stripe: { maxNetworkRetries: 0 }
        })
        expect(gateway.name).toBe("stripe")
        expect(gateway.capabilities.currencies).toEqual(["USD", "EUR"])
        const { gatewayCustomerId } = yield* gateway.ensureCustomer({
          customerId: "cus-1",
          email: "a@example.test",
          name: "A"
        })
        return yield* gateway.charge({
          gatewayCustomerId,
          invoiceId: "inv-1",
          amount: usd(1999n),
          methodId: "pm_card_visa",
          idempotencyKey: `collect:${tenantId}:inv-1:1`,
          offSession: true
        })
      }),
      cipher
    )
    expect(outcome).toMatchObject({ status: "succeeded", amount: usd(1999n) })
    expect(stripeFake.succeededCharges().length).toBe(before + 1)
  })

  it("a charge in a currency the account does not take is a GatewayError before any request", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(storeAccount(tenantId, "stripe", stripeCredentials, { currencies: ["EUR"] }), cipher)
    stripeRecorder.take()
    const error = await run(
      Effect.flip(
        Effect.flatMap(loadTenantGateway(tenantId, "stripe", { baseUrl: stripeFake.url }), ({ gateway }) =>
          gateway.charge({
            gatewayCustomerId: "cus_anything",
            invoiceId: "inv-usd",
            amount: usd(500n),
            methodId: "pm_card_visa",
            idempotencyKey: `collect:${tenantId}:inv-usd:1`,
            offSession: true
          })
        )
      ),
      cipher
    )
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({
      reason: "InvalidRequest",
      retryable: false,
      gateway: "stripe",
      vendorCode: "currency_not_supported"
    })
    expect(String((error as GatewayError).detail)).toContain("USD")
    expect(stripeRecorder.take()).toEqual([])
  })

  it("its webhooks verify deliveries signed with the stored signing secret, and refuse others", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(storeAccount(tenantId, "stripe", stripeCredentials), cipher)
    const { webhooks } = await run(loadTenantGateway(tenantId, "stripe", { baseUrl: stripeFake.url }), cipher)
    const body = JSON.stringify({
      id: "evt_1",
      object: "event",
      type: "customer.created",
      data: { object: { id: "cus_1", object: "customer" } }
    })
    const delivery = (secret: string) => ({
      rawBody: new TextEncoder().encode(body),
      headers: { "stripe-signature": signStripePayload(body, [secret], Math.floor(Date.now() / 1000)) }
    })
    const verified = await Effect.runPromise(webhooks.verify(delivery("whsec_tenant_a_previous")))
    expect(verified).toMatchObject({ eventId: "evt_1", type: "customer.created", event: { _tag: "Ignored" } })
    const rejected = await Effect.runPromise(Effect.flip(webhooks.verify(delivery("whsec_someone_else"))))
    expect(rejected).toMatchObject({ _tag: "WebhookRejected", reason: "Signature" })
  })
})

describe("PayPal account stored encrypted in SQLite", () => {
  it("builds a gateway that charges the fake; another currency fails before any request", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(storeAccount(tenantId, "paypal", payPalCredentials(), { currencies: ["USD"] }), cipher)
    expect(
      JSON.stringify(rawRow(tenantId, "paypal"), (_, v) => (typeof v === "bigint" ? String(v) : v))
    ).not.toContain(paypalFake.clientSecret)
    const options = { baseUrl: paypalFake.url, timeoutMs: 5_000, paypal: { retries: 0 } }
    const before = paypalFake.control.stats()
    const outcome = await run(
      Effect.flatMap(loadTenantGateway(tenantId, "paypal", options), ({ gateway }) =>
        Effect.flatMap(
          gateway.ensureCustomer({ customerId: "cus-1", email: "a@example.test", name: "A" }),
          ({ gatewayCustomerId }) =>
            gateway.charge({
              gatewayCustomerId,
              invoiceId: "inv-pp-1",
              amount: usd(2500n),
              methodId: "TOK-OK",
              idempotencyKey: `collect:${tenantId}:inv-pp-1:1`,
              offSession: true
            })
        )
      ),
      cipher
    )
    expect(outcome).toMatchObject({ status: "succeeded", amount: usd(2500n) })
    expect(paypalFake.control.stats().captures).toBe(before.captures + 1)

    const quiet = paypalFake.control.stats().requests
    const error = await run(
      Effect.flip(
        Effect.flatMap(loadTenantGateway(tenantId, "paypal", options), ({ gateway }) =>
          gateway.charge({
            gatewayCustomerId: "customer-x",
            invoiceId: "inv-pp-eur",
            amount: { amount: 2500n, currency: "EUR" },
            methodId: "TOK-OK",
            idempotencyKey: `collect:${tenantId}:inv-pp-eur:1`,
            offSession: true
          })
        )
      ),
      cipher
    )
    expect(error).toMatchObject({
      _tag: "GatewayError",
      reason: "InvalidRequest",
      gateway: "paypal",
      vendorCode: "CURRENCY_NOT_SUPPORTED"
    })
    expect(paypalFake.control.stats().requests).toBe(quiet)
  })

  it("its webhooks verify the fake's signed deliveries for the stored webhook id", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(storeAccount(tenantId, "paypal", payPalCredentials(), { currencies: ["USD"] }), cipher)
    const { webhooks } = await run(
      loadTenantGateway(tenantId, "paypal", {
        baseUrl: paypalFake.url,
        paypal: { certificates: trustedCertificatesFrom(paypalFake.url) }
      }),
      cipher
    )
    const event: PayPalEvent = {
      id: "WH-EVT-1",
      event_version: "1.0",
      create_time: new Date().toISOString(),
      resource_type: "plan",
      event_type: "BILLING.PLAN.CREATED",
      summary: "A billing plan was created",
      resource: { id: "P-1" },
      links: []
    }
    const verified = await Effect.runPromise(webhooks.verify(paypalFake.control.sign(event)))
    expect(verified).toMatchObject({ eventId: "WH-EVT-1", event: { _tag: "Ignored" } })
    // signed for another webhook subscription: not this account's
    const other = await Effect.runPromise(
      Effect.flip(webhooks.verify(paypalFake.control.sign(event, { webhookId: "WH-OTHER" })))
    )
    expect(other).toMatchObject({ _tag: "WebhookRejected", reason: "Signature" })
  })
})

describe("accounts that cannot become a gateway", () => {
  const build = (account: GatewayAccount, cipher: SecretCipherService) =>
    Effect.runPromise(Effect.flip(buildTenantGateway(account, cipher, { baseUrl: stripeFake.url })))

  it("disabled, unknown gateway, PayPal currency, another row's or another key's credentials", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    const { value: account } = await run(storeAccount(tenantId, "stripe", stripeCredentials), cipher)

    expect(await build({ ...account, enabled: false }, cipher)).toMatchObject({
      _tag: "GatewayAccountError",
      reason: "Disabled",
      gateway: "stripe",
      tenantId
    })
    expect(await build({ ...account, gateway: "adyen" }, cipher)).toMatchObject({ reason: "Unsupported" })
    // the envelope copied into another tenant's row, or under another gateway, does not open
    const copied = await build({ ...account, tenantId: "tenant-thief" }, cipher)
    expect(copied).toBeInstanceOf(SecretError)
    expect(copied).toMatchObject({ reason: "Tampered" })
    // a keyring without the key that sealed it
    const elsewhere = await cipherOf([["2026-07", newKey]], "2026-07")
    expect(await build(account, elsewhere)).toMatchObject({ _tag: "SecretError", reason: "UnknownKey" })

    const payPal = await run(
      storeAccount(newTenant(), "paypal", payPalCredentials(), { currencies: ["USD", "KWD"] }),
      cipher
    )
    expect(await build(payPal.value, cipher)).toMatchObject({
      _tag: "GatewayAccountError",
      reason: "Unsupported",
      detail: "PayPal cannot charge KWD"
    })
  })

  it("credentials that do not fit the gateway or mode: InvalidCredentials naming the field, not the value", async () => {
    const cipher = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    const refusedAtSeal = await Effect.runPromise(
      Effect.flip(
        sealGatewayCredentials(cipher, { tenantId, gateway: "stripe", mode: "live" }, stripeCredentials)
      )
    )
    expect(refusedAtSeal).toBeInstanceOf(GatewayAccountError)
    expect(refusedAtSeal).toMatchObject({
      reason: "InvalidCredentials",
      detail: "secretKey is a test key but the account is live"
    })
    expect((refusedAtSeal as GatewayAccountError).message).not.toContain("sk_test_tenant")
    // sealed around the check (an older release, a hand-made row): refused when built
    const sealed = await Effect.runPromise(
      cipher.seal({ clientId: "id-only" }, gatewayAccountContext(tenantId, "paypal"))
    )
    const account: GatewayAccount = {
      tenantId,
      gateway: "paypal",
      mode: "test",
      currencies: ["USD"],
      credentials: sealed,
      enabled: true,
      createdAt: at,
      updatedAt: at
    }
    expect(await build(account, cipher)).toMatchObject({
      _tag: "GatewayAccountError",
      reason: "InvalidCredentials",
      detail: "clientSecret is missing or empty"
    })
  })
})

describe("key rotation over stored accounts", () => {
  it("reseals every account under the new key; after the old key is dropped the gateway still charges", async () => {
    const before = await cipherOf([["2026-01", oldKey]], "2026-01")
    const tenantId = newTenant()
    await run(
      Effect.all([
        storeAccount(tenantId, "stripe", stripeCredentials),
        storeAccount(tenantId, "paypal", payPalCredentials(), { currencies: ["USD"] })
      ]),
      before
    )
    const during = await cipherOf(
      [
        ["2026-07", newKey],
        ["2026-01", oldKey]
      ],
      "2026-07"
    )
    expect(await run(resealGatewayAccounts(tenantId), during)).toEqual(["paypal", "stripe"])
    const stored = await run(
      Effect.flatMap(Store, (store) => store.gatewayAccounts.list(tenantId)),
      during
    )
    expect(stored.map(({ value, version }) => [value.gateway, value.credentials.keyId, version])).toEqual([
      ["paypal", "2026-07", 2],
      ["stripe", "2026-07", 2]
    ])
    expect(rawRow(tenantId, "stripe")?.credentials_key_id).toBe("2026-07")
    // nothing left to do
    expect(await run(resealGatewayAccounts(tenantId), during)).toEqual([])

    const after = await cipherOf([["2026-07", newKey]], "2026-07")
    const outcome = await run(
      Effect.flatMap(
        loadTenantGateway(tenantId, "stripe", { baseUrl: stripeFake.url, stripe: { maxNetworkRetries: 0 } }),
        ({ gateway }) =>
          Effect.flatMap(
            gateway.ensureCustomer({ customerId: "cus-rot", email: "r@example.test", name: "R" }),
            ({ gatewayCustomerId }) =>
              gateway.charge({
                gatewayCustomerId,
                invoiceId: "inv-rot",
                amount: usd(700n),
                methodId: "pm_card_visa",
                idempotencyKey: `collect:${tenantId}:inv-rot:1`,
                offSession: true
              })
          )
      ),
      after
    )
    expect(outcome.status).toBe("succeeded")
  })
})

describe("loading a vendor adapter", () => {
  const account: GatewayAccount = {
    tenantId: "tenant-sdk",
    gateway: "stripe",
    mode: "test",
    currencies: ["USD"],
    credentials: { ciphertext: "A".repeat(40), keyId: "k" },
    enabled: true,
    createdAt: at,
    updatedAt: at
  }

  it("a module that is not installed is SdkMissing, naming the package to install", async () => {
    const missing = "@ezscale/no-such-sdk-installed"
    const error = await Effect.runPromise(
      Effect.flip(loadVendorAdapter(account, "stripe", () => import(/* @vite-ignore */ missing)))
    )
    expect(error).toBeInstanceOf(GatewayAccountError)
    expect(error).toMatchObject({ reason: "SdkMissing", gateway: "stripe", tenantId: "tenant-sdk" })
    expect(error.detail).toContain("install stripe")
  })

  it("any other failure while loading is a defect, not a typed error", async () => {
    const exit = await Effect.runPromiseExit(
      loadVendorAdapter(account, "paypal", () => Promise.reject(new TypeError("broken module")))
    )
    expect(exit._tag).toBe("Failure")
    expect(exit._tag === "Failure" && exit.cause._tag).toBe("Die")
  })
})
