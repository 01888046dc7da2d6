import { describe, expect, it } from "vitest"
import { main } from "./main"

describe("example: plan change quote", () => {
  const { changeDate, quote, preview, report } = main()

  it("counts the days in the customer's zone: 22:30 UTC on April 10 is April 11 in Paris", () => {
    expect(changeDate).toEqual({ year: 2026, month: 4, day: 11 })
    expect(quote.fraction.left).toBe(20)
    expect(quote.fraction.length).toBe(30)
  })

  it("credits 20.00, charges 40.00 and invoices the 20.00 difference plus 20% VAT", () => {
    expect(quote.credits.map((line) => line.amount)).toEqual([-2000n])
    expect(quote.charges.map((line) => line.amount)).toEqual([4000n])
    expect(quote.net).toBe(2000n)
    expect(quote.invoice.totals).toEqual({ subtotal: 2000n, tax: 400n, total: 2400n, discount: 0n })
    expect(quote.creditToAccount).toBe(0n)
    expect(quote.amountDue).toBe(2400n)
  })

  it("previews the change: due now 24.00, next renewal on May 1 at 60.00 + 12.00 VAT", () => {
    expect(preview.dueNow).toBe(2400n)
    expect(preview.effectiveDate).toEqual({ year: 2026, month: 4, day: 11 })
    expect(preview.nextRenewal).toEqual({
      date: { year: 2026, month: 5, day: 1 },
      cycle: "monthly",
      subtotal: 6000n,
      tax: 1200n,
      total: 7200n
    })
  })

  it("prints the lines, the tax and the total in the customer's locale", () => {
    expect(report).toContain("Unused time on Cloud VPS — 2 GB (20/30 days)")
    expect(report).toContain("Remaining time on Cloud VPS — 4 GB (20/30 days)")
    expect(report).toMatch(/TVA 20% on 20,00\s€\s+4,00\s€/)
    expect(report).toMatch(/Total due now\s+24,00\s€/)
    expect(report).toMatch(/Next renewal on 2026-05-01: 72,00\s€/)
  })
})
