/**
 * A plan change inside a billing period, quoted with the default strategy: immediate, by whole local days.
 * The unused part of what was charged for the current items is credited, the new items are charged for
 * the rest of the period, and the difference is invoiced now (or, when negative, becomes account credit).
 *
 * Pure: the caller turns "now" into a civil date in the customer's zone (`civilDateAt`) and passes the
 * tax decision; the quote is a draft invoice the engine can write, show or discard.
 */
import { Either } from "effect"
import type { CivilDate } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import type { Instant } from "../calendar/zone"
import type { BillingCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import { type Charge, composeInvoice } from "../invoicing/invoice/compose"
import type { Invoice } from "../invoicing/invoice/document"
import type { PriceBasis } from "../invoicing/tax/compute"
import type { TaxDecision } from "../invoicing/tax/determine"
import type { CurrencyCode } from "../money/currency"
import type { RoundingMode } from "../money/rounding"
import { CycleChangeNotSupported, InvalidChargedAmount, type ProrationError } from "./errors"
import { type ProrationFraction, prorate, remainingFraction } from "./fraction"

/**
 * When a change is billed. `immediate`: the difference is invoiced on the change date. (Further policies,
 * such as applying a downgrade at renewal, extend this union.)
 */
export type ProrationPolicy = "immediate"

/**
 * An item of the subscription as it was billed for the current period. `charged` is what the customer was
 * actually charged for it in that period, after discounts, in the invoice's price basis; it defaults to
 * the item's `amount` (no discount). The credit is a share of `charged`, never of the list price.
 */
export type CurrentItem = PricedItem & { readonly charged?: bigint }

export interface PlanChangeInput {
  readonly invoiceId: string
  readonly tenantId: string
  readonly customerId: string
  readonly subscriptionId: string
  readonly currency: CurrencyCode
  readonly pricing: PriceBasis
  /** The period the current items were charged for. */
  readonly period: BillingPeriod
  /** The day the change takes effect, in the customer's zone; must be a day of `period`. */
  readonly changeDate: CivilDate
  /** What the subscription has now (plan, options, add-ons billed with it). */
  readonly currentItems: ReadonlyArray<CurrentItem>
  /** What it will have, priced for the same cycle (`priceSelection(...).items`). */
  readonly newItems: ReadonlyArray<PricedItem>
  readonly tax: TaxDecision
  readonly rounding: RoundingMode
  readonly dueAt: Instant
}

export interface PlanChangeQuote {
  readonly policy: ProrationPolicy
  /** The days the change covers: from the change date to the end of the period. */
  readonly fraction: ProrationFraction
  /** One negative `proration` charge per current item: the unused part of what was charged for it. */
  readonly credits: ReadonlyArray<Charge>
  /** One positive `proration` charge per new item: its price for the rest of the period. */
  readonly charges: ReadonlyArray<Charge>
  /** Credits plus charges, as priced (before tax when prices exclude it). Negative on a downgrade. */
  readonly net: bigint
  /** A draft invoice of the credits and charges with tax; its total is negative on a downgrade. */
  readonly invoice: Invoice
  /**
   * What the customer is owed when the invoice total is negative (tax included, as a positive amount):
   * it becomes account credit for later invoices. `0n` when the change costs something or nothing.
   */
  readonly creditToAccount: bigint
}

/** The one cycle every item is billed on; two different cycles are a {@link CycleChangeNotSupported}. */
const sameCycle = (
  currentItems: ReadonlyArray<PricedItem>,
  newItems: ReadonlyArray<PricedItem>
): Either.Either<void, CycleChangeNotSupported> => {
  const from: BillingCycle | undefined = currentItems[0]?.cycle ?? newItems[0]?.cycle
  for (const item of [...currentItems, ...newItems]) {
    if (from !== undefined && item.cycle !== from) {
      return Either.left(new CycleChangeNotSupported({ from, to: item.cycle }))
    }
  }
  return Either.void
}

const chargedFor = (item: CurrentItem): bigint => item.charged ?? item.amount

const checkCharged = (items: ReadonlyArray<CurrentItem>): Either.Either<void, InvalidChargedAmount> => {
  for (const item of items) {
    const charged = chargedFor(item)
    if (charged < 0n) return Either.left(new InvalidChargedAmount({ itemId: item.itemId, charged }))
  }
  return Either.void
}

const prorationCharge = (
  item: PricedItem,
  amount: bigint,
  description: string,
  fraction: ProrationFraction
): Charge => ({
  kind: "proration",
  description: `${description} on ${item.description} (${fraction.days}/${fraction.periodDays} days)`,
  quantity: 1n,
  unitAmount: amount,
  amount,
  period: fraction.remaining,
  itemId: item.itemId
})

/**
 * Quotes a plan change with the default strategy (`immediate`, whole local days over the real length of
 * the period):
 *
 * - each current item is credited `-(charged x days / periodDays)`, rounded once with the named mode, as
 *   "Unused time on X (n/N days)";
 * - each new item is charged `amount x days / periodDays`, rounded once, as
 *   "Remaining time on Y (n/N days)";
 * - lines that prorate to zero are left out; setup fees are not charged on a change;
 * - the lines are taxed on a draft invoice (no coupons) covering the rest of the period.
 *
 * A change on the first day of the period credits exactly what was charged and charges the full new
 * price. Errors: {@link CycleChangeNotSupported} when the items are not all on one cycle,
 * `ChangeOutsidePeriod` when the change date is not in the period, {@link InvalidChargedAmount} for a
 * negative `charged`.
 */
export const quotePlanChange = (input: PlanChangeInput): Either.Either<PlanChangeQuote, ProrationError> =>
  Either.gen(function* () {
    yield* sameCycle(input.currentItems, input.newItems)
    const fraction = yield* remainingFraction(input.period, input.changeDate)
    yield* checkCharged(input.currentItems)

    const credits: Array<Charge> = []
    for (const item of input.currentItems) {
      const credit = -prorate(chargedFor(item), fraction, input.rounding)
      if (credit !== 0n) credits.push(prorationCharge(item, credit, "Unused time", fraction))
    }
    const charges: Array<Charge> = []
    for (const item of input.newItems) {
      const charge = prorate(item.amount, fraction, input.rounding)
      if (charge !== 0n) charges.push(prorationCharge(item, charge, "Remaining time", fraction))
    }
    let net = 0n
    for (const line of credits) net += line.amount
    for (const line of charges) net += line.amount

    const invoice = Either.getOrThrowWith(
      composeInvoice({
        head: {
          id: input.invoiceId,
          tenantId: input.tenantId,
          customerId: input.customerId,
          subscriptionId: input.subscriptionId,
          kind: "plan_change",
          currency: input.currency,
          pricing: input.pricing,
          dueAt: input.dueAt,
          period: fraction.remaining
        },
        charges: [...credits, ...charges],
        coupons: [],
        tax: input.tax,
        rounding: input.rounding
      }),
      // Only coupons can make composing fail, and a plan change quote applies none.
      (error) => new Error(`quotePlanChange: composing the invoice failed without coupons: ${error._tag}`)
    )
    const total = invoice.totals.total
    return {
      policy: "immediate",
      fraction,
      credits,
      charges,
      net,
      invoice,
      creditToAccount: total < 0n ? -total : 0n
    } satisfies PlanChangeQuote
  })
