import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Ratio, RoundingMode } from "../../money"
import { type TaxableLine, taxLine, taxLines } from "./compute"
import type { TaxComponent, TaxDecision } from "./determine"
import { reverseChargeNote } from "./determine"

const component = (ruleId: string, num: bigint, den: bigint, compound = false): TaxComponent => ({
  ruleId,
  name: ruleId.toUpperCase(),
  rate: { num, den },
  compound
})
const taxed = (first: TaxComponent, ...rest: Array<TaxComponent>): TaxDecision => ({
  kind: "taxed",
  country: "XX",
  components: [first, ...rest]
})
const vat21 = taxed(component("nl-vat", 21n, 100n))
const vat19 = taxed(component("de-vat", 19n, 100n))
const vat7 = taxed(component("de-vat-ebook", 7n, 100n))
const onePercent = taxed(component("one", 1n, 100n))
const gstQst = taxed(component("gst", 5n, 100n), component("qst", 9975n, 100000n))

const exclusive = (amount: bigint): TaxableLine => ({ id: "l1", amount, pricing: "exclusive" })
const inclusive = (amount: bigint): TaxableLine => ({ id: "l1", amount, pricing: "inclusive" })
const amounts = (line: { net: bigint; tax: bigint; gross: bigint }) => [line.net, line.tax, line.gross]

describe("taxLine", () => {
  it("exclusive: 100.00 at 21% is 21.00 tax", () => {
    expect(amounts(taxLine(exclusive(10000n), vat21, "half-even"))).toEqual([10000n, 2100n, 12100n])
  })

  it("inclusive: 121.00 at 21% is 21.00 tax on 100.00 net", () => {
    expect(amounts(taxLine(inclusive(12100n), vat21, "half-even"))).toEqual([10000n, 2100n, 12100n])
  })

  it("inclusive: 10.00 at 19% is 1.60 tax (1.5966 rounded once), 8.40 net", () => {
    expect(amounts(taxLine(inclusive(1000n), vat19, "half-even"))).toEqual([840n, 160n, 1000n])
  })

  it("exclusive: 19.99 at 8.25% is 1.65 (1.649175)", () => {
    expect(taxLine(exclusive(1999n), taxed(component("tx", 825n, 10000n)), "half-even").tax).toBe(165n)
  })

  it.each<[bigint, RoundingMode, bigint]>([
    [50n, "half-even", 0n],
    [50n, "half-up", 1n],
    [150n, "half-even", 2n],
    [250n, "half-even", 2n],
    [250n, "half-up", 3n],
    [299n, "down", 2n],
    [201n, "up", 3n]
  ])("rounds %s at 1%% with %s to %s", (amount, mode, tax) => {
    expect(taxLine(exclusive(amount), onePercent, mode).tax).toBe(tax)
  })

  it("rounds a credit line symmetrically: its tax is the negative of the charge's", () => {
    expect(amounts(taxLine(exclusive(-10000n), vat21, "half-even"))).toEqual([-10000n, -2100n, -12100n])
    expect(taxLine(exclusive(-50n), onePercent, "half-up").tax).toBe(-1n)
    expect(amounts(taxLine(inclusive(-1000n), vat19, "half-even"))).toEqual([-840n, -160n, -1000n])
  })

  it("exclusive with two components: each is rounded once on the net (GST 5% + QST 9.975%)", () => {
    const line = taxLine(exclusive(10000n), gstQst, "half-even")
    expect(line.components.map((c) => [c.ruleId, c.base, c.tax])).toEqual([
      ["gst", 10000n, 500n],
      ["qst", 10000n, 998n]
    ])
    expect(amounts(line)).toEqual([10000n, 1498n, 11498n])
  })

  it("exclusive compound: the second component is charged on net + first component", () => {
    const line = taxLine(
      exclusive(10000n),
      taxed(component("gst", 5n, 100n), component("qst", 95n, 1000n, true)),
      "half-even"
    )
    expect(line.components.map((c) => [c.ruleId, c.base, c.tax])).toEqual([
      ["gst", 10000n, 500n],
      ["qst", 10500n, 998n]
    ])
  })

  it("inclusive with two components: the whole tax is rounded once, then split by allocation", () => {
    const line = taxLine(inclusive(11498n), gstQst, "half-even")
    expect(amounts(line)).toEqual([10000n, 1498n, 11498n])
    expect(line.components.map((c) => [c.ruleId, c.tax])).toEqual([
      ["gst", 500n],
      ["qst", 998n]
    ])
  })

  it("charges no tax on untaxed decisions", () => {
    for (const decision of [
      { kind: "reverse_charge", note: reverseChargeNote, customerVatId: "DE123456789" },
      { kind: "exempt", reason: "charity" },
      { kind: "none" }
    ] satisfies Array<TaxDecision>) {
      const line = taxLine(inclusive(12100n), decision, "half-even")
      expect(amounts(line)).toEqual([12100n, 0n, 12100n])
      expect(line.components).toEqual([])
      expect(line.treatment).toBe(decision.kind)
    }
  })
})

describe("taxLines", () => {
  it("groups an invoice with two rates per (rule, rate), rounding per line", () => {
    const breakdown = taxLines(
      [
        { id: "vps", amount: 1005n, pricing: "exclusive" },
        { id: "vps-addon", amount: 1005n, pricing: "exclusive" },
        { id: "ebook", amount: 999n, pricing: "exclusive", decision: vat7 }
      ],
      vat19,
      "half-even"
    )
    // 10.05 x 19% = 1.9095 -> 1.91 per line; 9.99 x 7% = 0.6993 -> 0.70
    expect(breakdown.lines.map((l) => [l.id, l.tax])).toEqual([
      ["vps", 191n],
      ["vps-addon", 191n],
      ["ebook", 70n]
    ])
    expect(breakdown.summary).toEqual([
      {
        kind: "taxed",
        ruleId: "de-vat",
        name: "DE-VAT",
        rate: { num: 19n, den: 100n },
        base: 2010n,
        tax: 382n
      },
      {
        kind: "taxed",
        ruleId: "de-vat-ebook",
        name: "DE-VAT-EBOOK",
        rate: { num: 7n, den: 100n },
        base: 999n,
        tax: 70n
      }
    ])
    expect(breakdown.totals).toEqual({ net: 3009n, tax: 452n, gross: 3461n })
  })

  it("the summary is the sum of rounded lines, not a rounding of the group", () => {
    // 3 lines of 0.05 at 10%: 0.005 each -> half-up 0.01 each = 0.03 (the group's exact 0.015 would be 0.02)
    const lines = ["a", "b", "c"].map((id): TaxableLine => ({ id, amount: 5n, pricing: "exclusive" }))
    const breakdown = taxLines(lines, taxed(component("ten", 10n, 100n)), "half-up")
    expect(breakdown.summary).toMatchObject([{ base: 15n, tax: 3n }])
    expect(breakdown.totals.tax).toBe(3n)
  })

  it("shows the reverse-charged base with its note", () => {
    const breakdown = taxLines(
      [
        { id: "a", amount: 10000n, pricing: "exclusive" },
        { id: "b", amount: 2500n, pricing: "exclusive" }
      ],
      { kind: "reverse_charge", note: reverseChargeNote, customerVatId: "DE123456789" },
      "half-even"
    )
    expect(breakdown.summary).toEqual([{ kind: "reverse_charge", note: reverseChargeNote, base: 12500n }])
    expect(breakdown.totals).toEqual({ net: 12500n, tax: 0n, gross: 12500n })
  })

  it("keeps components of a multi-rate line in separate groups", () => {
    const breakdown = taxLines([exclusive(10000n), { ...exclusive(20000n), id: "l2" }], gstQst, "half-even")
    expect(breakdown.summary.map((g) => (g.kind === "taxed" ? [g.ruleId, g.base, g.tax] : g.kind))).toEqual([
      ["gst", 30000n, 1500n],
      ["qst", 30000n, 2993n]
    ])
  })
})

const rateArb: fc.Arbitrary<Ratio> = fc
  .tuple(fc.bigInt({ min: 0n, max: 100_000n }), fc.constantFrom(100n, 1000n, 10_000n, 100_000n, 7n))
  .map(([num, den]) => ({ num: num % (den + 1n), den }))
const componentsArb = fc
  .array(fc.tuple(rateArb, fc.boolean()), { minLength: 1, maxLength: 3 })
  .map((rates) => rates.map(([rate, compound], i) => ({ ruleId: `r${i}`, name: `R${i}`, rate, compound })))
const modeArb = fc.constantFrom<RoundingMode>("half-even", "half-up", "down", "up")
const amountArb = fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n })

describe("tax properties", () => {
  it("inclusive: net + tax == gross, and the components sum to the tax", () => {
    fc.assert(
      fc.property(amountArb, componentsArb, modeArb, (gross, [first, ...rest], mode) => {
        if (first === undefined) return
        const line = taxLine(inclusive(gross), taxed(first, ...rest), mode)
        expect(line.net + line.tax).toBe(gross)
        expect(line.gross).toBe(gross)
        expect(line.components.reduce((s, c) => s + c.tax, 0n)).toBe(line.tax)
      })
    )
  })

  it("exclusive: the tax is within half a minor unit of the exact value (half-even, half-up)", () => {
    fc.assert(
      fc.property(
        amountArb,
        rateArb,
        fc.constantFrom<RoundingMode>("half-even", "half-up"),
        (net, rate, mode) => {
          const line = taxLine(exclusive(net), taxed({ ruleId: "r", name: "R", rate, compound: false }), mode)
          const error = line.tax * rate.den - net * rate.num // (tax - exact) x den
          expect(2n * (error < 0n ? -error : error) <= rate.den).toBe(true)
          expect(line.gross).toBe(net + line.tax)
        }
      )
    )
  })

  it("taxLines: totals are the sums of lines and the summary carries every unit of tax", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(amountArb, fc.boolean()), { maxLength: 8 }),
        componentsArb,
        modeArb,
        (raw, [first, ...rest], mode) => {
          if (first === undefined) return
          const lines = raw.map(
            ([amount, isInclusive], i): TaxableLine => ({
              id: `l${i}`,
              amount,
              pricing: isInclusive ? "inclusive" : "exclusive"
            })
          )
          const breakdown = taxLines(lines, taxed(first, ...rest), mode)
          const sum = (pick: (l: (typeof breakdown.lines)[number]) => bigint) =>
            breakdown.lines.reduce((s, l) => s + pick(l), 0n)
          expect(breakdown.totals).toEqual({
            net: sum((l) => l.net),
            tax: sum((l) => l.tax),
            gross: sum((l) => l.gross)
          })
          expect(breakdown.summary.reduce((s, g) => s + (g.kind === "taxed" ? g.tax : 0n), 0n)).toBe(
            breakdown.totals.tax
          )
        }
      )
    )
  })
})
