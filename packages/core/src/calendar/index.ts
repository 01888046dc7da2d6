export { anniversaryPeriod, nextPeriod, periodContaining, periodIndexAt } from "./anniversary"
export {
  addDays,
  addMonthsClamped,
  type CivilDate,
  civilDate,
  compareDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  isLeapYear,
  MAX_YEAR,
  MIN_YEAR,
  monthsBetween,
  parseIsoDate,
  sameDate,
  toEpochDay
} from "./civil-date"
export { InvalidDate, InvalidProrataPolicy, InvalidTimeZone } from "./errors"
export { type BillingPeriod, periodContains, periodDays, periodInstants } from "./period"
export {
  type FirstPeriods,
  firstPeriods,
  nextProrataDate,
  type ProrataPolicy,
  type ProrataStub,
  prorataPolicy
} from "./prorata"
export { civilDateAt, type Instant, startOfDayInZone, validateTimeZone, zoneOffsetAt } from "./zone"
