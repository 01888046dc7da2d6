import { describe, expect, it } from "vitest"
import { divideRounded, type RoundingMode } from "./rounding"

const table: ReadonlyArray<[bigint, bigint, Record<RoundingMode, bigint>]> = [
  [25n, 10n, { "half-even": 2n, "half-up": 3n, down: 2n, up: 3n }],
  [35n, 10n, { "half-even": 4n, "half-up": 4n, down: 3n, up: 4n }],
  [-25n, 10n, { "half-even": -2n, "half-up": -3n, down: -2n, up: -3n }],
  [24n, 10n, { "half-even": 2n, "half-up": 2n, down: 2n, up: 3n }],
  [26n, 10n, { "half-even": 3n, "half-up": 3n, down: 2n, up: 3n }],
  [-26n, 10n, { "half-even": -3n, "half-up": -3n, down: -2n, up: -3n }],
  [30n, 10n, { "half-even": 3n, "half-up": 3n, down: 3n, up: 3n }],
  [1n, 3n, { "half-even": 0n, "half-up": 0n, down: 0n, up: 1n }],
  [2n, 3n, { "half-even": 1n, "half-up": 1n, down: 0n, up: 1n }],
  [25n, -10n, { "half-even": -2n, "half-up": -3n, down: -2n, up: -3n }]
]

describe("divideRounded", () => {
  for (const [numerator, denominator, expected] of table) {
    for (const mode of Object.keys(expected) as Array<RoundingMode>) {
      it(`${numerator}/${denominator} ${mode} -> ${expected[mode]}`, () => {
        expect(divideRounded(numerator, denominator, mode)).toBe(expected[mode])
      })
    }
  }

  it("refuses a zero denominator as a defect", () => {
    expect(() => divideRounded(1n, 0n, "half-even")).toThrow(RangeError)
  })
})
