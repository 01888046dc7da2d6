/**
 * Fixed lengths: a month is 30 days whatever its real length, so 30.00 is 1.00 a day in May (31 days)
 * and in February (28 days). Days left beyond 30 are capped: the whole month is credited and charged.
 */
import { describe, expect, it } from "vitest"
import { previewChange } from "../../../src"
import { changeInput, day, described, instant, priced, quoteAtTermEnd, quoteNow } from "./helpers"

const small = priced("vps-2g", "VPS — 2 GB", 3000n)
const large = priced("vps-4g", "VPS — 4 GB", 6000n)
const may = { start: day("2026-05-01"), end: day("2026-06-01") }
const february = { start: day("2026-02-01"), end: day("2026-03-01") }
const upgrade = (period: typeof may, at: number) =>
  changeInput({ period, at, strategy: "fixed", currentItems: [small], newItems: [large] })

describe("scenario: fixed 30-day month, upgrade 30.00 -> 60.00", () => {
  it("22 May (10 days left of 31): credit -10.00, charge 20.00, 10.00 + 2.00 TVA due now", () => {
    const quote = quoteNow(upgrade(may, instant("2026-05-22", "16:00", "Europe/Paris")))
    expect(quote.fraction).toMatchObject({ strategy: "fixed", left: 10, length: 30 })
    expect(described(quote.invoice.lines)).toEqual([
      ["Unused time on VPS — 2 GB (10/30 days)", -1000n],
      ["Remaining time on VPS — 4 GB (10/30 days)", 2000n]
    ])
    expect(quote.invoice.totals).toEqual({ subtotal: 1000n, tax: 200n, total: 1200n, discount: 0n })
    expect(quote.amountDue).toBe(1200n)
  })

  it("2 May (30 days left of 31): capped at 30/30, the whole month: -30.00 + 60.00", () => {
    const quote = quoteNow(upgrade(may, instant("2026-05-02", "08:00", "Europe/Paris")))
    expect(quote.fraction).toMatchObject({ left: 30, length: 30 })
    expect(quote.invoice.lines.map((l) => l.amount)).toEqual([-3000n, 6000n])
    expect(quote.invoice.totals.total).toBe(3600n)
  })

  it("19 February (10 days left of 28): 10/30 like any month, not 10/28", () => {
    const quote = quoteNow(upgrade(february, instant("2026-02-19", "12:00", "Europe/Paris")))
    expect(quote.invoice.lines.map((l) => l.amount)).toEqual([-1000n, 2000n])
  })

  it("1 February: the whole 28-day period is the whole price, credited and charged in full", () => {
    const quote = quoteNow(upgrade(february, instant("2026-02-01", "00:00", "Europe/Paris")))
    expect(quote.invoice.lines.map((l) => l.amount)).toEqual([-3000n, 6000n])
  })

  it("the downgrade back on 22 May: 12.00 becomes account credit", () => {
    const quote = quoteNow({
      ...upgrade(may, instant("2026-05-22", "16:00", "Europe/Paris")),
      currentItems: [large],
      newItems: [small]
    })
    expect([quote.invoice.totals.total, quote.creditToAccount]).toEqual([-1200n, 1200n])
  })

  it("end of term: nothing now, 72.00 at the 1 June renewal", () => {
    const quote = quoteAtTermEnd(upgrade(may, instant("2026-05-22", "16:00", "Europe/Paris")))
    expect(previewChange(quote)).toMatchObject({
      effectiveDate: day("2026-06-01"),
      lines: [],
      dueNow: 0n,
      nextRenewal: { date: day("2026-06-01"), total: 7200n }
    })
  })
})

describe("scenario: fixed 365-day year", () => {
  it("an annual 365.00 plan (1.00 a day) upgraded to 730.00 with 100 days left: +100.00 + 20.00 TVA", () => {
    const year = { start: day("2026-01-01"), end: day("2027-01-01") }
    const quote = quoteNow(
      changeInput({
        period: year,
        at: instant("2026-09-23", "10:00", "Europe/Paris"),
        strategy: "fixed",
        currentItems: [priced("vps", "VPS yearly", 36500n, { cycle: "annually" })],
        newItems: [priced("vps-xl", "VPS XL yearly", 73000n, { cycle: "annually" })]
      })
    )
    expect(quote.fraction).toMatchObject({ left: 100, length: 365 })
    expect(quote.invoice.lines.map((l) => l.amount)).toEqual([-10000n, 20000n])
    expect(quote.invoice.totals.total).toBe(12000n)
    expect(quote.nextRenewal.period).toEqual({ start: day("2027-01-01"), end: day("2028-01-01") })
  })
})
