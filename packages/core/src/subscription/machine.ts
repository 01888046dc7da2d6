/**
 * The subscription lifecycle as a pure state machine: `transition(state, command, at)` returns the next
 * state and the events to store, or a typed error. Nothing here reads a clock; `at` is the command's
 * instant (UTC epoch ms).
 *
 * Transition table ("=" keeps the status, "-" is an IllegalTransition; "live" = trialing, active,
 * past_due, suspended):
 *
 * | command \ from        | pending   | trialing         | active    | past_due  | suspended      | cancelled  | terminated | fraud      |
 * | --------------------- | --------- | ---------------- | --------- | --------- | -------------- | ---------- | ---------- | ---------- |
 * | Activate              | active    | -                | -         | -         | -              | -          | -          | -          |
 * | StartTrial            | trialing  | -                | -         | -         | -              | -          | -          | -          |
 * | EndTrial(outcome)     | -         | active/past_due/ | -         | -         | -              | -          | -          | -          |
 * |                       |           | cancelled   [1]  |           |           |                |            |            |            |
 * | MarkPastDue           | -         | -                | past_due  | -         | -              | -          | -          | -          |
 * | PaymentReceived       | -         | -                | =         | active    | active/=   [2] | -          | -          | -          |
 * | Suspend(reason)       | -         | -                | suspended | suspended | =          [3] | -          | -          | -          |
 * | Unsuspend(by)         | -         | -                | -         | -         | active     [2] | -          | -          | -          |
 * | Cancel(immediately)   | cancelled | cancelled        | cancelled | cancelled | cancelled      | -          | -          | -          |
 * | Cancel(period_end)    | -         | =          [4]   | =    [4]  | =    [4]  | =    [4]       | -          | -          | -          |
 * | Uncancel              | -         | =          [5]   | =    [5]  | =    [5]  | =    [5]       | -          | -          | -          |
 * | CompleteCancellation  | -         | cancelled  [6]   | cancelled | cancelled | cancelled      | -          | -          | -          |
 * | Terminate             | -         | terminated       | terminated| terminated| terminated     | terminated | -          | terminated |
 * | MarkFraud             | fraud     | fraud            | fraud     | fraud     | fraud          | -          | -          | -          |
 *
 * [1] converted -> active, payment_due -> past_due, expired -> cancelled (immediately, "trial expired").
 * [2] A payment lifts only a non_payment suspension: `Unsuspend{by:"payment"}` on an abuse/manual
 *     suspension is `UnsuspendNotAllowed`; `PaymentReceived` there keeps the service suspended (no events).
 *     Staff may lift any suspension.
 * [3] Only to a different reason (e.g. non_payment -> abuse, so a later payment no longer unsuspends);
 *     the same reason again is an IllegalTransition.
 * [4] Schedules the cancellation at `effectiveAt` (> at, else DateNotInFuture); a second one is
 *     CancellationAlreadyScheduled. Cancel(immediately) always overrides a scheduled one.
 * [5] Needs a scheduled cancellation (NoScheduledCancellation) not yet effective (CancellationAlreadyEffective).
 * [6] Needs a scheduled cancellation (NoScheduledCancellation) that is due (CancellationNotDue).
 * Pending has no period, so it can only be cancelled immediately; terminated is final.
 */
import { Either } from "effect"
import type { Instant } from "../calendar/zone"
import type { Cancel, LifecycleCommand, TrialOutcome } from "./commands"
import {
  CancellationAlreadyEffective,
  CancellationAlreadyScheduled,
  CancellationNotDue,
  DateNotInFuture,
  IllegalTransition,
  type LifecycleError,
  NoScheduledCancellation,
  UnsuspendNotAllowed
} from "./errors"
import type { SubscriptionEvent } from "./events"
import { hasScheduledCancellation, type SubscriptionState, type SubscriptionStatus } from "./state"

export interface LifecycleTransition {
  readonly state: SubscriptionState
  readonly events: ReadonlyArray<SubscriptionEvent>
}

type Result = Either.Either<LifecycleTransition, LifecycleError>

const trialTarget: Readonly<Record<TrialOutcome, SubscriptionStatus>> = {
  converted: "active",
  payment_due: "past_due",
  expired: "cancelled"
}

/** The status a command aims at (used to name an illegal transition). */
export const commandTarget = (state: SubscriptionState, command: LifecycleCommand): SubscriptionStatus => {
  switch (command._tag) {
    case "Activate":
    case "PaymentReceived":
    case "Unsuspend":
      return "active"
    case "StartTrial":
      return "trialing"
    case "EndTrial":
      return trialTarget[command.outcome]
    case "MarkPastDue":
      return "past_due"
    case "Suspend":
      return "suspended"
    case "Cancel":
    case "CompleteCancellation":
      return "cancelled"
    case "Uncancel":
      return state.status
    case "Terminate":
      return "terminated"
    case "MarkFraud":
      return "fraud"
  }
}

const isLive = (status: SubscriptionStatus): boolean =>
  status === "trialing" || status === "active" || status === "past_due" || status === "suspended"

const illegal = (state: SubscriptionState, command: LifecycleCommand): Result =>
  Either.left(
    new IllegalTransition({ from: state.status, to: commandTarget(state, command), command: command._tag })
  )

const ok = (state: SubscriptionState, ...events: ReadonlyArray<SubscriptionEvent>): Result =>
  Either.right({ state, events })

const moveTo = (state: SubscriptionState, status: SubscriptionStatus): SubscriptionState => ({
  ...state,
  status,
  suspension: undefined
})

const cancelNow = (state: SubscriptionState, reason: string, at: Instant): Result => {
  const cancellation = { mode: "immediately", reason, requestedAt: at, effectiveAt: at } as const
  return ok(
    { ...moveTo(state, "cancelled"), cancellation },
    { _tag: "SubscriptionCancelled", at, mode: "immediately", reason, requestedAt: at }
  )
}

const cancel = (state: SubscriptionState, command: Cancel, at: Instant): Result => {
  if (command.mode === "immediately") {
    return state.status === "pending" || isLive(state.status)
      ? cancelNow(state, command.reason, at)
      : illegal(state, command)
  }
  if (!isLive(state.status)) return illegal(state, command)
  if (hasScheduledCancellation(state)) {
    return Either.left(
      new CancellationAlreadyScheduled({ effectiveAt: state.cancellation?.effectiveAt ?? at })
    )
  }
  if (command.effectiveAt <= at) {
    return Either.left(new DateNotInFuture({ field: "effectiveAt", value: command.effectiveAt, at }))
  }
  const { reason, effectiveAt } = command
  return ok(
    { ...state, cancellation: { mode: "period_end", reason, requestedAt: at, effectiveAt } },
    { _tag: "CancellationScheduled", at, reason, effectiveAt }
  )
}

const endTrial = (state: SubscriptionState, outcome: TrialOutcome, at: Instant): Result => {
  const ended: SubscriptionEvent = { _tag: "TrialEnded", at, outcome }
  switch (outcome) {
    case "converted":
      return ok(moveTo(state, "active"), ended, { _tag: "SubscriptionActivated", at })
    case "payment_due":
      return ok(moveTo(state, "past_due"), ended, { _tag: "SubscriptionPastDue", at })
    case "expired":
      return Either.map(cancelNow(state, "trial expired", at), (next) => ({
        state: next.state,
        events: [ended, ...next.events]
      }))
  }
}

const scheduledCancellation = (state: SubscriptionState, command: LifecycleCommand) =>
  state.cancellation !== undefined && hasScheduledCancellation(state)
    ? Either.right(state.cancellation)
    : Either.left(new NoScheduledCancellation({ status: state.status, command: command._tag }))

/** Applies one lifecycle command at instant `at`. */
export const transition = (state: SubscriptionState, command: LifecycleCommand, at: Instant): Result => {
  const { status } = state
  switch (command._tag) {
    case "Activate":
      return status === "pending"
        ? ok(moveTo(state, "active"), { _tag: "SubscriptionActivated", at })
        : illegal(state, command)

    case "StartTrial":
      if (status !== "pending") return illegal(state, command)
      if (command.trialEndsAt <= at) {
        return Either.left(new DateNotInFuture({ field: "trialEndsAt", value: command.trialEndsAt, at }))
      }
      return ok(
        { ...moveTo(state, "trialing"), trialEndsAt: command.trialEndsAt },
        { _tag: "TrialStarted", at, trialEndsAt: command.trialEndsAt }
      )

    case "EndTrial":
      return status === "trialing" ? endTrial(state, command.outcome, at) : illegal(state, command)

    case "MarkPastDue":
      return status === "active"
        ? ok(moveTo(state, "past_due"), { _tag: "SubscriptionPastDue", at })
        : illegal(state, command)

    case "PaymentReceived":
      switch (status) {
        case "active":
          return ok(state)
        case "past_due":
          return ok(moveTo(state, "active"), { _tag: "SubscriptionRecovered", at })
        case "suspended": {
          const reason = state.suspension?.reason ?? "non_payment"
          return reason === "non_payment"
            ? ok(moveTo(state, "active"), { _tag: "SubscriptionUnsuspended", at, by: "payment", reason })
            : ok(state)
        }
        default:
          return illegal(state, command)
      }

    case "Suspend": {
      const { reason } = command
      if (status === "active" || status === "past_due") {
        return ok(
          { ...state, status: "suspended", suspension: { reason, at } },
          {
            _tag: "SubscriptionSuspended",
            at,
            reason
          }
        )
      }
      const current = state.suspension?.reason
      if (status === "suspended" && current !== undefined && current !== reason) {
        return ok(
          { ...state, suspension: { reason, at } },
          { _tag: "SuspensionReasonChanged", at, from: current, to: reason }
        )
      }
      return illegal(state, command)
    }

    case "Unsuspend": {
      if (status !== "suspended") return illegal(state, command)
      const reason = state.suspension?.reason ?? "manual"
      if (command.by === "payment" && reason !== "non_payment") {
        return Either.left(new UnsuspendNotAllowed({ reason, by: command.by }))
      }
      return ok(moveTo(state, "active"), { _tag: "SubscriptionUnsuspended", at, by: command.by, reason })
    }

    case "Cancel":
      return cancel(state, command, at)

    case "Uncancel": {
      if (!isLive(status)) return illegal(state, command)
      return Either.flatMap(
        scheduledCancellation(state, command),
        ({ effectiveAt }): Result =>
          at >= effectiveAt
            ? Either.left(new CancellationAlreadyEffective({ effectiveAt, at }))
            : ok({ ...state, cancellation: undefined }, { _tag: "CancellationWithdrawn", at, effectiveAt })
      )
    }

    case "CompleteCancellation": {
      if (!isLive(status)) return illegal(state, command)
      return Either.flatMap(
        scheduledCancellation(state, command),
        (cancellation): Result =>
          at < cancellation.effectiveAt
            ? Either.left(new CancellationNotDue({ effectiveAt: cancellation.effectiveAt, at }))
            : ok(
                { ...moveTo(state, "cancelled"), cancellation },
                {
                  _tag: "SubscriptionCancelled",
                  at,
                  mode: "period_end",
                  reason: cancellation.reason,
                  requestedAt: cancellation.requestedAt
                }
              )
      )
    }

    case "Terminate":
      return isLive(status) || status === "cancelled" || status === "fraud"
        ? ok(moveTo(state, "terminated"), { _tag: "SubscriptionTerminated", at })
        : illegal(state, command)

    case "MarkFraud":
      return status === "pending" || isLive(status)
        ? ok(moveTo(state, "fraud"), { _tag: "SubscriptionMarkedFraud", at })
        : illegal(state, command)
  }
}
