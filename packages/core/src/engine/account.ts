/**
 * What the account operations (orders, plan changes, cancellations, refunds, manual payments) share:
 * the tenant's settings, document numbers drawn inside the caller's transaction, the customer's tax
 * decision, the subscription's revenue snapshot and event, and the audit entry of each action.
 */
import { Effect, Either } from "effect"
import type { InvalidTimeZone } from "../calendar/errors"
import { civilDateAt, type Instant } from "../calendar/zone"
import type { Customer } from "../customer/customer"
import type { Coupon } from "../invoicing/coupon/coupon"
import type { Invoice } from "../invoicing/invoice/document"
import { voidInvoice } from "../invoicing/invoice/lifecycle"
import { formatDocumentNumber, sequenceKey } from "../invoicing/numbering/numbering"
import { determineTax, type TaxDecision } from "../invoicing/tax/determine"
import type { TaxError } from "../invoicing/tax/errors"
import type { RevenueEventError } from "../metrics/errors"
import type { RevenueEvent } from "../metrics/events"
import { type RevenueSnapshot, type RevenueSnapshotError, revenueSnapshot } from "../metrics/snapshot"
import type { AuditActor } from "../ports/store/audit"
import type { StoreError } from "../ports/store/errors"
import type { AppliedRevenueEvent } from "../ports/store/revenue"
import type { StoreService } from "../ports/store/store"
import type { Subscription } from "../subscription/subscription"
import type { InvalidBillingSettings } from "./errors"
import { type BillingSettings, billingSettingsOf } from "./settings"

/** Who asked for an account operation: recorded in the audit log with what was done. */
export type Actor = AuditActor

/** The tenant's billing settings, read from the store. */
export const tenantSettings = (
  store: StoreService,
  tenantId: string
): Effect.Effect<BillingSettings, StoreError | InvalidBillingSettings> =>
  Effect.flatMap(store.tenants.get(tenantId), billingSettingsOf)

/**
 * The invoice's legal number, drawn from the tenant's gapless sequence in the caller's transaction when
 * numbers are drawn on issue (`immediate`); `undefined` in `proforma` mode.
 */
export const drawInvoiceNumber = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  now: Instant
): Effect.Effect<string | undefined, StoreError> => {
  const policy = settings.numbering
  if (policy.mode !== "immediate") return Effect.succeed(undefined)
  const date = civilDateAt(now, settings.timeZone)
  return Effect.map(store.sequences.next(tenantId, sequenceKey(policy, "invoice", date), policy.start), (n) =>
    formatDocumentNumber(policy, n, date)
  )
}

/** A credit note's number, from its own gapless sequence (`credit_note`), in the caller's transaction. */
export const drawCreditNoteNumber = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  now: Instant
): Effect.Effect<string, StoreError> => {
  const policy = settings.creditNotes
  const date = civilDateAt(now, settings.timeZone)
  return Effect.map(
    store.sequences.next(tenantId, sequenceKey(policy, "credit_note", date), policy.start),
    (n) => formatDocumentNumber(policy, n, date)
  )
}

/** The tax decision for a customer buying a product of `productKind`, from the tenant's rules. */
export const taxDecisionFor = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  customer: Customer,
  productKind: string
): Effect.Effect<TaxDecision, StoreError | TaxError> =>
  Effect.flatMap(store.taxRules.list(tenantId), (rules) =>
    determineTax(
      {
        seller: settings.seller,
        customer: {
          country: customer.country,
          isBusiness: customer.isBusiness,
          ...(customer.region === undefined ? {} : { region: customer.region }),
          ...(customer.locality === undefined ? {} : { locality: customer.locality }),
          ...(customer.vatId === undefined ? {} : { vatId: customer.vatId }),
          ...(customer.taxExempt === undefined ? {} : { exempt: customer.taxExempt })
        }
      },
      rules,
      productKind
    )
  )

/** The coupons granted to a subscription (a grant whose coupon is gone is left out). */
export const couponsOf = (
  store: StoreService,
  tenantId: string,
  subscription: Subscription
): Effect.Effect<ReadonlyArray<Coupon>, StoreError> =>
  Effect.map(
    Effect.forEach(subscription.coupons, (grant) =>
      store.coupons.get(tenantId, grant.couponId).pipe(
        Effect.map((coupon): ReadonlyArray<Coupon> => [coupon]),
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => Effect.succeed([])
        )
      )
    ),
    (found) => found.flat()
  )

/** What a subscription contributes to MRR now (its tax decision takes tax out of inclusive prices). */
export const snapshotOf = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  subscription: Subscription,
  tax: TaxDecision
): Effect.Effect<RevenueSnapshot, StoreError | RevenueSnapshotError> =>
  Effect.flatMap(couponsOf(store, tenantId, subscription), (coupons) =>
    revenueSnapshot({ subscription, coupons, tax, rounding: settings.rounding })
  )

/** Applies a revenue event in the caller's transaction, in the tenant's reporting zone. */
export const applyRevenue = (
  store: StoreService,
  tenantId: string,
  settings: BillingSettings,
  event: RevenueEvent
): Effect.Effect<AppliedRevenueEvent, StoreError | RevenueEventError | InvalidTimeZone> =>
  store.revenue.apply(tenantId, event, settings.timeZone)

/**
 * Where a subscription stands in the revenue metrics: `unknown` (never started: a pending order, or a
 * subscription that came from before the metrics were kept), `live` or `churned`.
 */
export const revenueState = (
  store: StoreService,
  tenantId: string,
  subscription: Subscription
): Effect.Effect<"unknown" | "live" | "churned", StoreError> =>
  Effect.map(
    store.revenue.rows(tenantId, subscription.id, subscription.customerId),
    (rows) => rows.subscription?.status ?? "unknown"
  )

/** Appends the audit entry of an action, in the caller's transaction. */
export const audit = (
  store: StoreService,
  tenantId: string,
  entry: {
    readonly actor: Actor
    readonly action: string
    readonly targetType: string
    readonly targetId: string
    readonly details: { readonly [key: string]: string | number | boolean | null }
    readonly at: Instant
  }
): Effect.Effect<void, StoreError> => Effect.asVoid(store.audit.append(tenantId, entry))

/** An issued invoice's `collect` job (once per invoice), when it is open and owes something. */
export const enqueueCollect = (
  store: StoreService,
  tenantId: string,
  invoice: Invoice,
  now: Instant
): Effect.Effect<void, StoreError> =>
  invoice.status === "open"
    ? Effect.asVoid(
        store.jobs.enqueue(tenantId, {
          kind: "collect",
          payload: { invoiceId: invoice.id },
          runAt: Math.max(now, invoice.dueAt),
          dedupeKey: `collect:${invoice.id}`
        })
      )
    : Effect.void

/**
 * The invoice that billed the subscription's current period (its renewal, or the order that started
 * it), if there is one.
 */
export const currentPeriodInvoice = (
  store: StoreService,
  tenantId: string,
  subscription: Subscription
): Effect.Effect<Invoice | undefined, StoreError> => {
  const period = subscription.currentPeriod
  if (period === undefined) return Effect.succeed(undefined)
  return Effect.flatMap(
    store.invoices.findByPeriod(tenantId, subscription.id, period, "renewal"),
    (renewal) =>
      renewal._tag === "Some"
        ? Effect.succeed(renewal.value)
        : Effect.map(store.invoices.findByPeriod(tenantId, subscription.id, period, "order"), (order) =>
            order._tag === "Some" ? order.value : undefined
          )
  )
}

/** Whether an invoice was settled (what a period's credit for unused time is capped by). */
export const isSettled = (invoice: Invoice): boolean =>
  invoice.status === "paid" || invoice.status === "partially_refunded"

/**
 * Runs a transaction again, up to twice, when the store answers `Conflict`: on MySQL, the first revenue
 * events of one new customer racing in two transactions make one of them fail so (docs/metrics.md), and
 * a transaction that failed wrote nothing, so running it again is safe. A conflict that lasts (a unique
 * key that really is taken) still fails.
 */
export const retryOnConflict = <A, E extends { readonly _tag: string }, R>(
  transaction: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.retry(transaction, {
    times: 2,
    while: (error) => error._tag === "StoreError" && (error as unknown as StoreError).reason === "Conflict"
  })

/**
 * Voids an invoice on which nothing was paid, in the caller's transaction, giving the credit applied to
 * it back to the account (`credit_returned`). `false` (nothing written) when it cannot be voided.
 */
export const voidUnpaid = (
  store: StoreService,
  tenantId: string,
  invoice: Invoice,
  now: Instant
): Effect.Effect<boolean, StoreError> =>
  Effect.gen(function* () {
    const voided = voidInvoice(invoice, now)
    if (Either.isLeft(voided)) return false
    yield* store.invoices.update(tenantId, voided.right.invoice)
    if (voided.right.creditReturned > 0n) {
      yield* store.ledger
        .append(tenantId, {
          customerId: invoice.customerId,
          currency: invoice.currency,
          amount: voided.right.creditReturned,
          kind: "credit_returned",
          invoiceId: invoice.id,
          at: now
        })
        .pipe(Effect.catchTag("InsufficientCredit", Effect.die)) // returning credit never goes negative
    }
    return true
  })
