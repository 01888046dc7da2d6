import { applyRatio, type Ratio } from "../../money/ratio"
import type { RoundingMode } from "../../money/rounding"
import type { Coupon } from "../coupon/coupon"
import { fixedAmountIn } from "../coupon/coupon"
import { allows } from "../coupon/redemption"
import type { LineTaxComponent } from "../tax/compute"
import { singleDecisionSummary } from "../tax/compute"
import type { TaxComponent } from "../tax/determine"
import { notesOf } from "./compose"
import { emptySettlement, type Invoice, type InvoiceLine } from "./document"
import type { RenewalInput } from "./renewal"

const noTaxes: ReadonlyArray<LineTaxComponent> = []

/** The one tax component of a line taxed at a single rate. */
const taxesOf = (
  component: TaxComponent | undefined,
  base: bigint,
  tax: bigint
): ReadonlyArray<LineTaxComponent> =>
  component === undefined
    ? noTaxes
    : [
        {
          ruleId: component.ruleId,
          name: component.name,
          rate: component.rate,
          compound: component.compound,
          base,
          tax
        }
      ]

const taxAt = (amount: bigint, rate: Ratio | undefined, rounding: RoundingMode): bigint =>
  rate === undefined ? 0n : applyRatio(amount, rate, rounding)

/**
 * Largest-remainder shares of `total` (positive) over the positive `weights` summing to `weightSum`:
 * what `allocateUnchecked` gives, written for the handful of lines an invoice has.
 */
const discountShares = (total: bigint, weights: ReadonlyArray<bigint>, weightSum: bigint): Array<bigint> => {
  const count = weights.length
  const shares: Array<bigint> = []
  const remainders: Array<bigint> = []
  let given = 0n
  for (let k = 0; k < count; k++) {
    const exact = total * (weights[k] as bigint)
    const share = exact / weightSum
    shares.push(share)
    remainders.push(exact - share * weightSum)
    given += share
  }
  // Fewer minor units are left than there are shares: one each to the largest remainders, ties to the
  // earlier line.
  if (given === total) return shares
  for (let left = Number(total - given); left > 0; left--) {
    let best = 0
    for (let k = 1; k < count; k++) if ((remainders[k] as bigint) > (remainders[best] as bigint)) best = k
    shares[best] = (shares[best] as bigint) + 1n
    remainders[best] = -1n
  }
  return shares
}

/**
 * The renewal invoice for the common case, computed in one pass: prices without tax, at most one tax
 * rate, at most one coupon (without a setup waiver), no usage lines. It gives exactly what the general
 * path (`composeInvoice` over the charges) gives — a property test holds the two together — and
 * `undefined` for any other case, which the general path then handles.
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
  const rate = component?.rate
  const items = subscription.items
  const lines: Array<InvoiceLine> = []
  let subtotal = 0n
  let tax = 0n
  // What a coupon covers: the recurring lines with something to discount (they share product and plan).
  const covered: Array<number> = []
  const coveredAmounts: Array<bigint> = []
  let coveredBase = 0n
  let coveredTax = 0n
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as (typeof items)[number]
    const amount = item.amount
    const lineTax = taxAt(amount, rate, rounding)
    lines.push({
      kind: item.kind,
      description: item.description,
      quantity: item.quantity,
      unitAmount: item.unitAmount,
      amount,
      net: amount,
      tax: lineTax,
      gross: amount + lineTax,
      taxes: taxesOf(component, amount, lineTax),
      period,
      itemId: item.itemId,
      couponId: undefined,
      reduces: undefined
    })
    subtotal += amount
    tax += lineTax
    if (amount > 0n) {
      covered.push(i)
      coveredAmounts.push(amount)
      coveredBase += amount
      coveredTax += lineTax
    }
  }
  if (input.includeSetup) {
    for (const item of items) {
      const amount = item.setupFee
      if (amount <= 0n) continue
      const lineTax = taxAt(amount, rate, rounding)
      lines.push({
        kind: "setup",
        description: `Setup: ${item.description}`,
        quantity: 1n,
        unitAmount: amount,
        amount,
        net: amount,
        tax: lineTax,
        gross: amount + lineTax,
        taxes: taxesOf(component, amount, lineTax),
        period: undefined,
        itemId: item.itemId,
        couponId: undefined,
        reduces: undefined
      })
      subtotal += amount
      tax += lineTax
    }
  }

  let discountTotal = 0n
  if (
    coupon !== undefined &&
    covered.length > 0 &&
    allows(coupon.appliesTo?.productIds, subscription.productId) &&
    allows(coupon.appliesTo?.planIds, subscription.planId)
  ) {
    const wanted =
      coupon.kind === "percent" ? applyRatio(coveredBase, coupon.rate, rounding) : (fixed as bigint)
    const off = wanted < coveredBase ? wanted : coveredBase
    if (off > 0n) {
      // Each covered line is taxed again on what is left of it after its share of the discount; the
      // discount line carries the difference, so the invoice's tax is the tax of what is really charged.
      let taxAfter = 0n
      if (rate !== undefined) {
        const shares = covered.length === 1 ? [off] : discountShares(off, coveredAmounts, coveredBase)
        for (let k = 0; k < covered.length; k++) {
          taxAfter += applyRatio((coveredAmounts[k] as bigint) - (shares[k] as bigint), rate, rounding)
        }
      }
      const taxDelta = taxAfter - coveredTax
      const amount = -off
      const gross = amount + taxDelta
      lines.push({
        kind: "discount",
        description: `Discount ${coupon.code}`,
        quantity: 1n,
        unitAmount: amount,
        amount,
        net: amount,
        tax: taxDelta,
        gross,
        taxes: taxesOf(component, amount, taxDelta),
        period: undefined,
        itemId: undefined,
        couponId: coupon.id,
        reduces: covered
      })
      subtotal += amount
      tax += taxDelta
      discountTotal = gross
    }
  }

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
    totals: { subtotal, tax, total: subtotal + tax, discount: discountTotal },
    settlement: emptySettlement
  }
}
