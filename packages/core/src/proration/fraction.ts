/**
 * The part of a billing period a change affects, measured by one of the three strategies. The fraction is
 * kept exact (`left / length`) and every prorated amount is rounded once, with a named mode.
 */
import { Either } from "effect"
import { type CivilDate, daysBetween, formatIsoDate } from "../calendar/civil-date"
import { type BillingPeriod, periodContains, periodDays, periodInstants } from "../calendar/period"
import { civilDateAt, type Instant } from "../calendar/zone"
import type { RecurringCycle } from "../catalog/cycle"
import { divideRounded, type RoundingMode } from "../money/rounding"
import { ChangeOutsidePeriod } from "./errors"
import type { ProrationStrategy } from "./strategy"

/**
 * How much of a period is left from a change on: `left` units out of `length`, in days or seconds.
 * `1 <= left <= length`; the whole period is `left === length`.
 */
export interface ProrationFraction {
  readonly strategy: ProrationStrategy
  /** `day` for `whole_days` and `fixed`, `second` for `per_second`. */
  readonly unit: "day" | "second"
  /** Units from the change (inclusive) to the end of the period. */
  readonly left: number
  /** Units in the whole period: its real length, or the fixed length of its cycle. */
  readonly length: number
  /** From the change day (in the customer's zone) to the end of the period (exclusive). */
  readonly remaining: BillingPeriod
}

const fixedDays: Readonly<Record<RecurringCycle, number>> = {
  monthly: 30,
  quarterly: 90,
  semiannually: 180,
  annually: 365,
  biennially: 730,
  triennially: 1095
}

/** The length of a period under the `fixed` strategy: 30, 90, 180, 365, 730 or 1095 days. */
export const fixedCycleDays = (cycle: RecurringCycle): number => fixedDays[cycle]

/** What a fraction is measured on: the period, its cycle, the moment of the change and the strategy. */
export interface FractionInput {
  readonly strategy: ProrationStrategy
  /** The period being prorated (what the current items were charged for). */
  readonly period: BillingPeriod
  /** The period's cycle: the `fixed` strategy takes its length from it. */
  readonly cycle: RecurringCycle
  /** The moment of the change. */
  readonly at: Instant
  /** The customer's IANA zone (validated at the boundary): change day and period instants are local. */
  readonly timeZone: string
}

const outside = (period: BillingPeriod, changeDate: CivilDate): ChangeOutsidePeriod =>
  new ChangeOutsidePeriod({
    changeDate: formatIsoDate(changeDate),
    periodStart: formatIsoDate(period.start),
    periodEnd: formatIsoDate(period.end)
  })

const MS_PER_SECOND = 1000

/**
 * What is left of `period` from the change on, by the strategy:
 *
 * - `whole_days`: `days left / days in the period`, the change day counted as left;
 * - `fixed`: `min(days left, fixed length) / fixed length`, except that a change on the first day of the
 *   period is always the whole period (a 28-day February is fully credited, and 31 or 30 days left of a
 *   31-day month are both 30/30);
 * - `per_second`: `seconds left / seconds in the period`, from local midnight of `period.start` to local
 *   midnight of `period.end`; a started second counts as left.
 *
 * A change whose local day is not in the period is a {@link ChangeOutsidePeriod}.
 */
export const remainingFraction = (
  input: FractionInput
): Either.Either<ProrationFraction, ChangeOutsidePeriod> => {
  const { period, strategy } = input
  const changeDate = civilDateAt(input.at, input.timeZone)
  if (!periodContains(period, changeDate)) return Either.left(outside(period, changeDate))
  const remaining: BillingPeriod = { start: changeDate, end: period.end }
  const days = daysBetween(changeDate, period.end)
  switch (strategy) {
    case "whole_days":
      return Either.right({ strategy, unit: "day", left: days, length: periodDays(period), remaining })
    case "fixed": {
      const length = fixedCycleDays(input.cycle)
      const left = days === periodDays(period) ? length : Math.min(days, length)
      return Either.right({ strategy, unit: "day", left, length, remaining })
    }
    case "per_second": {
      const { startsAt, endsAt } = periodInstants(period, input.timeZone)
      const length = Math.ceil((endsAt - startsAt) / MS_PER_SECOND)
      const left = Math.min(length, Math.ceil((endsAt - Math.max(input.at, startsAt)) / MS_PER_SECOND))
      return Either.right({ strategy, unit: "second", left, length, remaining })
    }
  }
}

/** Whether the fraction covers the whole period (a change at its very start). */
export const isWholePeriod = (fraction: ProrationFraction): boolean => fraction.left === fraction.length

/**
 * `amount x left / length`, rounded once with the named mode. A negative amount is prorated as its
 * magnitude and negated, so a credit is always exactly the negative of the same charge.
 */
export const prorate = (amount: bigint, fraction: ProrationFraction, mode: RoundingMode): bigint => {
  if (fraction.left === fraction.length) return amount
  const magnitude = amount < 0n ? -amount : amount
  const prorated = divideRounded(magnitude * BigInt(fraction.left), BigInt(fraction.length), mode)
  return amount < 0n ? -prorated : prorated
}
