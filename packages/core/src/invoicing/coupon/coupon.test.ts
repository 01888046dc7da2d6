import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { type CouponInput, decodeCoupon, fixedAmountIn } from "./coupon"

const base = { id: "c1", code: "SAVE", duration: "once", stackable: false } as const

const issue = (input: unknown) =>
  Either.match(decodeCoupon(input), { onLeft: (e) => `${e._tag}: ${e.issue}`, onRight: () => "decoded" })

describe("decodeCoupon", () => {
  it("decodes a percent coupon's rate exactly", () => {
    const input: CouponInput = { ...base, kind: "percent", rate: "12.5", duration: { cycles: 3 } }
    expect(decodeCoupon(input)).toEqual(
      Either.right({ ...base, kind: "percent", rate: { num: 1n, den: 8n }, duration: { cycles: 3 } })
    )
  })

  it("decodes a fixed coupon's amounts per currency from minor-unit strings", () => {
    const coupon = Either.getOrThrow(
      decodeCoupon({ ...base, kind: "fixed", amounts: { EUR: "500", USD: "550" } })
    )
    expect(coupon.kind === "fixed" && fixedAmountIn(coupon, "EUR")).toBe(500n)
    expect(coupon.kind === "fixed" && fixedAmountIn(coupon, "GBP")).toBe(undefined)
  })

  it("decodes restrictions, limits and flags", () => {
    const input: CouponInput = {
      ...base,
      kind: "percent",
      rate: "100",
      duration: "forever",
      appliesTo: { productIds: ["vps"], planIds: ["vps-2g"], cycles: ["annually"] },
      freeSetup: true,
      expiresAt: 1_767_225_600_000,
      maxRedemptions: 100,
      oncePerCustomer: true,
      stackable: true,
      priority: 2
    }
    expect(Either.isRight(decodeCoupon(input))).toBe(true)
  })

  it.each([
    ["a 0% rate", { ...base, kind: "percent", rate: "0" }, "rate: a percentage above 0 and at most 100"],
    ["a rate above 100%", { ...base, kind: "percent", rate: "100.01" }, "rate: a percentage above 0"],
    [
      "a rate that is not a number",
      { ...base, kind: "percent", rate: "ten" },
      'rate: "ten" is not a valid rate'
    ],
    [
      "an unknown currency",
      { ...base, kind: "fixed", amounts: { XXX: "500" } },
      "amounts: unknown currency XXX"
    ],
    [
      "a zero amount",
      { ...base, kind: "fixed", amounts: { EUR: "0" } },
      "amounts.EUR: Expected a positive bigint"
    ],
    ["no amounts", { ...base, kind: "fixed", amounts: {} }, "amounts: at least one currency"],
    [
      "a fractional amount",
      { ...base, kind: "fixed", amounts: { EUR: "5.5" } },
      "amounts.EUR: Unable to decode"
    ],
    ["zero cycles", { ...base, kind: "percent", rate: "10", duration: { cycles: 0 } }, "duration"],
    ["an unknown duration", { ...base, kind: "percent", rate: "10", duration: "twice" }, "duration"],
    [
      "an unknown billing cycle",
      { ...base, kind: "percent", rate: "10", appliesTo: { cycles: ["weekly"] } },
      "appliesTo.cycles.0"
    ],
    ["zero max redemptions", { ...base, kind: "percent", rate: "10", maxRedemptions: 0 }, "maxRedemptions"],
    ["an empty code", { ...base, code: "", kind: "percent", rate: "10" }, "code"],
    ["an unknown kind", { ...base, kind: "bogo" }, "kind"],
    ["no stackable flag", { id: "c1", code: "X", duration: "once", kind: "percent", rate: "10" }, "stackable"]
  ])("rejects %s", (_, input, expected) => {
    expect(issue(input)).toContain("InvalidCoupon: ")
    expect(issue(input)).toContain(expected)
  })
})
