/**
 * Plan change scenarios with round numbers (a 30-day period, so a day is 1.00 on a 30.00 plan), from
 * the tax rules to the invoice totals, as the engine will run them.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { CivilDate } from "../../../src/calendar/civil-date"
import type { PricedItem } from "../../../src/catalog/selection"
import { determineTax, type TaxCustomer } from "../../../src/invoicing/tax/determine"
import { decodeTaxRules } from "../../../src/invoicing/tax/rules"
import { quotePlanChange } from "../../../src/proration/plan-change"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })

const rules = Either.getOrThrow(
  decodeTaxRules([
    { id: "de-vat", country: "DE", name: "MwSt", rate: "19" },
    { id: "fr-vat", country: "FR", name: "TVA", rate: "20" }
  ])
)
const taxFor = (customer: TaxCustomer) =>
  Either.getOrThrow(determineTax({ seller: { country: "DE", euVat: "oss" }, customer }, rules))

const plan = (itemId: string, name: string, amount: bigint): PricedItem => ({
  kind: "plan",
  itemId,
  description: `VPS — ${name}`,
  cycle: "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})
const small = plan("vps-2g", "2 GB", 3000n)
const large = plan("vps-4g", "4 GB", 6000n)

const change = (from: PricedItem, to: PricedItem, customer: TaxCustomer) =>
  Either.getOrThrow(
    quotePlanChange({
      invoiceId: "inv_change_1",
      tenantId: "ten_1",
      customerId: "cus_1",
      subscriptionId: "sub_1",
      currency: "EUR",
      pricing: "exclusive",
      period: { start: d(2026, 4, 1), end: d(2026, 5, 1) },
      changeDate: d(2026, 4, 11),
      currentItems: [from],
      newItems: [to],
      tax: taxFor(customer),
      rounding: "half-even",
      dueAt: 1_775_865_600_000 // 2026-04-11T00:00:00Z
    })
  )

describe("scenario: upgrade 30.00 -> 60.00 on day 11 of a 30-day period (20 days left)", () => {
  it("a French consumer (OSS, 20% TVA): credit -20.00, charge 40.00, net 20.00 + 4.00 VAT", () => {
    const quote = change(small, large, { country: "FR", isBusiness: false })
    expect(quote.fraction.days).toBe(20)
    expect(quote.fraction.periodDays).toBe(30)
    expect(quote.credits.map((c) => [c.description, c.amount])).toEqual([
      ["Unused time on VPS — 2 GB (20/30 days)", -2000n]
    ])
    expect(quote.charges.map((c) => [c.description, c.amount])).toEqual([
      ["Remaining time on VPS — 4 GB (20/30 days)", 4000n]
    ])
    expect(quote.net).toBe(2000n)
    expect(quote.invoice.totals).toEqual({ subtotal: 2000n, tax: 400n, total: 2400n, discount: 0n })
    expect(quote.invoice.taxSummary).toEqual([
      { kind: "taxed", ruleId: "fr-vat", name: "TVA", rate: { num: 1n, den: 5n }, base: 2000n, tax: 400n }
    ])
    expect(quote.creditToAccount).toBe(0n)
  })

  it("a French business with a VAT id is reverse charged: net 20.00, no VAT, the note printed", () => {
    const quote = change(small, large, { country: "FR", isBusiness: true, vatId: "FR40303265045" })
    expect(quote.invoice.totals).toEqual({ subtotal: 2000n, tax: 0n, total: 2000n, discount: 0n })
    expect(quote.invoice.notes[0]).toMatch(/^Reverse charge/)
  })

  it("the downgrade back the same day: 24.00 (VAT included) becomes account credit", () => {
    const quote = change(large, small, { country: "FR", isBusiness: false })
    expect(quote.net).toBe(-2000n)
    expect(quote.invoice.totals).toEqual({ subtotal: -2000n, tax: -400n, total: -2400n, discount: 0n })
    expect(quote.creditToAccount).toBe(2400n)
  })
})
