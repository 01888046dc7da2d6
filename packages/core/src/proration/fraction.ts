import { Either } from "effect"
import { type CivilDate, daysBetween, formatIsoDate } from "../calendar/civil-date"
import { type BillingPeriod, periodContains, periodDays } from "../calendar/period"
import { divideRounded, type RoundingMode } from "../money/rounding"
import { ChangeOutsidePeriod } from "./errors"

/**
 * The part of a billing period a change affects, in whole local days of the customer's zone: the change
 * day counts as a day of the new items, and the period's real length is the denominator (28 to 31 days
 * for a monthly period, 365 or 366 for a yearly one). No hours, no DST: a day is a civil date.
 */
export interface ProrationFraction {
  /** From the change date (inclusive) to the end of the period (exclusive). */
  readonly remaining: BillingPeriod
  /** Days in `remaining`: `daysBetween(changeDate, period.end)`, from 1 to `periodDays`. */
  readonly days: number
  /** Days in the whole period: `periodDays(period)`. */
  readonly periodDays: number
}

/**
 * The days left in `period` from `changeDate` on. A change date outside the period (`start <= date < end`)
 * is a {@link ChangeOutsidePeriod}, so `days` is always at least 1 and at most `periodDays`.
 */
export const remainingFraction = (
  period: BillingPeriod,
  changeDate: CivilDate
): Either.Either<ProrationFraction, ChangeOutsidePeriod> =>
  periodContains(period, changeDate)
    ? Either.right({
        remaining: { start: changeDate, end: period.end },
        days: daysBetween(changeDate, period.end),
        periodDays: periodDays(period)
      })
    : Either.left(
        new ChangeOutsidePeriod({
          changeDate: formatIsoDate(changeDate),
          periodStart: formatIsoDate(period.start),
          periodEnd: formatIsoDate(period.end)
        })
      )

/**
 * `amount x days / periodDays`, rounded once with the named mode. A negative amount is prorated as its
 * magnitude and negated, so a credit is always exactly the negative of the same charge.
 */
export const prorate = (amount: bigint, fraction: ProrationFraction, mode: RoundingMode): bigint => {
  const magnitude = amount < 0n ? -amount : amount
  const prorated = divideRounded(magnitude * BigInt(fraction.days), BigInt(fraction.periodDays), mode)
  return amount < 0n ? -prorated : prorated
}
