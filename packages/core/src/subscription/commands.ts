/**
 * What can happen to a subscription. Commands are tagged plain objects; the instant they happen at is
 * passed to `transition` separately.
 */
import type { Instant } from "../calendar/zone"
import type { SuspensionReason } from "./state"

/** pending -> active: the first invoice is paid (and the service provisioned). */
export interface Activate {
  readonly _tag: "Activate"
}

/** pending -> trialing, until `trialEndsAt` (must be after the command's instant). */
export interface StartTrial {
  readonly _tag: "StartTrial"
  readonly trialEndsAt: Instant
}

/**
 * The trial is over: `converted` (first payment collected) -> active; `payment_due` (invoice raised but
 * unpaid) -> past_due; `expired` (no payment method, customer walked away) -> cancelled.
 */
export interface EndTrial {
  readonly _tag: "EndTrial"
  readonly outcome: TrialOutcome
}

export type TrialOutcome = "converted" | "payment_due" | "expired"

/** active -> past_due: a renewal invoice is overdue. */
export interface MarkPastDue {
  readonly _tag: "MarkPastDue"
}

/**
 * The overdue balance is settled. past_due -> active; suspended for non-payment -> active; a service
 * suspended for abuse or manually stays suspended; an active subscription stays active.
 */
export interface PaymentReceived {
  readonly _tag: "PaymentReceived"
}

/** Suspend the service (from active or past_due), or change the reason of an existing suspension. */
export interface Suspend {
  readonly _tag: "Suspend"
  readonly reason: SuspensionReason
}

/** suspended -> active. `payment` may only lift a `non_payment` suspension; `staff` lifts any. */
export interface Unsuspend {
  readonly _tag: "Unsuspend"
  readonly by: "payment" | "staff"
}

/** Cancel now, or at `effectiveAt` (the current period's end, which the caller knows). */
export type Cancel =
  | { readonly _tag: "Cancel"; readonly mode: "immediately"; readonly reason: string }
  | {
      readonly _tag: "Cancel"
      readonly mode: "period_end"
      readonly reason: string
      readonly effectiveAt: Instant
    }

/** Withdraw a scheduled `period_end` cancellation before it takes effect. */
export interface Uncancel {
  readonly _tag: "Uncancel"
}

/** A scheduled cancellation reached its `effectiveAt`: -> cancelled. */
export interface CompleteCancellation {
  readonly _tag: "CompleteCancellation"
}

/** The service is destroyed. Final. */
export interface Terminate {
  readonly _tag: "Terminate"
}

/** The order or account was found fraudulent. */
export interface MarkFraud {
  readonly _tag: "MarkFraud"
}

export type LifecycleCommand =
  | Activate
  | StartTrial
  | EndTrial
  | MarkPastDue
  | PaymentReceived
  | Suspend
  | Unsuspend
  | Cancel
  | Uncancel
  | CompleteCancellation
  | Terminate
  | MarkFraud

export type LifecycleCommandTag = LifecycleCommand["_tag"]
