/**
 * The late fee as a line of the invoice it is charged on. The dunning domain charges it there:
 * `lateFeeFor` prices it from that invoice's balance and currency, and `hasLateFeeLine` (the invoice's own
 * lines) is one of the two guards that keep it to one per invoice.
 *
 * The fee is compensation for paying late, not a supply of anything, so it carries no tax (outside the
 * scope of VAT in the EU; not a sale for US sales tax): its line has no tax components and adds its
 * amount to the untaxed base of the tax summary. The invoice's totals stay the sum of its lines.
 */

import { hasLateFeeLine } from "../dunning/late-fee"
import { type Invoice, type InvoiceLine, totalsOf } from "../invoicing/invoice/document"
import type { TaxSummaryGroup } from "../invoicing/tax/compute"
import type { Money } from "../money/money"

export const lateFeeDescription = "Late payment fee"

/**
 * The invoice with the late fee added as a `late_fee` line; `undefined` when it cannot take one: not
 * open, already carrying a late fee, or a fee in another currency or not positive.
 */
export const withLateFee = (invoice: Invoice, fee: Money): Invoice | undefined => {
  if (invoice.status !== "open" || hasLateFeeLine(invoice)) return undefined
  if (fee.currency !== invoice.currency || fee.amount <= 0n) return undefined
  const line: InvoiceLine = {
    kind: "late_fee",
    description: lateFeeDescription,
    quantity: 1n,
    unitAmount: fee.amount,
    amount: fee.amount,
    net: fee.amount,
    tax: 0n,
    gross: fee.amount,
    taxes: [],
    period: undefined,
    itemId: undefined,
    couponId: undefined,
    reduces: undefined
  }
  const lines = [...invoice.lines, line]
  const untaxed = invoice.taxSummary.findIndex((group) => group.kind === "none")
  const taxSummary: ReadonlyArray<TaxSummaryGroup> =
    untaxed === -1
      ? [...invoice.taxSummary, { kind: "none", note: undefined, base: fee.amount }]
      : invoice.taxSummary.map((group, i) =>
          i === untaxed && group.kind === "none" ? { ...group, base: group.base + fee.amount } : group
        )
  return { ...invoice, lines, totals: totalsOf(lines), taxSummary }
}
