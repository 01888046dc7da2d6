export type {
  Activate,
  Cancel,
  CompleteCancellation,
  EndTrial,
  LifecycleCommand,
  LifecycleCommandTag,
  MarkFraud,
  MarkPastDue,
  PaymentReceived,
  StartTrial,
  Suspend,
  Terminate,
  TrialOutcome,
  Uncancel,
  Unsuspend
} from "./commands"
export {
  CancellationAlreadyEffective,
  CancellationAlreadyScheduled,
  CancellationNotDue,
  DateNotInFuture,
  IllegalTransition,
  type LifecycleError,
  NoScheduledCancellation,
  UnsuspendNotAllowed
} from "./errors"
export type {
  CancellationScheduled,
  CancellationWithdrawn,
  SubscriptionActivated,
  SubscriptionCancelled,
  SubscriptionEvent,
  SubscriptionMarkedFraud,
  SubscriptionPastDue,
  SubscriptionRecovered,
  SubscriptionSuspended,
  SubscriptionTerminated,
  SubscriptionUnsuspended,
  SuspensionReasonChanged,
  TrialEnded,
  TrialStarted
} from "./events"
export { commandTarget, type LifecycleTransition, transition } from "./machine"
export {
  type Cancellation,
  type CancellationMode,
  hasScheduledCancellation,
  isEnded,
  pendingSubscription,
  type SubscriptionState,
  type SubscriptionStatus,
  SubscriptionStatuses,
  type Suspension,
  type SuspensionReason
} from "./state"
export type { CouponGrant, Subscription } from "./subscription"
