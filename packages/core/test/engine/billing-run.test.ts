/**
 * The billing run over the in-memory store, with a frozen clock: which subscriptions are invoiced, for
 * which period, with which number, and that running again (or racing a run that already wrote) changes
 * nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  type BillingSettingsInput,
  type Coupon,
  decodeBillingSettings,
  decodeCoupon,
  decodeTaxRules,
  encodeBillingSettings,
  type Ids,
  type Invoice,
  runBilling,
  Store,
  type Subscription,
  startOfDayInZone
} from "@ezscale/core"
import { InMemoryStore, makeCustomer, makeSubscription, makeTenant, SequentialIds } from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const zone = "Europe/Paris"
const at = (year: number, month: number, day: number) => startOfDayInZone({ year, month, day }, zone)

const settingsInput: BillingSettingsInput = {
  timeZone: zone,
  seller: { country: "FR", euVat: "oss" },
  numbering: { format: "INV-{YEAR}-{NUMBER:5}", reset: "yearly", start: 1, mode: "immediate" }
}
const settings = Either.getOrThrow(decodeBillingSettings(settingsInput))
const rules = Either.getOrThrow(
  decodeTaxRules([
    { id: "fr", country: "FR", name: "TVA", rate: "20" },
    { id: "de", country: "DE", name: "MwSt", rate: "19" }
  ])
)

/** A monthly 10.00 EUR VPS of a French consumer, anchored on Jan 15, invoiced once (Jan 15 - Feb 15). */
const subscription = (overrides: Partial<Subscription> = {}): Subscription =>
  makeSubscription({
    timeZone: zone,
    anchor: { year: 2026, month: 1, day: 15 },
    currentPeriod: { start: { year: 2026, month: 1, day: 15 }, end: { year: 2026, month: 2, day: 15 } },
    nextRenewalAt: at(2026, 2, 15),
    invoicedPeriods: 1,
    lifecycle: { status: "active", suspension: undefined, cancellation: undefined, trialEndsAt: undefined },
    ...overrides
  })

const seed = (subscriptions: ReadonlyArray<Subscription>, coupons: ReadonlyArray<Coupon> = []) =>
  Effect.gen(function* () {
    const store = yield* Store
    yield* store.tenants.put(makeTenant({ settings: { billing: encodeBillingSettings(settings) } }))
    yield* store.taxRules.replace("tenant-1", rules)
    yield* store.customers.insert(
      "tenant-1",
      makeCustomer({ country: "FR", isBusiness: false, timeZone: zone })
    )
    yield* store.customers.insert(
      "tenant-1",
      makeCustomer({
        id: "cus-it",
        country: "IT",
        isBusiness: false,
        timeZone: "Europe/Rome"
      })
    )
    for (const coupon of coupons) yield* store.coupons.put("tenant-1", coupon)
    for (const s of subscriptions) yield* store.subscriptions.insert("tenant-1", s)
  })

const invoicesOf = (customerId = "cus-1") =>
  Effect.flatMap(Store, (store) =>
    Effect.map(store.invoices.listByCustomer("tenant-1", customerId, { limit: 100 }), (page) => page.items)
  )

/** The stores the engine is checked on: the in-memory one and embedded SQLite (a real database). */
const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

const lines = (invoice: Invoice) => invoice.lines.map((l) => [l.kind, l.amount, l.tax])

describe.each(stores)("runBilling on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids>) =>
    Effect.provide(effect, Layer.merge(storeLayer(), SequentialIds.layer))

  it.effect("invoices a subscription once its renewal is within the lead time, for the next period", () =>
    run(
      Effect.gen(function* () {
        yield* seed([subscription()])
        // The dunning policy's default lead time is 7 days: Feb 15 is due from Feb 8, 00:00 Paris time.
        yield* TestClock.setTime(at(2026, 2, 8) - 1)
        expect((yield* runBilling({ tenantId: "tenant-1" })).invoiced).toBe(0)
        yield* TestClock.setTime(at(2026, 2, 8))
        const summary = yield* runBilling({ tenantId: "tenant-1" })
        expect(summary).toMatchObject({ seen: 1, invoiced: 1, duplicates: 0, conflicts: 0, failures: [] })

        const [invoice] = yield* invoicesOf()
        expect(invoice).toMatchObject({
          kind: "renewal",
          status: "open",
          number: "INV-2026-00001",
          subscriptionId: "sub-1",
          period: { start: { year: 2026, month: 2, day: 15 }, end: { year: 2026, month: 3, day: 15 } },
          dueAt: at(2026, 2, 15),
          issuedAt: at(2026, 2, 8)
        })
        expect(lines(invoice as Invoice)).toEqual([["plan", 1000n, 200n]])
        expect(invoice?.totals.total).toBe(1200n)

        const store = yield* Store
        const after = yield* store.subscriptions.get("tenant-1", "sub-1")
        expect(after.value.invoicedPeriods).toBe(2)
        expect(after.value.nextRenewalAt).toBe(at(2026, 3, 15))
        const jobs = yield* store.jobs.claim({
          now: at(2026, 2, 15),
          limit: 10,
          leaseMs: 60_000,
          workerId: "w"
        })
        expect(jobs.map((job) => [job.kind, job.payload, job.runAt, job.dedupeKey])).toEqual([
          ["collect", { invoiceId: invoice?.id }, at(2026, 2, 15), `collect:${invoice?.id}`]
        ])
      })
    )
  )

  it.effect("changes nothing when run again, and a period already invoiced is never invoiced twice", () =>
    run(
      Effect.gen(function* () {
        yield* seed([subscription()])
        yield* TestClock.setTime(at(2026, 2, 10))
        yield* runBilling({ tenantId: "tenant-1" })
        const again = yield* runBilling({ tenantId: "tenant-1" })
        expect(again.invoiced).toBe(0)

        // A run that read the subscription before the first one wrote (a second process) finds the
        // period taken: it writes nothing, not even a number from the sequence.
        const store = yield* Store
        const current = yield* store.subscriptions.get("tenant-1", "sub-1")
        yield* store.subscriptions.update("tenant-1", subscription(), current.version)
        const racing = yield* runBilling({ tenantId: "tenant-1" })
        expect(racing).toMatchObject({ invoiced: 0, duplicates: 1 })
        expect((yield* invoicesOf()).length).toBe(1)

        // The next real invoice takes the next number: the refused write gave its number back.
        yield* store.subscriptions.update(
          "tenant-1",
          subscription({ nextRenewalAt: at(2026, 3, 15), invoicedPeriods: 2 }),
          current.version + 1
        )
        yield* TestClock.setTime(at(2026, 3, 10))
        yield* runBilling({ tenantId: "tenant-1" })
        expect((yield* invoicesOf()).map((i) => i.number)).toEqual(["INV-2026-00001", "INV-2026-00002"])
      })
    )
  )

  it.effect("catches up every missed period, each once, in order", () =>
    run(
      Effect.gen(function* () {
        yield* seed([subscription()])
        yield* TestClock.setTime(at(2026, 4, 9)) // Feb 15, Mar 15 and (lead time) Apr 15 are all due
        const summary = yield* runBilling({ tenantId: "tenant-1", batchSize: 1 })
        expect(summary.invoiced).toBe(3)
        expect((yield* invoicesOf()).map((i) => i.period?.start.month)).toEqual([2, 3, 4])
      })
    )
  )

  it.effect("stops a subscription whose cancellation takes effect by its next renewal", () =>
    run(
      Effect.gen(function* () {
        const cancellation = {
          mode: "period_end" as const,
          reason: "moving",
          requestedAt: at(2026, 2, 1),
          effectiveAt: at(2026, 2, 15)
        }
        yield* seed([
          subscription({ lifecycle: { ...subscription().lifecycle, cancellation } }),
          subscription({ id: "sub-pending", lifecycle: { ...subscription().lifecycle, status: "pending" } })
        ])
        yield* TestClock.setTime(at(2026, 2, 10))
        const summary = yield* runBilling({ tenantId: "tenant-1" })
        expect(summary).toMatchObject({ invoiced: 0, stopped: 1 })
        const store = yield* Store
        expect((yield* store.subscriptions.get("tenant-1", "sub-1")).value.nextRenewalAt).toBeUndefined()
        expect((yield* store.subscriptions.get("tenant-1", "sub-pending")).value.nextRenewalAt).toBe(
          at(2026, 2, 15)
        )
        expect(yield* invoicesOf()).toEqual([])
      })
    )
  )

  it.effect("reports a subscription it cannot bill with its code and bills the others", () =>
    run(
      Effect.gen(function* () {
        yield* seed([
          subscription({ id: "sub-it", customerId: "cus-it" }), // no Italian VAT rule
          subscription({ id: "sub-lost", customerId: "cus-gone" }),
          subscription()
        ])
        yield* TestClock.setTime(at(2026, 2, 10))
        const summary = yield* runBilling({ tenantId: "tenant-1" })
        expect(summary.invoiced).toBe(1)
        expect(summary.failures.map((f) => [f.subscriptionId, f.code]).sort()).toEqual([
          ["sub-it", "TAX_RULE_MISSING"],
          ["sub-lost", "CUSTOMER_NOT_FOUND"]
        ])
        const store = yield* Store
        expect((yield* store.subscriptions.get("tenant-1", "sub-it")).value.nextRenewalAt).toBe(
          at(2026, 2, 15)
        )
      })
    )
  )

  it.effect("applies a coupon for as many cycles as it runs", () =>
    run(
      Effect.gen(function* () {
        const coupon = Either.getOrThrow(
          decodeCoupon({
            id: "cpn-3",
            code: "THREE",
            kind: "percent",
            rate: "10",
            duration: { cycles: 3 },
            stackable: false
          })
        )
        yield* seed(
          [subscription({ coupons: [{ couponId: "cpn-3", redeemedAt: at(2026, 1, 15) }] })],
          [coupon]
        )
        yield* TestClock.setTime(at(2026, 4, 9)) // invoices 2, 3 and 4 of the subscription
        yield* runBilling({ tenantId: "tenant-1" })
        expect((yield* invoicesOf()).map((i) => i.totals.subtotal)).toEqual([900n, 900n, 1000n])
      })
    )
  )

  it.effect("writes a page per transaction, with gapless numbers across pages, and reports progress", () =>
    run(
      Effect.gen(function* () {
        const many = Array.from({ length: 25 }, (_, i) =>
          subscription({ id: `sub-${String(i).padStart(2, "0")}` })
        )
        yield* seed(many)
        yield* TestClock.setTime(at(2026, 2, 10))
        const progress: Array<number> = []
        const summary = yield* runBilling({
          tenantId: "tenant-1",
          batchSize: 10,
          onProgress: (p) => Effect.sync(() => progress.push(p.invoiced))
        })
        expect(summary.invoiced).toBe(25)
        expect(progress).toEqual([10, 20, 25])
        const numbers = (yield* invoicesOf()).map((i) => i.number).sort()
        expect(numbers).toEqual(
          Array.from({ length: 25 }, (_, i) => `INV-2026-${String(i + 1).padStart(5, "0")}`)
        )
      })
    )
  )

  it.effect("refuses to run for a tenant without valid billing settings", () =>
    run(
      Effect.gen(function* () {
        const store = yield* Store
        yield* store.tenants.put(makeTenant({ settings: { billing: { seller: { country: "France" } } } }))
        const error = yield* Effect.flip(runBilling({ tenantId: "tenant-1" }))
        expect(error).toMatchObject({ _tag: "InvalidBillingSettings" })
      })
    )
  )
})
