/**
 * What the billing run does with one subscription, decided without IO: whether its next renewal invoice
 * is due (the dunning policy's lead time before the period starts, in the customer's zone), which period
 * it covers, the draft invoice, and the subscription as it is after invoicing.
 */
import { Either } from "effect"
import { periodContaining } from "../calendar/anniversary"
import type { BillingPeriod } from "../calendar/period"
import { civilDateAt, type Instant, startOfDayInZone } from "../calendar/zone"
import { isRecurring } from "../catalog/cycle"
import type { Customer } from "../customer/customer"
import { renewalInvoiceAt } from "../dunning/days"
import type { Coupon } from "../invoicing/coupon/coupon"
import type { ComposeError } from "../invoicing/invoice/compose"
import type { Invoice } from "../invoicing/invoice/document"
import { renewalInvoice } from "../invoicing/invoice/renewal"
import { determineTax, type TaxDecision } from "../invoicing/tax/determine"
import type { TaxError } from "../invoicing/tax/errors"
import type { TaxRule } from "../invoicing/tax/rules"
import { isEnded } from "../subscription/state"
import type { Subscription } from "../subscription/subscription"
import type { BillingSettings } from "./settings"

/**
 * Where a subscription stands for the billing run at `now`:
 * - `due`: its next renewal invoice is to be made now, for `period`, due at `dueAt`;
 * - `later`: not yet (`at` is when it will be);
 * - `stop`: it no longer renews (ended, a cancellation takes effect by then, or a one-off cycle): the run
 *   clears its `nextRenewalAt` so it is never due again;
 * - `idle`: nothing to do (no next renewal, or a status that does not renew, such as `pending`).
 */
export type RenewalStep =
  | { readonly _tag: "due"; readonly period: BillingPeriod; readonly dueAt: Instant }
  | { readonly _tag: "later"; readonly at: Instant }
  | { readonly _tag: "stop" }
  | { readonly _tag: "idle" }

const renewingStatuses = new Set(["active", "past_due", "suspended", "trialing"])

export const renewalStep = (
  subscription: Subscription,
  settings: BillingSettings,
  now: Instant
): RenewalStep => {
  const dueAt = subscription.nextRenewalAt
  if (dueAt === undefined) return { _tag: "idle" }
  const { lifecycle, cycle, timeZone } = subscription
  if (isEnded(lifecycle.status) || !isRecurring(cycle)) return { _tag: "stop" }
  if (lifecycle.cancellation !== undefined && lifecycle.cancellation.effectiveAt <= dueAt)
    return { _tag: "stop" }
  if (!renewingStatuses.has(lifecycle.status)) return { _tag: "idle" }
  const at = renewalInvoiceAt(dueAt, settings.dunning.invoiceLeadDays, timeZone)
  if (at > now) return { _tag: "later", at }
  const period = periodContaining(subscription.anchor, cycle, civilDateAt(dueAt, timeZone))
  return { _tag: "due", period, dueAt }
}

export interface RenewalSubject {
  readonly subscription: Subscription
  readonly customer: Customer
  /** The coupons the subscription was granted (`subscription.coupons`), resolved. */
  readonly coupons: ReadonlyArray<Coupon>
}

/** The tax decision for a renewal: the tenant's rules for the customer and the subscription's product. */
export const taxForRenewal = (
  subject: RenewalSubject,
  settings: BillingSettings,
  taxRules: ReadonlyArray<TaxRule>
): Either.Either<TaxDecision, TaxError> =>
  determineTax(
    {
      seller: settings.seller,
      customer: {
        country: subject.customer.country,
        isBusiness: subject.customer.isBusiness,
        ...(subject.customer.region === undefined ? {} : { region: subject.customer.region }),
        ...(subject.customer.locality === undefined ? {} : { locality: subject.customer.locality }),
        ...(subject.customer.vatId === undefined ? {} : { vatId: subject.customer.vatId }),
        ...(subject.customer.taxExempt === undefined ? {} : { exempt: subject.customer.taxExempt })
      }
    },
    taxRules,
    subject.subscription.productKind
  )

/**
 * What decides a renewal's tax, as a string: renewals with the same key get the same decision (a billing
 * run decides it once per key).
 */
export const renewalTaxKey = (subject: RenewalSubject): string => {
  const { customer } = subject
  return JSON.stringify([
    customer.country,
    customer.isBusiness,
    customer.region ?? null,
    customer.locality ?? null,
    customer.vatId ?? null,
    customer.taxExempt?.reason ?? null,
    subject.subscription.productKind
  ])
}

export interface PlannedRenewal {
  /** The draft invoice: the engine issues it (number, `open`) in the transaction that writes it. */
  readonly invoice: Invoice
  /** The subscription once this period is invoiced: one more period, next renewal at the period's end. */
  readonly subscription: Subscription
}

/**
 * The renewal invoice of a due subscription and the subscription after it. Tax is decided from the
 * tenant's rules for the customer; the first invoice of a subscription carries its setup fees.
 */
export const planRenewal = (
  subject: RenewalSubject,
  due: Extract<RenewalStep, { _tag: "due" }>,
  settings: BillingSettings,
  taxRules: ReadonlyArray<TaxRule>,
  invoiceId: string,
  /** The tax decision for the subject (default `taxForRenewal`): a billing run passes a memo of it. */
  taxFor: (subject: RenewalSubject) => Either.Either<TaxDecision, TaxError> = (s) =>
    taxForRenewal(s, settings, taxRules)
): Either.Either<PlannedRenewal, TaxError | ComposeError> =>
  Either.flatMap(taxFor(subject), (tax) => {
    const { subscription } = subject
    return Either.map(
      renewalInvoice({
        invoiceId,
        subscription,
        period: due.period,
        cycleNumber: subscription.invoicedPeriods + 1,
        coupons: subject.coupons,
        includeSetup: subscription.invoicedPeriods === 0,
        tax,
        dueAt: due.dueAt,
        rounding: settings.rounding
      }),
      (invoice): PlannedRenewal => ({
        invoice,
        subscription: {
          ...subscription,
          invoicedPeriods: subscription.invoicedPeriods + 1,
          nextRenewalAt: startOfDayInZone(due.period.end, subscription.timeZone)
        }
      })
    )
  })
