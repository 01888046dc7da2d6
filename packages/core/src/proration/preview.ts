/**
 * What the customer sees before confirming a change: built from a quote, changes nothing.
 */
import type { CivilDate } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import type { RecurringCycle } from "../catalog/cycle"
import type { CurrencyCode } from "../money/currency"
import type { Ratio } from "../money/ratio"
import type { ChangeQuote } from "./quote"
import type { ChangePolicy } from "./strategy"

/** One line of a change preview: a credit (negative) or a charge, as priced. */
export interface ChangePreviewLine {
  readonly description: string
  readonly amount: bigint
  readonly period: BillingPeriod | undefined
}

/** One tax of a change preview: a rate of one rule, on what it was applied to. */
export interface ChangePreviewTax {
  readonly name: string
  readonly rate: Ratio
  readonly base: bigint
  readonly amount: bigint
}

/** A customer-facing summary of a change, in minor units of `currency`. */
export interface ChangePreview {
  readonly policy: ChangePolicy
  /** The first day the new items are in effect. */
  readonly effectiveDate: CivilDate
  readonly currency: CurrencyCode
  /** Credits and charges billed now; none for a change at the end of the term. */
  readonly lines: ReadonlyArray<ChangePreviewLine>
  /** The sum of the lines' nets (before tax). */
  readonly subtotal: bigint
  readonly taxes: ReadonlyArray<ChangePreviewTax>
  /** The sum of the taxes. */
  readonly tax: bigint
  /** `subtotal + tax`: negative when the change is owed to the customer. */
  readonly total: bigint
  /** What the customer pays now (before any account credit they already have). */
  readonly dueNow: bigint
  /** What becomes account credit now. */
  readonly creditToAccount: bigint
  /** Legal notes of the invoice (reverse charge, exemption). */
  readonly notes: ReadonlyArray<string>
  /** When the subscription next renews, on which cycle, and what that renewal bills (before coupons). */
  readonly nextRenewal: {
    readonly date: CivilDate
    readonly cycle: RecurringCycle
    readonly subtotal: bigint
    readonly tax: bigint
    readonly total: bigint
  }
}

const noLines: ReadonlyArray<ChangePreviewLine> = []
const noTaxes: ReadonlyArray<ChangePreviewTax> = []
const noNotes: ReadonlyArray<string> = []

/**
 * The preview of a quoted change, for the confirmation screen: the lines with their descriptions and
 * amounts, the taxes, the total due now or the credit to the account, the effective date and the next
 * renewal. A quote is already pure; this only reshapes it for display.
 */
export const previewChange = (quote: ChangeQuote): ChangePreview => {
  const { nextRenewal } = quote
  const renewal = {
    date: nextRenewal.date,
    cycle: nextRenewal.cycle,
    subtotal: nextRenewal.subtotal,
    tax: nextRenewal.tax,
    total: nextRenewal.total
  }
  if (quote.policy === "end_of_term") {
    return {
      policy: quote.policy,
      effectiveDate: quote.effectiveDate,
      currency: quote.currency,
      lines: noLines,
      subtotal: 0n,
      taxes: noTaxes,
      tax: 0n,
      total: 0n,
      dueNow: 0n,
      creditToAccount: 0n,
      notes: noNotes,
      nextRenewal: renewal
    }
  }
  const { invoice } = quote
  const taxes: Array<ChangePreviewTax> = []
  for (const group of invoice.taxSummary) {
    if (group.kind === "taxed")
      taxes.push({ name: group.name, rate: group.rate, base: group.base, amount: group.tax })
  }
  return {
    policy: quote.policy,
    effectiveDate: quote.effectiveDate,
    currency: quote.currency,
    lines: invoice.lines.map((line) => ({
      description: line.description,
      amount: line.amount,
      period: line.period
    })),
    subtotal: invoice.totals.subtotal,
    taxes,
    tax: invoice.totals.tax,
    total: invoice.totals.total,
    dueNow: quote.amountDue,
    creditToAccount: quote.creditToAccount,
    notes: invoice.notes,
    nextRenewal: renewal
  }
}
