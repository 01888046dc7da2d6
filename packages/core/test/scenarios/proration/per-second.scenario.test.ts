/**
 * Per second: seconds left over the seconds between local midnights. April 2026 has 720 hours, so a
 * 720.00 plan is 1.00 an hour; March 2026 in Paris has 743 (clocks go forward on the 29th), so a 743.00
 * plan is 1.00 an hour there.
 */
import { describe, expect, it } from "vitest"
import { previewChange } from "../../../src"
import { changeInput, day, described, instant, priced, quoteAtTermEnd, quoteNow } from "./helpers"

const april = { start: day("2026-04-01"), end: day("2026-05-01") }
const small = priced("gs-8", "Game server — 8 slots", 72000n)
const large = priced("gs-16", "Game server — 16 slots", 144000n)
/** Frozen now: 30 April 2026, 12:00 in Paris. 12 hours of April are left. */
const now = instant("2026-04-30", "12:00", "Europe/Paris")
const upgrade = changeInput({
  period: april,
  at: now,
  strategy: "per_second",
  currentItems: [small],
  newItems: [large]
})

describe("scenario: per second, upgrade 720.00 -> 1,440.00 with 12 hours left", () => {
  it("immediate: credit -12.00, charge 24.00, 12.00 + 2.40 TVA due now", () => {
    const quote = quoteNow(upgrade)
    expect(quote.fraction).toMatchObject({
      strategy: "per_second",
      unit: "second",
      left: 43_200,
      length: 2_592_000
    })
    expect(described(quote.invoice.lines)).toEqual([
      ["Unused time on Game server — 8 slots (from 2026-04-30 12:00)", -1200n],
      ["Remaining time on Game server — 16 slots (from 2026-04-30 12:00)", 2400n]
    ])
    expect(quote.invoice.totals).toEqual({ subtotal: 1200n, tax: 240n, total: 1440n, discount: 0n })
  })

  it("90 seconds later the credit is 1.00 x 11h58m30s = 11.975 -> 11.98 (half-even)", () => {
    const quote = quoteNow({ ...upgrade, at: now + 90_000 })
    expect(quote.fraction.left).toBe(43_110)
    // 72000 x 43110 / 2592000 = 1197.5 -> 1198 (half-even); 144000 x ... = 2395.
    expect(quote.invoice.lines.map((l) => l.amount)).toEqual([-1198n, 2395n])
  })

  it("the downgrade back at the same second: 14.40 becomes account credit", () => {
    const quote = quoteNow({ ...upgrade, currentItems: [large], newItems: [small] })
    expect([quote.invoice.totals.total, quote.amountDue, quote.creditToAccount]).toEqual([-1440n, 0n, 1440n])
  })

  it("end of term: nothing now, 1,728.00 at the 1 May renewal", () => {
    const quote = quoteAtTermEnd(upgrade)
    expect(previewChange(quote)).toMatchObject({
      policy: "end_of_term",
      effectiveDate: day("2026-05-01"),
      lines: [],
      nextRenewal: { date: day("2026-05-01"), subtotal: 144000n, tax: 28800n, total: 172800n }
    })
  })
})

describe("scenario: per second across a DST change", () => {
  it("March in Paris is 743 hours: a 743.00 plan credits 24.00 for the last day", () => {
    const quote = quoteNow(
      changeInput({
        period: { start: day("2026-03-01"), end: day("2026-04-01") },
        at: instant("2026-03-31", "00:00", "Europe/Paris"),
        strategy: "per_second",
        currentItems: [priced("gs-8", "Game server — 8 slots", 74300n)],
        newItems: []
      })
    )
    expect(quote.fraction).toMatchObject({ left: 86_400, length: 743 * 3600 })
    expect(quote.credits.map((c) => c.amount)).toEqual([-2400n])
    expect(quote.creditToAccount).toBe(2880n)
    expect(quote.nextRenewal.amount).toBe(0n)
  })
})
