/**
 * Incremental == batch: folding a history into a ledger event by event gives exactly the summaries the
 * batch path computes from the whole history, on random histories of starts, upgrades, downgrades,
 * coupon ends, cancellations and reactivations, for several customers in several currencies and zones.
 */
import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { RecurringCycles } from "../catalog/cycle"
import type { CurrencyCode } from "../money/currency"
import { revenueFromHistory } from "./batch"
import type { RevenueEvent } from "./events"
import { emptyRevenueLedger, replayRevenueEvents, revenueSummaries } from "./ledger"
import { periodMetrics } from "./period"
import type { RevenueLine, RevenueSnapshot } from "./snapshot"
import { netUnits } from "./summary"

const currencies: ReadonlyArray<CurrencyCode> = ["EUR", "USD", "JPY"]
const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
const DAY = 86_400_000

const line: fc.Arbitrary<RevenueLine> = fc.record({
  kind: fc.constantFrom("plan" as const, "option" as const, "addon" as const),
  itemId: fc.constantFrom("a", "b", "c"),
  cycle: fc.constantFrom(...RecurringCycles),
  // Few distinct amounts, so that equal MRR (no movement) happens too; zero is a free line.
  amount: fc.oneof(fc.constantFrom(0n, 1000n, 3000n, 12000n), fc.bigInt({ min: 0n, max: 10n ** 7n }))
})

interface Step {
  readonly sub: number
  readonly choice: number
  readonly gap: number
  readonly lines: ReadonlyArray<RevenueLine>
  readonly plan: string
}

const step: fc.Arbitrary<Step> = fc.record({
  sub: fc.nat({ max: 7 }),
  choice: fc.nat({ max: 9 }),
  // From the same millisecond to three weeks later: same day, same month and month changes all happen.
  gap: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 3_600_000 }),
    fc.integer({ min: 0, max: 21 * DAY })
  ),
  lines: fc.array(line, { minLength: 0, maxLength: 3 }),
  plan: fc.constantFrom("p1", "p2", "p3")
})

const owners = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...currencies)), {
  minLength: 8,
  maxLength: 8
})

/** Turns random steps into a valid history: each step does what the subscription's state allows. */
const history = (
  ownership: ReadonlyArray<[number, CurrencyCode]>,
  steps: ReadonlyArray<Step>
): Array<RevenueEvent> => {
  const state: Array<"unknown" | "live" | "churned"> = ownership.map(() => "unknown")
  const events: Array<RevenueEvent> = []
  let at = Date.UTC(2026, 0, 28, 22)
  for (const s of steps) {
    at += s.gap
    const [customer, currency] = ownership[s.sub] as [number, CurrencyCode]
    const snapshot: RevenueSnapshot = {
      subscriptionId: `s${s.sub}`,
      customerId: `c${customer}`,
      productId: "prod",
      productKind: "vps",
      planId: s.plan,
      currency,
      cycle: "monthly",
      lines: s.lines,
      couponIds: []
    }
    const current = state[s.sub]
    if (current === "unknown") {
      events.push({ _tag: "RevenueStarted", at, snapshot })
      state[s.sub] = "live"
    } else if (current === "live") {
      if (s.choice < 5) events.push({ _tag: "RevenueChanged", at, reason: "plan_change", snapshot })
      else if (s.choice === 5) events.push({ _tag: "RevenueCouponEnded", at, couponId: "c", snapshot })
      else {
        events.push({
          _tag: "RevenueChurned",
          at,
          subscriptionId: `s${s.sub}`,
          customerId: `c${customer}`,
          reason: "cancelled"
        })
        state[s.sub] = "churned"
      }
    } else if (s.choice < 6) {
      events.push({ _tag: "RevenueReactivated", at, snapshot })
      state[s.sub] = "live"
    }
  }
  return events
}

const incremental = (events: ReadonlyArray<RevenueEvent>, zone: string) =>
  Either.map(
    Either.flatMap(emptyRevenueLedger(zone), (ledger) => replayRevenueEvents(ledger, events)),
    revenueSummaries
  )

describe("incremental == batch", () => {
  it("gives the same MRR, rows, day and month summaries on any valid history (property)", () => {
    fc.assert(
      fc.property(
        owners,
        fc.array(step, { maxLength: 60 }),
        fc.constantFrom(...zones),
        (ownership, steps, zone) => {
          const events = history(ownership, steps)
          const folded = Either.getOrThrow(incremental(events, zone))
          const batch = Either.getOrThrow(revenueFromHistory(events, zone))
          expect(folded).toEqual(batch)

          // The summaries add up to MRR and to the paying customers.
          for (const rows of [folded.days, folded.months]) {
            const net: Partial<Record<CurrencyCode, bigint>> = {}
            let customers = 0
            for (const row of rows) {
              customers += row.customersNew + row.customersReactivated - row.customersChurned
              for (const [currency, summary] of Object.entries(row.currencies)) {
                net[currency as CurrencyCode] = (net[currency as CurrencyCode] ?? 0n) + netUnits(summary)
              }
            }
            for (const currency of currencies) expect(net[currency] ?? 0n).toBe(folded.mrr[currency] ?? 0n)
            expect(customers).toBe(folded.payingCustomers)
          }
          // Rates stay in range: churn within [0, 1], retention never negative.
          for (const month of folded.months) {
            const metrics = Either.getOrThrow(periodMetrics(folded.months, month.period))
            const { customers } = metrics
            expect(customers.lost >= 0 && customers.lost <= customers.start).toBe(true)
            for (const c of metrics.currencies) {
              if (c.revenueChurnRate !== undefined) {
                expect(c.revenueChurnRate.num >= 0n && c.revenueChurnRate.num <= c.revenueChurnRate.den).toBe(
                  true
                )
              }
              if (c.netRevenueRetention !== undefined) expect(c.netRevenueRetention.num >= 0n).toBe(true)
            }
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it("refuses the same first event on any history, valid or not (property)", () => {
    const raw = fc.record({
      tag: fc.constantFrom(
        "RevenueStarted",
        "RevenueChanged",
        "RevenueCouponEnded",
        "RevenueChurned",
        "RevenueReactivated"
      ),
      sub: fc.nat({ max: 3 }),
      customer: fc.nat({ max: 2 }),
      currency: fc.constantFrom(...currencies),
      at: fc.integer({ min: 0, max: 40 }),
      lines: fc.array(line, { maxLength: 2 })
    })
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 25 }), (raws) => {
        const events = raws.map((r): RevenueEvent => {
          const at = Date.UTC(2026, 0, 1) + r.at * DAY
          const snapshot: RevenueSnapshot = {
            subscriptionId: `s${r.sub}`,
            customerId: `c${r.customer}`,
            productId: "prod",
            productKind: "vps",
            planId: "p",
            currency: r.currency,
            cycle: "monthly",
            lines: r.lines,
            couponIds: []
          }
          switch (r.tag) {
            case "RevenueChurned":
              return {
                _tag: r.tag,
                at,
                subscriptionId: `s${r.sub}`,
                customerId: `c${r.customer}`,
                reason: "terminated"
              }
            case "RevenueChanged":
              return { _tag: r.tag, at, reason: "reprice", snapshot }
            case "RevenueCouponEnded":
              return { _tag: r.tag, at, couponId: "x", snapshot }
            case "RevenueStarted":
            case "RevenueReactivated":
              return { _tag: r.tag, at, snapshot }
          }
          throw new Error("unreachable")
        })
        expect(incremental(events, "UTC")).toEqual(revenueFromHistory(events, "UTC"))
      }),
      { numRuns: 500 }
    )
  })
})
