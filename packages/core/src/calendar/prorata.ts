/**
 * Prorata-day alignment: the tenant bills every service on one fixed day of the month (1..28).
 *
 * A service ordered on another day first gets a stub period from the order date to the next prorata
 * day, priced by the exact day fraction `days / periodDays`, where `periodDays` is the length of the
 * full cycle period that ends on that prorata day. When the order's day of month is after the policy's
 * `cutoffDay`, the first invoice also covers the next full cycle (WHMCS "prorata invoice next month"),
 * so a customer ordering on the 25th is not invoiced again a week later. Ordered on the prorata day
 * itself: no stub, the first invoice covers one full period, and the cutoff does not apply.
 *
 * After that the service renews on anniversary periods anchored on the first prorata date.
 *
 * Days 29..31 are refused on purpose: they would clamp in short months, so the anchor's day could not be
 * kept by a real date. Month-end billing is day 1 with periods starting on the 1st.
 */
import { Either } from "effect"
import type { RecurringCycle } from "../catalog/cycle"
import { anniversaryPeriod } from "./anniversary"
import { addMonthsClamped, type CivilDate, daysBetween } from "./civil-date"
import { InvalidProrataPolicy } from "./errors"
import { type BillingPeriod, periodDays } from "./period"

export interface ProrataPolicy {
  /** The renewal day of month, 1..28. */
  readonly day: number
  /** Orders placed after this day of month (1..31) pay the next full cycle on the first invoice too. */
  readonly cutoffDay?: number
}

/** A validated prorata policy. */
export const prorataPolicy = (input: {
  readonly day: number
  readonly cutoffDay?: number | undefined
}): Either.Either<ProrataPolicy, InvalidProrataPolicy> => {
  if (!Number.isInteger(input.day) || input.day < 1 || input.day > 28) {
    return Either.left(
      new InvalidProrataPolicy({ field: "day", value: input.day, reason: "must be an integer in 1..28" })
    )
  }
  if (input.cutoffDay === undefined) return Either.right({ day: input.day })
  if (!Number.isInteger(input.cutoffDay) || input.cutoffDay < 1 || input.cutoffDay > 31) {
    return Either.left(
      new InvalidProrataPolicy({
        field: "cutoffDay",
        value: input.cutoffDay,
        reason: "must be an integer in 1..31"
      })
    )
  }
  return Either.right({ day: input.day, cutoffDay: input.cutoffDay })
}

/** The part-period from the order date to the first prorata date, as an exact day fraction. */
export interface ProrataStub {
  readonly period: BillingPeriod
  /** Days the stub covers. */
  readonly days: number
  /** Days of the full cycle period that ends where the stub ends (the denominator). */
  readonly periodDays: number
}

export interface FirstPeriods {
  /** The anchor of every later anniversary period: the first prorata date on or after the order date. */
  readonly anchor: CivilDate
  /** The stub, or `undefined` when the order date is a prorata day. */
  readonly stub: ProrataStub | undefined
  /** Full anniversary periods the first invoice covers (0 or 1), in order. */
  readonly full: ReadonlyArray<BillingPeriod>
  /** The first day not covered by the first invoice: the start of the first renewal period. */
  readonly coveredUntil: CivilDate
}

/** The first prorata date on or after `date`. */
export const nextProrataDate = (date: CivilDate, policy: ProrataPolicy): CivilDate => {
  if (date.day <= policy.day) return { year: date.year, month: date.month, day: policy.day }
  return addMonthsClamped({ year: date.year, month: date.month, day: policy.day }, 1)
}

/** What the first invoice of a service ordered on `orderDate` covers, under a prorata policy. */
export const firstPeriods = (
  orderDate: CivilDate,
  cycle: RecurringCycle,
  policy: ProrataPolicy
): FirstPeriods => {
  const anchor = nextProrataDate(orderDate, policy)
  const first = anniversaryPeriod(anchor, cycle, 0)
  if (orderDate.day === policy.day) {
    return { anchor, stub: undefined, full: [first], coveredUntil: first.end }
  }
  const stub: ProrataStub = {
    period: { start: orderDate, end: anchor },
    days: daysBetween(orderDate, anchor),
    periodDays: periodDays(anniversaryPeriod(anchor, cycle, -1))
  }
  const chargeNextCycle = policy.cutoffDay !== undefined && orderDate.day > policy.cutoffDay
  return chargeNextCycle
    ? { anchor, stub, full: [first], coveredUntil: first.end }
    : { anchor, stub, full: [], coveredUntil: anchor }
}
