import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { RoundingMode } from "../../money"
import type { Coupon } from "./coupon"
import { type AppliedDiscounts, applyDiscounts, attributeDiscounts, type DiscountableLine } from "./discounts"

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

/** `code:amount@lines` for every discount line. */
const summary = (
  lines: ReadonlyArray<DiscountableLine>,
  result: Either.Either<AppliedDiscounts, { _tag: string }>
) =>
  Either.match(result, {
    onLeft: (e) => [e._tag],
    onRight: (r) =>
      r.discounts.map((d) => `${d.code}:${d.amount}@${d.lineIndexes.map((i) => lines[i]?.id).join(",")}`)
  })
/** What each line bears of the discounts, by allocation. */
const borne = (lines: ReadonlyArray<DiscountableLine>, result: Either.Either<AppliedDiscounts, unknown>) =>
  attributeDiscounts(lines, Either.getOrThrow(result).discounts).map((l) => l.discount)
const remaining = (
  lines: ReadonlyArray<DiscountableLine>,
  result: Either.Either<AppliedDiscounts, unknown>
) => attributeDiscounts(lines, Either.getOrThrow(result).discounts).map((l) => l.amount)
const check = (lines: ReadonlyArray<DiscountableLine>, coupons: ReadonlyArray<Coupon>, mode?: RoundingMode) =>
  summary(lines, apply(lines, coupons, mode))

describe("applyDiscounts", () => {
  it("takes a percentage of what the coupon covers, rounded once with the named mode: one line per coupon", () => {
    expect(check([recurring("a", 1999n)], [percent("TEN", 1n, 10n)])).toEqual(["TEN:-200@a"])
    expect(check([recurring("a", 1999n)], [percent("TEN", 1n, 10n)], "down")).toEqual(["TEN:-199@a"])
    // 10% of 20.10 is 2.01: rounded once on the base, not once per line (which would give 2.00)
    const pair = [recurring("a", 1005n), recurring("b", 1005n)]
    expect(check(pair, [percent("TEN", 1n, 10n)])).toEqual(["TEN:-201@a,b"])
    expect(borne(pair, apply(pair, [percent("TEN", 1n, 10n)]))).toEqual([101n, 100n])
  })

  it("applies one non-stackable coupon on its own", () => {
    expect(check([recurring("a", 1000n)], [percent("ONLY", 1n, 2n, { stackable: false })])).toEqual([
      "ONLY:-500@a"
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
    const lines = [recurring("a", 10000n)]
    const result = apply(lines, [fixed("FIVE", { EUR: 500n }), percent("TEN", 1n, 10n)])
    expect(summary(lines, result)).toEqual(["TEN:-1000@a", "FIVE:-500@a"])
    expect(remaining(lines, result)).toEqual([8500n])
  })

  it("stacks by priority, then by code", () => {
    const lines = [recurring("a", 1001n)]
    const result = apply(lines, [
      percent("HALF", 1n, 2n, { priority: 2 }),
      percent("TEN", 1n, 10n, { priority: 1 }),
      percent("AAA", 1n, 100n)
    ])
    // TEN: 100.1 -> 100; HALF on 901: 450.5 -> 450; AAA (no priority, last) on 451: 4.51 -> 5
    expect(summary(lines, result)).toEqual(["TEN:-100@a", "HALF:-450@a", "AAA:-5@a"])
    expect(check([recurring("a", 1000n)], [fixed("B", { EUR: 1n }), fixed("A", { EUR: 2n })])).toEqual([
      "A:-2@a",
      "B:-1@a"
    ])
  })

  it("stacks on what is left of each line when coupons cover different lines", () => {
    const lines = [
      recurring("vps", 1000n, { productId: "vps" }),
      recurring("game", 1000n, { productId: "game" })
    ]
    const result = apply(lines, [
      fixed("ALL", { EUR: 500n }),
      percent("VPS", 1n, 2n, { appliesTo: { productIds: ["vps"] } })
    ])
    // VPS first (percent): 5.00 off the VPS line; ALL then splits 5.00 over what is left: 5.00 and 10.00
    expect(summary(lines, result)).toEqual(["VPS:-500@vps", "ALL:-500@vps,game"])
    expect(borne(lines, result)).toEqual([667n, 333n])
  })

  it("caps a fixed discount larger than what it covers, so no line goes negative", () => {
    const lines = [recurring("a", 300n)]
    const result = apply(lines, [fixed("BIG", { EUR: 500n })])
    expect(summary(lines, result)).toEqual(["BIG:-300@a"])
    expect(attributeDiscounts(lines, Either.getOrThrow(result).discounts)).toEqual([
      { id: "a", original: 300n, discount: 300n, amount: 0n }
    ])
  })

  it("attributes a fixed discount to the lines by allocation, in proportion to them", () => {
    const two = [recurring("a", 1000n), recurring("b", 2000n)]
    expect(borne(two, apply(two, [fixed("C", { EUR: 100n })]))).toEqual([33n, 67n])
    const three = [recurring("a", 1n), recurring("b", 1n), recurring("c", 1n)]
    expect(borne(three, apply(three, [fixed("C", { EUR: 2n })]))).toEqual([1n, 1n, 0n])
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
    expect(check(lines, [percent("TEN", 1n, 10n, { freeSetup: true })])).toEqual([
      "TEN:-140@plan,once",
      "TEN:-2500@setup"
    ])
    expect(remaining(lines, apply(lines, [percent("TEN", 1n, 10n)]))).toEqual([900n, 2500n, 700n, 360n])
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
      check(lines, [fixed("VPS", { EUR: 300n }, { appliesTo: { productIds: ["vps"] }, freeSetup: true })])
    ).toEqual(["VPS:-300@vps,vps-big", "VPS:-500@vps-setup"])
    expect(
      check(lines, [percent("P", 1n, 10n, { appliesTo: { productIds: ["vps"], planIds: ["vps-8g"] } })])
    ).toEqual(["P:-100@vps-big"])
  })

  it("never discounts credit lines and leaves out zero discounts", () => {
    const lines = [recurring("credit", -500n), recurring("free", 0n), recurring("a", 4n)]
    const result = apply(lines, [percent("TEN", 1n, 10n)])
    expect(summary(lines, result)).toEqual([])
    expect(remaining(lines, result)).toEqual([-500n, 0n, 4n])
    expect(check([recurring("a", 1000n)], [])).toEqual([])
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
          const attributed = attributeDiscounts(lines, result.discounts)
          attributed.forEach((line, i) => {
            const original = lines[i]?.amount ?? 0n
            expect(line.original).toBe(original)
            expect(line.discount >= 0n).toBe(true)
            expect(line.discount <= (original > 0n ? original : 0n)).toBe(true)
            expect(line.amount).toBe(original - line.discount)
            if (original >= 0n) expect(line.amount >= 0n).toBe(true)
          })
          for (const discount of result.discounts) {
            expect(discount.amount < 0n).toBe(true)
            expect(-discount.amount <= discount.base).toBe(true)
          }
          const fromDiscounts = result.discounts.reduce((sum, d) => sum - d.amount, 0n)
          expect(fromDiscounts).toBe(attributed.reduce((sum, l) => sum + l.discount, 0n))
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
          const taken = attributeDiscounts(lines, result.discounts).reduce((sum, l) => sum + l.discount, 0n)
          // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
          expect(taken).toBe(off < eligible ? off : eligible)
        }
      )
    )
  })
})
