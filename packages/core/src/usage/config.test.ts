import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeUsagePlan } from "./config"

const transfer = {
  measure: "sum",
  includedGb: 1000,
  softLimitGb: 1500,
  overage: { prices: { EUR: "50", USD: "0.5" }, step: "0.1", rounding: "up" },
  boosts: [{ itemId: "extra-transfer", quotaGb: 1024, softLimitGb: 1024 }]
}
const percentile95 = {
  measure: "max",
  commitMbps: 100,
  overage: { prices: { EUR: "200" }, step: "1", rounding: "half-even" },
  equivalentTransfer: { step: "1", rounding: "down" }
}

/** The issues of a configuration that must not decode, as `path: message`. */
const issuesOf = (input: unknown): ReadonlyArray<string> => {
  const result = decodeUsagePlan(input)
  if (Either.isRight(result)) throw new Error("expected the configuration to be refused")
  expect(result.left._tag).toBe("InvalidUsagePlan")
  return result.left.issues.map((issue) => `${issue.path}: ${issue.message}`)
}

describe("decodeUsagePlan", () => {
  it("decodes steps and prices to exact ratios, and defaults boosts to none", () => {
    const plan = Either.getOrThrow(decodeUsagePlan({ transfer, percentile95 }))
    expect(plan.transfer?.overage?.step).toEqual({ num: 1n, den: 10n })
    expect(plan.transfer?.overage?.prices).toEqual({ EUR: { num: 50n, den: 1n }, USD: { num: 1n, den: 2n } })
    expect(plan.percentile95?.commitMbps).toBe(100)
    expect(plan.percentile95?.equivalentTransfer?.rounding).toBe("down")
    const bare = Either.getOrThrow(decodeUsagePlan({ transfer: { measure: "out", includedGb: 500 } }))
    expect(bare.transfer?.boosts).toEqual([])
    expect(bare.transfer?.overage).toBeUndefined()
  })

  it("names the field of each problem", () => {
    expect(
      issuesOf({
        transfer: { ...transfer, overage: { prices: { EUR: "50" }, step: "0", rounding: "nearest" } }
      })
    ).toEqual([
      "transfer.overage.step: must be more than zero",
      "transfer.overage.rounding: must be one of half-even, half-up, down, up"
    ])
  })

  it("refuses prices in unknown currencies, negative or float prices, and no prices at all", () => {
    expect(
      issuesOf({
        percentile95: { ...percentile95, overage: { ...percentile95.overage, prices: { XXX: "1" } } }
      })
    ).toEqual(["percentile95.overage.prices: unknown currency XXX"])
    expect(
      issuesOf({ percentile95: { ...percentile95, overage: { ...percentile95.overage, prices: {} } } })
    ).toEqual(["percentile95.overage.prices: must price at least one currency"])
    expect(
      issuesOf({
        percentile95: { ...percentile95, overage: { ...percentile95.overage, prices: { EUR: "-1" } } }
      })
    ).toEqual([
      'percentile95.overage.prices.EUR: must be a non-negative number of minor units written as a decimal string, e.g. "0.1"'
    ])
    expect(issuesOf({ transfer: { ...transfer, overage: { ...transfer.overage, step: 0.1 } } })[0]).toMatch(
      /^transfer\.overage\.step: Expected string, actual 0\.1/
    )
  })

  it("refuses quotas and commits that are not whole non-negative numbers", () => {
    expect(issuesOf({ transfer: { ...transfer, includedGb: -1 } })[0]).toMatch(/^transfer\.includedGb: /)
    expect(issuesOf({ percentile95: { ...percentile95, commitMbps: 1.5 } })[0]).toMatch(
      /^percentile95\.commitMbps: /
    )
  })

  it("refuses a boost that adds nothing, and a soft-limit boost on a plan without a soft limit", () => {
    expect(issuesOf({ transfer: { ...transfer, boosts: [{ itemId: "x" }] } })).toEqual([
      "transfer.boosts.0.quotaGb: a boost must add quotaGb, softLimitGb or both"
    ])
    const { softLimitGb: _, ...noSoftLimit } = transfer
    expect(issuesOf({ transfer: noSoftLimit })).toEqual([
      "transfer.boosts.0.softLimitGb: the plan has no softLimitGb to raise"
    ])
  })

  it("refuses an empty configuration, unknown fields and unknown measures", () => {
    expect(issuesOf({})).toEqual([": must configure transfer, percentile95 or both"])
    expect(issuesOf({ transfer: { ...transfer, quota: 5 } })).toEqual([
      'transfer.quota: is unexpected, expected: "measure" | "includedGb" | "softLimitGb" | "overage" | "boosts"'
    ])
    expect(issuesOf({ percentile95: { ...percentile95, measure: "in" } })).toEqual([
      "percentile95.measure: must be one of sum, max, out"
    ])
  })

  it("says why in the error's message", () => {
    const result = decodeUsagePlan({ transfer: { ...transfer, includedGb: "lots" } })
    expect(Either.isLeft(result) && result.left.message).toMatch(
      /^Invalid usage configuration: transfer\.includedGb: /
    )
  })
})
