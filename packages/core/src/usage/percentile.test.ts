import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compareRatios, ratio } from "../money/ratio"
import type { UsageSample } from "../ports/usage-source"
import { decodeUsagePlan, type PercentilePlan } from "./config"
import { discardedSlots, type PercentileMeasurement, percentile95, rate95thPercentile } from "./percentile"
import { slotBytesToMbps } from "./units"

const MIN5 = 300_000
const DAY = 86_400_000
const start = Date.UTC(2026, 3, 1)
const month = { startsAt: start, endsAt: start + 30 * DAY }
const sample = (slot: number, bytesOut: bigint, bytesIn = 0n): UsageSample => ({
  at: start + slot * MIN5,
  bytesIn,
  bytesOut
})
/** Bytes a slot carries at `mbps` (x 1,000,000 bps x 300 s / 8). */
const bytesAt = (mbps: bigint) => mbps * 37_500_000n

/** The larger of two bigints (`Math.max` takes numbers only). */
const larger = (a: bigint, b: bigint): bigint => {
  if (a > b) return a
  return b
}

const percentilePlan = (overrides: Record<string, unknown> = {}): PercentilePlan => {
  const plan = Either.getOrThrow(
    decodeUsagePlan({
      percentile95: {
        measure: "max",
        commitMbps: 100,
        overage: { prices: { EUR: "200" }, step: "1", rounding: "half-even" },
        ...overrides
      }
    })
  ).percentile95
  if (plan === undefined) throw new Error("expected a 95th percentile plan")
  return plan
}

const rate = (measurement: PercentileMeasurement, plan = percentilePlan()) =>
  Either.getOrThrow(rate95thPercentile({ plan, measurement, currency: "EUR", rounding: "half-even" }))

describe("discardedSlots", () => {
  it("discards the top 5% rounded up: 432 of 8,640 (30 days), 446 of 8,916 (a DST March), 1 of 20", () => {
    expect(discardedSlots(8640)).toBe(432)
    expect(discardedSlots(8641)).toBe(433)
    expect(discardedSlots(8916)).toBe(446)
    expect(discardedSlots(8928)).toBe(447)
    expect(discardedSlots(20)).toBe(1)
    expect(discardedSlots(21)).toBe(2)
    expect(discardedSlots(1)).toBe(1)
    expect(discardedSlots(0)).toBe(0)
  })
})

describe("percentile95", () => {
  it("over 30 days bills the 433rd highest of 8,640 slots, missing slots being zero", () => {
    const samples = [
      ...Array.from({ length: 432 }, (_, i) => sample(i * 10, bytesAt(900n))),
      sample(5000, bytesAt(120n)),
      sample(5001, bytesAt(80n))
    ]
    const p = percentile95(samples, month, "out")
    expect(p).toMatchObject({
      slots: 8640,
      slotsReported: 434,
      discarded: 432,
      billedSlotBytes: bytesAt(120n)
    })
    expect(p.rateMbps).toEqual(ratio(120n, 1n))
    expect(p.maxSlotBytes).toBe(bytesAt(900n))
    expect(p.seconds).toBe(2_592_000n)
  })

  it("bills nothing when fewer slots than the discarded 5% carry traffic (bursting 400 x 5 minutes)", () => {
    const samples = Array.from({ length: 400 }, (_, i) => sample(i, bytesAt(1000n)))
    expect(percentile95(samples, month, "sum").billedSlotBytes).toBe(0n)
  })

  it("combines the directions per slot: sum, max or out only", () => {
    const samples = Array.from({ length: 20 }, (_, i) => sample(i, BigInt(i + 1) * 10n, BigInt(20 - i) * 11n))
    const window = { startsAt: start, endsAt: start + 20 * MIN5 }
    // Slot i: out = 10(i+1), in = 11(20-i). One slot is discarded; the 2nd highest is billed.
    // sum = 230 - i: 230, 229, ... -> 229. max: 220 (in, i=0), 209 (in, i=1), 200 (out, i=19) -> 209.
    // out: 200, 190 -> 190.
    expect(percentile95(samples, window, "sum").billedSlotBytes).toBe(229n)
    expect(percentile95(samples, window, "max").billedSlotBytes).toBe(209n)
    expect(percentile95(samples, window, "out").billedSlotBytes).toBe(190n)
  })

  it("bills the same for samples in any order, and ignores samples outside the period", () => {
    const samples = [sample(3, 50n), sample(0, 70n), sample(2, 60n), sample(-1, 9999n), sample(12, 9999n)]
    const window = { startsAt: start, endsAt: start + 12 * MIN5 }
    const p = percentile95(samples, window, "out")
    expect(p.billedSlotBytes).toBe(60n)
    expect(p.samplesIgnored).toBe(2)
    expect(percentile95([...samples].reverse(), window, "out")).toEqual(p)
  })

  const windowAndSamples = fc.integer({ min: 1, max: 300 }).chain((slots) =>
    fc.tuple(
      fc.constant(slots),
      fc.array(
        fc.record({
          slot: fc.integer({ min: 0, max: slots - 1 }),
          bytesIn: fc.bigInt({ min: 0n, max: 10n ** 12n }),
          bytesOut: fc.bigInt({ min: 0n, max: 10n ** 12n })
        }),
        { maxLength: 400 }
      ),
      fc.constantFrom("sum" as const, "max" as const, "out" as const)
    )
  )
  const toSamples = (drawn: ReadonlyArray<{ slot: number; bytesIn: bigint; bytesOut: bigint }>) =>
    drawn.map((d) => sample(d.slot, d.bytesOut, d.bytesIn))

  it("is the value `discarded` places below the top of the sorted slots, also beyond 2^53 bytes a slot", () => {
    const huge = 2n ** 60n
    fc.assert(
      fc.property(
        windowAndSamples,
        fc.array(fc.bigInt({ min: 2n ** 53n - 2n, max: huge }), { maxLength: 30 }),
        ([slots, drawn, measure], big) => {
          const window = { startsAt: start, endsAt: start + slots * MIN5 }
          const all = [...toSamples(drawn), ...big.map((bytes, i) => sample(i % slots, bytes))]
          const p = percentile95(all, window, measure)
          // Reference: per slot the larger report in each direction, combined, sorted as bigints.
          const perSlot = Array.from({ length: slots }, (_, slot) => {
            const here = all.filter((s) => s.at === start + slot * MIN5)
            const bytesIn = here.reduce((m, s) => larger(m, s.bytesIn), 0n)
            const bytesOut = here.reduce((m, s) => larger(m, s.bytesOut), 0n)
            return measure === "sum"
              ? bytesIn + bytesOut
              : measure === "out"
                ? bytesOut
                : larger(bytesIn, bytesOut)
          }).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))
          expect(p.billedSlotBytes).toBe(perSlot[Math.ceil(slots / 20)] ?? 0n)
          expect(p.maxSlotBytes).toBe(perSlot[0] ?? 0n)
        }
      )
    )
  })

  it("picks exactly the 433rd highest of a full month of random slots (few distinct values or many)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 13n }), { minLength: 8640, maxLength: 8640 }),
        fc.integer({ min: 1, max: 1000 }),
        (drawn, spread) => {
          const values = drawn.map((bytes) => bytes % BigInt(spread * 1000))
          const p = percentile95(
            values.map((bytes, slot) => sample(slot, bytes)),
            month,
            "out"
          )
          const reference = [...values].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))
          expect(p.billedSlotBytes).toBe(reference[432])
          expect(p.maxSlotBytes).toBe(reference[0])
        }
      ),
      { numRuns: 25 }
    )
  })

  it("never exceeds the busiest slot, and is one of the slots' values (or zero)", () => {
    fc.assert(
      fc.property(windowAndSamples, ([slots, drawn, measure]) => {
        const p = percentile95(toSamples(drawn), { startsAt: start, endsAt: start + slots * MIN5 }, measure)
        expect(p.billedSlotBytes <= p.maxSlotBytes).toBe(true)
        expect(compareRatios(p.rateMbps, slotBytesToMbps(p.maxSlotBytes))).toBeLessThanOrEqual(0)
        expect(p.discarded).toBe(Math.ceil(slots / 20))
      })
    )
  })

  it("adding zero samples (in empty slots or repeating a slot) never raises it", () => {
    fc.assert(
      fc.property(
        windowAndSamples,
        fc.array(fc.nat(), { maxLength: 50 }),
        ([slots, drawn, measure], zeros) => {
          const window = { startsAt: start, endsAt: start + slots * MIN5 }
          const before = percentile95(toSamples(drawn), window, measure)
          const withZeros = [...toSamples(drawn), ...zeros.map((z) => sample(z % slots, 0n, 0n))]
          const after = percentile95(withZeros, window, measure)
          // Not only never higher: exactly the same, as a missing slot already counts as zero.
          expect(after.billedSlotBytes).toBe(before.billedSlotBytes)
        }
      )
    )
  })

  it("more traffic in a slot never lowers it", () => {
    fc.assert(
      fc.property(
        windowAndSamples,
        fc.nat(),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        ([slots, drawn, measure], pick, extra) => {
          const window = { startsAt: start, endsAt: start + slots * MIN5 }
          const before = percentile95(toSamples(drawn), window, measure)
          const grown = drawn.map((d, i) =>
            i === pick % Math.max(1, drawn.length) ? { ...d, bytesOut: d.bytesOut + extra } : d
          )
          expect(
            percentile95(toSamples(grown), window, measure).billedSlotBytes >= before.billedSlotBytes
          ).toBe(true)
        }
      )
    )
  })
})

describe("rate95thPercentile", () => {
  it("bills 112.5 Mbps against a 100 Mbps commit: 12.5 Mbps, whole Mbps half-even -> 12 x 2.00 = 24.00", () => {
    const samples = [
      ...Array.from({ length: 432 }, (_, i) => sample(i, bytesAt(900n))),
      sample(500, 4_218_750_000n)
    ]
    const rating = rate(percentile95(samples, month, "max"))
    expect(rating.rateMbps).toEqual(ratio(225n, 2n))
    expect(rating.overCommit).toBe(true)
    expect(rating.overage.exact).toEqual(ratio(25n, 2n))
    expect(rating.overage.billed).toEqual(ratio(12n, 1n))
    expect(rating.charge).toEqual({
      kind: "usage",
      description: "95th percentile bandwidth: 12 Mbps over 100 Mbps commit",
      quantity: 1n,
      unitAmount: 2400n,
      amount: 2400n,
      period: undefined
    })
    const up = rate(
      rating.measurement,
      percentilePlan({ overage: { prices: { EUR: "200" }, step: "0.1", rounding: "up" } })
    )
    expect(up.charge?.description).toBe("95th percentile bandwidth: 12.5 Mbps over 100 Mbps commit")
    expect(up.overage.amount).toBe(2500n)
  })

  it("bills nothing at or under the commit", () => {
    const samples = [
      ...Array.from({ length: 432 }, (_, i) => sample(i, bytesAt(900n))),
      sample(500, bytesAt(100n))
    ]
    const rating = rate(percentile95(samples, month, "max"))
    expect(rating.overCommit).toBe(false)
    expect(rating.overage.amount).toBe(0n)
    expect(rating.charge).toBeUndefined()
  })

  it("converts the 95th figure to a monthly transfer when the plan states it: 100 Mbps x 30 days", () => {
    const samples = [...Array.from({ length: 433 }, (_, i) => sample(i, bytesAt(100n)))]
    const plan = percentilePlan({ equivalentTransfer: { step: "1", rounding: "down" } })
    const rating = rate(percentile95(samples, month, "out"), plan)
    // 100,000,000 bps x 2,592,000 s / 8 / 1024^3 = 30,174.85 GB -> 30,174 (down).
    expect(rating.equivalentGb).toEqual(ratio(30_174n, 1n))
    expect(rate(rating.measurement).equivalentGb).toBeUndefined()
  })

  it("needs a price in the invoice currency only to bill something", () => {
    const quiet = percentile95([], month, "sum")
    const plan = percentilePlan()
    expect(
      Either.isRight(rate95thPercentile({ plan, measurement: quiet, currency: "USD", rounding: "up" }))
    ).toBe(true)
    const busy = percentile95(
      Array.from({ length: 433 }, (_, i) => sample(i, bytesAt(150n))),
      month,
      "sum"
    )
    const missing = rate95thPercentile({ plan, measurement: busy, currency: "USD", rounding: "up" })
    expect(Either.isLeft(missing) && missing.left).toMatchObject({
      _tag: "UsagePriceMissing",
      metric: "percentile95"
    })
  })

  it("the amount never falls as the 95th percentile rises", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.constantFrom("half-even" as const, "half-up" as const, "down" as const, "up" as const),
        (bytes, more, mode) => {
          const plan = percentilePlan({ overage: { prices: { EUR: "199" }, step: "0.5", rounding: mode } })
          const measurement = percentile95([], month, "sum")
          const low = rate({ ...measurement, billedSlotBytes: bytes, rateMbps: slotBytesToMbps(bytes) }, plan)
          const high = rate(
            { ...measurement, billedSlotBytes: bytes + more, rateMbps: slotBytesToMbps(bytes + more) },
            plan
          )
          expect(high.overage.amount >= low.overage.amount).toBe(true)
        }
      )
    )
  })
})
