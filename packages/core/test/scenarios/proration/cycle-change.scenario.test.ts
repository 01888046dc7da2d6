/**
 * A change of billing cycle starts a new period on the change day: the unused part of the current
 * period is credited, the full new-cycle price is charged for a new period from the change day, and the
 * change day becomes the anchor. 31.00 over 31-day May is 1.00 a day; 365.00 over 2026 is 1.00 a day.
 */
import { describe, expect, it } from "vitest"
import { previewChange } from "../../../src"
import { changeInput, day, described, instant, priced, quoteAtTermEnd, quoteNow } from "./helpers"

const may = { start: day("2026-05-01"), end: day("2026-06-01") }
const monthly = priced("vps-2g", "VPS — 2 GB", 3100n)
const annual = priced("vps-2g", "VPS — 2 GB, yearly", 36500n, { cycle: "annually" })
/** Frozen now: 11 May 2026, 09:15 in Paris. 21 days of May are left. */
const now = instant("2026-05-11", "09:15", "Europe/Paris")
const toAnnual = changeInput({ period: may, at: now, currentItems: [monthly], newItems: [annual] })

describe("scenario: monthly 31.00 -> annually 365.00 on 11 May", () => {
  it("immediate: credit -21.00, charge 365.00 for 11 May 2026 - 10 May 2027, 344.00 + 68.80 TVA", () => {
    const quote = quoteNow(toAnnual)
    expect(quote.cycleChange).toEqual({ from: "monthly", to: "annually" })
    expect(described(quote.invoice.lines)).toEqual([
      ["Unused time on VPS — 2 GB (21/31 days)", -2100n],
      ["VPS — 2 GB, yearly (2026-05-11 to 2027-05-10)", 36500n]
    ])
    expect(quote.invoice.lines.map((l) => [l.kind, l.period])).toEqual([
      ["proration", { start: day("2026-05-11"), end: day("2026-06-01") }],
      ["plan", { start: day("2026-05-11"), end: day("2027-05-11") }]
    ])
    expect(quote.invoice.totals).toEqual({ subtotal: 34400n, tax: 6880n, total: 41280n, discount: 0n })
  })

  it("the new period and anchor: 11 May; the next renewal on 11 May 2027 bills 438.00", () => {
    const quote = quoteNow(toAnnual)
    expect(quote.effectiveDate).toEqual(day("2026-05-11"))
    expect(quote.anchor).toEqual(day("2026-05-11"))
    expect(quote.period).toEqual({ start: day("2026-05-11"), end: day("2027-05-11") })
    expect(quote.nextRenewal).toEqual({
      date: day("2027-05-11"),
      period: { start: day("2027-05-11"), end: day("2028-05-11") },
      cycle: "annually",
      amount: 36500n,
      subtotal: 36500n,
      tax: 7300n,
      total: 43800n
    })
    expect(previewChange(quote)).toMatchObject({
      effectiveDate: day("2026-05-11"),
      dueNow: 41280n,
      nextRenewal: { date: day("2027-05-11"), cycle: "annually", total: 43800n }
    })
  })

  it("per second, the credit runs from midnight of the change day, where the new period begins", () => {
    const quote = quoteNow({ ...toAnnual, strategy: "per_second" })
    expect(quote.fraction).toMatchObject({ left: 21 * 86_400, length: 31 * 86_400 })
    expect(described(quote.credits)).toEqual([["Unused time on VPS — 2 GB (from 2026-05-11 00:00)", -2100n]])
    expect(quote.invoice.totals.total).toBe(41280n)
  })

  it("fixed, a 30.00 month credits 21 of 30 days: -21.00", () => {
    const quote = quoteNow({
      ...toAnnual,
      strategy: "fixed",
      currentItems: [priced("vps-2g", "VPS — 2 GB", 3000n)]
    })
    expect(described(quote.credits)).toEqual([["Unused time on VPS — 2 GB (21/30 days)", -2100n]])
  })

  it("end of term: nothing now; the yearly period and the new anchor start on 1 June", () => {
    const quote = quoteAtTermEnd(toAnnual)
    expect(quote.effectiveDate).toEqual(day("2026-06-01"))
    expect(quote.anchor).toEqual(day("2026-06-01"))
    expect(quote.period).toEqual({ start: day("2026-06-01"), end: day("2027-06-01") })
    expect(quote.nextRenewal).toMatchObject({ date: day("2026-06-01"), total: 43800n })
  })
})

describe("scenario: annually 365.00 -> quarterly 90.00 on 2 July (183 of 365 days left)", () => {
  it("credits 183.00, charges one quarter (90.00), never the rest of the year at the quarterly price", () => {
    const quote = quoteNow(
      changeInput({
        period: { start: day("2026-01-01"), end: day("2027-01-01") },
        at: instant("2026-07-02", "14:00", "Europe/Paris"),
        currentItems: [priced("vps", "VPS yearly", 36500n, { cycle: "annually" })],
        newItems: [priced("vps", "VPS quarterly", 9000n, { cycle: "quarterly" })]
      })
    )
    expect(described(quote.invoice.lines)).toEqual([
      ["Unused time on VPS yearly (183/365 days)", -18300n],
      ["VPS quarterly (2026-07-02 to 2026-10-01)", 9000n]
    ])
    expect(quote.invoice.totals).toEqual({ subtotal: -9300n, tax: -1860n, total: -11160n, discount: 0n })
    expect([quote.amountDue, quote.creditToAccount]).toEqual([0n, 11160n])
    expect(quote.anchor).toEqual(day("2026-07-02"))
    expect(quote.nextRenewal.period).toEqual({ start: day("2026-10-02"), end: day("2027-01-02") })
  })
})
