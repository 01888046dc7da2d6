/**
 * One revenue event applied to the two rows it touches: the subscription's revenue row and its
 * customer's. This is what the engine runs in the transaction that records the event: read both rows,
 * apply, write them back and add the movement (if any) to the day and month summaries.
 */
import { Either } from "effect"
import type { Instant } from "../calendar/zone"
import type { CurrencyCode } from "../money/currency"
import {
  IllegalRevenueEvent,
  type RevenueEventError,
  RevenueEventOutOfOrder,
  RevenueSnapshotMismatch
} from "./errors"
import { type RevenueEvent, revenueEventCustomer, revenueEventSubscription } from "./events"
import { type CohortChange, classifyMovement, dayOf, type MrrMovement, monthOfDay } from "./movement"
import { type RevenueSnapshot, snapshotMrr } from "./snapshot"
import { addUnits, anyPositive, type CurrencyUnits, type MrrUnits } from "./units"

/** A subscription's revenue row. */
export interface SubscriptionRevenue {
  readonly subscriptionId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  readonly status: "live" | "churned"
  /** The last snapshot recorded (kept after a churn). */
  readonly snapshot: RevenueSnapshot
  /** What it contributes to MRR now: the snapshot's MRR while live, 0 once churned. */
  readonly mrr: MrrUnits
  /** When it started, or was last reactivated. */
  readonly since: Instant
  /** When it last churned; `undefined` while it never did. */
  readonly churnedAt: Instant | undefined
}

/**
 * The MRR a customer had when a period began (their cohort membership for that period): set from the
 * customer's MRR before their first event in the period.
 */
export interface CohortStart {
  readonly period: string
  readonly start: CurrencyUnits
}

/** A customer's revenue row. */
export interface CustomerRevenue {
  readonly customerId: string
  /** The customer's MRR per currency (the sum of their live subscriptions'). */
  readonly mrr: CurrencyUnits
  /** Whether they ever paid: decides between `new` and `reactivation`. */
  readonly everPaid: boolean
  /** The instant of their last event: their events must come in time order. */
  readonly lastAt: Instant
  readonly day: CohortStart
  readonly month: CohortStart
}

/** The rows an event touches, as read from the store (`undefined` when there is none yet). */
export interface RevenueRows {
  readonly subscription: SubscriptionRevenue | undefined
  readonly customer: CustomerRevenue | undefined
}

/** The rows after the event, and the movement it made (none when the MRR did not change). */
export interface RevenueStep {
  readonly subscription: SubscriptionRevenue
  readonly customer: CustomerRevenue
  readonly movement: MrrMovement | undefined
}

/** Whether the event can apply to a subscription in `state`. */
export const acceptsRevenueEvent = (state: "unknown" | "live" | "churned", event: RevenueEvent): boolean => {
  switch (event._tag) {
    case "RevenueStarted":
      return state === "unknown"
    case "RevenueReactivated":
      return state === "churned"
    default:
      return state === "live"
  }
}

/** The first reason `event` cannot apply to a subscription in `state` with `current` row, if any. */
export const rejectRevenueEvent = (
  current: Pick<SubscriptionRevenue, "customerId" | "currency" | "status"> | undefined,
  event: RevenueEvent
): RevenueEventError | undefined => {
  const subscriptionId = revenueEventSubscription(event)
  const state = current === undefined ? "unknown" : current.status
  if (!acceptsRevenueEvent(state, event)) {
    return new IllegalRevenueEvent({ subscriptionId, event: event._tag, state })
  }
  if (current === undefined) return undefined
  const customerId = revenueEventCustomer(event)
  if (customerId !== current.customerId) {
    return new RevenueSnapshotMismatch({
      subscriptionId,
      field: "customerId",
      expected: current.customerId,
      actual: customerId
    })
  }
  if (event._tag !== "RevenueChurned" && event.snapshot.currency !== current.currency) {
    return new RevenueSnapshotMismatch({
      subscriptionId,
      field: "currency",
      expected: current.currency,
      actual: event.snapshot.currency
    })
  }
  return undefined
}

const cohortChange = (
  cohort: CohortStart,
  currency: CurrencyCode,
  before: MrrUnits,
  after: MrrUnits,
  wasPaying: boolean,
  isPaying: boolean
): CohortChange => {
  const start = cohort.start[currency] ?? 0n
  const lostBefore = start > before ? start - before : 0n
  const lostAfter = start > after ? start - after : 0n
  const inCohort = anyPositive(cohort.start)
  return {
    lost: lostAfter - lostBefore,
    change: inCohort ? after - before : 0n,
    customersLost: !inCohort || wasPaying === isPaying ? 0 : wasPaying ? 1 : -1
  }
}

/**
 * Applies a revenue event to its rows (the subscription's, and its customer's; `zone` is the reporting
 * zone the days and months are counted in, already validated). Refused: an event that does not fit the
 * subscription's state, that names another customer or currency, or that is earlier than the
 * customer's last event.
 */
export const applyRevenueEvent = (
  rows: RevenueRows,
  event: RevenueEvent,
  zone: string
): Either.Either<RevenueStep, RevenueEventError> => {
  const current = rows.subscription
  const subscriptionId = revenueEventSubscription(event)
  const customerId = revenueEventCustomer(event)
  if (current !== undefined && current.subscriptionId !== subscriptionId) {
    throw new RangeError(
      `applyRevenueEvent: the row of ${current.subscriptionId} was given for ${subscriptionId}`
    )
  }
  const rejected = rejectRevenueEvent(current, event)
  if (rejected !== undefined) return Either.left(rejected)
  if (current !== undefined && rows.customer === undefined) {
    throw new RangeError(`applyRevenueEvent: subscription ${subscriptionId} has no customer row`)
  }
  if (rows.customer !== undefined && rows.customer.customerId !== customerId) {
    throw new RangeError(
      `applyRevenueEvent: the row of ${rows.customer.customerId} was given for ${customerId}`
    )
  }
  const customer: CustomerRevenue = rows.customer ?? {
    customerId,
    mrr: {},
    everPaid: false,
    lastAt: event.at,
    day: { period: "", start: {} },
    month: { period: "", start: {} }
  }
  if (event.at < customer.lastAt) {
    return Either.left(new RevenueEventOutOfOrder({ customerId, at: event.at, lastAt: customer.lastAt }))
  }

  const currency =
    current?.currency ?? (event as Exclude<RevenueEvent, { _tag: "RevenueChurned" }>).snapshot.currency
  const before = current?.status === "live" ? current.mrr : 0n
  const after = event._tag === "RevenueChurned" ? 0n : snapshotMrr(event.snapshot)
  const delta = after - before
  const day = dayOf(event.at, zone)
  const month = monthOfDay(day)
  const dayCohort = customer.day.period === day ? customer.day : { period: day, start: customer.mrr }
  const monthCohort =
    customer.month.period === month ? customer.month : { period: month, start: customer.mrr }
  const mrrAfter = addUnits(customer.mrr, currency, delta)
  const wasPaying = anyPositive(customer.mrr)
  const isPaying = anyPositive(mrrAfter)
  const kind = classifyMovement(wasPaying, isPaying, customer.everPaid, delta)

  let movement: MrrMovement | undefined
  if (kind !== undefined) {
    const currencyBefore = customer.mrr[currency] ?? 0n
    const currencyAfter = currencyBefore + delta
    movement = {
      kind,
      at: event.at,
      day,
      month,
      subscriptionId,
      customerId,
      currency,
      units: delta > 0n ? delta : -delta,
      cause: event._tag,
      payers:
        currencyBefore === 0n && currencyAfter > 0n
          ? 1
          : currencyBefore > 0n && currencyAfter === 0n
            ? -1
            : 0,
      cohort: {
        day: cohortChange(dayCohort, currency, currencyBefore, currencyAfter, wasPaying, isPaying),
        month: cohortChange(monthCohort, currency, currencyBefore, currencyAfter, wasPaying, isPaying)
      }
    }
  }

  const subscription: SubscriptionRevenue =
    event._tag === "RevenueChurned"
      ? { ...(current as SubscriptionRevenue), status: "churned", mrr: 0n, churnedAt: event.at }
      : event._tag === "RevenueStarted" || event._tag === "RevenueReactivated"
        ? {
            subscriptionId,
            customerId,
            currency,
            status: "live",
            snapshot: event.snapshot,
            mrr: after,
            since: event.at,
            churnedAt: current?.churnedAt
          }
        : { ...(current as SubscriptionRevenue), snapshot: event.snapshot, mrr: after }

  return Either.right({
    subscription,
    customer: {
      customerId,
      mrr: mrrAfter,
      everPaid: customer.everPaid || isPaying,
      lastAt: event.at,
      day: dayCohort,
      month: monthCohort
    },
    movement
  })
}
