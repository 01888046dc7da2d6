import type { BillingPeriod } from "../../calendar/period"
import type { Instant } from "../../calendar/zone"
import type { CurrencyCode } from "../../money/currency"
import type { LineTaxComponent, PriceBasis, TaxSummaryGroup } from "../tax/compute"
import type { TaxDecision } from "../tax/determine"

/**
 * Invoice documents. Amounts are minor units of the invoice's currency. Fields that may be empty are
 * always present (`undefined` when empty): documents keep one shape, which is what a store row has and
 * what lets the engine copy them cheaply. A line's `amount` is what was
 * priced (net when prices exclude tax, gross when they include it); `net`, `tax` and `gross` are after
 * tax was worked out, once, per line. Discounts are lines of their own with a negative amount: one per
 * coupon, after the charges.
 */

export type InvoiceStatus = "draft" | "open" | "paid" | "void" | "refunded" | "partially_refunded"

export type InvoiceKind = "renewal" | "order" | "plan_change" | "manual"

export type LineKind =
  | "plan"
  | "option"
  | "addon"
  | "setup"
  | "usage"
  | "discount"
  | "late_fee"
  | "proration"
  | "manual"

export interface InvoiceLine {
  readonly kind: LineKind
  readonly description: string
  readonly quantity: bigint
  /** Price per unit as priced (see `pricing`). */
  readonly unitAmount: bigint
  /** `unitAmount x quantity` for charges; negative for discounts and credits. */
  readonly amount: bigint
  readonly net: bigint
  readonly tax: bigint
  readonly gross: bigint
  readonly taxes: ReadonlyArray<LineTaxComponent>
  /** The service period the line pays for, when it is recurring. */
  readonly period: BillingPeriod | undefined
  /** Catalog item (plan, option, add-on) or usage meter the line comes from. */
  readonly itemId: string | undefined
  /** The coupon a discount line comes from. */
  readonly couponId: string | undefined
  /** For a discount line: the indexes of the lines it reduces (shares by allocation). */
  readonly reduces: ReadonlyArray<number> | undefined
}

export interface InvoiceTotals {
  /** Sum of line nets. */
  readonly subtotal: bigint
  /** Sum of line taxes. */
  readonly tax: bigint
  /** Sum of line grosses = subtotal + tax. */
  readonly total: bigint
  /** Sum of the (negative) discount lines' gross, for display. */
  readonly discount: bigint
}

/**
 * Money movements against the invoice. Invariant, checked by every operation:
 * `balance = total - creditApplied - paid + refunded - credited >= 0`, where `credited` is the sum of
 * credit notes issued against the invoice (a refund is always accompanied by a credit note, so a
 * refunded invoice owes nothing).
 */
export interface InvoiceSettlement {
  readonly creditApplied: bigint
  readonly paid: bigint
  readonly refunded: bigint
  readonly credited: bigint
}

export interface Invoice {
  readonly id: string
  readonly tenantId: string
  readonly customerId: string
  readonly subscriptionId: string | undefined
  readonly kind: InvoiceKind
  readonly status: InvoiceStatus
  readonly currency: CurrencyCode
  /** The legal number; absent while a draft, and while open in proforma mode. */
  readonly number: string | undefined
  readonly issuedAt: Instant | undefined
  readonly dueAt: Instant
  readonly paidAt: Instant | undefined
  readonly voidedAt: Instant | undefined
  /** For renewals and orders: the service period billed (with the subscription, the uniqueness key). */
  readonly period: BillingPeriod | undefined
  readonly pricing: PriceBasis
  readonly taxDecision: TaxDecision
  readonly lines: ReadonlyArray<InvoiceLine>
  readonly taxSummary: ReadonlyArray<TaxSummaryGroup>
  /** Legal notes printed on the invoice (reverse charge, exemption reason...). */
  readonly notes: ReadonlyArray<string>
  readonly totals: InvoiceTotals
  readonly settlement: InvoiceSettlement
}

export const emptySettlement: InvoiceSettlement = { creditApplied: 0n, paid: 0n, refunded: 0n, credited: 0n }

/** What is still owed: `total - creditApplied - paid + refunded - credited`. */
export const balanceOf = (invoice: Pick<Invoice, "totals" | "settlement">): bigint => {
  const { creditApplied, paid, refunded, credited } = invoice.settlement
  return invoice.totals.total - creditApplied - paid + refunded - credited
}

/** Overdue is derived, never stored: open, something owed, and past its due instant. */
export const isOverdue = (invoice: Invoice, now: Instant): boolean =>
  invoice.status === "open" && now > invoice.dueAt && balanceOf(invoice) > 0n

/** Sums the lines into invoice totals; the total is always exactly the sum of the lines. */
export const totalsOf = (lines: ReadonlyArray<InvoiceLine>): InvoiceTotals => {
  let subtotal = 0n
  let tax = 0n
  let discount = 0n
  for (const line of lines) {
    subtotal += line.net
    tax += line.tax
    if (line.kind === "discount") discount += line.gross
  }
  return { subtotal, tax, total: subtotal + tax, discount }
}
