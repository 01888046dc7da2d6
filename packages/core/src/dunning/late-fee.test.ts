import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { openInvoice, withLateFee } from "../../test/scenarios/dunning/fixtures"
import { recordPayment } from "../invoicing/invoice/lifecycle"
import { type Ratio, ratio } from "../money/ratio"
import type { RoundingMode } from "../money/rounding"
import { hasLateFeeLine, lateFeeFor } from "./late-fee"
import type { LateFee } from "./policy"

const due = Date.UTC(2026, 2, 24, 23)

const percent = (rate: Ratio, rounding: RoundingMode): LateFee => ({
  kind: "percent",
  afterDays: 5,
  rate,
  rounding
})

describe("lateFeeFor", () => {
  it("charges the fixed amount in the invoice's currency", () => {
    const fee: LateFee = { kind: "fixed", afterDays: 5, amounts: { EUR: 500n, USD: 600n } }
    expect(lateFeeFor(fee, openInvoice({ dueAt: due, total: 3000n }))).toEqual({
      amount: 500n,
      currency: "EUR"
    })
    expect(lateFeeFor(fee, openInvoice({ dueAt: due, total: 3000n, currency: "USD" }))).toEqual({
      amount: 600n,
      currency: "USD"
    })
  })

  it("has no fixed fee in a currency the policy does not price", () => {
    const fee: LateFee = { kind: "fixed", afterDays: 5, amounts: { EUR: 500n } }
    expect(lateFeeFor(fee, openInvoice({ dueAt: due, total: 3000n, currency: "JPY" }))).toBeUndefined()
  })

  it("rounds a percentage of the balance once, with the policy's mode (10% of 29.95 = 2.995)", () => {
    const invoice = openInvoice({ dueAt: due, total: 2995n })
    const tenPercent = ratio(1n, 10n)
    expect(lateFeeFor(percent(tenPercent, "half-up"), invoice)?.amount).toBe(300n)
    expect(lateFeeFor(percent(tenPercent, "half-even"), invoice)?.amount).toBe(300n)
    expect(lateFeeFor(percent(tenPercent, "down"), invoice)?.amount).toBe(299n)
    // 10% of 29.85 = 2.985: half-even goes to the even neighbour (2.98), half-up away from zero (2.99).
    const other = openInvoice({ dueAt: due, total: 2985n })
    expect(lateFeeFor(percent(tenPercent, "half-even"), other)?.amount).toBe(298n)
    expect(lateFeeFor(percent(tenPercent, "half-up"), other)?.amount).toBe(299n)
  })

  it("takes the percentage of what is still owed, not of the total", () => {
    const invoice = Either.getOrThrow(
      recordPayment(openInvoice({ dueAt: due, total: 3000n }), 1000n, due + 1)
    )
    expect(lateFeeFor(percent(ratio(1n, 10n), "half-even"), invoice)).toEqual({
      amount: 200n,
      currency: "EUR"
    })
  })
})

describe("hasLateFeeLine", () => {
  it("sees a late fee line on the invoice", () => {
    const invoice = openInvoice({ dueAt: due, total: 3000n })
    expect(hasLateFeeLine(invoice)).toBe(false)
    expect(hasLateFeeLine(withLateFee(invoice, 300n))).toBe(true)
  })
})
