import { allocateUnchecked } from "../../money/allocate"
import { applyRatio } from "../../money/ratio"
import type { Coupon } from "../coupon/coupon"
import { fixedAmountIn } from "../coupon/coupon"
import { allows } from "../coupon/redemption"
import { singleDecisionSummary } from "../tax/compute"
import type { TaxComponent } from "../tax/determine"
import { notesOf } from "./compose"
import { emptySettlement, type Invoice, type InvoiceLine } from "./document"
import type { RenewalInput } from "./renewal"

/** One taxed line of the quick path: net price, at most one rate. */
const line = (
  fields: Pick<
    InvoiceLine,
    "kind" | "description" | "quantity" | "unitAmount" | "amount" | "period" | "itemId"
  >,
  component: TaxComponent | undefined,
  tax: bigint,
  discount?: { readonly couponId: string; readonly reduces: ReadonlyArray<number> }
): InvoiceLine => ({
  kind: fields.kind,
  description: fields.description,
  quantity: fields.quantity,
  unitAmount: fields.unitAmount,
  amount: fields.amount,
  net: fields.amount,
  tax,
  gross: fields.amount + tax,
  taxes:
    component === undefined
      ? []
      : [
          {
            ruleId: component.ruleId,
            name: component.name,
            rate: component.rate,
            compound: component.compound,
            base: fields.amount,
            tax
          }
        ],
  period: fields.period,
  itemId: fields.itemId,
  couponId: discount?.couponId,
  reduces: discount?.reduces
})

/**
 * The renewal invoice for the common case, computed in one pass with no intermediate objects: prices
 * without tax, at most one tax rate, at most one coupon (without a setup waiver), no usage lines. It
 * gives exactly what the general path (`composeInvoice` over the charges) gives — a property test holds
 * the two together — and `undefined` for any other case, which the general path then handles.
 *
 * A billing run computes one of these per subscription, so it matters: see `npm run bench:core`.
 */
export const quickRenewal = (input: RenewalInput, coupons: ReadonlyArray<Coupon>): Invoice | undefined => {
  const { subscription, period, tax: decision, rounding } = input
  if (subscription.pricing !== "exclusive" || coupons.length > 1) return undefined
  if (input.usage !== undefined && input.usage.length > 0) return undefined
  const taxed = decision.kind === "taxed"
  if (taxed && decision.components.length !== 1) return undefined
  const coupon = coupons[0]
  if (coupon !== undefined && coupon.freeSetup === true) return undefined
  const fixed = coupon?.kind === "fixed" ? fixedAmountIn(coupon, subscription.currency) : undefined
  if (coupon?.kind === "fixed" && fixed === undefined) return undefined // the general path reports it

  const component = taxed ? decision.components[0] : undefined
  const items = subscription.items
  const lines: Array<InvoiceLine> = []
  const lineTaxes: Array<bigint> = []
  let subtotal = 0n
  let tax = 0n
  for (const item of items) {
    const amount = item.amount
    const lineTax = component === undefined ? 0n : applyRatio(amount, component.rate, rounding)
    lines.push(
      line(
        {
          kind: item.kind,
          description: item.description,
          quantity: item.quantity,
          unitAmount: item.unitAmount,
          amount,
          period,
          itemId: item.itemId
        },
        component,
        lineTax
      )
    )
    lineTaxes.push(lineTax)
    subtotal += amount
    tax += lineTax
  }
  if (input.includeSetup) {
    for (const item of items) {
      const amount = item.setupFee
      if (amount <= 0n) continue
      const lineTax = component === undefined ? 0n : applyRatio(amount, component.rate, rounding)
      lines.push(
        line(
          {
            kind: "setup",
            description: `Setup: ${item.description}`,
            quantity: 1n,
            unitAmount: amount,
            amount,
            period: undefined,
            itemId: item.itemId
          },
          component,
          lineTax
        )
      )
      subtotal += amount
      tax += lineTax
    }
  }

  let discountTotal = 0n
  if (
    coupon !== undefined &&
    allows(coupon.appliesTo?.productIds, subscription.productId) &&
    allows(coupon.appliesTo?.planIds, subscription.planId)
  ) {
    // The coupon covers every recurring line with something to discount (they share product and plan).
    const covered: Array<number> = []
    let base = 0n
    for (let i = 0; i < items.length; i++) {
      const amount = (items[i] as (typeof items)[number]).amount
      if (amount > 0n) {
        covered.push(i)
        base += amount
      }
    }
    const wanted = coupon.kind === "percent" ? applyRatio(base, coupon.rate, rounding) : (fixed as bigint)
    const off = wanted < base ? wanted : base
    if (covered.length > 0 && off > 0n) {
      const shares =
        covered.length === 1
          ? [off]
          : allocateUnchecked(
              off,
              covered.map((i) => (items[i] as (typeof items)[number]).amount),
              base
            )
      let taxDelta = 0n
      if (component !== undefined) {
        for (let k = 0; k < covered.length; k++) {
          const i = covered[k] as number
          const left = (items[i] as (typeof items)[number]).amount - (shares[k] as bigint)
          taxDelta += applyRatio(left, component.rate, rounding) - (lineTaxes[i] as bigint)
        }
      }
      const amount = -off
      lines.push(
        line(
          {
            kind: "discount",
            description: `Discount ${coupon.code}`,
            quantity: 1n,
            unitAmount: amount,
            amount,
            period: undefined,
            itemId: undefined
          },
          component,
          taxDelta,
          { couponId: coupon.id, reduces: covered }
        )
      )
      subtotal += amount
      tax += taxDelta
      discountTotal = amount + taxDelta
    }
  }

  const totals = { subtotal, tax, total: subtotal + tax, discount: discountTotal }
  return {
    id: input.invoiceId,
    tenantId: subscription.tenantId,
    customerId: subscription.customerId,
    subscriptionId: subscription.id,
    kind: "renewal",
    status: "draft",
    currency: subscription.currency,
    number: undefined,
    issuedAt: undefined,
    dueAt: input.dueAt,
    paidAt: undefined,
    voidedAt: undefined,
    period,
    pricing: "exclusive",
    taxDecision: decision,
    lines,
    taxSummary: lines.length === 0 ? [] : (singleDecisionSummary(decision, { net: subtotal, tax }) ?? []),
    notes: notesOf(decision),
    totals,
    settlement: emptySettlement
  }
}
