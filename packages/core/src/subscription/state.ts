/**
 * A subscription's lifecycle state: its status plus the facts later rules depend on (why it is
 * suspended, whether and when it is cancelled, when its trial ends). Instants are UTC epoch milliseconds.
 */
import type { Instant } from "../calendar/zone"

export const SubscriptionStatuses = [
  "pending",
  "trialing",
  "active",
  "past_due",
  "suspended",
  "cancelled",
  "terminated",
  "fraud"
] as const

export type SubscriptionStatus = (typeof SubscriptionStatuses)[number]

/**
 * Why a service is suspended. Only a `non_payment` suspension is lifted by a payment; a `dispute` one
 * (a chargeback opened at the gateway, per the tenant's dispute policy) is lifted when the dispute is won.
 */
export type SuspensionReason = "non_payment" | "abuse" | "manual" | "dispute"

export interface Suspension {
  readonly reason: SuspensionReason
  readonly at: Instant
}

export type CancellationMode = "immediately" | "period_end"

export interface Cancellation {
  readonly mode: CancellationMode
  readonly reason: string
  readonly requestedAt: Instant
  /** When the subscription stops: `requestedAt` for `immediately`, the current period's end otherwise. */
  readonly effectiveAt: Instant
}

export interface SubscriptionState {
  readonly status: SubscriptionStatus
  /** Set exactly while `status` is `suspended`. */
  readonly suspension: Suspension | undefined
  /**
   * A scheduled (`period_end`) cancellation while the subscription still runs, or the cancellation that
   * ended it (status `cancelled`, kept after termination). `undefined` when never cancelled.
   */
  readonly cancellation: Cancellation | undefined
  /** End of the trial, once one was started (kept after the trial ends). */
  readonly trialEndsAt: Instant | undefined
}

/** A new subscription: ordered, waiting for its first payment or trial. */
export const pendingSubscription: SubscriptionState = {
  status: "pending",
  suspension: undefined,
  cancellation: undefined,
  trialEndsAt: undefined
}

/** Statuses after which the subscription never bills again. */
export const isEnded = (status: SubscriptionStatus): boolean =>
  status === "cancelled" || status === "terminated" || status === "fraud"

/** Whether a `period_end` cancellation is scheduled and not yet completed. */
export const hasScheduledCancellation = (state: SubscriptionState): boolean =>
  state.cancellation !== undefined && state.cancellation.mode === "period_end" && state.status !== "cancelled"
