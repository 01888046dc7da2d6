import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addRatios, compareRatios, ratio } from "../money/ratio"
import { RoundingModes } from "../money/rounding"
import { decodeUsagePlan, type TransferPlan } from "./config"
import { type AllowanceItem, measureTransfer, rateTransfer, transferAllowance } from "./transfer"
import { BYTES_PER_GB } from "./units"

const GB = BYTES_PER_GB

/** The test plan in its JSON form, with fields replaced (or left out when given as `undefined`). */
const transferPlan = (overrides: Record<string, unknown> = {}): TransferPlan => {
  const input: Record<string, unknown> = {
    measure: "sum",
    includedGb: 1000,
    softLimitGb: 1200,
    overage: { prices: { EUR: "50", JPY: "0.5" }, step: "0.1", rounding: "up" },
    boosts: [
      { itemId: "extra-transfer", quotaGb: 1024, softLimitGb: 1024 },
      { itemId: "bandwidth-tier", choiceId: "double", quotaGb: 1000 }
    ],
    ...overrides
  }
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key]
  const plan = Either.getOrThrow(decodeUsagePlan({ transfer: input })).transfer
  if (plan === undefined) throw new Error("expected a transfer plan")
  return plan
}

const plan = transferPlan()
const option = (itemId: string, quantity: bigint, choiceId?: string): AllowanceItem => ({
  kind: "option",
  itemId,
  quantity,
  ...(choiceId === undefined ? {} : { choiceId })
})

const rate = (
  usedBytes: bigint,
  items: ReadonlyArray<AllowanceItem> = [],
  p = plan,
  currency = "EUR" as const
) => rateTransfer({ plan: p, usedBytes, items, currency, rounding: "half-even" })

describe("measureTransfer", () => {
  const window = { startsAt: 0, endsAt: 3 * 300_000 }
  const samples = [
    { at: 0, bytesIn: 10n, bytesOut: 1n },
    { at: 300_000, bytesIn: 0n, bytesOut: 7n },
    { at: 600_000, bytesIn: 1n, bytesOut: 4n },
    { at: 900_000, bytesIn: 1000n, bytesOut: 1000n }
  ]

  it("totals the period by measure: sum, out, or the larger of the two totals", () => {
    expect(measureTransfer(samples, window, "sum").usedBytes).toBe(23n)
    expect(measureTransfer(samples, window, "out").usedBytes).toBe(12n)
    expect(measureTransfer(samples, window, "max").usedBytes).toBe(12n)
    expect(measureTransfer(samples.slice(0, 1), window, "max").usedBytes).toBe(10n)
    expect(measureTransfer(samples, window, "sum")).toMatchObject({
      bytesIn: 11n,
      bytesOut: 12n,
      samplesIgnored: 1
    })
  })
})

describe("transferAllowance", () => {
  it("adds each boost per unit of quantity; a dropdown boost only for its choice; plan items never", () => {
    expect(transferAllowance(plan, [])).toEqual({ includedGb: 1000n, softLimitGb: 1200n })
    expect(transferAllowance(plan, [option("extra-transfer", 2n)])).toEqual({
      includedGb: 3048n,
      softLimitGb: 3248n
    })
    expect(transferAllowance(plan, [option("bandwidth-tier", 1n, "double")]).includedGb).toBe(2000n)
    expect(transferAllowance(plan, [option("bandwidth-tier", 1n, "single")]).includedGb).toBe(1000n)
    expect(
      transferAllowance(plan, [{ kind: "plan", itemId: "extra-transfer", quantity: 1n }]).includedGb
    ).toBe(1000n)
    expect(
      transferAllowance(plan, [{ kind: "addon", itemId: "extra-transfer", quantity: 1n }]).includedGb
    ).toBe(2024n)
  })
})

describe("rateTransfer", () => {
  it("bills 12.25 GB over in steps of 0.1 GB rounded up: 12.3 GB x 0.50 = 6.15", () => {
    const rating = Either.getOrThrow(rate(1012n * GB + GB / 4n))
    expect(rating.overage.exact).toEqual(ratio(49n, 4n))
    expect(rating.overage.billed).toEqual(ratio(123n, 10n))
    expect(rating.overage.amount).toBe(615n)
    expect(rating.overQuota).toBe(true)
    expect(rating.softLimitExceeded).toBe(false)
    expect(rating.charge).toEqual({
      kind: "usage",
      description: "Bandwidth overage: 12.3 GB over 1,000 GB included",
      quantity: 1n,
      unitAmount: 615n,
      amount: 615n,
      period: undefined
    })
  })

  it("bills whole GB half-even: 12.5 GB -> 12 GB, 13.5 GB -> 14 GB", () => {
    const whole = transferPlan({ overage: { prices: { EUR: "50" }, step: "1", rounding: "half-even" } })
    expect(Either.getOrThrow(rate(1012n * GB + GB / 2n, [], whole)).overage.amount).toBe(600n)
    expect(Either.getOrThrow(rate(1013n * GB + GB / 2n, [], whole)).overage.amount).toBe(700n)
    expect(Either.getOrThrow(rate(1013n * GB + GB / 2n, [], whole)).charge?.description).toBe(
      "Bandwidth overage: 14 GB over 1,000 GB included"
    )
  })

  it("rounds a fractional price once, at the amount: 12.3 GB x 0.5 yen = 6.15 -> 6 yen", () => {
    expect(Either.getOrThrow(rate(1012n * GB + GB / 4n, [], plan, "JPY" as "EUR")).overage.amount).toBe(6n)
  })

  it("gives no line within the quota, at it exactly, or when the overage rounds to nothing", () => {
    for (const used of [0n, 999n * GB, 1000n * GB]) {
      const rating = Either.getOrThrow(rate(used))
      expect(rating.charge).toBeUndefined()
      expect(rating.overQuota).toBe(false)
      expect(rating.overage.amount).toBe(0n)
    }
    const down = transferPlan({ overage: { prices: { EUR: "50" }, step: "1", rounding: "down" } })
    const rating = Either.getOrThrow(rate(1000n * GB + 1n, [], down))
    expect(rating.overQuota).toBe(true)
    expect(rating.charge).toBeUndefined()
  })

  it("counts the options' quota: the same usage bills nothing with +1 TB transfer", () => {
    expect(Either.getOrThrow(rate(2000n * GB, [option("extra-transfer", 1n)])).charge).toBeUndefined()
    expect(Either.getOrThrow(rate(2030n * GB, [option("extra-transfer", 1n)])).charge?.description).toBe(
      "Bandwidth overage: 6.0 GB over 2,024 GB included"
    )
  })

  it("flags the soft limit once usage is strictly above it, raised by options too", () => {
    expect(Either.getOrThrow(rate(1200n * GB)).softLimitExceeded).toBe(false)
    expect(Either.getOrThrow(rate(1200n * GB + 1n)).softLimitExceeded).toBe(true)
    expect(Either.getOrThrow(rate(1300n * GB, [option("extra-transfer", 1n)])).softLimitExceeded).toBe(false)
    const noSoftLimit = transferPlan({ softLimitGb: undefined, boosts: [] })
    expect(Either.getOrThrow(rate(10_000n * GB, [], noSoftLimit)).softLimitExceeded).toBe(false)
  })

  it("without an overage price, reports going over the quota but bills nothing", () => {
    const notify = transferPlan({ overage: undefined })
    const rating = Either.getOrThrow(rate(1100n * GB, [], notify))
    expect(rating.overQuota).toBe(true)
    expect(rating.overage.exact).toEqual(ratio(100n, 1n))
    expect(rating.charge).toBeUndefined()
  })

  it("fails with UsagePriceMissing only when there is something to bill in a currency with no price", () => {
    expect(Either.isRight(rate(900n * GB, [], plan, "USD" as "EUR"))).toBe(true)
    const missing = rate(1100n * GB, [], plan, "USD" as "EUR")
    expect(Either.isLeft(missing) && missing.left).toMatchObject({
      _tag: "UsagePriceMissing",
      metric: "transfer",
      currency: "USD"
    })
  })

  it("bills more (never less) for more usage, and never more than one step away from the exact overage", () => {
    const steps = { "0.1": ratio(1n, 10n), "1": ratio(1n, 1n), "0.01": ratio(1n, 100n), "5": ratio(5n, 1n) }
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 5000n * GB }),
        fc.bigInt({ min: 0n, max: 100n * GB }),
        fc.constantFrom(...RoundingModes),
        fc.constantFrom("0.1", "1", "0.01", "5" as const),
        (used, more, mode, step) => {
          const p = transferPlan({ overage: { prices: { EUR: "37" }, step, rounding: mode } })
          const low = Either.getOrThrow(rate(used, [], p)).overage
          const high = Either.getOrThrow(rate(used + more, [], p)).overage
          expect(high.amount).toBeGreaterThanOrEqual(low.amount)
          expect(compareRatios(high.billed, low.billed)).toBeGreaterThanOrEqual(0)
          const gap = addRatios(low.billed, ratio(-low.exact.num, low.exact.den))
          const distance = ratio(gap.num < 0n ? -gap.num : gap.num, gap.den)
          expect(compareRatios(distance, steps[step])).toBeLessThan(1)
        }
      )
    )
  })
})
