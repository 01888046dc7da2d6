/**
 * Three customers over three months, reporting in Europe/Berlin, with every movement and rate worked
 * out by hand (M = one minor unit of MRR, 72 MRR units):
 *
 * | when (UTC)        | what                                                          | movement            |
 * | ----------------- | ------------------------------------------------------------- | ------------------- |
 * | Jan 5             | Ada starts vps-2g at 120.00 EUR a year -> 10.00               | new EUR 10.00       |
 * | Jan 10            | Bob starts vps-2g at 30.00 EUR a quarter -> 10.00             | new EUR 10.00       |
 * | Jan 20            | Cy starts game-8g at 20.00 USD a month, 25% off for 3 cycles  | new USD 15.00       |
 * | Feb 3             | Bob upgrades to vps-4g at 60.00 a quarter -> 20.00            | expansion EUR 10.00 |
 * | Feb 14            | Ada cancels                                                   | churned EUR 10.00   |
 * | Feb 20            | Cy downgrades to game-4g at 12.00, still 25% off -> 9.00      | contraction USD 6.00 |
 * | Feb 28 23:30      | Ada comes back: vps-4g at 20.00 a month (Mar 1 in Berlin)     | reactivation EUR 20.00 |
 * | Mar 20            | Cy's coupon has discounted its 3 invoices -> 12.00            | expansion USD 3.00  |
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  arpu,
  emptyRevenueLedger,
  foldRevenueEvent,
  type MovementKind,
  periodMetrics,
  popularPlans,
  type ReportingConversion,
  type RevenueEvent,
  type RevenueLedger,
  ratePercent,
  reportMrr,
  reportPeriodMetrics,
  revenueFromHistory,
  revenueSummaries
} from "../../../src"
import { coupon, noon, rate, snapshotOf, subscription } from "./helpers"

const M = 72n
const zone = "Europe/Berlin"
const threeCycles = coupon({
  id: "cpn_3x25",
  code: "WELCOME",
  kind: "percent",
  rate: "25",
  duration: { cycles: 3 }
})

const ada1 = subscription({
  id: "ada-1",
  customerId: "ada",
  planId: "vps-2g",
  currency: "EUR",
  cycle: "annually",
  amount: 12000n
})
const bob = subscription({
  id: "bob-1",
  customerId: "bob",
  planId: "vps-2g",
  currency: "EUR",
  cycle: "quarterly",
  amount: 3000n
})
const bobUp = subscription({
  id: "bob-1",
  customerId: "bob",
  planId: "vps-4g",
  currency: "EUR",
  cycle: "quarterly",
  amount: 6000n
})
const cyOf = (planId: string, amount: bigint, invoicedPeriods: number) =>
  subscription({
    id: "cy-1",
    customerId: "cy",
    planId,
    productKind: "game_server",
    currency: "USD",
    cycle: "monthly",
    amount,
    invoicedPeriods
  })
const ada2 = subscription({
  id: "ada-2",
  customerId: "ada",
  planId: "vps-4g",
  currency: "EUR",
  cycle: "monthly",
  amount: 2000n
})

const history: ReadonlyArray<RevenueEvent> = [
  { _tag: "RevenueStarted", at: noon(2026, 1, 5), snapshot: snapshotOf(ada1) },
  { _tag: "RevenueStarted", at: noon(2026, 1, 10), snapshot: snapshotOf(bob) },
  {
    _tag: "RevenueStarted",
    at: noon(2026, 1, 20),
    snapshot: snapshotOf(cyOf("game-8g", 2000n, 1), [threeCycles])
  },
  { _tag: "RevenueChanged", at: noon(2026, 2, 3), reason: "plan_change", snapshot: snapshotOf(bobUp) },
  {
    _tag: "RevenueChurned",
    at: noon(2026, 2, 14),
    subscriptionId: "ada-1",
    customerId: "ada",
    reason: "cancelled"
  },
  {
    _tag: "RevenueChanged",
    at: noon(2026, 2, 20),
    reason: "plan_change",
    snapshot: snapshotOf(cyOf("game-4g", 1200n, 2), [threeCycles])
  },
  { _tag: "RevenueStarted", at: Date.UTC(2026, 1, 28, 23, 30), snapshot: snapshotOf(ada2) },
  {
    _tag: "RevenueCouponEnded",
    at: noon(2026, 3, 20),
    couponId: "cpn_3x25",
    snapshot: snapshotOf(cyOf("game-4g", 1200n, 3), [threeCycles])
  }
]

const fold = () => {
  let ledger: RevenueLedger = Either.getOrThrow(emptyRevenueLedger(zone))
  const movements: Array<
    [MovementKind | undefined, string | undefined, bigint | undefined, string | undefined]
  > = []
  for (const event of history) {
    const step = Either.getOrThrow(foldRevenueEvent(ledger, event))
    ledger = step.ledger
    movements.push([step.movement?.kind, step.movement?.currency, step.movement?.units, step.movement?.day])
  }
  return { ledger, movements }
}
const { ledger, movements } = fold()
const summaries = revenueSummaries(ledger)
const inEur = (date: string): ReportingConversion => ({
  currency: "EUR",
  date,
  rates: [rate("USD", "EUR", "0.9", date)],
  rounding: "half-even"
})
const metrics = (period: string, rows = summaries.months) => Either.getOrThrow(periodMetrics(rows, period))

describe("scenario: MRR movements of Ada, Bob and Cy, January to March 2026", () => {
  it("each event makes the movement in the table, on its Berlin day", () => {
    expect(movements).toEqual([
      ["new", "EUR", 1000n * M, "2026-01-05"],
      ["new", "EUR", 1000n * M, "2026-01-10"],
      ["new", "USD", 1500n * M, "2026-01-20"],
      ["expansion", "EUR", 1000n * M, "2026-02-03"],
      ["churned", "EUR", 1000n * M, "2026-02-14"],
      ["contraction", "USD", 600n * M, "2026-02-20"],
      ["reactivation", "EUR", 2000n * M, "2026-03-01"],
      ["expansion", "USD", 300n * M, "2026-03-20"]
    ])
  })

  it("the batch over the whole history gives the same summaries", () => {
    expect(Either.getOrThrow(revenueFromHistory(history, zone))).toEqual(summaries)
  })

  it("MRR and ARR at the end: EUR 40.00 (Bob 20.00 + Ada 20.00), USD 12.00; 50.80 EUR at 0.90", () => {
    expect(summaries.mrr).toEqual({ EUR: 4000n * M, USD: 1200n * M })
    const report = Either.getOrThrow(reportMrr(summaries.mrr, inEur("2026-03-31")))
    expect(report.currencies.map((c) => [c.currency, c.mrr.amount, c.arr.amount])).toEqual([
      ["EUR", 4000n, 48000n],
      ["USD", 1200n, 14400n]
    ])
    expect(report.total).toEqual({
      mrr: { amount: 5080n, currency: "EUR" },
      arr: { amount: 60960n, currency: "EUR" }
    })
  })

  it("January: 3 new customers, EUR 20.00 and USD 15.00 new; no rate without customers at the start", () => {
    const january = metrics("2026-01")
    expect(january.currencies.map((c) => [c.currency, c.mrrStart, c.movements.new, c.mrrEnd])).toEqual([
      ["EUR", 0n, 2000n * M, 2000n * M],
      ["USD", 0n, 1500n * M, 1500n * M]
    ])
    expect(january.customers).toMatchObject({
      start: 0,
      new: 3,
      end: 3,
      churnRate: undefined,
      growthRate: undefined
    })
  })

  it("February: an expansion, a churn and a contraction; 1 of 3 customers lost", () => {
    const february = metrics("2026-02")
    const [eur, usd] = february.currencies
    expect(eur).toMatchObject({
      currency: "EUR",
      mrrStart: 2000n * M,
      mrrEnd: 2000n * M,
      movements: { new: 0n, expansion: 1000n * M, contraction: 0n, churned: 1000n * M, reactivation: 0n },
      payersStart: 2,
      payersEnd: 1,
      // Ada lost her 10.00; Bob grew 10.00 -> 20.00: the cohort lost 10.00 of 20.00 and kept 20.00.
      revenueChurnRate: { num: 1n, den: 2n },
      netRevenueRetention: { num: 1n, den: 1n }
    })
    expect(usd).toMatchObject({
      currency: "USD",
      mrrStart: 1500n * M,
      mrrEnd: 900n * M,
      movements: { contraction: 600n * M },
      // Cy 15.00 -> 9.00: 6.00 of 15.00 lost (2/5), 9.00 kept (3/5).
      revenueChurnRate: { num: 2n, den: 5n },
      netRevenueRetention: { num: 3n, den: 5n }
    })
    expect(february.customers).toEqual({
      start: 3,
      end: 2,
      new: 0,
      reactivated: 0,
      churned: 1,
      lost: 1,
      churnRate: { num: 1n, den: 3n },
      growthRate: { num: -1n, den: 3n }
    })
    expect(ratePercent(february.customers.churnRate ?? { num: 0n, den: 1n }, 2, "half-even")).toBe("33.33")
    expect(ratePercent(february.customers.growthRate ?? { num: 0n, den: 1n }, 1, "half-even")).toBe("-33.3")
  })

  it("February in EUR at 0.90: MRR 33.50 -> 28.10, revenue churn 15.40 / 33.50, retention 28.10 / 33.50", () => {
    const reported = Either.getOrThrow(reportPeriodMetrics(metrics("2026-02"), inEur("2026-02-28")))
    expect(reported.mrrStart).toEqual({ amount: 3350n, currency: "EUR" })
    expect(reported.mrrEnd).toEqual({ amount: 2810n, currency: "EUR" })
    expect(reported.movements.contraction).toEqual({ amount: 540n, currency: "EUR" })
    expect(reported.movements.churned).toEqual({ amount: 1000n, currency: "EUR" })
    expect(reported.revenueChurnRate).toEqual({ num: 154n, den: 335n })
    expect(reported.netRevenueRetention).toEqual({ num: 281n, den: 335n })
    expect(ratePercent(reported.netRevenueRetention ?? { num: 0n, den: 1n }, 2, "half-even")).toBe("83.88")
  })

  it("March: Ada reactivates (Mar 1 in Berlin), Cy's coupon ends; retention counts only Bob and Cy", () => {
    const march = metrics("2026-03")
    expect(
      march.currencies.map((c) => [c.currency, c.movements.reactivation, c.movements.expansion, c.mrrEnd])
    ).toEqual([
      ["EUR", 2000n * M, 0n, 4000n * M],
      ["USD", 0n, 300n * M, 1200n * M]
    ])
    expect(march.currencies.map((c) => c.netRevenueRetention)).toEqual([
      { num: 1n, den: 1n },
      { num: 4n, den: 3n }
    ])
    expect(march.customers).toMatchObject({
      start: 2,
      reactivated: 1,
      end: 3,
      lost: 0,
      churnRate: { num: 0n, den: 1n },
      growthRate: { num: 1n, den: 2n }
    })
  })

  it("per day: Feb 14 is Ada's churn of 10.00 out of 30.00; Feb 28 has no movement in Berlin", () => {
    const day = metrics("2026-02-14", summaries.days)
    expect(day.currencies[0]).toMatchObject({
      currency: "EUR",
      mrrStart: 3000n * M,
      mrrEnd: 2000n * M,
      revenueChurnRate: { num: 1n, den: 3n }
    })
    expect(day.customers).toMatchObject({ start: 3, end: 2, churned: 1, lost: 1 })
    expect(summaries.days.map((d) => d.period)).toEqual([
      "2026-01-05",
      "2026-01-10",
      "2026-01-20",
      "2026-02-03",
      "2026-02-14",
      "2026-02-20",
      "2026-03-01",
      "2026-03-20"
    ])
  })

  it("ARPU at the end: EUR 40.00 / 2 = 20.00, USD 12.00 / 1, and 50.80 EUR / 3 = 16.93", () => {
    const result = Either.getOrThrow(arpu(summaries, inEur("2026-03-31")))
    expect(result.currencies.map((c) => [c.currency, c.payers, c.arpu.amount])).toEqual([
      ["EUR", 2, 2000n],
      ["USD", 1, 1200n]
    ])
    expect(result.total).toEqual({ amount: 1693n, currency: "EUR" })
  })

  it("popular plans: vps-4g (Bob and Ada, 40.00 EUR), then game-4g; Ada's churned vps-2g is gone", () => {
    expect(popularPlans(summaries.subscriptions)).toEqual([
      { productId: "vps", planId: "vps-4g", productKind: "vps", subscriptions: 2, mrr: { EUR: 4000n * M } },
      {
        productId: "game",
        planId: "game-4g",
        productKind: "game_server",
        subscriptions: 1,
        mrr: { USD: 1200n * M }
      }
    ])
    expect(popularPlans(summaries.subscriptions, 1)).toHaveLength(1)
  })
})
