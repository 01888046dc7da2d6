import { describe, expect, it } from "vitest"
import { main } from "./main"

describe("example: plan change quote", () => {
  const { changeDate, quote, report } = main()

  it("counts the days in the customer's zone: 22:30 UTC on April 10 is April 11 in Paris", () => {
    expect(changeDate).toEqual({ year: 2026, month: 4, day: 11 })
    expect(quote.fraction.days).toBe(20)
    expect(quote.fraction.periodDays).toBe(30)
  })

  it("credits 20.00, charges 40.00 and invoices the 20.00 difference plus 20% VAT", () => {
    expect(quote.credits.map((line) => line.amount)).toEqual([-2000n])
    expect(quote.charges.map((line) => line.amount)).toEqual([4000n])
    expect(quote.net).toBe(2000n)
    expect(quote.invoice.totals).toEqual({ subtotal: 2000n, tax: 400n, total: 2400n, discount: 0n })
    expect(quote.creditToAccount).toBe(0n)
  })

  it("prints the lines, the tax and the total in the customer's locale", () => {
    expect(report).toContain("Unused time on Cloud VPS — 2 GB (20/30 days)")
    expect(report).toContain("Remaining time on Cloud VPS — 4 GB (20/30 days)")
    expect(report).toMatch(/TVA 20% on 20,00\s€\s+4,00\s€/)
    expect(report).toMatch(/Total due now\s+24,00\s€/)
  })
})
