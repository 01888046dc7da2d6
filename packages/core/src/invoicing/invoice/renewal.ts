import { Either } from "effect"
import type { BillingPeriod } from "../../calendar/period"
import type { ProrataStub } from "../../calendar/prorata"
import type { Instant } from "../../calendar/zone"
import type { PricedItem } from "../../catalog/selection"
import type { CurrencyCode } from "../../money/currency"
import { divideRounded, type RoundingMode } from "../../money/rounding"
import type { Coupon } from "../coupon/coupon"
import { appliesOnCycle } from "../coupon/redemption"
import type { PriceBasis } from "../tax/compute"
import type { TaxDecision } from "../tax/determine"
import { type Charge, type ComposeError, composeInvoice } from "./compose"
import type { Invoice } from "./document"
import { quickRenewal } from "./renewal-fast"

/** What a renewal needs to know of the subscription it bills. */
export interface RenewableSubscription {
  readonly id: string
  readonly tenantId: string
  readonly customerId: string
  readonly productId: string
  readonly planId: string
  readonly currency: CurrencyCode
  readonly pricing: PriceBasis
  readonly items: ReadonlyArray<PricedItem>
}

export interface RenewalInput {
  readonly invoiceId: string
  readonly subscription: RenewableSubscription
  readonly period: BillingPeriod
  /** Which invoice of the subscription this is, from 1: coupons limited to N cycles count it. */
  readonly cycleNumber: number
  /** The subscription's coupons; those whose duration has run out are left out here. */
  readonly coupons: ReadonlyArray<Coupon>
  /** Metered lines (bandwidth overage...) rated for the period, billed with it. */
  readonly usage?: ReadonlyArray<Charge>
  /** Setup fees are charged on the first invoice only. */
  readonly includeSetup: boolean
  readonly tax: TaxDecision
  readonly dueAt: Instant
  readonly rounding: RoundingMode
}

const itemCharge = (
  subscription: RenewableSubscription,
  item: PricedItem,
  period: BillingPeriod | undefined,
  amount: bigint = item.amount
): Charge => ({
  kind: item.kind,
  description: item.description,
  quantity: item.quantity,
  unitAmount: item.unitAmount,
  amount,
  itemId: item.itemId,
  productId: subscription.productId,
  planId: subscription.planId,
  period
})

const setupCharges = (subscription: RenewableSubscription): Array<Charge> =>
  subscription.items
    .filter((item) => item.setupFee > 0n)
    .map((item) => ({
      kind: "setup",
      description: `Setup: ${item.description}`,
      quantity: 1n,
      unitAmount: item.setupFee,
      amount: item.setupFee,
      itemId: item.itemId,
      productId: subscription.productId,
      planId: subscription.planId,
      period: undefined
    }))

/** The coupons that still discount this cycle: the same array when they all do (no copy per invoice). */
const runningCoupons = (coupons: ReadonlyArray<Coupon>, cycleNumber: number): ReadonlyArray<Coupon> => {
  for (const coupon of coupons) {
    if (!appliesOnCycle(coupon, cycleNumber)) return coupons.filter((c) => appliesOnCycle(c, cycleNumber))
  }
  return coupons
}

/**
 * The renewal invoice of a subscription for one period: a line for the plan, one per option and per
 * add-on billed with it (they share its due date), setup fees when it is the first, usage lines, the
 * discounts of the coupons still running, and tax. The result is a draft; the uniqueness of
 * (subscription, period) is the store's to enforce.
 */
export const renewalInvoice = (input: RenewalInput): Either.Either<Invoice, ComposeError> => {
  const coupons = runningCoupons(input.coupons, input.cycleNumber)
  const quick = quickRenewal(input, coupons)
  return quick === undefined ? renewalInvoiceGeneral(input, coupons) : Either.right(quick)
}

/** {@link renewalInvoice} through `composeInvoice`, for every case (and to check the quick path against). */
export const renewalInvoiceGeneral = (
  input: RenewalInput,
  coupons: ReadonlyArray<Coupon>
): Either.Either<Invoice, ComposeError> => {
  const { subscription, period } = input
  const charges: Array<Charge> = subscription.items.map((item) => itemCharge(subscription, item, period))
  if (input.includeSetup) charges.push(...setupCharges(subscription))
  if (input.usage !== undefined) charges.push(...input.usage)
  return composeInvoice({
    head: {
      id: input.invoiceId,
      tenantId: subscription.tenantId,
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      kind: "renewal",
      currency: subscription.currency,
      pricing: subscription.pricing,
      dueAt: input.dueAt,
      period
    },
    charges,
    coupons,
    tax: input.tax,
    rounding: input.rounding
  })
}

/** `amount x days / periodDays`, rounded once with the named mode. */
export const prorateAmount = (amount: bigint, days: number, periodDays: number, mode: RoundingMode): bigint =>
  divideRounded(amount * BigInt(days), BigInt(periodDays), mode)

/** From the first day the order pays for to the last: the stub and the full periods after it. */
const coverage = (
  stub: BillingPeriod | undefined,
  periods: ReadonlyArray<BillingPeriod>
): BillingPeriod | undefined => {
  const first = stub ?? periods[0]
  const last = periods[periods.length - 1] ?? stub
  return first === undefined || last === undefined ? undefined : { start: first.start, end: last.end }
}

export interface OrderInput {
  readonly invoiceId: string
  readonly subscription: RenewableSubscription
  /** A prorata stub from the order date to the billing day, priced by its exact day fraction. */
  readonly stub?: ProrataStub
  /** Full periods paid up front (usually one). */
  readonly periods: ReadonlyArray<BillingPeriod>
  readonly coupons: ReadonlyArray<Coupon>
  readonly tax: TaxDecision
  readonly dueAt: Instant
  readonly rounding: RoundingMode
}

/**
 * The first invoice of a new order: the prorated stub (when the tenant aligns billing on a fixed day),
 * the full period(s) it pays up front, and the setup fees. Coupons apply as on the first cycle.
 */
export const orderInvoice = (input: OrderInput): Either.Either<Invoice, ComposeError> => {
  const { subscription, stub } = input
  const charges: Array<Charge> = []
  if (stub !== undefined) {
    for (const item of subscription.items) {
      const amount = prorateAmount(item.amount, stub.days, stub.periodDays, input.rounding)
      charges.push({
        ...itemCharge(subscription, item, stub.period, amount),
        description: `${item.description} (${stub.days}/${stub.periodDays} days)`
      })
    }
  }
  for (const period of input.periods) {
    for (const item of subscription.items) charges.push(itemCharge(subscription, item, period))
  }
  charges.push(...setupCharges(subscription))
  return composeInvoice({
    head: {
      id: input.invoiceId,
      tenantId: subscription.tenantId,
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      kind: "order",
      currency: subscription.currency,
      pricing: subscription.pricing,
      dueAt: input.dueAt,
      period: coverage(stub?.period, input.periods)
    },
    charges,
    coupons: input.coupons.filter((coupon) => appliesOnCycle(coupon, 1)),
    tax: input.tax,
    rounding: input.rounding
  })
}

export interface ManualInput {
  readonly invoiceId: string
  readonly tenantId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  readonly pricing: PriceBasis
  readonly charges: ReadonlyArray<Omit<Charge, "kind"> & { readonly kind?: Charge["kind"] }>
  readonly tax: TaxDecision
  readonly dueAt: Instant
  readonly rounding: RoundingMode
}

/** A one-off invoice staff write by hand (a manual charge, a one-time service). */
export const manualInvoice = (input: ManualInput): Either.Either<Invoice, ComposeError> =>
  composeInvoice({
    head: {
      id: input.invoiceId,
      tenantId: input.tenantId,
      customerId: input.customerId,
      kind: "manual",
      subscriptionId: undefined,
      currency: input.currency,
      pricing: input.pricing,
      dueAt: input.dueAt,
      period: undefined
    },
    charges: input.charges.map((charge) => ({ ...charge, kind: charge.kind ?? "manual" })),
    coupons: [],
    tax: input.tax,
    rounding: input.rounding
  })
