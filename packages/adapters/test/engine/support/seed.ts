/**
 * Seeds a tenant with `count` subscriptions whose renewal invoice is due now, fast: one customer,
 * subscription and saved card written through the store port (so the rows are exactly what the store
 * writes), then cloned in SQL (`INSERT ... SELECT` over a generated range of numbers) with the ids
 * numbered `cus-000001`, `sub-000001`... Every tenth card (`n % 10 = 3`) is declined by the fake
 * gateway; unless told not to, some customers hold account credit (n % 40 = 7: 5.00, part of the
 * invoice; n % 40 = 27: 50.00, all of it), so collection applies credit before charging.
 */

import {
  type CivilDate,
  decodeBillingSettings,
  decodeTaxRules,
  encodeBillingSettings,
  Store,
  startOfDayInZone
} from "@ezscale/core"
import type { MethodBehaviour } from "@ezscale/testkit"
import { makeCustomer, makePaymentMethod, makeSubscription, makeTenant } from "@ezscale/testkit"
import { Effect, Either } from "effect"
import type { EngineTestDatabase } from "./database"

export const tenantId = "tenant-1"
const zone = "Europe/Paris"
const width = 6

export interface SeededRun {
  readonly count: number
  /** The period start of every due subscription's renewal invoice (`YYYY-MM-DD`). */
  readonly periodStart: string
  /** How the fake gateway treats every seeded card. */
  readonly methods: { readonly [methodId: string]: MethodBehaviour }
  /** The credit each customer was given, by customer id. */
  readonly credits: ReadonlyMap<string, bigint>
}

export const customerId = (n: number) => `cus-${String(n).padStart(width, "0")}`
const declined = (n: number) => n % 10 === 3
const methodId = (n: number) => `${declined(n) ? "pm_decline" : "pm_ok"}_${n}`
const creditOf = (n: number): bigint => (n % 40 === 7 ? 500n : n % 40 === 27 ? 5000n : 0n)

const iso = (date: CivilDate) =>
  `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`

/** A renewal a few days ago (day <= 28, so the anchor never clamps), so its invoice is due at once. */
const renewalDate = (now: number): { readonly renewal: CivilDate; readonly anchor: CivilDate } => {
  const before = new Date(now - 4 * 86_400_000)
  const renewal = {
    year: before.getUTCFullYear(),
    month: before.getUTCMonth() + 1,
    day: Math.min(before.getUTCDate(), 28)
  }
  const anchor =
    renewal.month === 1
      ? { year: renewal.year - 1, month: 12, day: renewal.day }
      : { ...renewal, month: renewal.month - 1 }
  return { renewal, anchor }
}

/** `SELECT n` for n in [from, to): `digits` cross joined, enough of them for `to`. */
const numbers = (from: number, to: number): string => {
  const digits =
    "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
  const places = Math.max(1, Math.ceil(Math.log10(to)))
  const tables = Array.from({ length: places }, (_, i) => `${digits} AS d${i}`).join(" CROSS JOIN ")
  const value = Array.from({ length: places }, (_, i) => `d${i}.d * ${10 ** i}`).join(" + ")
  return `SELECT ${value} AS n FROM ${tables} WHERE ${value} BETWEEN ${from} AND ${to - 1}`
}

/**
 * Copies the template row (id number 0) of `table` once per n in [1, count), with the columns in
 * `replace` computed; 5,000 rows a statement, so the server's buffer for an INSERT reading its own
 * table stays small (in memory, not a temp file).
 */
const cloneRows = async (
  db: EngineTestDatabase,
  table: string,
  where: string,
  count: number,
  replace: Record<string, (n: string) => string>
) => {
  const columns = await db.columns(table)
  const values = columns.map((column) => replace[column]?.("seq.n") ?? `src.${column}`)
  for (let from = 1; from < count; from += 5_000) {
    await db.query(
      `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${values.join(", ")} FROM (${numbers(from, Math.min(count, from + 5_000))}) AS seq CROSS JOIN ${table} AS src WHERE src.tenant_id = '${tenantId}' AND ${where}`
    )
  }
}

export const seedDueSubscriptions = async (
  db: EngineTestDatabase,
  options: {
    readonly count: number
    readonly now: number
    /** Give some customers account credit (default true; a billing-only test has no use for it). */
    readonly credit?: boolean
  }
): Promise<SeededRun> => {
  const { count, now } = options
  const { renewal, anchor } = renewalDate(now)
  const settings = Either.getOrThrow(
    decodeBillingSettings({ timeZone: zone, seller: { country: "FR", euVat: "oss" } })
  )
  const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
  const template = Effect.gen(function* () {
    const store = yield* Store
    yield* store.tenants.put(
      makeTenant({ id: tenantId, settings: { billing: encodeBillingSettings(settings) } })
    )
    yield* store.taxRules.replace(tenantId, rules)
    yield* store.customers.insert(
      tenantId,
      makeCustomer({ id: customerId(0), tenantId, country: "FR", isBusiness: false, timeZone: zone })
    )
    yield* store.subscriptions.insert(
      tenantId,
      makeSubscription({
        id: `sub-${"0".repeat(width)}`,
        tenantId,
        customerId: customerId(0),
        timeZone: zone,
        anchor,
        nextRenewalAt: startOfDayInZone(renewal, zone),
        invoicedPeriods: 1
      })
    )
    yield* store.paymentMethods.insert(
      tenantId,
      makePaymentMethod({
        id: `spm-${"0".repeat(width)}`,
        customerId: customerId(0),
        gateway: "fake",
        gatewayCustomerId: "gcus-shared",
        gatewayMethodId: methodId(0),
        isDefault: true
      })
    )
  })
  await Effect.runPromise(Effect.provide(template, db.storeLayer()))

  const number = (prefix: string) => (n: string) => db.concat(`'${prefix}'`, db.pad(n, width))
  const zero = (prefix: string) => `'${prefix}${"0".repeat(width)}'`
  await cloneRows(db, "customers", `src.id = ${zero("cus-")}`, count, { id: number("cus-") })
  await cloneRows(db, "subscriptions", `src.id = ${zero("sub-")}`, count, {
    id: number("sub-"),
    customer_id: number("cus-")
  })
  await cloneRows(db, "subscription_items", `src.subscription_id = ${zero("sub-")}`, count, {
    subscription_id: number("sub-")
  })
  await cloneRows(db, "payment_methods", `src.id = ${zero("spm-")}`, count, {
    id: number("spm-"),
    customer_id: number("cus-"),
    gateway_method_id: (n) =>
      `CASE WHEN ${n} % 10 = 3 THEN ${db.concat("'pm_decline_'", n)} ELSE ${db.concat("'pm_ok_'", n)} END`
  })
  await cloneRows(db, "payment_method_defaults", `src.customer_id = ${zero("cus-")}`, count, {
    customer_id: number("cus-"),
    method_id: number("spm-")
  })

  const credits = new Map<string, bigint>()
  for (let n = 0; n < count && options.credit !== false; n++) {
    if (creditOf(n) > 0n) credits.set(customerId(n), creditOf(n))
  }
  const grant = Effect.gen(function* () {
    const store = yield* Store
    yield* store.withTransaction(
      Effect.forEach(
        credits,
        ([customer, amount]) =>
          store.ledger.append(tenantId, {
            customerId: customer,
            currency: "EUR",
            amount,
            kind: "credit_added",
            at: now - 86_400_000
          }),
        { discard: true }
      )
    )
  })
  await Effect.runPromise(Effect.provide(grant, db.storeLayer()))

  const methods: Record<string, MethodBehaviour> = {}
  for (let n = 0; n < count; n++) {
    methods[methodId(n)] = declined(n)
      ? { kind: "decline", declineCode: "card_declined" }
      : { kind: "succeed" }
  }
  return { count, periodStart: iso(renewal), methods, credits }
}
