import { type BillingPeriod, type CivilDate, formatIsoDate } from "@ezscale/core"

/** Civil dates are stored as `YYYY-MM-DD` text: readable, and ordered like the dates. */
export const dateToColumn = (date: CivilDate): string => formatIsoDate(date)

/** A date column the store wrote (trusted: `YYYY-MM-DD`). */
export const dateFromColumn = (text: string): CivilDate => ({
  year: Number(text.slice(0, 4)),
  month: Number(text.slice(5, 7)),
  day: Number(text.slice(8, 10))
})

/** A period from its two nullable columns: both set, or absent. */
export const periodFromColumns = (start: string | null, end: string | null): BillingPeriod | undefined =>
  start === null || end === null ? undefined : { start: dateFromColumn(start), end: dateFromColumn(end) }
