import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ErrorCodes } from "../errors/codes"
import type { LifecycleCommand } from "./commands"
import {
  CancellationAlreadyEffective,
  CancellationAlreadyScheduled,
  CancellationNotDue,
  DateNotInFuture,
  IllegalTransition,
  NoScheduledCancellation,
  UnsuspendNotAllowed
} from "./errors"
import { type LifecycleTransition, transition } from "./machine"
import {
  pendingSubscription,
  type SubscriptionState,
  type SubscriptionStatus,
  SubscriptionStatuses,
  type SuspensionReason
} from "./state"

const T0 = Date.UTC(2026, 0, 31)
const DAY = 86_400_000
const at = T0 + DAY

const stateIn = (status: SubscriptionStatus): SubscriptionState => {
  switch (status) {
    case "trialing":
      return { ...pendingSubscription, status, trialEndsAt: T0 + 14 * DAY }
    case "suspended":
      return { ...pendingSubscription, status, suspension: { reason: "non_payment", at: T0 } }
    case "cancelled":
      return {
        ...pendingSubscription,
        status,
        cancellation: { mode: "immediately", reason: "too expensive", requestedAt: T0, effectiveAt: T0 }
      }
    default:
      return { ...pendingSubscription, status }
  }
}

const suspendedFor = (reason: SuspensionReason): SubscriptionState => ({
  ...pendingSubscription,
  status: "suspended",
  suspension: { reason, at: T0 }
})

const commands = {
  Activate: { _tag: "Activate" },
  StartTrial: { _tag: "StartTrial", trialEndsAt: at + 14 * DAY },
  "EndTrial(converted)": { _tag: "EndTrial", outcome: "converted" },
  "EndTrial(payment_due)": { _tag: "EndTrial", outcome: "payment_due" },
  "EndTrial(expired)": { _tag: "EndTrial", outcome: "expired" },
  MarkPastDue: { _tag: "MarkPastDue" },
  PaymentReceived: { _tag: "PaymentReceived" },
  "Suspend(abuse)": { _tag: "Suspend", reason: "abuse" },
  "Suspend(non_payment)": { _tag: "Suspend", reason: "non_payment" },
  "Unsuspend(staff)": { _tag: "Unsuspend", by: "staff" },
  "Unsuspend(payment)": { _tag: "Unsuspend", by: "payment" },
  "Cancel(immediately)": { _tag: "Cancel", mode: "immediately", reason: "moving provider" },
  "Cancel(period_end)": {
    _tag: "Cancel",
    mode: "period_end",
    reason: "moving provider",
    effectiveAt: at + DAY
  },
  Uncancel: { _tag: "Uncancel" },
  CompleteCancellation: { _tag: "CompleteCancellation" },
  Terminate: { _tag: "Terminate" },
  MarkFraud: { _tag: "MarkFraud" }
} as const satisfies Record<string, LifecycleCommand>

type Label = keyof typeof commands
type Expected = SubscriptionStatus | "NoScheduledCancellation"

/** The transition table from machine.ts, written out independently. Anything absent is illegal. */
const table: Record<SubscriptionStatus, Partial<Record<Label, Expected>>> = {
  pending: {
    Activate: "active",
    StartTrial: "trialing",
    "Cancel(immediately)": "cancelled",
    MarkFraud: "fraud"
  },
  trialing: {
    "EndTrial(converted)": "active",
    "EndTrial(payment_due)": "past_due",
    "EndTrial(expired)": "cancelled",
    "Cancel(immediately)": "cancelled",
    "Cancel(period_end)": "trialing",
    Uncancel: "NoScheduledCancellation",
    CompleteCancellation: "NoScheduledCancellation",
    Terminate: "terminated",
    MarkFraud: "fraud"
  },
  active: {
    MarkPastDue: "past_due",
    PaymentReceived: "active",
    "Suspend(abuse)": "suspended",
    "Suspend(non_payment)": "suspended",
    "Cancel(immediately)": "cancelled",
    "Cancel(period_end)": "active",
    Uncancel: "NoScheduledCancellation",
    CompleteCancellation: "NoScheduledCancellation",
    Terminate: "terminated",
    MarkFraud: "fraud"
  },
  past_due: {
    PaymentReceived: "active",
    "Suspend(abuse)": "suspended",
    "Suspend(non_payment)": "suspended",
    "Cancel(immediately)": "cancelled",
    "Cancel(period_end)": "past_due",
    Uncancel: "NoScheduledCancellation",
    CompleteCancellation: "NoScheduledCancellation",
    Terminate: "terminated",
    MarkFraud: "fraud"
  },
  suspended: {
    PaymentReceived: "active",
    "Suspend(abuse)": "suspended",
    "Unsuspend(staff)": "active",
    "Unsuspend(payment)": "active",
    "Cancel(immediately)": "cancelled",
    "Cancel(period_end)": "suspended",
    Uncancel: "NoScheduledCancellation",
    CompleteCancellation: "NoScheduledCancellation",
    Terminate: "terminated",
    MarkFraud: "fraud"
  },
  cancelled: { Terminate: "terminated" },
  terminated: {},
  fraud: { Terminate: "terminated" }
}

const intendedTarget: Record<Label, SubscriptionStatus | "same"> = {
  Activate: "active",
  StartTrial: "trialing",
  "EndTrial(converted)": "active",
  "EndTrial(payment_due)": "past_due",
  "EndTrial(expired)": "cancelled",
  MarkPastDue: "past_due",
  PaymentReceived: "active",
  "Suspend(abuse)": "suspended",
  "Suspend(non_payment)": "suspended",
  "Unsuspend(staff)": "active",
  "Unsuspend(payment)": "active",
  "Cancel(immediately)": "cancelled",
  "Cancel(period_end)": "cancelled",
  Uncancel: "same",
  CompleteCancellation: "cancelled",
  Terminate: "terminated",
  MarkFraud: "fraud"
}

const right = (result: Either.Either<LifecycleTransition, unknown>): LifecycleTransition => {
  if (Either.isLeft(result)) throw new Error(`expected a transition, got ${String(result.left)}`)
  return result.right
}

const left = (result: Either.Either<LifecycleTransition, unknown>): unknown => {
  if (Either.isRight(result)) throw new Error(`expected an error, got status ${result.right.state.status}`)
  return result.left
}

describe("transition table: every status x command", () => {
  const cases = SubscriptionStatuses.flatMap((status) =>
    (Object.keys(commands) as Array<Label>).map((label) => [status, label] as const)
  )

  it.each(cases)("%s + %s", (status, label) => {
    const state = stateIn(status)
    const result = transition(state, commands[label], at)
    const expected = table[status][label]
    if (expected === undefined) {
      const error = left(result)
      expect(error).toBeInstanceOf(IllegalTransition)
      const target = intendedTarget[label]
      expect(error).toMatchObject({
        from: status,
        to: target === "same" ? status : target,
        command: commands[label]._tag
      })
    } else if (expected === "NoScheduledCancellation") {
      expect(left(result)).toEqual(new NoScheduledCancellation({ status, command: commands[label]._tag }))
    } else {
      const { state: next, events } = right(result)
      expect(next.status).toBe(expected)
      expect(next.suspension !== undefined).toBe(expected === "suspended")
      if (expected !== status) expect(events.length).toBeGreaterThan(0)
      for (const event of events) expect(event.at).toBe(at)
    }
  })
})

describe("activation and trials", () => {
  it("activates a pending subscription", () => {
    expect(right(transition(pendingSubscription, { _tag: "Activate" }, at)).events).toEqual([
      { _tag: "SubscriptionActivated", at }
    ])
  })

  it("starts a trial and records its end", () => {
    const { state, events } = right(
      transition(pendingSubscription, { _tag: "StartTrial", trialEndsAt: at + DAY }, at)
    )
    expect(state).toMatchObject({ status: "trialing", trialEndsAt: at + DAY })
    expect(events).toEqual([{ _tag: "TrialStarted", at, trialEndsAt: at + DAY }])
  })

  it("refuses a trial ending now or in the past", () => {
    expect(left(transition(pendingSubscription, { _tag: "StartTrial", trialEndsAt: at }, at))).toEqual(
      new DateNotInFuture({ field: "trialEndsAt", value: at, at })
    )
  })

  it("converts, goes past due, or expires into a cancellation", () => {
    const trial = stateIn("trialing")
    expect(right(transition(trial, { _tag: "EndTrial", outcome: "converted" }, at)).events).toEqual([
      { _tag: "TrialEnded", at, outcome: "converted" },
      { _tag: "SubscriptionActivated", at }
    ])
    expect(right(transition(trial, { _tag: "EndTrial", outcome: "payment_due" }, at)).events).toEqual([
      { _tag: "TrialEnded", at, outcome: "payment_due" },
      { _tag: "SubscriptionPastDue", at }
    ])
    const expired = right(transition(trial, { _tag: "EndTrial", outcome: "expired" }, at))
    expect(expired.state).toEqual({
      status: "cancelled",
      suspension: undefined,
      trialEndsAt: trial.trialEndsAt,
      cancellation: { mode: "immediately", reason: "trial expired", requestedAt: at, effectiveAt: at }
    })
    expect(expired.events).toEqual([
      { _tag: "TrialEnded", at, outcome: "expired" },
      { _tag: "SubscriptionCancelled", at, mode: "immediately", reason: "trial expired", requestedAt: at }
    ])
  })
})

describe("past due and suspension", () => {
  it("recovers a past-due subscription on payment", () => {
    const { state, events } = right(transition(stateIn("past_due"), { _tag: "PaymentReceived" }, at))
    expect(state.status).toBe("active")
    expect(events).toEqual([{ _tag: "SubscriptionRecovered", at }])
  })

  it("a payment on an active subscription changes nothing", () => {
    const active = stateIn("active")
    expect(right(transition(active, { _tag: "PaymentReceived" }, at))).toEqual({ state: active, events: [] })
  })

  it("records the suspension reason", () => {
    const { state, events } = right(
      transition(stateIn("past_due"), { _tag: "Suspend", reason: "non_payment" }, at)
    )
    expect(state.suspension).toEqual({ reason: "non_payment", at })
    expect(events).toEqual([{ _tag: "SubscriptionSuspended", at, reason: "non_payment" }])
  })

  it("a payment lifts a non-payment suspension", () => {
    for (const command of [{ _tag: "PaymentReceived" }, { _tag: "Unsuspend", by: "payment" }] as const) {
      const { state, events } = right(transition(suspendedFor("non_payment"), command, at))
      expect(state).toMatchObject({ status: "active", suspension: undefined })
      expect(events).toEqual([{ _tag: "SubscriptionUnsuspended", at, by: "payment", reason: "non_payment" }])
    }
  })

  it.each(["abuse", "manual", "dispute"] as const)("a payment does not lift an %s suspension", (reason) => {
    const suspended = suspendedFor(reason)
    expect(left(transition(suspended, { _tag: "Unsuspend", by: "payment" }, at))).toEqual(
      new UnsuspendNotAllowed({ reason, by: "payment" })
    )
    expect(right(transition(suspended, { _tag: "PaymentReceived" }, at))).toEqual({
      state: suspended,
      events: []
    })
    const byStaff = right(transition(suspended, { _tag: "Unsuspend", by: "staff" }, at))
    expect(byStaff.state.status).toBe("active")
    expect(byStaff.events).toEqual([{ _tag: "SubscriptionUnsuspended", at, by: "staff", reason }])
  })

  it("escalates a non-payment suspension to abuse, which a payment then no longer lifts", () => {
    const escalated = right(transition(suspendedFor("non_payment"), { _tag: "Suspend", reason: "abuse" }, at))
    expect(escalated.state.suspension).toEqual({ reason: "abuse", at })
    expect(escalated.events).toEqual([
      { _tag: "SuspensionReasonChanged", at, from: "non_payment", to: "abuse" }
    ])
    expect(left(transition(escalated.state, { _tag: "Unsuspend", by: "payment" }, at))).toBeInstanceOf(
      UnsuspendNotAllowed
    )
    expect(left(transition(suspendedFor("abuse"), { _tag: "Suspend", reason: "abuse" }, at))).toBeInstanceOf(
      IllegalTransition
    )
  })
})

describe("cancellation", () => {
  const effectiveAt = at + 10 * DAY
  const schedule = { _tag: "Cancel", mode: "period_end", reason: "moving provider", effectiveAt } as const
  const scheduled = right(transition(stateIn("active"), schedule, at)).state

  it("cancels immediately", () => {
    const { state, events } = right(
      transition(stateIn("active"), { _tag: "Cancel", mode: "immediately", reason: "closing shop" }, at)
    )
    expect(state).toMatchObject({
      status: "cancelled",
      cancellation: { mode: "immediately", reason: "closing shop", requestedAt: at, effectiveAt: at }
    })
    expect(events).toEqual([
      { _tag: "SubscriptionCancelled", at, mode: "immediately", reason: "closing shop", requestedAt: at }
    ])
  })

  it("schedules a period-end cancellation without changing the status", () => {
    const { state, events } = right(transition(stateIn("active"), schedule, at))
    expect(state).toMatchObject({
      status: "active",
      cancellation: { mode: "period_end", reason: "moving provider", requestedAt: at, effectiveAt }
    })
    expect(events).toEqual([{ _tag: "CancellationScheduled", at, reason: "moving provider", effectiveAt }])
  })

  it("refuses a period end in the past and a second schedule", () => {
    expect(left(transition(stateIn("active"), { ...schedule, effectiveAt: at }, at))).toEqual(
      new DateNotInFuture({ field: "effectiveAt", value: at, at })
    )
    expect(left(transition(scheduled, schedule, at + DAY))).toEqual(
      new CancellationAlreadyScheduled({ effectiveAt })
    )
  })

  it("un-cancels before the end, not after", () => {
    const withdrawn = right(transition(scheduled, { _tag: "Uncancel" }, effectiveAt - 1))
    expect(withdrawn.state).toEqual(stateIn("active"))
    expect(withdrawn.events).toEqual([{ _tag: "CancellationWithdrawn", at: effectiveAt - 1, effectiveAt }])
    expect(left(transition(scheduled, { _tag: "Uncancel" }, effectiveAt))).toEqual(
      new CancellationAlreadyEffective({ effectiveAt, at: effectiveAt })
    )
  })

  it("completes at the period end, not before", () => {
    expect(left(transition(scheduled, { _tag: "CompleteCancellation" }, effectiveAt - 1))).toEqual(
      new CancellationNotDue({ effectiveAt, at: effectiveAt - 1 })
    )
    const { state, events } = right(transition(scheduled, { _tag: "CompleteCancellation" }, effectiveAt))
    expect(state).toMatchObject({ status: "cancelled", cancellation: { mode: "period_end", effectiveAt } })
    expect(events).toEqual([
      {
        _tag: "SubscriptionCancelled",
        at: effectiveAt,
        mode: "period_end",
        reason: "moving provider",
        requestedAt: at
      }
    ])
    expect(left(transition(state, { _tag: "Uncancel" }, effectiveAt + 1))).toBeInstanceOf(IllegalTransition)
  })

  it("keeps a scheduled cancellation through suspension and completes it from there", () => {
    const suspended = right(transition(scheduled, { _tag: "Suspend", reason: "non_payment" }, at + DAY)).state
    expect(suspended.cancellation?.mode).toBe("period_end")
    const { state } = right(transition(suspended, { _tag: "CompleteCancellation" }, effectiveAt))
    expect(state).toMatchObject({ status: "cancelled", suspension: undefined })
  })

  it("an immediate cancellation overrides a scheduled one", () => {
    const { state } = right(
      transition(scheduled, { _tag: "Cancel", mode: "immediately", reason: "changed mind" }, at + DAY)
    )
    expect(state.cancellation).toEqual({
      mode: "immediately",
      reason: "changed mind",
      requestedAt: at + DAY,
      effectiveAt: at + DAY
    })
  })

  it("a pending order cannot be cancelled at a period end it does not have", () => {
    expect(left(transition(pendingSubscription, schedule, at))).toEqual(
      new IllegalTransition({ from: "pending", to: "cancelled", command: "Cancel" })
    )
  })
})

describe("termination and fraud", () => {
  it("keeps why a cancelled subscription ended when it is terminated", () => {
    const { state, events } = right(transition(stateIn("cancelled"), { _tag: "Terminate" }, at))
    expect(state.status).toBe("terminated")
    expect(state.cancellation?.reason).toBe("too expensive")
    expect(events).toEqual([{ _tag: "SubscriptionTerminated", at }])
  })

  it("marks fraud and then terminates", () => {
    const fraud = right(transition(pendingSubscription, { _tag: "MarkFraud" }, at))
    expect(fraud.events).toEqual([{ _tag: "SubscriptionMarkedFraud", at }])
    expect(right(transition(fraud.state, { _tag: "Terminate" }, at)).state.status).toBe("terminated")
  })

  it("has a message naming the transition", () => {
    const error = left(transition(stateIn("terminated"), { _tag: "Activate" }, at))
    expect(String((error as IllegalTransition).message)).toBe(
      "Activate cannot move a subscription from terminated to active"
    )
  })
})

describe("lifecycle properties", () => {
  const commandArb = fc.constantFrom(...(Object.values(commands) as Array<LifecycleCommand>))
  const errorTags = [
    "IllegalTransition",
    "UnsuspendNotAllowed",
    "DateNotInFuture",
    "NoScheduledCancellation",
    "CancellationAlreadyScheduled",
    "CancellationNotDue",
    "CancellationAlreadyEffective"
  ]

  it("random command sequences keep the invariants", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 3 * DAY })), { maxLength: 40 }),
        (steps) => {
          let state = pendingSubscription
          let now = T0
          let terminated = false
          for (const [command, elapsed] of steps) {
            now += elapsed
            const shifted: LifecycleCommand =
              command._tag === "Cancel" && command.mode === "period_end"
                ? { ...command, effectiveAt: now + DAY }
                : command._tag === "StartTrial"
                  ? { ...command, trialEndsAt: now + 14 * DAY }
                  : command
            const result = transition(state, shifted, now)
            if (terminated) expect(Either.isLeft(result)).toBe(true)
            if (Either.isLeft(result)) {
              expect(errorTags).toContain(result.left._tag)
              continue
            }
            const next = result.right.state
            expect(next.suspension !== undefined).toBe(next.status === "suspended")
            if (next.status === "cancelled") expect(next.cancellation).toBeDefined()
            if (next.status !== state.status) expect(result.right.events.length).toBeGreaterThan(0)
            if (result.right.events.length === 0) expect(next).toBe(state)
            state = next
            terminated = state.status === "terminated"
          }
        }
      ),
      { numRuns: 500 }
    )
  })
})

describe("error codes", () => {
  it("every lifecycle error has a stable code", () => {
    const codes: Record<string, string> = ErrorCodes
    expect(codes.IllegalTransition).toBe("ILLEGAL_TRANSITION")
    expect(codes.UnsuspendNotAllowed).toBe("UNSUSPEND_NOT_ALLOWED")
    expect(codes.DateNotInFuture).toBe("DATE_NOT_IN_FUTURE")
    expect(codes.NoScheduledCancellation).toBe("NO_SCHEDULED_CANCELLATION")
    expect(codes.CancellationAlreadyScheduled).toBe("CANCELLATION_ALREADY_SCHEDULED")
    expect(codes.CancellationNotDue).toBe("CANCELLATION_NOT_DUE")
    expect(codes.CancellationAlreadyEffective).toBe("CANCELLATION_ALREADY_EFFECTIVE")
  })
})
