import { describe, expect, it } from "vitest"
import { main } from "./main"

describe("example: renewal invoices", () => {
  const run = main()

  it("anchors monthly periods on Jan 31 and clamps them to the month's end", () => {
    expect(run.periods.map((p) => [p.start, p.end].map((d) => `${d.month}/${d.day}`).join("-"))).toEqual([
      "1/31-2/28",
      "2/28-3/31",
      "3/31-4/30",
      "4/30-5/31"
    ])
  })

  it("bills 25.00 less 10% plus 20% French VAT while the coupon runs, then the full price", () => {
    expect(
      run.invoices.map(({ cycle, invoice }) => [
        cycle,
        invoice.totals.subtotal,
        invoice.totals.tax,
        invoice.totals.total
      ])
    ).toEqual([
      [1, 2250n, 450n, 2700n],
      [2, 2250n, 450n, 2700n],
      [3, 2250n, 450n, 2700n],
      [4, 2500n, 500n, 3000n]
    ])
    for (const { invoice } of run.invoices) {
      expect(invoice.totals.total).toBe(invoice.lines.reduce((sum, line) => sum + line.gross, 0n))
      expect(invoice.taxSummary.map((group) => group.kind === "taxed" && group.ruleId)).toEqual(["fr-vat"])
    }
  })

  it("prints every invoice with amounts in the customer's locale", () => {
    expect(run.report).toContain("2026-01-31 -> 2026-02-28 -> 2026-03-31 -> 2026-04-30 -> 2026-05-31")
    expect(run.report).toMatch(/Total\s+22,50\s€\s+4,50\s€\s+27,00\s€/)
    expect(run.report).toMatch(/Total\s+25,00\s€\s+5,00\s€\s+30,00\s€/)
    expect(run.report.match(/Renewal invoice #/g)).toHaveLength(4)
  })
})
