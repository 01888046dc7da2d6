import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeProrationSettings, defaultProrationSettings, prorationStrategyFor } from "./strategy"

const decoded = (input: unknown) => Either.getOrThrow(decodeProrationSettings(input))

describe("decodeProrationSettings", () => {
  it("decodes a tenant default and per-product overrides", () => {
    expect(decoded({ strategy: "fixed", products: { "game-server": "per_second" } })).toEqual({
      strategy: "fixed",
      products: { "game-server": "per_second" }
    })
  })

  it("defaults to whole days and no overrides", () => {
    expect(decoded({})).toEqual(defaultProrationSettings)
    expect(decoded({ products: { dedicated: "fixed" } }).strategy).toBe("whole_days")
  })

  it.each([
    [{ strategy: "daily" }, /^strategy: /],
    [{ products: { vps: "hourly" } }, /^products\.vps: /],
    [{ products: { "": "fixed" } }, /^products: /],
    [{ products: ["fixed"] }, /^products: /],
    ["whole_days", /Expected/]
  ])("refuses %j, naming the field", (input, issue) => {
    const result = decodeProrationSettings(input)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("InvalidProrationSettings")
      expect(result.left.issue).toMatch(issue)
      expect(result.left.message).toContain("Invalid proration settings")
    }
  })
})

describe("prorationStrategyFor", () => {
  const settings = decoded({ strategy: "fixed", products: { "game-server": "per_second" } })

  it("takes the product's override, else the tenant default", () => {
    expect(prorationStrategyFor(settings, "game-server")).toBe("per_second")
    expect(prorationStrategyFor(settings, "vps")).toBe("fixed")
    expect(prorationStrategyFor(defaultProrationSettings, "vps")).toBe("whole_days")
  })

  it("never reads an inherited property as an override", () => {
    expect(prorationStrategyFor(settings, "constructor")).toBe("fixed")
    expect(prorationStrategyFor(settings, "__proto__")).toBe("fixed")
  })
})
