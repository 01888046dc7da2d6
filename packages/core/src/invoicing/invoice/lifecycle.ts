import { Either } from "effect"
import type { Instant } from "../../calendar/zone"
import { balanceOf, type Invoice, type InvoiceStatus } from "./document"
import {
  IllegalInvoiceTransition,
  NonPositiveAmount,
  PaymentExceedsBalance,
  RefundExceedsPaid
} from "./errors"

/**
 * The invoice's status machine and the money that moves against it:
 *
 * | from               | to                                | by                                      |
 * | ------------------ | --------------------------------- | --------------------------------------- |
 * | draft              | open (paid when nothing is owed)  | {@link issueInvoice}                    |
 * | draft, open        | void (nothing paid yet)           | {@link voidInvoice}                     |
 * | open               | paid when the balance reaches 0   | {@link applyCredit}, {@link recordPayment} |
 * | paid, part. ref.   | partially_refunded / refunded     | {@link recordRefund}                    |
 *
 * Every operation keeps `balance = total - creditApplied - paid + refunded - credited >= 0`.
 */

const illegal = (invoice: Invoice, to: InvoiceStatus) =>
  Either.left(new IllegalInvoiceTransition({ invoiceId: invoice.id, from: invoice.status, to }))

const settledIfNothingOwed = (invoice: Invoice, at: Instant): Invoice =>
  invoice.status === "open" && balanceOf(invoice) === 0n
    ? { ...invoice, status: "paid", paidAt: at }
    : invoice

/**
 * Issues a draft: it becomes `open` with its issue instant and, when numbers are drawn on issue, its
 * number. An invoice that owes nothing (a 100% coupon, a free plan) is `paid` at once.
 */
export const issueInvoice = (
  invoice: Invoice,
  at: Instant,
  number?: string
): Either.Either<Invoice, IllegalInvoiceTransition> => {
  if (invoice.status !== "draft") return illegal(invoice, "open")
  const issued: Invoice = { ...invoice, status: "open", issuedAt: at, number }
  return Either.right(settledIfNothingOwed(issued, at))
}

/** Gives a proforma invoice its final number (when it is paid). A number, once given, never changes. */
export const assignNumber = (
  invoice: Invoice,
  number: string
): Either.Either<Invoice, IllegalInvoiceTransition> =>
  invoice.number !== undefined || invoice.status === "draft" || invoice.status === "void"
    ? Either.left(
        new IllegalInvoiceTransition({ invoiceId: invoice.id, from: invoice.status, to: "numbered" })
      )
    : Either.right({ ...invoice, number })

/**
 * Applies account credit up to the balance, never beyond: returns how much was used (0 when there is
 * no credit or nothing owed) and the invoice, `paid` when the credit covered it.
 */
export const applyCredit = (
  invoice: Invoice,
  available: bigint,
  at: Instant
): Either.Either<{ readonly invoice: Invoice; readonly applied: bigint }, IllegalInvoiceTransition> => {
  if (invoice.status !== "open") return illegal(invoice, "paid")
  const balance = balanceOf(invoice)
  const applied = available <= 0n ? 0n : available < balance ? available : balance
  if (applied === 0n) return Either.right({ invoice, applied })
  const credited: Invoice = {
    ...invoice,
    settlement: { ...invoice.settlement, creditApplied: invoice.settlement.creditApplied + applied }
  }
  return Either.right({ invoice: settledIfNothingOwed(credited, at), applied })
}

/** Records a payment (gateway, bank transfer, cheque). More than the balance is refused. */
export const recordPayment = (
  invoice: Invoice,
  amount: bigint,
  at: Instant
): Either.Either<Invoice, IllegalInvoiceTransition | NonPositiveAmount | PaymentExceedsBalance> => {
  if (invoice.status !== "open") return illegal(invoice, "paid")
  if (amount <= 0n) return Either.left(new NonPositiveAmount({ amount }))
  const balance = balanceOf(invoice)
  if (amount > balance)
    return Either.left(new PaymentExceedsBalance({ invoiceId: invoice.id, balance, amount }))
  const paid: Invoice = {
    ...invoice,
    settlement: { ...invoice.settlement, paid: invoice.settlement.paid + amount }
  }
  return Either.right(settledIfNothingOwed(paid, at))
}

/** What can still be refunded: everything settled (paid and credit applied) less earlier refunds. */
export const refundableOf = (invoice: Invoice): bigint =>
  invoice.settlement.paid + invoice.settlement.creditApplied - invoice.settlement.refunded

/**
 * Records a refund of a paid invoice, to the gateway or to account credit, with the credit note of the
 * same amount that accompanies it (see `creditNoteFor`): `partially_refunded`, or `refunded` once
 * everything settled has been returned.
 */
export const recordRefund = (
  invoice: Invoice,
  amount: bigint
): Either.Either<Invoice, IllegalInvoiceTransition | NonPositiveAmount | RefundExceedsPaid> => {
  if (invoice.status !== "paid" && invoice.status !== "partially_refunded")
    return illegal(invoice, "refunded")
  if (amount <= 0n) return Either.left(new NonPositiveAmount({ amount }))
  const refundable = refundableOf(invoice)
  if (amount > refundable)
    return Either.left(new RefundExceedsPaid({ invoiceId: invoice.id, refundable, amount }))
  const settlement = {
    ...invoice.settlement,
    refunded: invoice.settlement.refunded + amount,
    credited: invoice.settlement.credited + amount
  }
  return Either.right({
    ...invoice,
    settlement,
    status: amount === refundable ? "refunded" : "partially_refunded"
  })
}

/**
 * Voids a draft or an open invoice on which nothing was paid. Credit that was applied to it goes back to
 * the customer's account: the caller books `creditReturned`.
 */
export const voidInvoice = (
  invoice: Invoice,
  at: Instant
): Either.Either<
  { readonly invoice: Invoice; readonly creditReturned: bigint },
  IllegalInvoiceTransition
> => {
  if ((invoice.status !== "draft" && invoice.status !== "open") || invoice.settlement.paid > 0n) {
    return illegal(invoice, "void")
  }
  const creditReturned = invoice.settlement.creditApplied
  return Either.right({
    invoice: {
      ...invoice,
      status: "void",
      voidedAt: at,
      settlement: { ...invoice.settlement, creditApplied: 0n }
    },
    creditReturned
  })
}
