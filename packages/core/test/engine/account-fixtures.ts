/**
 * What the account-operation tests share: a French hosting company (20% TVA, invoices
 * `INV-2026-00001`, credit notes `CN-2026-00001`, Paris time), the shared catalog, a French consumer
 * with a saved card, and the stores every operation is checked on (in-memory and embedded SQLite).
 */
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  type Actor,
  type BillingSettingsInput,
  decodeBillingSettings,
  decodeCatalog,
  decodeTaxRules,
  encodeBillingSettings,
  type Job,
  type Selection,
  Store,
  startOfDayInZone
} from "@ezscale/core"
import { InMemoryStore, makeCustomer, makeTenant } from "@ezscale/testkit"
import { Effect, Either, Layer } from "effect"
import { catalogJson } from "../fixtures/catalog"

export const zone = "Europe/Paris"
export const tenantId = "tenant-1"
export const at = (year: number, month: number, day: number, hour = 0) =>
  startOfDayInZone({ year, month, day }, zone) + hour * 3_600_000

export const staff: Actor = { kind: "staff", id: "staff-7" }

export const settingsInput = (extra: Partial<BillingSettingsInput> = {}): BillingSettingsInput => ({
  timeZone: zone,
  seller: { country: "FR", euVat: "oss" },
  numbering: { format: "INV-{YEAR}-{NUMBER:5}", reset: "yearly", start: 1, mode: "immediate" },
  ...extra
})

/** The 2 GB KVM VPS, monthly, Debian: 10.00 a month + 5.00 setup, before 20% TVA. */
export const vps2g: Selection = {
  productId: "vps-kvm",
  planId: "vps-2g",
  currency: "EUR",
  cycle: "monthly",
  options: [{ optionId: "os", choiceId: "debian" }]
}

/** The 4 GB KVM VPS, monthly, Debian: 20.00 a month. */
export const vps4g: Selection = { ...vps2g, planId: "vps-4g" }

export const gatewayMethods = {
  pm_ok: { kind: "succeed" },
  pm_declined: { kind: "decline", declineCode: "insufficient_funds" }
} as const

/** Tenant, catalog, tax rules and `cus-1` (a French consumer in Paris) with a default card `pm_ok`. */
export const seedAccount = (
  extra: Partial<BillingSettingsInput> = {},
  methodId: string | undefined = "pm_ok"
) =>
  Effect.gen(function* () {
    const store = yield* Store
    const settings = Either.getOrThrow(decodeBillingSettings(settingsInput(extra)))
    yield* store.tenants.put(makeTenant({ settings: { billing: encodeBillingSettings(settings) } }))
    yield* store.catalogs.put(tenantId, Either.getOrThrow(decodeCatalog(catalogJson)))
    yield* store.taxRules.replace(
      tenantId,
      Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
    )
    yield* store.customers.insert(
      tenantId,
      makeCustomer({ country: "FR", isBusiness: false, timeZone: zone })
    )
    if (methodId !== undefined) {
      yield* store.paymentMethods.insert(tenantId, {
        id: "spm-1",
        customerId: "cus-1",
        gateway: "fake",
        gatewayCustomerId: "gcus-1",
        gatewayMethodId: methodId,
        kind: "card",
        label: "Visa •••• 4242",
        isDefault: true,
        createdAt: 0
      })
    }
    return store
  })

/** The jobs of `kinds` that are due by `until`, claimed (so each is seen once). */
export const claimJobs = (kinds: ReadonlyArray<string>, until = at(2030, 1, 1)) =>
  Effect.flatMap(Store, (store) =>
    store.jobs.claim({ now: until, limit: 100, leaseMs: 60_000, workerId: "test", kinds })
  ) as Effect.Effect<ReadonlyArray<Job>, unknown, Store>

/** The stores the engine is checked on: the in-memory one and embedded SQLite (a real database). */
export const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]
