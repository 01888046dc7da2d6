import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { anniversaryPeriod } from "../calendar/anniversary"
import { addDays, type CivilDate, fromEpochDay } from "../calendar/civil-date"
import { type BillingPeriod, periodDays } from "../calendar/period"
import { type BillingCycle, RecurringCycles } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import type { PriceBasis } from "../invoicing/tax/compute"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent, ratio } from "../money/ratio"
import { type RoundingMode, RoundingModes } from "../money/rounding"
import { type CurrentItem, type PlanChangeInput, type PlanChangeQuote, quotePlanChange } from "./plan-change"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const april: BillingPeriod = { start: d(2026, 4, 1), end: d(2026, 5, 1) }

const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr-vat", name: "TVA", rate: percent(20), compound: false }]
}
const salesTax: TaxDecision = {
  kind: "taxed",
  country: "US",
  components: [{ ruleId: "us-tx", name: "Sales tax", rate: ratio(33n, 400n), compound: false }]
}
const reverseCharge: TaxDecision = { kind: "reverse_charge", note: "Reverse charge", customerVatId: "DE123" }

const item = (
  itemId: string,
  amount: bigint,
  options: { kind?: PricedItem["kind"]; cycle?: BillingCycle; description?: string } = {}
): PricedItem => ({
  kind: options.kind ?? "plan",
  itemId,
  description: options.description ?? itemId,
  cycle: options.cycle ?? "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})

const input = (overrides: Partial<PlanChangeInput> = {}): PlanChangeInput => ({
  invoiceId: "inv_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  subscriptionId: "sub_1",
  currency: "EUR",
  pricing: "exclusive",
  period: april,
  changeDate: d(2026, 4, 11),
  currentItems: [item("vps-2g", 3000n, { description: "VPS 2 GB" })],
  newItems: [item("vps-4g", 6000n, { description: "VPS 4 GB" })],
  tax: vat20,
  rounding: "half-even",
  dueAt: 0,
  ...overrides
})

const quote = (overrides: Partial<PlanChangeInput> = {}): PlanChangeQuote =>
  Either.getOrThrow(quotePlanChange(input(overrides)))

const sum = (amounts: ReadonlyArray<{ readonly amount: bigint }>): bigint =>
  amounts.reduce((total, line) => total + line.amount, 0n)

describe("quotePlanChange", () => {
  it("credits the unused days of the old plan and charges the new one for the days left", () => {
    const result = quote()
    expect(result.policy).toBe("immediate")
    expect(result.fraction).toEqual({
      remaining: { start: d(2026, 4, 11), end: d(2026, 5, 1) },
      days: 20,
      periodDays: 30
    })
    expect(result.credits.map((c) => [c.kind, c.description, c.amount, c.itemId])).toEqual([
      ["proration", "Unused time on VPS 2 GB (20/30 days)", -2000n, "vps-2g"]
    ])
    expect(result.charges.map((c) => [c.kind, c.description, c.amount, c.itemId])).toEqual([
      ["proration", "Remaining time on VPS 4 GB (20/30 days)", 4000n, "vps-4g"]
    ])
    expect(result.net).toBe(2000n)
    expect(result.creditToAccount).toBe(0n)
  })

  it("puts the lines, with tax, on a draft invoice for the rest of the period", () => {
    const { invoice } = quote()
    expect(invoice.status).toBe("draft")
    expect(invoice.period).toEqual({ start: d(2026, 4, 11), end: d(2026, 5, 1) })
    expect(invoice.lines.map((l) => [l.kind, l.amount, l.net, l.tax, l.gross])).toEqual([
      ["proration", -2000n, -2000n, -400n, -2400n],
      ["proration", 4000n, 4000n, 800n, 4800n]
    ])
    expect(invoice.totals).toEqual({ subtotal: 2000n, tax: 400n, total: 2400n, discount: 0n })
    expect(invoice.lines.every((l) => l.period?.start.day === 11 && l.quantity === 1n)).toBe(true)
  })

  it("credits what was actually charged (after discounts), not the list price", () => {
    const current: CurrentItem = { ...item("vps-2g", 3000n), charged: 2700n }
    const result = quote({ currentItems: [current] })
    expect(result.credits.map((c) => c.amount)).toEqual([-1800n])
    expect(result.net).toBe(2200n)
  })

  it("turns a downgrade's negative total, tax included, into account credit", () => {
    const result = quote({
      currentItems: [item("vps-4g", 6000n)],
      newItems: [item("vps-2g", 3000n)]
    })
    expect(result.net).toBe(-2000n)
    expect(result.invoice.totals.total).toBe(-2400n)
    expect(result.creditToAccount).toBe(2400n)
  })

  it("prorates every item: plan, options and add-ons, and leaves out lines that prorate to zero", () => {
    const result = quote({
      currentItems: [item("vps-2g", 3000n), item("ipv4", 300n, { kind: "option" }), item("free", 0n)],
      newItems: [item("vps-4g", 6000n), item("ipv4", 300n, { kind: "option" })]
    })
    expect(result.credits.map((c) => [c.itemId, c.amount])).toEqual([
      ["vps-2g", -2000n],
      ["ipv4", -200n]
    ])
    expect(result.charges.map((c) => [c.itemId, c.amount])).toEqual([
      ["vps-4g", 4000n],
      ["ipv4", 200n]
    ])
    expect(result.net).toBe(2000n)
  })

  it("rounds each line once with the named mode", () => {
    // 31-day month, 10 days left: 1000 x 10/31 = 322.58, 2000 x 10/31 = 645.16
    const may = { start: d(2026, 5, 1), end: d(2026, 6, 1) }
    const at = (rounding: RoundingMode) =>
      quote({
        period: may,
        changeDate: d(2026, 5, 22),
        currentItems: [item("a", 1000n)],
        newItems: [item("b", 2000n)],
        rounding
      })
    expect([at("half-even").credits[0]?.amount, at("half-even").charges[0]?.amount]).toEqual([-323n, 645n])
    expect([at("down").credits[0]?.amount, at("down").charges[0]?.amount]).toEqual([-322n, 645n])
    expect([at("up").credits[0]?.amount, at("up").charges[0]?.amount]).toEqual([-323n, 646n])
  })

  it("refuses a change of billing cycle, naming both cycles", () => {
    const result = quotePlanChange(input({ newItems: [item("vps-4g", 60000n, { cycle: "annually" })] }))
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("CycleChangeNotSupported")
      expect(result.left).toMatchObject({ from: "monthly", to: "annually" })
    }
  })

  it("refuses a change date outside the period", () => {
    for (const changeDate of [d(2026, 3, 31), d(2026, 5, 1)]) {
      const result = quotePlanChange(input({ changeDate }))
      expect(Either.isLeft(result) && result.left._tag).toBe("ChangeOutsidePeriod")
    }
  })

  it("refuses a negative charged amount", () => {
    const result = quotePlanChange(input({ currentItems: [{ ...item("vps-2g", 3000n), charged: -1n }] }))
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result))
      expect(result.left).toMatchObject({ _tag: "InvalidChargedAmount", charged: -1n })
  })
})

// --- properties -----------------------------------------------------------------------------------------

interface Case {
  readonly period: BillingPeriod
  readonly changeDate: CivilDate
  readonly firstDay: CivilDate
  readonly pricing: PriceBasis
  readonly tax: TaxDecision
  readonly rounding: RoundingMode
}

/** A real anniversary period (28..31 days for monthly, up to 1096 for triennially) and a day inside it. */
const arbCase: fc.Arbitrary<Case> = fc
  .record({
    anchorDay: fc.integer({ min: 18_000, max: 40_000 }),
    cycle: fc.constantFrom(...RecurringCycles),
    index: fc.integer({ min: 0, max: 30 }),
    offset: fc.nat(),
    pricing: fc.constantFrom<PriceBasis>("exclusive", "inclusive"),
    tax: fc.constantFrom<TaxDecision>(vat20, salesTax, reverseCharge, { kind: "none" }),
    rounding: fc.constantFrom(...RoundingModes)
  })
  .map(({ anchorDay, cycle, index, offset, pricing, tax, rounding }) => {
    const period = anniversaryPeriod(fromEpochDay(anchorDay), cycle, index)
    return {
      period,
      changeDate: addDays(period.start, offset % periodDays(period)),
      firstDay: period.start,
      pricing,
      tax,
      rounding
    }
  })

const arbItems = (prefix: string): fc.Arbitrary<Array<PricedItem>> =>
  fc
    .array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 4 })
    .map((amounts) => amounts.map((amount, i) => item(`${prefix}${i}`, amount)))

const quoteCase = (
  c: Case,
  currentItems: ReadonlyArray<CurrentItem>,
  newItems: ReadonlyArray<PricedItem>,
  changeDate: CivilDate = c.changeDate
): PlanChangeQuote =>
  quote({
    period: c.period,
    changeDate,
    pricing: c.pricing,
    tax: c.tax,
    rounding: c.rounding,
    currentItems,
    newItems
  })

describe("quotePlanChange properties", () => {
  it("nets to zero, tax included, for a change to the same price", () => {
    fc.assert(
      fc.property(arbCase, arbItems("old-"), (c, items) => {
        const same = items.map((it, i) => item(`new-${i}`, it.amount))
        const result = quoteCase(c, items, same)
        expect(result.net).toBe(0n)
        expect(result.invoice.totals.total).toBe(0n)
        expect(result.creditToAccount).toBe(0n)
      })
    )
  })

  it("on the first day of the period, is exactly the new price minus the old one", () => {
    fc.assert(
      fc.property(arbCase, arbItems("a-"), arbItems("b-"), (c, from, to) => {
        const result = quoteCase(c, from, to, c.firstDay)
        expect(result.fraction.days).toBe(result.fraction.periodDays)
        expect(result.net).toBe(sum(to) - sum(from))
        expect(sum(result.credits)).toBe(-sum(from))
        expect(sum(result.charges)).toBe(sum(to))
      })
    )
  })

  it("never credits more than was charged for an item, nor a positive amount", () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.array(
          fc
            .tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }))
            .map(([a, b]) => (a <= b ? { amount: b, charged: a } : { amount: a, charged: b })),
          { minLength: 1, maxLength: 4 }
        ),
        (c, paid) => {
          const current = paid.map(
            ({ amount, charged }, i): CurrentItem => ({ ...item(`old-${i}`, amount), charged })
          )
          const result = quoteCase(c, current, [item("new", 1000n)])
          for (const credit of result.credits) {
            const charged = current.find((it) => it.itemId === credit.itemId)?.charged ?? -1n
            expect(credit.amount).toBeLessThan(0n)
            expect(-credit.amount).toBeLessThanOrEqual(charged)
          }
          expect(-sum(result.credits)).toBeLessThanOrEqual(paid.reduce((total, p) => total + p.charged, 0n))
        }
      )
    )
  })

  it("an upgrade then an immediate downgrade back on the same day nets to zero within one minor unit a line", () => {
    fc.assert(
      fc.property(arbCase, arbItems("a-"), arbItems("b-"), (c, from, to) => {
        const up = quoteCase(c, from, to)
        const down = quoteCase(c, to, from)
        const lines = up.invoice.lines.length + down.invoice.lines.length
        const drift = up.net + down.net
        expect(drift <= BigInt(lines) && -drift <= BigInt(lines)).toBe(true)
        const grossDrift = up.invoice.totals.total + down.invoice.totals.total
        expect(grossDrift <= BigInt(lines) && -grossDrift <= BigInt(lines)).toBe(true)
      })
    )
  })

  it("writes an invoice whose total is the sum of its lines and whose lines are the credits and charges", () => {
    fc.assert(
      fc.property(arbCase, arbItems("a-"), arbItems("b-"), (c, from, to) => {
        const result = quoteCase(c, from, to)
        const { lines, totals } = result.invoice
        expect(lines.map((l) => l.amount)).toEqual(
          [...result.credits, ...result.charges].map((l) => l.amount)
        )
        expect(totals.total).toBe(lines.reduce((total, l) => total + l.gross, 0n))
        expect(result.creditToAccount).toBe(totals.total < 0n ? -totals.total : 0n)
      })
    )
  })
})
