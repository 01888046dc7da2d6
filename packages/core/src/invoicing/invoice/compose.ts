import { Either } from "effect"
import type { BillingPeriod } from "../../calendar/period"
import type { Instant } from "../../calendar/zone"
import type { CurrencyCode } from "../../money/currency"
import { applyRatio } from "../../money/ratio"
import type { RoundingMode } from "../../money/rounding"
import type { Coupon } from "../coupon/coupon"
import {
  applyDiscounts,
  type DiscountableLine,
  type DiscountableLineKind,
  type DiscountLine,
  discountShares
} from "../coupon/discounts"
import type { CouponCurrencyUnsupported, CouponNotStackable } from "../coupon/errors"
import {
  type LineTaxComponent,
  type PriceBasis,
  summarizeTax,
  type TaxedLine,
  taxAmount
} from "../tax/compute"
import type { TaxComponent, TaxDecision } from "../tax/determine"
import { emptySettlement, type Invoice, type InvoiceKind, type InvoiceLine, type LineKind } from "./document"

/** A charge to put on an invoice, before discounts and tax. */
export interface Charge {
  readonly kind: Exclude<LineKind, "discount">
  readonly description: string
  readonly quantity: bigint
  readonly unitAmount: bigint
  /** Usually `unitAmount x quantity`; a prorated charge carries its rounded amount. */
  readonly amount: bigint
  readonly period?: BillingPeriod | undefined
  readonly itemId?: string | undefined
  /** For coupon restrictions. */
  readonly productId?: string | undefined
  readonly planId?: string | undefined
  /**
   * How this line is taxed when it differs from the invoice (another product kind with its own rate on
   * the same invoice). Discounts over lines taxed differently become one discount line per treatment.
   */
  readonly tax?: TaxDecision | undefined
}

export interface InvoiceHead {
  readonly id: string
  readonly tenantId: string
  readonly customerId: string
  readonly subscriptionId: string | undefined
  readonly kind: InvoiceKind
  readonly currency: CurrencyCode
  readonly pricing: PriceBasis
  readonly dueAt: Instant
  readonly period: BillingPeriod | undefined
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

const noNotes: ReadonlyArray<string> = []

export const notesOf = (tax: TaxDecision): ReadonlyArray<string> => {
  switch (tax.kind) {
    case "reverse_charge":
      return [tax.note, `Customer VAT id: ${tax.customerVatId}`]
    case "out_of_scope":
      return [tax.note]
    case "exempt":
      return [`Tax exempt: ${tax.reason}`]
    default:
      return noNotes
  }
}

const chargeLine = (charge: Charge, taxed: Omit<TaxedLine, "id">): InvoiceLine => ({
  kind: charge.kind,
  description: charge.description,
  quantity: charge.quantity,
  unitAmount: charge.unitAmount,
  amount: charge.amount,
  net: taxed.net,
  tax: taxed.tax,
  gross: taxed.gross,
  taxes: taxed.components,
  period: charge.period,
  itemId: charge.itemId,
  couponId: undefined,
  reduces: undefined
})

const discountLine = (discount: DiscountLine, taxed: Omit<TaxedLine, "id">): InvoiceLine => ({
  kind: "discount",
  description:
    discount.reason === "free_setup" ? `Setup fee waived (${discount.code})` : `Discount ${discount.code}`,
  quantity: 1n,
  unitAmount: discount.amount,
  amount: discount.amount,
  net: taxed.net,
  tax: taxed.tax,
  gross: taxed.gross,
  taxes: taxed.components,
  period: undefined,
  itemId: undefined,
  couponId: discount.couponId,
  reduces: discount.lineIndexes
})

const noDiscounts: ReadonlyArray<DiscountLine> = []

const indexIds = Array.from({ length: 32 }, (_, i) => String(i))
const indexId = (index: number): string => indexIds[index] ?? String(index)

/** One discount line per coupon (charges keep their positions, so line indexes are charge indexes). */
const discountsOf = (input: ComposeInput): Either.Either<ReadonlyArray<DiscountLine>, ComposeError> => {
  if (input.coupons.length === 0) return Either.right(noDiscounts)
  const discountable: Array<DiscountableLine> = []
  for (let index = 0; index < input.charges.length; index++) {
    const charge = input.charges[index] as Charge
    discountable.push({
      id: indexId(index),
      amount: charge.amount,
      kind: discountKind(charge.kind),
      productId: charge.productId,
      planId: charge.planId
    })
  }
  const applied = applyDiscounts(discountable, input.coupons, input.head.currency, input.rounding)
  return Either.isLeft(applied) ? Either.left(applied.left) : Either.right(applied.right.discounts)
}

/**
 * The tax effect of one discount line. The discount is shared among the lines it reduces by allocation
 * (in proportion to what is left of them, as the coupon rules say), each of those lines is taxed again
 * on what is left, and the discount line carries the differences. So tax is worked out, rounded once per
 * line, on what the customer really pays for each line, and no invoice total can go below zero (which
 * taxing the discount on its own could do: 0.06 and 0.02 at 20% are 0.01 + 0.00 of tax, a 0.08 discount
 * alone would be -0.02).
 */
const discountEffect = (
  discount: DiscountLine,
  shares: ReadonlyArray<bigint>,
  remaining: Array<bigint>,
  lineTaxes: Array<bigint>,
  current: Array<Omit<TaxedLine, "id">>,
  pricing: PriceBasis,
  decision: TaxDecision,
  rounding: RoundingMode
): Omit<TaxedLine, "id"> => {
  const indexes = discount.lineIndexes
  if (pricing === "exclusive" && decision.kind === "taxed" && decision.components.length === 1) {
    // The common case, kept lean: one rate on net prices. Only the lines' taxes move.
    const only = decision.components[0]
    let taxBefore = 0n
    let taxAfter = 0n
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k] as number
      const left = (remaining[i] as bigint) - (shares[k] as bigint)
      const after = applyRatio(left, only.rate, rounding)
      taxBefore += lineTaxes[i] as bigint
      taxAfter += after
      remaining[i] = left
      lineTaxes[i] = after
    }
    const tax = taxAfter - taxBefore
    return {
      treatment: "taxed",
      net: discount.amount,
      tax,
      gross: discount.amount + tax,
      components: [
        {
          ruleId: only.ruleId,
          name: only.name,
          rate: only.rate,
          compound: only.compound,
          base: discount.amount,
          tax
        }
      ]
    }
  }
  const components = decision.kind === "taxed" ? decision.components : noComponents
  // With one rate a component's base and tax are the line's net and tax: no per-component sums needed.
  const perComponent = components.length > 1
  const bases = perComponent ? components.map(() => 0n) : undefined
  const taxes = perComponent ? components.map(() => 0n) : undefined
  let netBefore = 0n
  let netAfter = 0n
  let taxBefore = 0n
  let taxAfter = 0n
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k] as number
    const before = current[i] as Omit<TaxedLine, "id">
    const left = (remaining[i] as bigint) - (shares[k] as bigint)
    const after = taxAmount(left, pricing, decision, rounding)
    if (pricing === "inclusive") {
      netBefore += before.net
      netAfter += after.net
    }
    taxBefore += before.tax
    taxAfter += after.tax
    if (bases !== undefined && taxes !== undefined) {
      for (let c = 0; c < components.length; c++) {
        const a = after.components[c] as LineTaxComponent
        const b = before.components[c] as LineTaxComponent
        bases[c] = (bases[c] as bigint) + (a.base - b.base)
        taxes[c] = (taxes[c] as bigint) + (a.tax - b.tax)
      }
    }
    remaining[i] = left
    lineTaxes[i] = after.tax
    current[i] = after
  }
  // Prices without tax: the discount takes exactly its amount off the net. With tax included it takes
  // its amount off the gross, and the net moves by what the lines' nets moved.
  const net = pricing === "exclusive" ? discount.amount : netAfter - netBefore
  const tax = taxAfter - taxBefore
  return {
    treatment: decision.kind,
    net,
    tax,
    gross: net + tax,
    components: components.map((c, j) => ({
      ruleId: c.ruleId,
      name: c.name,
      rate: c.rate,
      compound: c.compound,
      base: bases === undefined ? net : (bases[j] as bigint),
      tax: taxes === undefined ? tax : (taxes[j] as bigint)
    }))
  }
}

const noComponents: ReadonlyArray<TaxComponent> = []

/**
 * One coupon's discount over lines taxed differently, split into one discount per treatment: each part
 * takes the shares of its own lines, so every discount line is taxed under one decision.
 */
const byTreatment = (
  discount: DiscountLine,
  shares: ReadonlyArray<bigint>,
  remaining: ReadonlyArray<bigint>,
  charges: ReadonlyArray<Charge>,
  fallback: TaxDecision
): Array<{ item: DiscountLine; shares: ReadonlyArray<bigint>; decision: TaxDecision }> => {
  type Group = { indexes: Array<number>; shares: Array<bigint>; amount: bigint; base: bigint }
  const groups = new Map<TaxDecision, Group>()
  discount.lineIndexes.forEach((i, k) => {
    const lineDecision = (charges[i] as Charge).tax ?? fallback
    const share = shares[k] as bigint
    const left = remaining[i] as bigint
    const group = groups.get(lineDecision)
    if (group === undefined)
      groups.set(lineDecision, { indexes: [i], shares: [share], amount: share, base: left })
    else {
      group.indexes.push(i)
      group.shares.push(share)
      group.amount += share
      group.base += left
    }
  })
  return [...groups].map(([lineDecision, group]) => ({
    item: { ...discount, amount: -group.amount, base: group.base, lineIndexes: group.indexes },
    shares: group.shares,
    decision: lineDecision
  }))
}

/**
 * Builds a draft invoice from charges: the charges in order, then one discount line per coupon
 * (negative, pointing at the lines it reduces), tax per line with one rounding, and totals that are
 * exactly the sum of the lines. Nothing here reads a clock or a store: the same input gives the same invoice.
 *
 * One pass, objects built field by field: this runs for every subscription of a billing run.
 */
export const composeInvoice = (input: ComposeInput): Either.Either<Invoice, ComposeError> => {
  const { head, charges, tax: decision, rounding } = input
  const discounts = discountsOf(input)
  if (Either.isLeft(discounts)) return Either.left(discounts.left)

  // Lines taxed otherwise than the invoice make the summary and the discounts work per treatment.
  let mixed = false
  for (const charge of charges) if (charge.tax !== undefined && charge.tax !== decision) mixed = true
  const decisions: Array<TaxDecision> | undefined = mixed ? [] : undefined

  const lines: Array<InvoiceLine> = []
  const taxedLines: Array<Omit<TaxedLine, "id">> = []
  let subtotal = 0n
  let tax = 0n
  for (const charge of charges) {
    const lineDecision = charge.tax ?? decision
    const taxed = taxAmount(charge.amount, head.pricing, lineDecision, rounding)
    lines.push(chargeLine(charge, taxed))
    taxedLines.push(taxed)
    decisions?.push(lineDecision)
    subtotal += taxed.net
    tax += taxed.tax
  }
  let discount = 0n
  if (discounts.right.length > 0) {
    // What is left of each charge after the discounts so far, and its tax on that.
    const remaining: Array<bigint> = []
    const lineTaxes: Array<bigint> = []
    for (let c = 0; c < charges.length; c++) {
      const amount = (charges[c] as Charge).amount
      remaining.push(amount > 0n ? amount : 0n)
      lineTaxes.push((taxedLines[c] as Omit<TaxedLine, "id">).tax)
    }
    // Each line's full tax result, for the general path (several rates, tax-inclusive prices); a copy,
    // as the charges' own entries still feed the tax summary.
    const current = taxedLines.slice(0, charges.length)
    for (const item of discounts.right) {
      const shares = discountShares(item, remaining)
      for (const part of mixed
        ? byTreatment(item, shares, remaining, charges, decision)
        : [{ item, shares, decision }]) {
        const taxed = discountEffect(
          part.item,
          part.shares,
          remaining,
          lineTaxes,
          current,
          head.pricing,
          part.decision,
          rounding
        )
        lines.push(discountLine(part.item, taxed))
        taxedLines.push(taxed)
        decisions?.push(part.decision)
        subtotal += taxed.net
        tax += taxed.tax
        discount += taxed.gross
      }
    }
  }
  const totals = { net: subtotal, tax }
  const notes = decisions === undefined ? notesOf(decision) : [...new Set(decisions.flatMap(notesOf))]

  return Either.right({
    id: head.id,
    tenantId: head.tenantId,
    customerId: head.customerId,
    subscriptionId: head.subscriptionId,
    kind: head.kind,
    status: "draft",
    currency: head.currency,
    number: undefined,
    issuedAt: undefined,
    dueAt: head.dueAt,
    paidAt: undefined,
    voidedAt: undefined,
    period: head.period,
    pricing: head.pricing,
    taxDecision: decision,
    lines,
    taxSummary: summarizeTax(taxedLines, decisions ?? decision, totals),
    notes,
    totals: { subtotal, tax, total: subtotal + tax, discount },
    settlement: emptySettlement
  })
}
