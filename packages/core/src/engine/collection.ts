/**
 * Collection: what the `collect` job does for an open invoice. Account credit first, then the customer's
 * default saved method through the `PaymentGateway`, with the deterministic idempotency key
 * `collect:<invoiceId>:<attempt>`. The gateway's idempotency is what makes a crash safe: when the job runs
 * again after the charge was made but before it was recorded, the same key returns the same outcome and
 * never charges twice; the payment is recorded under the same key (unique per tenant), so it is recorded
 * once.
 *
 * - succeeded: the payment is recorded and the invoice paid, and the subscription learns of it (past due
 *   -> active, a non-payment suspension lifted, its current period moved to the invoice's) in the same
 *   transaction; a lifted suspension enqueues an `unsuspend` job for the provisioner.
 * - failed / canceled: the failed attempt is recorded with its reason and decline code (`failureReason`,
 *   `declineCode` on the payment row); the dunning schedule decides what comes next.
 * - unknown (a timeout after the request left) or pending: a `reconcile` job asks the gateway later;
 *   nothing is charged again blindly.
 * - requires_action: the invoice stays open; the customer must pay on-session: a `notify` job
 *   (`payment.action_required`, with the gateway's `actionUrl` when it gave one), once per attempt.
 */
import { Clock, Effect, Either, Option } from "effect"
import { compareDates } from "../calendar/civil-date"
import { paymentLiftsSuspension } from "../dunning/schedule"
import { balanceOf, type Invoice } from "../invoicing/invoice/document"
import { applyCredit, recordPayment } from "../invoicing/invoice/lifecycle"
import { money } from "../money/money"
import { Ids } from "../ports/ids"
import { type ChargeOutcome, type GatewayError, PaymentGateway } from "../ports/payment-gateway"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import { Store, type StoreService } from "../ports/store/store"
import { transition } from "../subscription/machine"
import type { InvalidBillingSettings } from "./errors"
import { ensureGatewayCustomer } from "./gateway-methods"
import { settleOrder } from "./place-order"
import { billingSettingsOf } from "./settings"

export interface CollectRequest {
  readonly tenantId: string
  readonly invoiceId: string
  /**
   * 1 for the collection on the due date; dunning retries count on from 2. For an on-session payment,
   * the customer's attempt with that method (see `payOnSession`).
   */
  readonly attempt: number
  /**
   * An on-session payment by the customer (`payOnSession`) with the method they chose, instead of the
   * off-session charge of the default method: key `checkout:<invoice>:<method>:<attempt>`.
   */
  readonly checkout?: { readonly methodId: string }
}

export type CollectOutcome =
  | { readonly _tag: "NotOpen" }
  | { readonly _tag: "Paid"; readonly by: "credit" | "payment"; readonly creditApplied: bigint }
  | { readonly _tag: "NoPaymentMethod"; readonly balance: bigint }
  | { readonly _tag: "Failed"; readonly reason: string; readonly declineCode: string | undefined }
  | { readonly _tag: "RequiresAction"; readonly actionUrl: string | undefined }
  | { readonly _tag: "Reconciling"; readonly status: "unknown" | "pending" }

/** The idempotency key of a collection attempt: the same for every run of the same attempt. */
export const collectionKey = (invoiceId: string, attempt: number): string => `collect:${invoiceId}:${attempt}`

/** The idempotency key of an on-session attempt: its own key space, apart from the off-session attempts. */
export const checkoutKey = (invoiceId: string, methodId: string, attempt: number): string =>
  `checkout:${invoiceId}:${methodId}:${attempt}`

/** The idempotency key of the attempt a request names. */
export const attemptKey = (request: Omit<CollectRequest, "tenantId">): string =>
  request.checkout === undefined
    ? collectionKey(request.invoiceId, request.attempt)
    : checkoutKey(request.invoiceId, request.checkout.methodId, request.attempt)

const reconcileDelayMs = 5 * 60_000

/** The notification templates of payments (the `notify` job's `template`). */
export const paymentTemplates = {
  /** To the customer: the off-session charge needs them (3-D Secure, approval); `actionUrl` when known. */
  actionRequired: "payment.action_required"
} as const

/** The dedupe key of the customer's `payment.action_required` notice for a charge key. */
export const actionRequiredKey = (idempotencyKey: string): string =>
  `notify:action_required:${idempotencyKey}`

/**
 * The invoice is paid: the subscription it renews learns of it, in the caller's transaction. A pending
 * subscription's paid order invoice activates it (`activateOrder`); a past-due one is active again; a
 * suspended one is unsuspended only when the tenant's dunning policy lifts it for this invoice
 * (`paymentLiftsSuspension`: a non-payment suspension that started after the invoice fell due).
 */
export const settleSubscription = (
  store: StoreService,
  tenantId: string,
  invoice: Invoice,
  at: number
): Effect.Effect<void, StoreError | VersionConflict | InvalidBillingSettings> =>
  Effect.gen(function* () {
    if (invoice.subscriptionId === undefined) return
    const row = yield* store.subscriptions.get(tenantId, invoice.subscriptionId)
    if (row.value.lifecycle.status === "pending") return yield* settleOrder(store, tenantId, row, invoice, at)
    const { value: subscription, version } = row
    let lifts = true
    if (subscription.lifecycle.status === "suspended") {
      const settings = yield* billingSettingsOf(yield* store.tenants.get(tenantId))
      lifts = paymentLiftsSuspension(subscription, invoice, settings.dunning)
    }
    const moved = lifts ? transition(subscription.lifecycle, { _tag: "PaymentReceived" }, at) : undefined
    const lifecycle =
      moved !== undefined && Either.isRight(moved) ? moved.right.state : subscription.lifecycle
    // The paid period becomes the current one (a late payment of an older period does not move it back).
    const period =
      invoice.period !== undefined &&
      (subscription.currentPeriod === undefined ||
        compareDates(invoice.period.start, subscription.currentPeriod.start) > 0)
        ? invoice.period
        : subscription.currentPeriod
    yield* store.subscriptions.update(
      tenantId,
      { ...subscription, lifecycle, ...(period === undefined ? {} : { currentPeriod: period }) },
      version
    )
    if (
      moved !== undefined &&
      Either.isRight(moved) &&
      moved.right.events.some((event) => event._tag === "SubscriptionUnsuspended")
    ) {
      yield* store.jobs.enqueue(tenantId, {
        kind: "unsuspend",
        payload: { subscriptionId: subscription.id, invoiceId: invoice.id },
        runAt: at,
        dedupeKey: `unsuspend:${subscription.id}:${invoice.id}`
      })
    }
  })

/**
 * Why a failed or canceled attempt failed, as it is stored on its payment row: the gateway's normalized
 * reason (`insufficient_funds`, `expired_card`, `card_declined`...), or the outcome's status when it gave
 * none; and the issuer's decline code when there is one.
 */
export const failureOf = (
  outcome: ChargeOutcome
): { readonly reason: string; readonly declineCode: string | undefined } => ({
  reason: outcome.reason ?? outcome.status,
  declineCode: outcome.declineCode
})

/**
 * Records what the gateway said about an attempt (once: the payment's key is unique). The one recording
 * path for collection, reconciliation and the gateway's webhooks (`processGatewayEvent`).
 */
export const recordOutcome = (
  request: CollectRequest,
  invoice: Invoice,
  gateway: string,
  outcome: ChargeOutcome,
  creditApplied: bigint,
  /** Enqueue a `reconcile` job for an unknown or pending outcome (not when reconciling already). */
  reconcileLater: boolean
): Effect.Effect<CollectOutcome, StoreError | VersionConflict | InvalidBillingSettings, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const now = yield* Clock.currentTimeMillis
    const { tenantId } = request
    const key = outcome.idempotencyKey
    const failure = failureOf(outcome)
    const payment = (status: "succeeded" | "failed") =>
      Effect.flatMap(ids.next("pay"), (id) =>
        store.payments.insert(tenantId, {
          id,
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          currency: invoice.currency,
          amount: outcome.amount.amount,
          status,
          gateway,
          ...(outcome.chargeId === undefined ? {} : { chargeId: outcome.chargeId }),
          ...(status === "failed"
            ? {
                failureReason: failure.reason,
                ...(failure.declineCode === undefined ? {} : { declineCode: failure.declineCode })
              }
            : {}),
          idempotencyKey: key,
          at: now
        })
      )
    switch (outcome.status) {
      case "succeeded":
        return yield* store.withTransaction(
          Effect.gen(function* () {
            const current = yield* store.invoices.get(tenantId, invoice.id)
            yield* payment("succeeded")
            const paid = recordPayment(current, outcome.amount.amount, now)
            // The gateway took the money: an invoice that no longer owes it (paid meanwhile by hand)
            // keeps the payment on record for staff to refund; it is not a reason to lose it.
            if (Either.isRight(paid)) {
              yield* store.invoices.update(tenantId, paid.right)
              if (paid.right.status === "paid") yield* settleSubscription(store, tenantId, paid.right, now)
            }
            return { _tag: "Paid", by: "payment", creditApplied } satisfies CollectOutcome
          })
        )
      case "failed":
      case "canceled":
        yield* payment("failed")
        return { _tag: "Failed", ...failure }
      case "requires_action":
        // The invoice stays open; the customer is told once per attempt (a repeated answer or webhook
        // finds the job there), with the gateway's page when it gave one (else the invoice's pay page).
        // An invoice settled meanwhile (by hand) asks nothing of the customer.
        if (invoice.status !== "open") return { _tag: "RequiresAction", actionUrl: outcome.actionUrl }
        yield* store.jobs.enqueue(tenantId, {
          kind: "notify",
          payload: {
            template: paymentTemplates.actionRequired,
            audience: "customer",
            invoiceId: invoice.id,
            customerId: invoice.customerId,
            ...(outcome.actionUrl === undefined ? {} : { actionUrl: outcome.actionUrl })
          },
          runAt: now,
          dedupeKey: actionRequiredKey(key)
        })
        return { _tag: "RequiresAction", actionUrl: outcome.actionUrl }
      case "pending":
      case "unknown":
        if (!reconcileLater) return { _tag: "Reconciling", status: outcome.status }
        yield* store.jobs.enqueue(tenantId, {
          kind: "reconcile",
          payload: {
            invoiceId: invoice.id,
            attempt: request.attempt,
            ...(request.checkout === undefined ? {} : { checkoutMethodId: request.checkout.methodId })
          },
          runAt: now + reconcileDelayMs,
          dedupeKey: `reconcile:${key}`
        })
        return { _tag: "Reconciling", status: outcome.status }
    }
  })

/**
 * Collects an open invoice: credit, then the default method. Idempotent: an invoice already paid (or
 * void) is `NotOpen`; an attempt already recorded is not charged again. A `GatewayError` (no outcome at
 * all: the provider refused the request or could not be reached before it) fails the effect, and the job
 * is retried with the same attempt and key; so does a `VersionConflict` (the subscription changed while
 * the payment was recorded: nothing was written, and the retry finds the same charge under the same key).
 */
export const collectInvoice = (
  request: CollectRequest
): Effect.Effect<
  CollectOutcome,
  StoreError | VersionConflict | InvalidBillingSettings | GatewayError,
  Store | Ids | PaymentGateway
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const gateway = yield* PaymentGateway
    const now = yield* Clock.currentTimeMillis
    const { tenantId, invoiceId } = request

    // Account credit first, in one transaction with the invoice it pays.
    const afterCredit = yield* store
      .withTransaction(
        Effect.gen(function* () {
          const invoice = yield* store.invoices.get(tenantId, invoiceId)
          if (invoice.status !== "open") return { invoice, applied: 0n }
          const available = yield* store.ledger.balance(tenantId, invoice.customerId, invoice.currency)
          const credited = Either.getOrThrow(applyCredit(invoice, available, now))
          if (credited.applied === 0n) return { invoice, applied: 0n }
          yield* store.ledger.append(tenantId, {
            customerId: invoice.customerId,
            currency: invoice.currency,
            amount: -credited.applied,
            kind: "credit_applied",
            invoiceId,
            at: now
          })
          yield* store.invoices.update(tenantId, credited.invoice)
          if (credited.invoice.status === "paid")
            yield* settleSubscription(store, tenantId, credited.invoice, now)
          return credited
        })
      )
      .pipe(
        // Credit spent by a concurrent debit between reading the balance and appending: collect without it.
        Effect.catchTag("InsufficientCredit", () =>
          Effect.map(store.invoices.get(tenantId, invoiceId), (invoice) => ({ invoice, applied: 0n }))
        )
      )
    const { invoice, applied } = afterCredit
    if (invoice.status === "paid" && applied > 0n)
      return { _tag: "Paid", by: "credit", creditApplied: applied }
    if (invoice.status !== "open") return { _tag: "NotOpen" }
    const balance = balanceOf(invoice)

    const key = attemptKey(request)
    const recorded = (yield* store.payments.listByInvoice(tenantId, invoiceId)).find(
      (payment) => payment.idempotencyKey === key
    )
    if (recorded !== undefined) {
      return recorded.status === "failed"
        ? {
            _tag: "Failed",
            reason: recorded.failureReason ?? "failed",
            declineCode: recorded.declineCode
          }
        : { _tag: "Paid", by: "payment", creditApplied: applied }
    }

    const method =
      request.checkout === undefined
        ? (yield* store.paymentMethods.list(tenantId, invoice.customerId)).find(
            (saved) => saved.isDefault && saved.gateway === gateway.name
          )
        : {
            gatewayCustomerId: (yield* ensureGatewayCustomer({ tenantId, customerId: invoice.customerId }))
              .gatewayCustomerId,
            gatewayMethodId: request.checkout.methodId
          }
    if (method === undefined) return { _tag: "NoPaymentMethod", balance }

    const outcome = yield* gateway.charge({
      gatewayCustomerId: method.gatewayCustomerId,
      invoiceId,
      amount: money(balance, invoice.currency),
      methodId: method.gatewayMethodId,
      idempotencyKey: key,
      offSession: request.checkout === undefined,
      description: invoice.number === undefined ? `Invoice ${invoiceId}` : `Invoice ${invoice.number}`
    })
    return yield* recordOutcome(request, invoice, gateway.name, outcome, applied, true)
  })

/**
 * The `reconcile` job: asks the gateway what became of an attempt whose outcome was unknown or pending,
 * and records it. `Unseen` means the request never reached the provider: collecting again with the same
 * attempt (and key) is then safe. Still unknown or pending: `Reconciling` (the job fails and is retried
 * with its backoff).
 */
export const reconcileCollection = (
  request: CollectRequest
): Effect.Effect<
  CollectOutcome | { readonly _tag: "Unseen" },
  StoreError | VersionConflict | InvalidBillingSettings | GatewayError,
  Store | Ids | PaymentGateway
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const gateway = yield* PaymentGateway
    const invoice = yield* store.invoices.get(request.tenantId, request.invoiceId)
    const key = attemptKey(request)
    const found = yield* gateway.retrieveCharge({ idempotencyKey: key })
    if (Option.isNone(found)) return { _tag: "Unseen" } as const
    const recorded = (yield* store.payments.listByInvoice(request.tenantId, request.invoiceId)).some(
      (payment) => payment.idempotencyKey === key
    )
    if (recorded) return { _tag: "NotOpen" } as const
    return yield* recordOutcome(request, invoice, gateway.name, found.value, 0n, false)
  })
