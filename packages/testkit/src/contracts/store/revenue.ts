import { describe, expect } from "@effect/vitest"
import {
  type CurrencyCode,
  emptyRevenueLedger,
  foldRevenueEvent,
  IllegalRevenueEvent,
  InvalidTimeZone,
  type MrrMovement,
  type RevenueEvent,
  RevenueEventOutOfOrder,
  type RevenueLedger,
  type RevenueSnapshot,
  revenueSummaries
} from "@ezscale/core"
import { Effect, Either, HashMap, Option } from "effect"
import { collectPages } from "./records"
import { fresh, type StoreIt } from "./support"

const zone = "Europe/Berlin"
const HOUR = 3_600_000
/** 2026-01-01T00:00Z: 01:00 in Berlin. Events at 23:30 UTC fall on the next Berlin day. */
const t0 = Date.UTC(2026, 0, 1)

const snap = (
  subscriptionId: string,
  customerId: string,
  amount: bigint,
  currency: CurrencyCode = "EUR",
  cycle: RevenueSnapshot["cycle"] = "monthly"
): RevenueSnapshot => ({
  subscriptionId,
  customerId,
  productId: "vps",
  productKind: "vps",
  planId: `plan-${amount}`,
  currency,
  cycle,
  lines:
    cycle === "monthly" || cycle === "annually"
      ? [{ kind: "plan", itemId: `plan-${amount}`, cycle, amount }]
      : [],
  couponIds: []
})

/** One customer's history (in time order), on subscriptions named after the customer. */
const historyOf = (customer: string, offsetHours: number): ReadonlyArray<RevenueEvent> => {
  const at = (day: number, hour = 0) => t0 + day * 24 * HOUR + (hour + offsetHours) * HOUR
  const s = (n: number) => `${customer}-s${n}`
  return [
    { _tag: "RevenueStarted", at: at(0, 10), snapshot: snap(s(1), customer, 1000n) },
    { _tag: "RevenueStarted", at: at(3, 23.5), snapshot: snap(s(2), customer, 12000n, "USD", "annually") },
    { _tag: "RevenueChanged", at: at(20), reason: "plan_change", snapshot: snap(s(1), customer, 1500n) },
    { _tag: "RevenueChanged", at: at(33), reason: "reprice", snapshot: snap(s(1), customer, 1500n) },
    { _tag: "RevenueChurned", at: at(40), subscriptionId: s(2), customerId: customer, reason: "cancelled" },
    {
      _tag: "RevenueCouponEnded",
      at: at(45),
      couponId: "cpn",
      snapshot: snap(s(1), customer, 900n)
    },
    { _tag: "RevenueChurned", at: at(50), subscriptionId: s(1), customerId: customer, reason: "terminated" },
    { _tag: "RevenueReactivated", at: at(62), snapshot: snap(s(1), customer, 700n) },
    { _tag: "RevenueStarted", at: at(70), snapshot: snap(s(3), customer, 0n) }
  ]
}

/** The incremental fold of core, as the reference: the ledger and every movement. */
const reference = (events: ReadonlyArray<RevenueEvent>) => {
  let ledger: RevenueLedger = Either.getOrThrow(emptyRevenueLedger(zone))
  const movements: Array<MrrMovement> = []
  for (const event of events) {
    const next = Either.getOrThrow(foldRevenueEvent(ledger, event))
    ledger = next.ledger
    if (next.movement !== undefined) movements.push(next.movement)
  }
  return { ledger, movements, summaries: revenueSummaries(ledger) }
}

const byTime = (events: ReadonlyArray<RevenueEvent>) => [...events].sort((a, b) => a.at - b.at)

export const revenueContract = (it: StoreIt) => {
  describe("revenue metrics", () => {
    it.effect("apply keeps events, rows, movements, summaries and totals exactly as core's fold", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const events = byTime([...historyOf("c1", 0), ...historyOf("c2", 5)])
        const expected = reference(events)
        const seqs: Array<number> = []
        for (const event of events) seqs.push((yield* store.revenue.apply(tenantId, event, zone)).seq)
        expect(seqs.slice(0, 4)).toEqual([1, 1, 1, 1])
        const { summaries } = expected
        expect(yield* store.revenue.summaries(tenantId, "month", "0000-01", "9999-12")).toEqual(
          summaries.months
        )
        expect(yield* store.revenue.summaries(tenantId, "day", "0000-01-01", "9999-12-31")).toEqual(
          summaries.days
        )
        expect(summaries.months.length).toBeGreaterThan(2)
        const february = summaries.months.filter((m) => m.period === "2026-02")
        expect(yield* store.revenue.summaries(tenantId, "month", "2026-02", "2026-02")).toEqual(february)
        expect(yield* store.revenue.totals(tenantId)).toEqual({
          mrr: summaries.mrr,
          payers: summaries.payers,
          payingCustomers: summaries.payingCustomers
        })
        // the rows as the fold left them
        const rows = yield* store.revenue.rows(tenantId, "c1-s1", "c1")
        expect(rows.subscription).toEqual(
          Option.getOrUndefined(HashMap.get(expected.ledger.subscriptions, "c1-s1"))
        )
        expect(rows.customer).toEqual(Option.getOrUndefined(HashMap.get(expected.ledger.customers, "c1")))
        expect(yield* store.revenue.rows(tenantId, "none", "none")).toEqual({
          subscription: undefined,
          customer: undefined
        })
        // events in order per subscription
        const recorded = yield* store.revenue.events(tenantId, "c1-s1")
        const own = events.filter(
          (e) => (e._tag === "RevenueChurned" ? e.subscriptionId : e.snapshot.subscriptionId) === "c1-s1"
        )
        expect(recorded).toEqual(own.map((event, i) => ({ subscriptionId: "c1-s1", seq: i + 1, event })))
        // movements by time, in pages
        const movements = yield* collectPages(
          (after) =>
            store.revenue.movements(
              tenantId,
              { from: 0, to: t0 + 400 * 24 * HOUR },
              after === undefined ? { limit: 3 } : { after, limit: 3 }
            ),
          3
        )
        expect(movements).toEqual(expected.movements)
        const firstWeek = yield* store.revenue.movements(
          tenantId,
          { from: t0, to: t0 + 7 * 24 * HOUR },
          { limit: 50 }
        )
        expect(firstWeek.items).toEqual(expected.movements.filter((m) => m.at < t0 + 7 * 24 * HOUR))
        // another tenant has nothing
        expect(yield* store.revenue.summaries(otherTenantId, "month", "0000-01", "9999-12")).toEqual([])
        expect(yield* store.revenue.totals(otherTenantId)).toEqual({
          mrr: {},
          payers: {},
          payingCustomers: 0
        })
        expect(yield* store.revenue.events(otherTenantId, "c1-s1")).toEqual([])
      })
    )

    it.effect("a refused event or zone writes nothing", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const events = historyOf("c1", 0).slice(0, 3)
        for (const event of events) yield* store.revenue.apply(tenantId, event, zone)
        const before = {
          months: yield* store.revenue.summaries(tenantId, "month", "0000-01", "9999-12"),
          totals: yield* store.revenue.totals(tenantId),
          rows: yield* store.revenue.rows(tenantId, "c1-s1", "c1"),
          events: yield* store.revenue.events(tenantId, "c1-s1")
        }
        const again = yield* Effect.flip(store.revenue.apply(tenantId, events[0] as RevenueEvent, zone))
        expect(again).toBeInstanceOf(IllegalRevenueEvent)
        const late: RevenueEvent = {
          _tag: "RevenueChanged",
          at: t0,
          reason: "plan_change",
          snapshot: snap("c1-s1", "c1", 5000n)
        }
        expect(yield* Effect.flip(store.revenue.apply(tenantId, late, zone))).toBeInstanceOf(
          RevenueEventOutOfOrder
        )
        const badZone = yield* Effect.flip(
          store.revenue.apply(tenantId, { ...late, at: t0 + 400 * 24 * HOUR }, "Mars/Olympus")
        )
        expect(badZone).toBeInstanceOf(InvalidTimeZone)
        const failed = yield* Effect.either(
          store.withTransaction(
            Effect.zipRight(
              store.revenue.apply(tenantId, { ...late, at: t0 + 400 * 24 * HOUR }, zone),
              Effect.fail("boom" as const)
            )
          )
        )
        expect(failed._tag).toBe("Left")
        expect({
          months: yield* store.revenue.summaries(tenantId, "month", "0000-01", "9999-12"),
          totals: yield* store.revenue.totals(tenantId),
          rows: yield* store.revenue.rows(tenantId, "c1-s1", "c1"),
          events: yield* store.revenue.events(tenantId, "c1-s1")
        }).toEqual(before)
      })
    )

    it.effect("customers applied concurrently add up to the same summaries and totals", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const customers = Array.from({ length: 6 }, (_, i) => `p${i}`)
        const histories = customers.map((customer, i) => historyOf(customer, i * 3))
        yield* Effect.forEach(
          histories,
          (history) =>
            Effect.forEach(history, (event) => store.revenue.apply(tenantId, event, zone), { discard: true }),
          { concurrency: "unbounded", discard: true }
        )
        const { summaries } = reference(byTime(histories.flat()))
        expect(yield* store.revenue.summaries(tenantId, "month", "0000-01", "9999-12")).toEqual(
          summaries.months
        )
        expect(yield* store.revenue.summaries(tenantId, "day", "0000-01-01", "9999-12-31")).toEqual(
          summaries.days
        )
        expect(yield* store.revenue.totals(tenantId)).toEqual({
          mrr: summaries.mrr,
          payers: summaries.payers,
          payingCustomers: summaries.payingCustomers
        })
      })
    )
  })
}
