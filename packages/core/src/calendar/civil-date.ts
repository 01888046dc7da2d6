/**
 * Civil (calendar) dates: a day in the customer's time zone, with no time and no zone attached.
 *
 * Everything here is pure integer arithmetic (no `Date`, no `Intl`), because renewal runs compute
 * millions of periods per second. Supported years: 1..9999 (what `civilDate` and `parseIsoDate`
 * accept); the arithmetic itself (`toEpochDay`, `fromEpochDay`, `addMonthsClamped`) is proleptic
 * Gregorian and works for any integer year.
 */
import { Either } from "effect"
import { InvalidDate } from "./errors"

/** A calendar date in the customer's zone. `month` is 1-12, `day` is 1..daysInMonth(year, month). */
export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

export const MIN_YEAR = 1
export const MAX_YEAR = 9999

/** Gregorian leap year: divisible by 4, except centuries not divisible by 400. */
export const isLeapYear = (year: number): boolean =>
  (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0)

/** Days in a month (1-12) of a year: 28..31. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1)

const isInt = (n: number): boolean => Number.isInteger(n)

/** A validated calendar date. */
export const civilDate = (
  year: number,
  month: number,
  day: number
): Either.Either<CivilDate, InvalidDate> => {
  const input = `${year}-${month}-${day}`
  if (!isInt(year) || year < MIN_YEAR || year > MAX_YEAR) {
    return Either.left(
      new InvalidDate({ input, reason: `year must be an integer in ${MIN_YEAR}..${MAX_YEAR}` })
    )
  }
  if (!isInt(month) || month < 1 || month > 12) {
    return Either.left(new InvalidDate({ input, reason: "month must be an integer in 1..12" }))
  }
  const last = daysInMonth(year, month)
  if (!isInt(day) || day < 1 || day > last) {
    return Either.left(new InvalidDate({ input, reason: `day must be an integer in 1..${last}` }))
  }
  return Either.right({ year, month, day })
}

/**
 * Adds (or subtracts) whole months, clamping the day to the last day of the target month:
 * Jan 31 + 1 month = Feb 28 (Feb 29 in leap years). The day is taken from `date` as given, so an
 * anchor's day never drifts as long as callers always add from the anchor.
 */
export const addMonthsClamped = (date: CivilDate, months: number): CivilDate => {
  const total = date.year * 12 + (date.month - 1) + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  const last = daysInMonth(year, month)
  return { year, month, day: Math.min(date.day, last) }
}

/** Whole months from `from`'s month to `to`'s month, ignoring days (Jan 31 -> Feb 1 is 1). */
export const monthsBetween = (from: CivilDate, to: CivilDate): number =>
  (to.year - from.year) * 12 + (to.month - from.month)

/** Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`. */
export const toEpochDay = (date: CivilDate): number => {
  const m = date.month
  const y = m <= 2 ? date.year - 1 : date.year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + date.day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The date `epochDay` days after 1970-01-01. Howard Hinnant's `civil_from_days`. */
export const fromEpochDay = (epochDay: number): CivilDate => {
  const z = epochDay + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** The date `days` days after `date` (before, when negative). */
export const addDays = (date: CivilDate, days: number): CivilDate => fromEpochDay(toEpochDay(date) + days)

/** -1, 0 or 1 as `a` is before, the same day as, or after `b`. */
export const compareDates = (a: CivilDate, b: CivilDate): -1 | 0 | 1 => {
  if (a.year !== b.year) return a.year < b.year ? -1 : 1
  if (a.month !== b.month) return a.month < b.month ? -1 : 1
  if (a.day !== b.day) return a.day < b.day ? -1 : 1
  return 0
}

/** Whether two dates are the same day. */
export const sameDate = (a: CivilDate, b: CivilDate): boolean =>
  a.day === b.day && a.month === b.month && a.year === b.year

/** Days from `a` to `b`: positive when `b` is later (2026-01-31 -> 2026-02-01 is 1). */
export const daysBetween = (a: CivilDate, b: CivilDate): number => toEpochDay(b) - toEpochDay(a)

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

/** ISO 8601 calendar date, "2026-01-31". Years are zero-padded to four digits. */
export const formatIsoDate = (date: CivilDate): string =>
  `${String(date.year).padStart(4, "0")}-${pad2(date.month)}-${pad2(date.day)}`

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** Strict `YYYY-MM-DD` (no time, no zone, no week or ordinal forms); the date must exist. */
export const parseIsoDate = (input: string): Either.Either<CivilDate, InvalidDate> => {
  const match = isoDatePattern.exec(input)
  if (match === null) return Either.left(new InvalidDate({ input, reason: "expected YYYY-MM-DD" }))
  return Either.mapLeft(
    civilDate(Number(match[1]), Number(match[2]), Number(match[3])),
    (error) => new InvalidDate({ input, reason: error.reason })
  )
}
