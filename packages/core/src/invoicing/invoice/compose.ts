import { Either } from "effect"
import type { BillingPeriod } from "../../calendar/period"
import type { Instant } from "../../calendar/zone"
import type { CurrencyCode } from "../../money/currency"
import type { RoundingMode } from "../../money/rounding"
import type { Coupon } from "../coupon/coupon"
import { applyDiscounts, type DiscountableLine, type DiscountableLineKind } from "../coupon/discounts"
import type { CouponCurrencyUnsupported, CouponNotStackable } from "../coupon/errors"
import { type PriceBasis, type TaxableLine, taxLines } from "../tax/compute"
import type { TaxDecision } from "../tax/determine"
import {
  emptySettlement,
  type Invoice,
  type InvoiceKind,
  type InvoiceLine,
  type LineKind,
  totalsOf
} from "./document"

/** A charge to put on an invoice, before discounts and tax. */
export interface Charge {
  readonly kind: Exclude<LineKind, "discount">
  readonly description: string
  readonly quantity: bigint
  readonly unitAmount: bigint
  /** Usually `unitAmount x quantity`; a prorated charge carries its rounded amount. */
  readonly amount: bigint
  readonly period?: BillingPeriod
  readonly itemId?: string
  /** For coupon restrictions. */
  readonly productId?: string
  readonly planId?: string
}

export interface InvoiceHead {
  readonly id: string
  readonly tenantId: string
  readonly customerId: string
  readonly subscriptionId?: string
  readonly kind: InvoiceKind
  readonly currency: CurrencyCode
  readonly pricing: PriceBasis
  readonly dueAt: Instant
  readonly period?: BillingPeriod
}

export interface ComposeInput {
  readonly head: InvoiceHead
  readonly charges: ReadonlyArray<Charge>
  /** Coupons that apply to this invoice (already checked for redemption and for this cycle). */
  readonly coupons: ReadonlyArray<Coupon>
  readonly tax: TaxDecision
  readonly rounding: RoundingMode
}

export type ComposeError = CouponNotStackable | CouponCurrencyUnsupported

const discountKind = (kind: Charge["kind"]): DiscountableLineKind => {
  switch (kind) {
    case "setup":
      return "setup"
    case "usage":
      return "usage"
    case "plan":
    case "option":
    case "addon":
      return "recurring"
    default:
      return "one_time"
  }
}

const noteOf = (tax: TaxDecision): ReadonlyArray<string> => {
  switch (tax.kind) {
    case "reverse_charge":
      return [tax.note, `Customer VAT id: ${tax.customerVatId}`]
    case "out_of_scope":
      return [tax.note]
    case "exempt":
      return [`Tax exempt: ${tax.reason}`]
    default:
      return []
  }
}

/**
 * Builds a draft invoice from charges: discount lines (negative, each pointing at the line it reduces)
 * right after the line they discount, then tax per line with one rounding, then totals that are exactly
 * the sum of the lines. Nothing here reads a clock or a store: the same input gives the same invoice.
 */
export const composeInvoice = (input: ComposeInput): Either.Either<Invoice, ComposeError> => {
  const { head, charges, coupons, tax, rounding } = input
  let discountsByLine: Map<number, Array<{ couponId: string; code: string; amount: bigint }>> | undefined
  if (coupons.length > 0) {
    const discountable: Array<DiscountableLine> = charges.map((charge, index) => ({
      id: String(index),
      amount: charge.amount,
      kind: discountKind(charge.kind),
      ...(charge.productId === undefined ? {} : { productId: charge.productId }),
      ...(charge.planId === undefined ? {} : { planId: charge.planId })
    }))
    const applied = applyDiscounts(discountable, coupons, head.currency, rounding)
    if (Either.isLeft(applied)) return Either.left(applied.left)
    discountsByLine = new Map()
    for (const discount of applied.right.discounts) {
      const index = Number(discount.lineId)
      const list = discountsByLine.get(index) ?? []
      list.push({ couponId: discount.couponId, code: discount.code, amount: discount.amount })
      discountsByLine.set(index, list)
    }
  }

  // Lines in invoice order: each charge, then its discounts.
  const drafts: Array<Omit<InvoiceLine, "net" | "tax" | "gross" | "taxes">> = []
  charges.forEach((charge, chargeIndex) => {
    const index = drafts.length
    drafts.push(charge)
    for (const discount of discountsByLine?.get(chargeIndex) ?? []) {
      drafts.push({
        kind: "discount",
        description: `Discount ${discount.code}`,
        quantity: 1n,
        unitAmount: discount.amount,
        amount: discount.amount,
        couponId: discount.couponId,
        discountOf: index,
        ...(charge.period === undefined ? {} : { period: charge.period })
      })
    }
  })

  const taxable: Array<TaxableLine> = drafts.map((line, index) => ({
    id: String(index),
    amount: line.amount,
    pricing: head.pricing
  }))
  const breakdown = taxLines(taxable, tax, rounding)
  const lines: Array<InvoiceLine> = drafts.map((line, index) => {
    const taxed = breakdown.lines[index]
    if (taxed === undefined) throw new Error("composeInvoice: tax breakdown lost a line")
    const { productId: _p, planId: _q, ...kept } = line as Charge
    return { ...kept, net: taxed.net, tax: taxed.tax, gross: taxed.gross, taxes: taxed.components }
  })

  return Either.right({
    ...head,
    status: "draft",
    taxDecision: tax,
    lines,
    taxSummary: breakdown.summary,
    notes: noteOf(tax),
    totals: totalsOf(lines),
    settlement: emptySettlement
  })
}
