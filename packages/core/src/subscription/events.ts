/**
 * What happened to a subscription, as tagged plain objects the engine stores and metrics replay. Every
 * status change emits exactly one of the status events below (plus `TrialEnded` for trial outcomes).
 */
import type { Instant } from "../calendar/zone"
import type { TrialOutcome } from "./commands"
import type { CancellationMode, SuspensionReason } from "./state"

export interface SubscriptionActivated {
  readonly _tag: "SubscriptionActivated"
  readonly at: Instant
}

export interface TrialStarted {
  readonly _tag: "TrialStarted"
  readonly at: Instant
  readonly trialEndsAt: Instant
}

export interface TrialEnded {
  readonly _tag: "TrialEnded"
  readonly at: Instant
  readonly outcome: TrialOutcome
}

export interface SubscriptionPastDue {
  readonly _tag: "SubscriptionPastDue"
  readonly at: Instant
}

/** past_due -> active after payment. */
export interface SubscriptionRecovered {
  readonly _tag: "SubscriptionRecovered"
  readonly at: Instant
}

export interface SubscriptionSuspended {
  readonly _tag: "SubscriptionSuspended"
  readonly at: Instant
  readonly reason: SuspensionReason
}

/** A suspended service got a new suspension reason (e.g. non_payment -> abuse). */
export interface SuspensionReasonChanged {
  readonly _tag: "SuspensionReasonChanged"
  readonly at: Instant
  readonly from: SuspensionReason
  readonly to: SuspensionReason
}

export interface SubscriptionUnsuspended {
  readonly _tag: "SubscriptionUnsuspended"
  readonly at: Instant
  readonly by: "payment" | "staff"
  readonly reason: SuspensionReason
}

export interface CancellationScheduled {
  readonly _tag: "CancellationScheduled"
  readonly at: Instant
  readonly reason: string
  readonly effectiveAt: Instant
}

export interface CancellationWithdrawn {
  readonly _tag: "CancellationWithdrawn"
  readonly at: Instant
  readonly effectiveAt: Instant
}

export interface SubscriptionCancelled {
  readonly _tag: "SubscriptionCancelled"
  readonly at: Instant
  readonly mode: CancellationMode
  readonly reason: string
  readonly requestedAt: Instant
}

export interface SubscriptionTerminated {
  readonly _tag: "SubscriptionTerminated"
  readonly at: Instant
}

export interface SubscriptionMarkedFraud {
  readonly _tag: "SubscriptionMarkedFraud"
  readonly at: Instant
}

export type SubscriptionEvent =
  | SubscriptionActivated
  | TrialStarted
  | TrialEnded
  | SubscriptionPastDue
  | SubscriptionRecovered
  | SubscriptionSuspended
  | SuspensionReasonChanged
  | SubscriptionUnsuspended
  | CancellationScheduled
  | CancellationWithdrawn
  | SubscriptionCancelled
  | SubscriptionTerminated
  | SubscriptionMarkedFraud
