/**
 * Bandwidth billing end to end: a VPS whose plan bills monthly transfer over a quota AND the 95th
 * percentile over a commit, rated from one month of 5-minute samples and billed on the next renewal
 * invoice (usage in arrears). Amounts are chosen to be checked by hand:
 *
 * - 1 GB = 1024^3 bytes; a 5-minute slot of `b` bytes is `b x 8 / 300` bps; 1 Mbps = 1,000,000 bps.
 * - April 2026 in Paris (no DST change) has 30 days = 8,640 slots; the top 432 are discarded.
 * - The samples: 432 bursts of 4 GB out (114.53 Mbps each); one slot of 4,218,750,000 bytes out
 *   (x 8 / 300 = 112,500,000 bps = 112.5 Mbps) with 1,150,277,120 bytes in (5 GB in that slot in all);
 *   1,213 quiet slots of 0.25 GB in (7.16 Mbps); every other slot is missing (zero).
 * - Transfer (in + out): 432 x 4 + 5 + 1,213 x 0.25 = 1,728 + 5 + 303.25 = 2,036.25 GB.
 * - 95th percentile, max(in, out) per slot: the 433rd highest slot is the 112.5 Mbps one.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  anniversaryPeriod,
  type BillingPeriod,
  BYTES_PER_GB,
  decodeUsagePlan,
  formatIsoDate,
  type PricedItem,
  periodInstants,
  rateUsage,
  ratio,
  renewalInvoice,
  type UsageSample
} from "../../../src"
import { coupon, customer, item, lineView, subscription, taxFor } from "../invoicing/helpers"

const GB = BYTES_PER_GB
const zone = "Europe/Paris"
const anchor = { year: 2026, month: 1, day: 1 }
const april = anniversaryPeriod(anchor, "monthly", 3)
const may = anniversaryPeriod(anchor, "monthly", 4)

/** 1,000 GB included (soft limit 1,500), 0.50 EUR per GB over in steps of 0.1 GB rounded up; 100 Mbps commit
 * at 2.00 EUR per Mbps over, whole Mbps half-even. "+1 TB transfer" adds 1,024 GB to quota and soft limit. */
const plan = Either.getOrThrow(
  decodeUsagePlan({
    transfer: {
      measure: "sum",
      includedGb: 1000,
      softLimitGb: 1500,
      overage: { prices: { EUR: "50" }, step: "0.1", rounding: "up" },
      boosts: [{ itemId: "extra-transfer", quotaGb: 1024, softLimitGb: 1024 }]
    },
    percentile95: {
      measure: "max",
      commitMbps: 100,
      overage: { prices: { EUR: "200" }, step: "1", rounding: "half-even" },
      equivalentTransfer: { step: "1", rounding: "down" }
    }
  })
)

const planItem = item("plan", "vps-2g", "KVM VPS — 2 GB", 1000n)
const extraTransfer = item("option", "extra-transfer", "+1 TB transfer", 500n)
const withOption: ReadonlyArray<PricedItem> = [planItem, extraTransfer]

/** A sample in the period's slot `slot` (5 minutes from the period's first instant in Paris). */
const slotSample = (period: BillingPeriod, slot: number, bytesOut: bigint, bytesIn = 0n): UsageSample => ({
  at: periodInstants(period, zone).startsAt + slot * 300_000,
  bytesIn,
  bytesOut
})

const aprilSamples: ReadonlyArray<UsageSample> = [
  ...Array.from({ length: 432 }, (_, i) => slotSample(april, i, 4n * GB)),
  slotSample(april, 500, 4_218_750_000n, 5n * GB - 4_218_750_000n),
  ...Array.from({ length: 1213 }, (_, i) => slotSample(april, 1000 + i, 0n, GB / 4n)),
  // Noise the rules must absorb: a sample from March 31 (ignored), a second report of slot 1000 (merged).
  slotSample(april, -1, 100n * GB),
  slotSample(april, 1000, 0n, 1_000_000n)
]

const rateApril = (samples: ReadonlyArray<UsageSample>, items: ReadonlyArray<PricedItem> = withOption) =>
  Either.getOrThrow(
    rateUsage({ plan, samples, period: april, zone, items, currency: "EUR", rounding: "half-even" })
  )

const mayRenewal = (
  usage: ReturnType<typeof rateApril>["charges"],
  items = withOption,
  coupons = [] as ReturnType<typeof coupon>[]
) =>
  Either.getOrThrow(
    renewalInvoice({
      invoiceId: "inv_may",
      subscription: subscription("EUR", items),
      period: may,
      cycleNumber: 5,
      coupons,
      usage,
      includeSetup: false,
      tax: taxFor(customer()),
      dueAt: periodInstants(may, zone).startsAt,
      rounding: "half-even"
    })
  )

describe("April's transfer and 95th percentile on May's renewal (FR 20% VAT)", () => {
  const rating = rateApril(aprilSamples)

  it("measures April from local midnight to local midnight: 8,640 slots, 432 discarded", () => {
    expect([formatIsoDate(april.start), formatIsoDate(april.end)]).toEqual(["2026-04-01", "2026-05-01"])
    expect(rating.window).toEqual({ startsAt: Date.UTC(2026, 2, 31, 22), endsAt: Date.UTC(2026, 3, 30, 22) })
    expect(rating.percentile95?.measurement).toMatchObject({
      slots: 8640,
      discarded: 432,
      slotsReported: 1646,
      slotsMerged: 1,
      samplesIgnored: 1
    })
  })

  it("transfer: 2,036.25 GB against 1,000 + 1,024 GB included -> 12.25 over -> 12.3 GB x 0.50 = 6.15", () => {
    const transfer = rating.transfer
    expect(transfer?.measurement.usedBytes).toBe(2036n * GB + GB / 4n)
    expect(transfer?.allowance).toEqual({ includedGb: 2024n, softLimitGb: 2524n })
    expect(transfer?.overage.billed).toEqual(ratio(123n, 10n))
    expect(transfer?.overQuota).toBe(true)
    expect(transfer?.softLimitExceeded).toBe(false)
  })

  it("95th percentile: 112.5 Mbps, 12.5 over the 100 Mbps commit -> 12 Mbps (half-even) x 2.00 = 24.00", () => {
    const p95 = rating.percentile95
    expect(p95?.rateMbps).toEqual(ratio(225n, 2n))
    expect(p95?.overage.billed).toEqual(ratio(12n, 1n))
    // 112,500,000 bps x 2,592,000 s / 8 = 36,450,000,000,000 bytes = 33,946.7 GB -> 33,946 (down).
    expect(p95?.equivalentGb).toEqual(ratio(33_946n, 1n))
  })

  it("puts both usage lines on the renewal, each taxed once: 4,515 + 903 VAT = 54.18", () => {
    expect(rating.charges.map((c) => [c.description, c.amount])).toEqual([
      ["Bandwidth overage: 12.3 GB over 2,024 GB included", 615n],
      ["95th percentile bandwidth: 12 Mbps over 100 Mbps commit", 2400n]
    ])
    const invoice = mayRenewal(rating.charges)
    expect(lineView(invoice.lines)).toEqual([
      ["plan", 1000n, 200n],
      ["option", 500n, 100n],
      ["usage", 615n, 123n],
      ["usage", 2400n, 480n]
    ])
    // The usage lines bill April; the invoice bills May.
    expect(invoice.lines[2]?.period).toEqual(april)
    expect(invoice.period).toEqual(may)
    expect(invoice.totals).toEqual({ subtotal: 4515n, tax: 903n, total: 5418n, discount: 0n })
    expect(invoice.taxSummary).toEqual([
      { kind: "taxed", ruleId: "fr-vat", name: "TVA", rate: { num: 1n, den: 5n }, base: 4515n, tax: 903n }
    ])
  })

  it("a coupon discounts the recurring lines only, never usage: 10% of 15.00", () => {
    const invoice = mayRenewal(rating.charges, withOption, [
      coupon({ kind: "percent", rate: "10", duration: "forever" })
    ])
    expect(lineView(invoice.lines).at(-1)).toEqual(["discount", -150n, -30n])
    expect(invoice.lines.at(-1)?.reduces).toEqual([0, 1])
    expect(invoice.totals).toEqual({ subtotal: 4365n, tax: 873n, total: 5238n, discount: -180n })
  })
})

describe("a month of 400 bursts", () => {
  // 400 slots of 4 GB out: 1,600 GB, each slot 114.53 Mbps, above the commit.
  const bursts = Array.from({ length: 400 }, (_, i) => slotSample(april, i * 20, 4n * GB))

  it("bills no 95th percentile (400 < 432 discarded slots) and, with +1 TB, no transfer either", () => {
    const rating = rateApril(bursts)
    expect(rating.percentile95?.rateMbps).toEqual(ratio(0n, 1n))
    expect(rating.charges).toEqual([])
    expect(rating.transfer?.softLimitExceeded).toBe(false)
    expect(mayRenewal(rating.charges).totals).toEqual({
      subtotal: 1500n,
      tax: 300n,
      total: 1800n,
      discount: 0n
    })
  })

  it("without the option: 600.0 GB over 1,000 -> 300.00, and the soft limit of 1,500 GB is exceeded", () => {
    const rating = rateApril(bursts, [planItem])
    expect(rating.transfer?.softLimitExceeded).toBe(true)
    expect(rating.charges.map((c) => [c.description, c.amount])).toEqual([
      ["Bandwidth overage: 600.0 GB over 1,000 GB included", 30_000n]
    ])
    const invoice = mayRenewal(rating.charges, [planItem])
    expect(lineView(invoice.lines)).toEqual([
      ["plan", 1000n, 200n],
      ["usage", 30_000n, 6000n]
    ])
    expect(invoice.totals.total).toBe(37_200n)
  })
})

describe("March 2026 in Paris: 743 hours (DST starts on the 29th)", () => {
  const march = anniversaryPeriod(anchor, "monthly", 2)
  // 446 bursts, then 112.5 Mbps: with 8,916 slots the 447th highest is billed (a 30-day month would bill a burst).
  const samples = [
    ...Array.from({ length: 446 }, (_, i) => slotSample(march, i, 4n * GB)),
    slotSample(march, 8915, 4_218_750_000n)
  ]

  it("has 8,916 slots, discards 446 and bills the 112.5 Mbps slot; the last slot (an hour short) counts", () => {
    const rating = Either.getOrThrow(
      rateUsage({
        plan,
        samples,
        period: march,
        zone,
        items: withOption,
        currency: "EUR",
        rounding: "half-even"
      })
    )
    expect(rating.percentile95?.measurement).toMatchObject({ slots: 8916, discarded: 446, samplesIgnored: 0 })
    expect(rating.percentile95?.charge?.amount).toBe(2400n)
    // 446 x 4 GB + 3.93 GB = 1,787.93 GB, under the 2,024 GB included.
    expect(rating.transfer?.charge).toBeUndefined()
  })
})
