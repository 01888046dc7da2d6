import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compareRatios, ratio } from "../money/ratio"
import { RoundingModes } from "../money/rounding"
import {
  BPS_PER_MBPS,
  BYTES_PER_GB,
  bytesToGb,
  formatQuantity,
  mbpsToGb,
  roundToStep,
  SLOT_SECONDS,
  slotBytesToMbps,
  stepDecimals,
  stepsOf
} from "./units"

const r = (num: bigint, den = 1n) => ratio(num, den)
const tenth = r(1n, 10n)

describe("units", () => {
  it("a GB is 1024^3 bytes, an Mbps 1,000,000 bps, a slot 300 seconds", () => {
    expect(BYTES_PER_GB).toBe(1024n ** 3n)
    expect(BPS_PER_MBPS).toBe(1_000_000n)
    expect(SLOT_SECONDS).toBe(300n)
    expect(bytesToGb(BYTES_PER_GB * 3n + BYTES_PER_GB / 4n)).toEqual(r(13n, 4n))
  })

  it("a slot's bytes are a rate of bytes x 8 / 300 bps, exactly", () => {
    // 112.5 Mbps for 300 s is 112,500,000 x 300 / 8 bytes.
    expect(slotBytesToMbps(4_218_750_000n)).toEqual(r(225n, 2n))
    expect(slotBytesToMbps(1n)).toEqual(r(1n, 37_500_000n))
    expect(slotBytesToMbps(0n)).toEqual(r(0n))
  })
})

describe("stepsOf / roundToStep", () => {
  it("rounds 12.25 GB to tenths with each named mode", () => {
    const q = r(49n, 4n)
    expect(roundToStep(q, tenth, "up")).toEqual(r(123n, 10n))
    expect(roundToStep(q, tenth, "down")).toEqual(r(61n, 5n))
    expect(roundToStep(q, tenth, "half-up")).toEqual(r(123n, 10n))
    expect(roundToStep(q, tenth, "half-even")).toEqual(r(61n, 5n)) // 12.25 -> 12.2 (2 is even)
    expect(stepsOf(q, tenth, "up")).toBe(123n)
  })

  it("rounds to whole GB half-even: 12.5 -> 12, 13.5 -> 14", () => {
    expect(roundToStep(r(25n, 2n), r(1n), "half-even")).toEqual(r(12n))
    expect(roundToStep(r(27n, 2n), r(1n), "half-even")).toEqual(r(14n))
  })

  it("steps coarser than one unit: 12 GB in steps of 5 GB up is 15", () => {
    expect(roundToStep(r(12n), r(5n), "up")).toEqual(r(15n))
  })

  it("refuses a zero step (a defect)", () => {
    expect(() => stepsOf(r(1n), r(0n), "up")).toThrow(RangeError)
  })

  it("is within one step of the exact quantity, up never below it, down never above", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom(r(1n, 10n), r(1n), r(1n, 4n), r(5n)),
        fc.constantFrom(...RoundingModes),
        (num, den, step, mode) => {
          const q = r(num, den)
          const rounded = roundToStep(q, step, mode)
          const gap = rounded.num * q.den - q.num * rounded.den
          const distance = ratio(gap < 0n ? -gap : gap, rounded.den * q.den)
          expect(compareRatios(distance, step)).toBeLessThanOrEqual(0)
          expect(stepsOf(q, step, mode) * step.num * rounded.den).toBe(rounded.num * step.den)
          if (mode === "up") expect(compareRatios(rounded, q)).toBeGreaterThanOrEqual(0)
          if (mode === "down") expect(compareRatios(rounded, q)).toBeLessThanOrEqual(0)
        }
      )
    )
  })
})

describe("mbpsToGb", () => {
  it("100 Mbps for 30 days is 30,174.85... GB: 30,174 down, 30,175 half-even, 30,174.9 up to tenths", () => {
    const seconds = 30n * 86_400n
    // 100,000,000 x 2,592,000 / 8 = 32,400,000,000,000 bytes; / 1024^3 = 30,174.8514...
    expect(mbpsToGb(r(100n), seconds, r(1n), "down")).toEqual(r(30_174n))
    expect(mbpsToGb(r(100n), seconds, r(1n), "half-even")).toEqual(r(30_175n))
    expect(mbpsToGb(r(100n), seconds, tenth, "up")).toEqual(r(301_749n, 10n))
  })

  it("is exact when the figures allow it: 8 x 1024^3 / 10^6 Mbps for 1 second is 1 GB", () => {
    expect(mbpsToGb(r(8n * BYTES_PER_GB, 1_000_000n), 1n, r(1n, 1000n), "down")).toEqual(r(1n))
  })
})

describe("formatQuantity", () => {
  it("groups thousands and writes exactly the step's decimals", () => {
    expect(formatQuantity(r(123n, 10n), 1)).toBe("12.3")
    expect(formatQuantity(r(12n), 1)).toBe("12.0")
    expect(formatQuantity(r(2024n), 0)).toBe("2,024")
    expect(formatQuantity(r(1_234_567n, 100n), 2)).toBe("12,345.67")
    expect(formatQuantity(r(5n, 100n), 2)).toBe("0.05")
    expect(formatQuantity(r(1_000_000n), 0)).toBe("1,000,000")
  })

  it("refuses a quantity finer than the decimals asked (never rounds silently)", () => {
    expect(() => formatQuantity(r(1n, 3n), 2)).toThrow(RangeError)
  })

  it("stepDecimals: 0.1 -> 1, 0.25 -> 2, 5 -> 0; no finite decimal form is a defect", () => {
    expect(stepDecimals(tenth)).toBe(1)
    expect(stepDecimals(r(1n, 4n))).toBe(2)
    expect(stepDecimals(r(5n))).toBe(0)
    expect(() => stepDecimals(r(1n, 3n))).toThrow(RangeError)
  })
})
