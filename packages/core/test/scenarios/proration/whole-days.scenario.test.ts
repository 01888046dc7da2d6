/**
 * Whole days (the default strategy): days left over the real length of the period, counted in the
 * customer's zone. Prices make a day a round number: 31.00 over 31-day May is 1.00 a day, 30.00 over
 * 30-day April is 1.00 a day.
 */
import { describe, expect, it } from "vitest"
import { previewChange } from "../../../src"
import {
  changeInput,
  day,
  described,
  frenchBusiness,
  instant,
  priced,
  quoteAtTermEnd,
  quoteNow
} from "./helpers"

const may = { start: day("2026-05-01"), end: day("2026-06-01") }
const small = priced("vps-2g", "VPS — 2 GB", 3100n)
const large = priced("vps-4g", "VPS — 4 GB", 6200n)
/** Frozen now: 11 May 2026, 09:15 in Paris. 21 days of May are left, the 11th included. */
const now = instant("2026-05-11", "09:15", "Europe/Paris")

describe("scenario: whole days, upgrade 31.00 -> 62.00 on 11 May (21 of 31 days left)", () => {
  const input = changeInput({ period: may, at: now, currentItems: [small], newItems: [large] })

  it("immediate: credit -21.00, charge 42.00, net 21.00 + 4.20 TVA = 25.20 due now", () => {
    const quote = quoteNow(input)
    expect(quote.fraction).toMatchObject({ strategy: "whole_days", left: 21, length: 31 })
    expect(described(quote.credits)).toEqual([["Unused time on VPS — 2 GB (21/31 days)", -2100n]])
    expect(described(quote.charges)).toEqual([["Remaining time on VPS — 4 GB (21/31 days)", 4200n]])
    expect(quote.invoice.totals).toEqual({ subtotal: 2100n, tax: 420n, total: 2520n, discount: 0n })
    expect(quote.invoice.taxSummary).toEqual([
      { kind: "taxed", ruleId: "fr-vat", name: "TVA", rate: { num: 1n, den: 5n }, base: 2100n, tax: 420n }
    ])
    expect([quote.amountDue, quote.creditToAccount]).toEqual([2520n, 0n])
  })

  it("the preview the customer confirms: the same lines, 25.20 due now, 74.40 at the 1 June renewal", () => {
    const preview = previewChange(quoteNow(input))
    expect(described(preview.lines)).toEqual([
      ["Unused time on VPS — 2 GB (21/31 days)", -2100n],
      ["Remaining time on VPS — 4 GB (21/31 days)", 4200n]
    ])
    expect(preview.taxes).toEqual([{ name: "TVA", rate: { num: 1n, den: 5n }, base: 2100n, amount: 420n }])
    expect([preview.subtotal, preview.tax, preview.total, preview.dueNow]).toEqual([
      2100n,
      420n,
      2520n,
      2520n
    ])
    expect(preview.effectiveDate).toEqual(day("2026-05-11"))
    expect(preview.nextRenewal).toEqual({
      date: day("2026-06-01"),
      cycle: "monthly",
      subtotal: 6200n,
      tax: 1240n,
      total: 7440n
    })
  })

  it("a French business is reverse charged: 21.00 due, no TVA, the note printed", () => {
    const quote = quoteNow({ ...input, tax: frenchBusiness })
    expect(quote.invoice.totals).toEqual({ subtotal: 2100n, tax: 0n, total: 2100n, discount: 0n })
    expect(quote.invoice.notes[0]).toMatch(/^Reverse charge/)
  })

  it("the downgrade back the same day: 25.20 (TVA included) becomes account credit", () => {
    const quote = quoteNow({ ...input, currentItems: [large], newItems: [small] })
    expect(quote.invoice.totals).toEqual({ subtotal: -2100n, tax: -420n, total: -2520n, discount: 0n })
    expect([quote.amountDue, quote.creditToAccount]).toEqual([0n, 2520n])
  })

  it("end of term: nothing now; the 4 GB plan from 1 June, 74.40 at that renewal", () => {
    const quote = quoteAtTermEnd(input)
    expect(quote.effectiveDate).toEqual(day("2026-06-01"))
    expect(quote.period).toEqual({ start: day("2026-06-01"), end: day("2026-07-01") })
    expect(quote.nextRenewal).toMatchObject({ amount: 6200n, tax: 1240n, total: 7440n })
    expect(previewChange(quote)).toMatchObject({ lines: [], dueNow: 0n, creditToAccount: 0n })
  })
})

describe("scenario: whole days, what was charged and paid", () => {
  it("a 10% discount was charged: 27.90 for May, so 21 days credit 18.90, not 21.00", () => {
    const quote = quoteNow(
      changeInput({ period: may, at: now, currentItems: [{ ...small, charged: 2790n }], newItems: [large] })
    )
    expect(described(quote.credits)).toEqual([["Unused time on VPS — 2 GB (21/31 days)", -1890n]])
    expect(quote.net).toBe(2310n)
  })

  it("only 10.00 of May was paid: the 21.00 credit is capped at 10.00", () => {
    const quote = quoteNow(
      changeInput({ period: may, at: now, currentItems: [small], newItems: [large], paid: 1000n })
    )
    expect(described(quote.credits)).toEqual([["Unused time on VPS — 2 GB (21/31 days)", -1000n]])
    expect(quote.invoice.totals.total).toBe(3840n) // (42.00 - 10.00) x 1.2
  })

  it("the cap is split over the credited items by largest remainder", () => {
    // Credits 21.00 (plan) + 2.10 (IPs) = 23.10 over a 10.00 cap: 9.0909 and 0.9090 -> 9.09 + 0.91.
    const ips = priced("ipv4", "Extra IPv4: 1", 310n, { kind: "option" })
    const quote = quoteNow(
      changeInput({ period: may, at: now, currentItems: [small, ips], newItems: [large], paid: 1000n })
    )
    expect(quote.credits.map((c) => [c.itemId, c.amount])).toEqual([
      ["vps-2g", -909n],
      ["ipv4", -91n]
    ])
  })
})

describe("scenario: whole days, options, quantities and add-ons", () => {
  const ips = (count: bigint) =>
    priced("ipv4", `Extra IPv4: ${count}`, 310n * count, { kind: "option", quantity: count })
  const backups = priced("backups", "Daily backups", 620n, { kind: "addon" })

  it("2 -> 4 extra IPs at 3.10 each (0.10 a day each); the plan and add-on are unchanged and give no line", () => {
    const quote = quoteNow(
      changeInput({
        period: may,
        at: now,
        currentItems: [small, ips(2n), backups],
        newItems: [small, ips(4n), backups]
      })
    )
    expect(described(quote.invoice.lines)).toEqual([
      ["Unused time on Extra IPv4: 2 (21/31 days)", -420n],
      ["Remaining time on Extra IPv4: 4 (21/31 days)", 840n]
    ])
    expect(quote.invoice.totals.total).toBe(504n)
    expect(quote.nextRenewal.amount).toBe(3100n + 1240n + 620n)
  })

  it("adding daily backups (6.20, 0.20 a day): one charge of 4.20 + 0.84 TVA", () => {
    const quote = quoteNow(
      changeInput({ period: may, at: now, currentItems: [small], newItems: [small, backups] })
    )
    expect(described(quote.invoice.lines)).toEqual([["Remaining time on Daily backups (21/31 days)", 420n]])
    expect(quote.amountDue).toBe(504n)
  })
})
