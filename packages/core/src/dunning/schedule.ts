/**
 * The dunning schedule of one invoice as a pure function: from the invoice (or its absence), the service
 * it bills, the payment attempts made, the actions already carried out, the tenant's policy, "now" and the
 * customer's zone, to the actions due now and the ones to come. No clock, no IO: asking twice with the
 * same input gives the same answer, and the engine turns the due actions into outbox jobs under their keys.
 */
import type { Instant } from "../calendar/zone"
import { balanceOf, type Invoice } from "../invoicing/invoice/document"
import type { CurrencyCode } from "../money/currency"
import { isEnded } from "../subscription/state"
import type { Subscription } from "../subscription/subscription"
import { compareActions, type DunningAction, dunningKeys } from "./actions"
import { dunningDay } from "./days"
import { hasLateFeeLine, lateFeeFor } from "./late-fee"
import type { DunningPolicy } from "./policy"
import { reminderSchedule } from "./reminders"

/** The facts dunning decides from, for one invoice, as the engine reads them from the store. */
export interface DunningInput {
  /**
   * The invoice being dunned: the service's renewal invoice, an order's invoice, or a plan-change or
   * manual one; `undefined` when it does not exist (yet), and then nothing is ever due.
   */
  readonly invoice: Invoice | undefined
  /** The service the invoice bills (its lifecycle says whether and why it is suspended), if any. */
  readonly subscription: Pick<Subscription, "id" | "lifecycle"> | undefined
  /** Payment attempts made on the invoice so far, counting the collection on the due date as attempt 1. */
  readonly attempts: number
  /** Keys of the actions already carried out (the outbox jobs written), see `dunningKeys`. */
  readonly done: ReadonlySet<string>
  readonly policy: DunningPolicy
  readonly now: Instant
  /** The customer's IANA zone, validated at the boundary: dunning days are civil days there. */
  readonly zone: string
}

/** A fixed late fee was due, but the policy has no amount in the invoice's currency: none was charged. */
export interface LateFeeCurrencyMissing {
  readonly _tag: "LateFeeCurrencyMissing"
  readonly invoiceId: string
  readonly currency: CurrencyCode
}

/** What dunning says to do about one invoice: now, later, and what staff should know. */
export interface DunningPlan {
  /** Actions whose time has come (at or before `now`), in the order to carry them out. */
  readonly due: ReadonlyArray<DunningAction>
  /**
   * Actions after `now` as the facts stand (the next retry only: the one after it depends on how this one
   * ends), in time order. A payment or a status change can cancel them; ask again then.
   */
  readonly upcoming: ReadonlyArray<DunningAction>
  /** When to ask again at the latest: the first upcoming action's instant; none when nothing is left. */
  readonly nextAt: Instant | undefined
  /** Things the policy could not do that staff should hear about. */
  readonly notices: ReadonlyArray<LateFeeCurrencyMissing>
}

const emptyPlan: DunningPlan = { due: [], upcoming: [], nextAt: undefined, notices: [] }

/**
 * The next dunning actions for one invoice. Invariants (tested): nothing is scheduled for an invoice that
 * does not exist; a service is suspended or terminated only for its renewal invoice while that invoice is
 * open, owed and overdue; terminated only once suspended; a paid invoice yields at most an unsuspend, and
 * only of a `non_payment` suspension; an action whose key is in `done` is never returned; the late fee is
 * charged at most once; the answer depends on the input alone. See docs/dunning.md for the whole policy.
 *
 * After carrying out the due actions, ask again: an action that waits for another (termination waits for
 * the suspension, a retry for the outcome of the attempt before it) becomes due on that next question.
 */
export const dunningSchedule = (input: DunningInput): DunningPlan => {
  const { invoice, subscription } = input
  if (invoice === undefined) return emptyPlan
  if (subscription !== undefined && invoice.subscriptionId !== subscription.id) {
    throw new Error(
      `dunningSchedule: invoice ${invoice.id} bills ${String(invoice.subscriptionId)}, not ${subscription.id}`
    )
  }
  if (subscription !== undefined && isEnded(subscription.lifecycle.status)) return emptyPlan
  const candidates: Array<DunningAction> = []
  const notices: Array<LateFeeCurrencyMissing> = []
  if (invoice.status === "paid") {
    const unsuspend = unsuspendAction(input, invoice)
    if (unsuspend !== undefined) candidates.push(unsuspend)
  } else if (invoice.status === "open" && balanceOf(invoice) > 0n) {
    candidates.push(...reminderSchedule(invoice, input))
    if (invoice.kind !== "order") {
      const retry = retryAction(input, invoice)
      if (retry !== undefined) candidates.push(retry)
      const fee = lateFeeAction(input, invoice)
      if (fee._tag === "LateFeeCurrencyMissing") notices.push(fee)
      else if (fee._tag === "ApplyLateFee") candidates.push(fee)
    }
    candidates.push(...serviceActions(input, invoice))
  }
  const fresh = closeAtEnd(candidates)
    .filter((action) => !input.done.has(action.key))
    .sort(compareActions)
  const due = fresh.filter((action) => action.at <= input.now)
  const upcoming = fresh.filter((action) => action.at > input.now)
  return { due, upcoming, nextAt: upcoming[0]?.at, notices }
}

const ends = (action: DunningAction): boolean =>
  action._tag === "TerminateService" || action._tag === "CancelPendingOrder"

/**
 * The service's end closes its dunning: no reminder, retry or fee at or after the termination (or order
 * cancellation) instant; the engine sends the termination notice instead.
 */
const closeAtEnd = (candidates: ReadonlyArray<DunningAction>): ReadonlyArray<DunningAction> => {
  const end = candidates.find(ends)?.at
  return end === undefined
    ? candidates
    : candidates.filter((action) => ends(action) || action._tag === "SuspendService" || action.at < end)
}

/** The next payment attempt: `attempts + 1` (at least 2), on its retry day; none while one is in flight. */
const retryAction = (input: DunningInput, invoice: Invoice): DunningAction | undefined => {
  const attempt = Math.max(input.attempts + 1, 2)
  const day = input.policy.retryDays[attempt - 2]
  const key = dunningKeys.retry(invoice.id, attempt)
  if (day === undefined || input.done.has(key)) return undefined
  const at = dunningDay(invoice.dueAt, day, input.zone)
  return { _tag: "RetryPayment", key, at, invoiceId: invoice.id, attempt }
}

const noFee = { _tag: "None" } as const

const lateFeeAction = (
  input: DunningInput,
  invoice: Invoice
): DunningAction | LateFeeCurrencyMissing | typeof noFee => {
  const policy = input.policy.lateFee
  const key = dunningKeys.lateFee(invoice.id)
  if (policy === undefined || input.done.has(key) || hasLateFeeLine(invoice)) return noFee
  const at = dunningDay(invoice.dueAt, policy.afterDays, input.zone)
  const fee = lateFeeFor(policy, invoice)
  if (fee === undefined) {
    return at <= input.now
      ? { _tag: "LateFeeCurrencyMissing", invoiceId: invoice.id, currency: invoice.currency }
      : noFee
  }
  return fee.amount > 0n ? { _tag: "ApplyLateFee", key, at, invoiceId: invoice.id, fee } : noFee
}

/** Suspension and termination (renewal invoices), cancellation (orders) of the service the invoice bills. */
const serviceActions = (input: DunningInput, invoice: Invoice): ReadonlyArray<DunningAction> => {
  const { subscription, policy, zone, now } = input
  if (subscription === undefined) return []
  const status = subscription.lifecycle.status
  const subscriptionId = subscription.id
  const invoiceId = invoice.id
  const day = (days: number) => dunningDay(invoice.dueAt, days, zone)
  const actions: Array<DunningAction> = []
  if (invoice.kind === "renewal") {
    const running = status === "active" || status === "past_due"
    if (policy.suspendAfterDays !== undefined && running) {
      const key = dunningKeys.suspend(invoiceId)
      actions.push({
        _tag: "SuspendService",
        key,
        at: day(policy.suspendAfterDays),
        invoiceId,
        subscriptionId,
        reason: "non_payment"
      })
    }
    if (policy.terminateAfterDays !== undefined && (running || status === "suspended")) {
      const at = day(policy.terminateAfterDays)
      // Termination waits for the suspension: while the service still runs it is only a forecast, and
      // none at all once staff lifted this invoice's suspension.
      const forecast = at > now && !input.done.has(dunningKeys.suspend(invoiceId))
      if (status === "suspended" || forecast) {
        actions.push({
          _tag: "TerminateService",
          key: dunningKeys.terminate(invoiceId),
          at,
          invoiceId,
          subscriptionId
        })
      }
    }
  }
  if (invoice.kind === "order" && status === "pending" && policy.cancelPendingOrderAfterDays !== undefined) {
    const at = day(policy.cancelPendingOrderAfterDays)
    actions.push({
      _tag: "CancelPendingOrder",
      key: dunningKeys.cancelOrder(invoiceId),
      at,
      invoiceId,
      subscriptionId
    })
  }
  return actions
}

/**
 * Whether paying `invoice` lifts the subscription's suspension: the policy says so, the invoice is a
 * renewal, the reason is `non_payment`, and the suspension started after the invoice fell due (so this
 * invoice can be why). Collection asks the same when a payment settles the invoice.
 */
export const paymentLiftsSuspension = (
  subscription: Pick<Subscription, "lifecycle">,
  invoice: Invoice,
  policy: DunningPolicy
): boolean => {
  if (!policy.unsuspendOnPayment || invoice.kind !== "renewal") return false
  const { status, suspension } = subscription.lifecycle
  if (status !== "suspended" || suspension === undefined || suspension.reason !== "non_payment") return false
  return suspension.at > invoice.dueAt
}

/** The unsuspension a paid invoice calls for (see {@link paymentLiftsSuspension}). */
const unsuspendAction = (input: DunningInput, invoice: Invoice): DunningAction | undefined => {
  const { subscription, policy, now } = input
  if (subscription === undefined || !paymentLiftsSuspension(subscription, invoice, policy)) return undefined
  const at = Math.min(invoice.paidAt ?? now, now)
  return {
    _tag: "UnsuspendService",
    key: dunningKeys.unsuspend(invoice.id),
    at,
    invoiceId: invoice.id,
    subscriptionId: subscription.id
  }
}
