import { Schema } from "effect"
import { SubscriptionStatuses } from "./state"

const Status = Schema.Literal(...SubscriptionStatuses)

/** The command is not allowed in the subscription's status (see the table in `machine.ts`). */
export class IllegalTransition extends Schema.TaggedError<IllegalTransition>()("IllegalTransition", {
  from: Status,
  to: Status,
  command: Schema.String
}) {
  override get message() {
    return `${this.command} cannot move a subscription from ${this.from} to ${this.to}`
  }
}

/** A payment tried to lift a suspension that was not for non-payment (abuse, manual). */
export class UnsuspendNotAllowed extends Schema.TaggedError<UnsuspendNotAllowed>()("UnsuspendNotAllowed", {
  reason: Schema.Literal("non_payment", "abuse", "manual", "dispute"),
  by: Schema.Literal("payment", "staff")
}) {
  override get message() {
    return `A ${this.reason} suspension cannot be lifted by ${this.by}`
  }
}

/** A trial end or cancellation date that is not after the command's instant. */
export class DateNotInFuture extends Schema.TaggedError<DateNotInFuture>()("DateNotInFuture", {
  field: Schema.Literal("trialEndsAt", "effectiveAt"),
  value: Schema.Number,
  at: Schema.Number
}) {
  override get message() {
    return `${this.field} (${this.value}) must be after the command's instant (${this.at})`
  }
}

/** Uncancel or CompleteCancellation on a subscription with no scheduled cancellation. */
export class NoScheduledCancellation extends Schema.TaggedError<NoScheduledCancellation>()(
  "NoScheduledCancellation",
  { status: Status, command: Schema.String }
) {
  override get message() {
    return `${this.command}: no cancellation is scheduled (status ${this.status})`
  }
}

/** A period-end cancellation is already scheduled; withdraw it first or cancel immediately. */
export class CancellationAlreadyScheduled extends Schema.TaggedError<CancellationAlreadyScheduled>()(
  "CancellationAlreadyScheduled",
  { effectiveAt: Schema.Number }
) {
  override get message() {
    return `A cancellation is already scheduled for ${this.effectiveAt}`
  }
}

/** CompleteCancellation before the scheduled cancellation's effective instant. */
export class CancellationNotDue extends Schema.TaggedError<CancellationNotDue>()("CancellationNotDue", {
  effectiveAt: Schema.Number,
  at: Schema.Number
}) {
  override get message() {
    return `The cancellation takes effect at ${this.effectiveAt}, not yet at ${this.at}`
  }
}

/** Uncancel at or after the scheduled cancellation's effective instant: too late. */
export class CancellationAlreadyEffective extends Schema.TaggedError<CancellationAlreadyEffective>()(
  "CancellationAlreadyEffective",
  { effectiveAt: Schema.Number, at: Schema.Number }
) {
  override get message() {
    return `The cancellation took effect at ${this.effectiveAt}; it cannot be withdrawn at ${this.at}`
  }
}

export type LifecycleError =
  | IllegalTransition
  | UnsuspendNotAllowed
  | DateNotInFuture
  | NoScheduledCancellation
  | CancellationAlreadyScheduled
  | CancellationNotDue
  | CancellationAlreadyEffective
