/**
 * Billing periods: whole local days, `start` inclusive and `end` exclusive, so a period's `end` is the
 * next period's `start`. Periods are civil dates; DST never moves a billing day. Only `periodInstants`
 * turns a period into instants, in the customer's zone.
 */
import { type CivilDate, compareDates, daysBetween } from "./civil-date"
import { type Instant, startOfDayInZone } from "./zone"

export interface BillingPeriod {
  readonly start: CivilDate
  /** Exclusive: the first day of the next period. */
  readonly end: CivilDate
}

/** Number of days the period covers (its length in local days). */
export const periodDays = (period: BillingPeriod): number => daysBetween(period.start, period.end)

/** Whether `date` falls inside the period (`start <= date < end`). */
export const periodContains = (period: BillingPeriod, date: CivilDate): boolean =>
  compareDates(period.start, date) <= 0 && compareDates(date, period.end) < 0

/**
 * The instants bounding the period in `zone`: from the first instant of `start` to the first instant of
 * `end` (exclusive). A DST change inside the period makes it an hour longer or shorter, never a day.
 */
export const periodInstants = (
  period: BillingPeriod,
  zone: string
): { readonly startsAt: Instant; readonly endsAt: Instant } => ({
  startsAt: startOfDayInZone(period.start, zone),
  endsAt: startOfDayInZone(period.end, zone)
})
