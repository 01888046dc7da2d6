/**
 * Anniversary billing periods. Every period boundary is computed from the anchor (normally the
 * subscription's start date), never from the previous period, so month-end clamping never drifts:
 * anchor Jan 31, monthly -> Feb 28 (29) -> Mar 31 -> Apr 30 -> May 31.
 *
 * Period `n` is `[anchor + n*cycle months, anchor + (n+1)*cycle months)` with the day clamped to the
 * target month. `n` may be negative (periods before the anchor), which prorata stubs use for their
 * reference period.
 */
import type { RecurringCycle } from "../catalog/cycle"
import { cycleMonths } from "../catalog/cycle"
import { addMonthsClamped, type CivilDate, compareDates, monthsBetween } from "./civil-date"
import type { BillingPeriod } from "./period"

/** The `index`-th period (0 = the one starting on the anchor). `index` must be an integer. */
export const anniversaryPeriod = (anchor: CivilDate, cycle: RecurringCycle, index: number): BillingPeriod => {
  const months = cycleMonths(cycle)
  return {
    start: addMonthsClamped(anchor, index * months),
    end: addMonthsClamped(anchor, (index + 1) * months)
  }
}

/**
 * The period following `current`: it starts on `current.end` and ends one cycle later, counted from the
 * anchor. `current.end` must be an anniversary of the anchor (any period from this module, or a prorata
 * stub whose end is the anchor). Allocates only the result.
 */
export const nextPeriod = (
  anchor: CivilDate,
  cycle: RecurringCycle,
  current: BillingPeriod
): BillingPeriod => ({
  start: current.end,
  end: addMonthsClamped(anchor, monthsBetween(anchor, current.end) + cycleMonths(cycle))
})

/** The index of the anniversary period that contains `date` (negative before the anchor). */
export const periodIndexAt = (anchor: CivilDate, cycle: RecurringCycle, date: CivilDate): number => {
  const months = cycleMonths(cycle)
  const index = Math.floor(monthsBetween(anchor, date) / months)
  // Clamping can put this index's start after `date` (anchor 31st, date the 15th): step back one.
  return compareDates(date, addMonthsClamped(anchor, index * months)) < 0 ? index - 1 : index
}

/** The anniversary period containing `date` (`start <= date < end`). */
export const periodContaining = (anchor: CivilDate, cycle: RecurringCycle, date: CivilDate): BillingPeriod =>
  anniversaryPeriod(anchor, cycle, periodIndexAt(anchor, cycle, date))
