import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { BillingPeriod } from "../calendar/period"
import { periodInstants } from "../calendar/period"
import { decodeUsagePlan } from "./config"
import { rateUsage } from "./rate"
import { BYTES_PER_GB } from "./units"

const june: BillingPeriod = { start: { year: 2026, month: 6, day: 1 }, end: { year: 2026, month: 7, day: 1 } }
const window = periodInstants(june, "UTC")
const transfer = {
  measure: "out",
  includedGb: 10,
  overage: { prices: { EUR: "100" }, step: "1", rounding: "up" }
}
const percentile95 = {
  measure: "out",
  commitMbps: 0,
  overage: { prices: { EUR: "100" }, step: "1", rounding: "up" }
}
/** 433 slots of 1 GB out: 433 GB, and a 95th percentile of 1 GB x 8 / 300 = 28.63 Mbps. */
const samples = Array.from({ length: 433 }, (_, i) => ({
  at: window.startsAt + i * 300_000,
  bytesIn: 0n,
  bytesOut: BYTES_PER_GB
}))

const rate = (plan: unknown, currency: "EUR" | "USD" = "EUR") =>
  rateUsage({
    plan: Either.getOrThrow(decodeUsagePlan(plan)),
    samples,
    period: june,
    zone: "UTC",
    items: [],
    currency,
    rounding: "half-even"
  })

describe("rateUsage", () => {
  it("rates only what the plan configures, and lists transfer before the 95th percentile", () => {
    const transferOnly = Either.getOrThrow(rate({ transfer }))
    expect(transferOnly.percentile95).toBeUndefined()
    expect(transferOnly.charges.map((c) => [c.description, c.amount, c.period])).toEqual([
      ["Bandwidth overage: 423 GB over 10 GB included", 42_300n, june]
    ])
    const percentileOnly = Either.getOrThrow(rate({ percentile95 }))
    expect(percentileOnly.transfer).toBeUndefined()
    expect(percentileOnly.charges.map((c) => [c.description, c.amount])).toEqual([
      ["95th percentile bandwidth: 29 Mbps over 0 Mbps commit", 2900n]
    ])
    const both = Either.getOrThrow(rate({ transfer, percentile95 }))
    expect(both.charges.map((c) => c.amount)).toEqual([42_300n, 2900n])
    expect(both.window).toEqual(window)
  })

  it("fails with the first missing price, naming the metric", () => {
    const missing = rate({ percentile95 }, "USD")
    expect(Either.isLeft(missing) && missing.left).toMatchObject({
      _tag: "UsagePriceMissing",
      metric: "percentile95"
    })
    const first = rate({ transfer, percentile95 }, "USD")
    expect(Either.isLeft(first) && first.left).toMatchObject({ metric: "transfer", currency: "USD" })
  })
})
