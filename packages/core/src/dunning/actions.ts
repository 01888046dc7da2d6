/**
 * What dunning asks the engine to do, and the deterministic key of each action. The engine writes each
 * action as an outbox job under its key (a unique key), and passes the keys of the jobs it has written
 * back to `dunningSchedule` as `done`: an action is therefore carried out at most once, however many
 * times the schedule is asked.
 */
import type { Instant } from "../calendar/zone"
import type { Money } from "../money/money"

/** The reminders, in the order they go out. */
export const ReminderKinds = ["before-due", "on-due", "overdue-1", "overdue-2", "overdue-3"] as const

/** `before-due` (N days ahead), `on-due`, then `overdue-1`, `overdue-2`, `overdue-3` at the policy's days. */
export type ReminderKind = (typeof ReminderKinds)[number]

/** The outbox key of each dunning action: one per invoice and action (per attempt for retries). */
export const dunningKeys = {
  /** Payment attempt `attempt` (2 for the first retry: attempt 1 is the collection on the due date). */
  retry: (invoiceId: string, attempt: number): string => `${invoiceId}:retry:${attempt}`,
  reminder: (invoiceId: string, reminder: ReminderKind): string => `${invoiceId}:reminder:${reminder}`,
  lateFee: (invoiceId: string): string => `${invoiceId}:late-fee`,
  suspend: (invoiceId: string): string => `${invoiceId}:suspend`,
  terminate: (invoiceId: string): string => `${invoiceId}:terminate`,
  cancelOrder: (invoiceId: string): string => `${invoiceId}:cancel-order`,
  unsuspend: (invoiceId: string): string => `${invoiceId}:unsuspend`
} as const

interface ActionBase {
  /** The outbox unique key (see {@link dunningKeys}). */
  readonly key: string
  /** When the action is scheduled: at or before `now` when due, after it when upcoming. */
  readonly at: Instant
  readonly invoiceId: string
}

/** Charge the saved payment method again for the invoice's balance. */
export interface RetryPayment extends ActionBase {
  readonly _tag: "RetryPayment"
  /** The payment attempt this is: 2 for the first retry. */
  readonly attempt: number
}

/** Send the customer a payment reminder. */
export interface SendReminder extends ActionBase {
  readonly _tag: "SendReminder"
  readonly reminder: ReminderKind
}

/** Add the late fee to what the customer owes (once per invoice). */
export interface ApplyLateFee extends ActionBase {
  readonly _tag: "ApplyLateFee"
  /** In the invoice's currency, already rounded. */
  readonly fee: Money
}

/** Suspend the service for non-payment (a payment lifts it again). */
export interface SuspendService extends ActionBase {
  readonly _tag: "SuspendService"
  readonly subscriptionId: string
  readonly reason: "non_payment"
}

/** Terminate the (already suspended) service: it is destroyed. */
export interface TerminateService extends ActionBase {
  readonly _tag: "TerminateService"
  readonly subscriptionId: string
}

/** Cancel the unpaid order: its service never started (status `pending`). */
export interface CancelPendingOrder extends ActionBase {
  readonly _tag: "CancelPendingOrder"
  readonly subscriptionId: string
}

/** Lift the non-payment suspension: the invoice was paid. */
export interface UnsuspendService extends ActionBase {
  readonly _tag: "UnsuspendService"
  readonly subscriptionId: string
}

/** One thing dunning asks the engine to do, with its outbox key and scheduled instant. */
export type DunningAction =
  | RetryPayment
  | SendReminder
  | ApplyLateFee
  | SuspendService
  | TerminateService
  | CancelPendingOrder
  | UnsuspendService

/** The order of actions scheduled at the same instant: the fee before the retry that collects it, ... */
const rank: Readonly<Record<DunningAction["_tag"], number>> = {
  UnsuspendService: 0,
  CancelPendingOrder: 1,
  ApplyLateFee: 2,
  RetryPayment: 3,
  SendReminder: 4,
  SuspendService: 5,
  TerminateService: 6
}

/** Orders actions by instant, then by {@link rank}, then by key: one fixed order for the same input. */
export const compareActions = (a: DunningAction, b: DunningAction): number =>
  a.at - b.at || rank[a._tag] - rank[b._tag] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
