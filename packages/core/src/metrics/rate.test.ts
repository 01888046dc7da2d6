import { describe, expect, it } from "vitest"
import { metricRate, ratePercent } from "./rate"

describe("metric rates", () => {
  it("are exact, in lowest terms, undefined over zero", () => {
    expect(metricRate(10n, 20n)).toEqual({ num: 1n, den: 2n })
    expect(metricRate(-3n, 9n)).toEqual({ num: -1n, den: 3n })
    expect(metricRate(3n, -9n)).toEqual({ num: -1n, den: 3n })
    expect(metricRate(0n, 7n)).toEqual({ num: 0n, den: 1n })
    expect(metricRate(1n, 0n)).toBeUndefined()
  })

  it("render as a percentage rounded once with the named mode", () => {
    expect(ratePercent({ num: 1n, den: 8n }, 2, "half-even")).toBe("12.50")
    expect(ratePercent({ num: 1n, den: 8n }, 1, "half-even")).toBe("12.5")
    expect(ratePercent({ num: 1n, den: 8n }, 0, "half-even")).toBe("12")
    expect(ratePercent({ num: 1n, den: 8n }, 0, "half-up")).toBe("13")
    expect(ratePercent({ num: 2n, den: 3n }, 2, "down")).toBe("66.66")
    expect(ratePercent({ num: -1n, den: 3n }, 2, "half-even")).toBe("-33.33")
    expect(ratePercent({ num: 1n, den: 1000n }, 2, "half-even")).toBe("0.10")
    expect(ratePercent({ num: 4n, den: 3n }, 3, "half-even")).toBe("133.333")
  })
})
