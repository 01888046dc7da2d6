import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { RoundingMode } from "../../money"
import type { Coupon } from "./coupon"
import { type AppliedDiscounts, applyDiscounts, type DiscountableLine } from "./discounts"

const percent = (code: string, num: bigint, den: bigint, extra: Partial<Coupon> = {}): Coupon =>
  ({
    id: code.toLowerCase(),
    code,
    kind: "percent",
    rate: { num, den },
    duration: "once",
    stackable: true,
    ...extra
  }) as Coupon
const fixed = (code: string, amounts: Record<string, bigint>, extra: Partial<Coupon> = {}): Coupon =>
  ({
    id: code.toLowerCase(),
    code,
    kind: "fixed",
    amounts,
    duration: "once",
    stackable: true,
    ...extra
  }) as Coupon

const recurring = (id: string, amount: bigint, extra: Partial<DiscountableLine> = {}): DiscountableLine => ({
  id,
  amount,
  kind: "recurring",
  ...extra
})

const apply = (
  lines: ReadonlyArray<DiscountableLine>,
  coupons: ReadonlyArray<Coupon>,
  mode: RoundingMode = "half-even"
) => applyDiscounts(lines, coupons, "EUR", mode)

/** `code@line:amount` for every discount line. */
const summary = (result: Either.Either<AppliedDiscounts, { _tag: string }>) =>
  Either.match(result, {
    onLeft: (e) => [e._tag],
    onRight: (r) => r.discounts.map((d) => `${d.code}@${d.lineId}:${d.amount}`)
  })
const remaining = (result: Either.Either<AppliedDiscounts, unknown>) =>
  Either.getOrThrow(result).lines.map((l) => l.amount)

describe("applyDiscounts", () => {
  it("takes a percentage of each line, rounded once per line with the named mode", () => {
    expect(summary(apply([recurring("a", 1999n)], [percent("TEN", 1n, 10n)]))).toEqual(["TEN@a:-200"])
    expect(summary(apply([recurring("a", 1999n)], [percent("TEN", 1n, 10n)], "down"))).toEqual(["TEN@a:-199"])
    // 100.5 on each line rounds half-even to 100, twice (not 201 for the pair)
    expect(summary(apply([recurring("a", 1005n), recurring("b", 1005n)], [percent("TEN", 1n, 10n)]))).toEqual(
      ["TEN@a:-100", "TEN@b:-100"]
    )
  })

  it("applies one non-stackable coupon on its own", () => {
    expect(summary(apply([recurring("a", 1000n)], [percent("ONLY", 1n, 2n, { stackable: false })]))).toEqual([
      "ONLY@a:-500"
    ])
  })

  it("rejects a non-stackable coupon given with another one", () => {
    const result = apply(
      [recurring("a", 1000n)],
      [percent("A", 1n, 10n), fixed("SOLO", { EUR: 100n }, { stackable: false })]
    )
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CouponNotStackable", code: "SOLO" })
    expect(Either.isLeft(result) && result.left.message).toBe(
      "Coupon SOLO cannot be combined with other coupons"
    )
  })

  it("stacks percent before fixed, each on what is left", () => {
    // 10% of 100.00 = 10.00, then 5.00 off the remaining 90.00 (fixed first would give 5.00 + 9.50)
    const result = apply([recurring("a", 10000n)], [fixed("FIVE", { EUR: 500n }), percent("TEN", 1n, 10n)])
    expect(summary(result)).toEqual(["TEN@a:-1000", "FIVE@a:-500"])
    expect(remaining(result)).toEqual([8500n])
  })

  it("stacks by priority, then by code", () => {
    const result = apply(
      [recurring("a", 1001n)],
      [
        percent("HALF", 1n, 2n, { priority: 2 }),
        percent("TEN", 1n, 10n, { priority: 1 }),
        percent("AAA", 1n, 100n)
      ]
    )
    // TEN: 100.1 -> 100; HALF on 901: 450.5 -> 450; AAA (no priority, last) on 451: 4.51 -> 5
    expect(summary(result)).toEqual(["TEN@a:-100", "HALF@a:-450", "AAA@a:-5"])
    const byCode = apply([recurring("a", 1000n)], [fixed("B", { EUR: 1n }), fixed("A", { EUR: 2n })])
    expect(summary(byCode)).toEqual(["A@a:-2", "B@a:-1"])
  })

  it("caps a fixed discount larger than the line, so the line does not go negative", () => {
    const result = apply([recurring("a", 300n)], [fixed("BIG", { EUR: 500n })])
    expect(summary(result)).toEqual(["BIG@a:-300"])
    expect(Either.getOrThrow(result).lines).toEqual([{ id: "a", original: 300n, discount: 300n, amount: 0n }])
  })

  it("splits a fixed discount over the eligible lines by allocation, in proportion to them", () => {
    expect(
      summary(apply([recurring("a", 1000n), recurring("b", 2000n)], [fixed("C", { EUR: 100n })]))
    ).toEqual(["C@a:-33", "C@b:-67"])
    expect(
      summary(apply([recurring("a", 1n), recurring("b", 1n), recurring("c", 1n)], [fixed("C", { EUR: 2n })]))
    ).toEqual(["C@a:-1", "C@b:-1"])
  })

  it("fails for a fixed coupon with no amount in the invoice's currency", () => {
    const result = apply([recurring("a", 1000n)], [fixed("USD5", { USD: 500n })])
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: "CouponCurrencyUnsupported",
      code: "USD5",
      currency: "EUR"
    })
  })

  it("waives setup fees with freeSetup; percent and fixed discounts leave setup and usage lines alone", () => {
    const lines: Array<DiscountableLine> = [
      recurring("plan", 1000n),
      { id: "setup", amount: 2500n, kind: "setup" },
      { id: "overage", amount: 700n, kind: "usage" },
      { id: "once", amount: 400n, kind: "one_time" }
    ]
    expect(summary(apply(lines, [percent("TEN", 1n, 10n, { freeSetup: true })]))).toEqual([
      "TEN@plan:-100",
      "TEN@once:-40",
      "TEN@setup:-2500"
    ])
    expect(remaining(apply(lines, [percent("TEN", 1n, 10n)]))).toEqual([900n, 2500n, 700n, 360n])
  })

  it("discounts only the lines of the coupon's products and plans", () => {
    const lines = [
      recurring("vps", 1000n, { productId: "vps", planId: "vps-2g" }),
      recurring("vps-big", 1000n, { productId: "vps", planId: "vps-8g" }),
      recurring("game", 1000n, { productId: "game", planId: "mc-4g" }),
      {
        id: "vps-setup",
        amount: 500n,
        kind: "setup",
        productId: "vps",
        planId: "vps-2g"
      } satisfies DiscountableLine,
      { id: "game-setup", amount: 500n, kind: "setup", productId: "game" } satisfies DiscountableLine
    ]
    expect(
      summary(
        apply(lines, [fixed("VPS", { EUR: 300n }, { appliesTo: { productIds: ["vps"] }, freeSetup: true })])
      )
    ).toEqual(["VPS@vps:-150", "VPS@vps-big:-150", "VPS@vps-setup:-500"])
    expect(
      summary(
        apply(lines, [percent("P", 1n, 10n, { appliesTo: { productIds: ["vps"], planIds: ["vps-8g"] } })])
      )
    ).toEqual(["P@vps-big:-100"])
  })

  it("never discounts credit lines and leaves out zero discounts", () => {
    const result = apply(
      [recurring("credit", -500n), recurring("free", 0n), recurring("a", 4n)],
      [percent("TEN", 1n, 10n)]
    )
    expect(summary(result)).toEqual([])
    expect(remaining(result)).toEqual([-500n, 0n, 4n])
    expect(summary(apply([recurring("a", 1000n)], []))).toEqual([])
  })
})

const lineArb: fc.Arbitrary<DiscountableLine> = fc.record({
  id: fc.string(),
  amount: fc.bigInt({ min: -1000n, max: 1_000_000n }),
  kind: fc.constantFrom("recurring", "one_time", "setup", "usage"),
  productId: fc.constantFrom("vps", "game")
})
const couponArb: fc.Arbitrary<Coupon> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.bigInt({ min: 1n, max: 1000n }), fc.constantFrom(10n, 100n, 1000n)).map(([num, den]) => ({
        kind: "percent" as const,
        // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
        rate: { num: num > den ? den : num, den }
      })),
      fc
        .bigInt({ min: 1n, max: 2_000_000n })
        .map((amount) => ({ kind: "fixed" as const, amounts: { EUR: amount } }))
    ),
    fc.boolean(),
    fc.option(fc.constantFrom<ReadonlyArray<string>>(["vps"], ["game"]), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    fc.string({ minLength: 1, maxLength: 3 })
  )
  .map(([discount, freeSetup, productIds, priority, code]) => ({
    id: code,
    code,
    duration: "forever",
    stackable: true,
    freeSetup,
    ...(productIds === undefined
      ? {}
      : { appliesTo: { productIds: productIds as [string, ...Array<string>] } }),
    ...(priority === undefined ? {} : { priority }),
    ...discount
  }))

describe("discount properties", () => {
  it("discounts never exceed the lines and no discounted line goes below zero", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 6 }),
        fc.array(couponArb, { maxLength: 4 }),
        fc.constantFrom<RoundingMode>("half-even", "half-up", "down", "up"),
        (lines, coupons, mode) => {
          const result = Either.getOrThrow(applyDiscounts(lines, coupons, "EUR", mode))
          result.lines.forEach((line, i) => {
            const original = lines[i]?.amount ?? 0n
            expect(line.original).toBe(original)
            expect(line.discount >= 0n).toBe(true)
            expect(line.discount <= (original > 0n ? original : 0n)).toBe(true)
            expect(line.amount).toBe(original - line.discount)
            if (original >= 0n) expect(line.amount >= 0n).toBe(true)
          })
          for (const discount of result.discounts) expect(discount.amount < 0n).toBe(true)
          const fromDiscounts = result.discounts.reduce((sum, d) => sum - d.amount, 0n)
          expect(fromDiscounts).toBe(result.lines.reduce((sum, l) => sum + l.discount, 0n))
        }
      )
    )
  })

  it("a fixed coupon takes exactly min(amount, eligible total)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 100_000n }), { maxLength: 6 }),
        fc.bigInt({ min: 1n, max: 500_000n }),
        (amounts, off) => {
          const lines = amounts.map((amount, i) => recurring(`l${i}`, amount))
          const result = Either.getOrThrow(
            applyDiscounts(lines, [fixed("F", { EUR: off })], "EUR", "half-even")
          )
          const eligible = amounts.reduce((sum, a) => sum + a, 0n)
          const taken = result.lines.reduce((sum, l) => sum + l.discount, 0n)
          // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
          expect(taken).toBe(off < eligible ? off : eligible)
        }
      )
    )
  })
})
