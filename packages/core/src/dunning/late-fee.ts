import { balanceOf, type Invoice } from "../invoicing/invoice/document"
import type { Money } from "../money/money"
import { applyRatio } from "../money/ratio"
import type { LateFee } from "./policy"

/**
 * The late fee an invoice would be charged now: the fixed amount in the invoice's currency, or the
 * percentage of its balance rounded once with the policy's mode. `undefined` when a fixed fee has no
 * amount in that currency (a gap in the policy, which the schedule reports). A percentage of a small
 * balance may round to zero.
 */
export const lateFeeFor = (
  fee: LateFee,
  invoice: Pick<Invoice, "currency" | "totals" | "settlement">
): Money | undefined => {
  const { currency } = invoice
  if (fee.kind === "percent") {
    return { amount: applyRatio(balanceOf(invoice), fee.rate, fee.rounding), currency }
  }
  const amount = Object.hasOwn(fee.amounts, currency) ? fee.amounts[currency] : undefined
  return amount === undefined ? undefined : { amount, currency }
}

/** Whether the invoice already carries a late fee: a `late_fee` line. */
export const hasLateFeeLine = (invoice: Pick<Invoice, "lines">): boolean =>
  invoice.lines.some((line) => line.kind === "late_fee")
