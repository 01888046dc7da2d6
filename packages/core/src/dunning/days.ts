/**
 * Dunning days. "Day N after due" is a civil date in the customer's zone, never N x 24 hours: the due
 * instant is turned into its local date and local time of day, N days are added to the date, and the
 * result is the same local time of day on that date. A DST change between the two therefore never moves
 * a dunning day, nor its hour on the wall clock. A renewal invoice is due at local midnight (the start of
 * its period), so its dunning days start at local midnight too; an order due at 14:37 is cancelled at
 * 14:37 local, K days later.
 *
 * Two rare local times need a rule: a time that does not exist on the target date (it falls in a DST gap)
 * becomes the first instant after the gap; a time that happens twice (a fall-back) is the earlier one.
 */
import { addDays, type CivilDate, toEpochDay } from "../calendar/civil-date"
import { civilDateAt, type Instant, zoneOffsetAt } from "../calendar/zone"

const MS_PER_DAY = 86_400_000

/** Milliseconds since local midnight (wall clock) of `instant` in `zone`: 0 for local midnight. */
export const localTimeOfDay = (instant: Instant, zone: string): number => {
  const local = instant + zoneOffsetAt(instant, zone)
  return local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY
}

/**
 * The instant the wall clock in `zone` reads `timeOfDay` (ms since midnight) on `date`. In a DST gap: the
 * first instant after the gap; in a fall-back overlap: the earlier of the two.
 */
export const instantAtLocalTime = (date: CivilDate, timeOfDay: number, zone: string): Instant => {
  const local = toEpochDay(date) * MS_PER_DAY + timeOfDay
  // The offsets in force a day either side bound every offset the zone can have at that wall time.
  const early = zoneOffsetAt(local - MS_PER_DAY, zone)
  const late = zoneOffsetAt(local + MS_PER_DAY, zone)
  let result: Instant | undefined
  for (const assumed of early === late ? [early] : [early, late]) {
    const candidate = local - assumed
    if (zoneOffsetAt(candidate, zone) === assumed && (result === undefined || candidate < result)) {
      result = candidate
    }
  }
  if (result !== undefined) return result
  // A gap: the clock jumps over `local`. The first instant after the jump lies in (local - late, local - early].
  let lo = Math.min(local - late, local - early)
  let hi = Math.max(local - late, local - early)
  const before = zoneOffsetAt(lo, zone)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (zoneOffsetAt(mid, zone) === before) lo = mid
    else hi = mid
  }
  return hi
}

/**
 * Day `days` after the due instant (before it when negative), in the customer's zone: the same local time
 * of day, `days` civil days later. Day 0 is the due instant itself.
 */
export const dunningDay = (dueAt: Instant, days: number, zone: string): Instant =>
  days === 0
    ? dueAt
    : instantAtLocalTime(addDays(civilDateAt(dueAt, zone), days), localTimeOfDay(dueAt, zone), zone)

/**
 * When to make the renewal invoice for a renewal due at `nextRenewalAt`: `leadDays` civil days before it,
 * at the same local time (see {@link dunningDay}). A billing run makes every invoice whose instant has come.
 */
export const renewalInvoiceAt = (nextRenewalAt: Instant, leadDays: number, zone: string): Instant =>
  dunningDay(nextRenewalAt, -leadDays, zone)
