/**
 * When a change takes effect and what it does to the subscription's periods: the period the new items
 * start in, the anchor of the periods after it, and the next renewal.
 */
import { anniversaryPeriod, nextPeriod } from "../calendar/anniversary"
import type { CivilDate } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import type { RecurringCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import { type PriceBasis, taxAmount } from "../invoicing/tax/compute"
import type { TaxDecision } from "../invoicing/tax/determine"
import type { RoundingMode } from "../money/rounding"
import type { ChangeCycles } from "./items"
import type { ChangePolicy } from "./strategy"

/** The periods of a subscription after a change. */
export interface ChangeSchedule {
  /** The first day the new items are in effect: the change day, or the end of the period. */
  readonly effectiveDate: CivilDate
  /**
   * The period the new items start in, from `effectiveDate`: the rest of the current period (immediate,
   * same cycle), a new period of the new cycle (immediate cycle change), or the next period (end of term).
   */
  readonly period: BillingPeriod
  /** The anchor of every later period: unchanged, except on a cycle change, where it is `effectiveDate`. */
  readonly anchor: CivilDate
  /** The cycle the subscription renews on after the change. */
  readonly cycle: RecurringCycle
  /** The cycles, when the change moves the subscription to another cycle. */
  readonly cycleChange: ChangeCycles | undefined
  /** The period the next renewal invoice bills. */
  readonly renewalPeriod: BillingPeriod
}

/** What the change does to a subscription on `anchor`, charged for `period`, changed on `changeDate`. */
export const changeSchedule = (input: {
  readonly policy: ChangePolicy
  readonly cycles: ChangeCycles
  readonly anchor: CivilDate
  readonly period: BillingPeriod
  readonly changeDate: CivilDate
}): ChangeSchedule => {
  const { policy, cycles, anchor, period } = input
  const cycleChange = cycles.from === cycles.to ? undefined : cycles
  const effectiveDate = policy === "immediate" ? input.changeDate : period.end
  if (cycleChange !== undefined) {
    // A new cycle starts a new period on the effective date, which becomes the anchor.
    const first = anniversaryPeriod(effectiveDate, cycles.to, 0)
    return {
      effectiveDate,
      period: first,
      anchor: effectiveDate,
      cycle: cycles.to,
      cycleChange,
      renewalPeriod: policy === "immediate" ? anniversaryPeriod(effectiveDate, cycles.to, 1) : first
    }
  }
  const next = nextPeriod(anchor, cycles.from, period)
  return {
    effectiveDate,
    period: policy === "immediate" ? { start: effectiveDate, end: period.end } : next,
    anchor,
    cycle: cycles.from,
    cycleChange,
    renewalPeriod: next
  }
}

/** What the next renewal bills for the new items: as priced, before coupons, with tax per line. */
export interface NextRenewal {
  /** The day the renewal period starts (the service is paid up to the day before). */
  readonly date: CivilDate
  readonly period: BillingPeriod
  readonly cycle: RecurringCycle
  /** The sum of the new items' amounts, as priced (net when prices exclude tax, gross when they include it). */
  readonly amount: bigint
  readonly subtotal: bigint
  readonly tax: bigint
  readonly total: bigint
}

/**
 * The next renewal of `items` for the schedule's renewal period, taxed per line as a renewal invoice
 * would be (one rounding per line). Coupons are not applied: the renewal decides which still run.
 */
export const nextRenewal = (
  schedule: ChangeSchedule,
  items: ReadonlyArray<PricedItem>,
  pricing: PriceBasis,
  decision: TaxDecision,
  rounding: RoundingMode
): NextRenewal => {
  let amount = 0n
  let subtotal = 0n
  let tax = 0n
  for (const item of items) {
    const taxed = taxAmount(item.amount, pricing, decision, rounding)
    amount += item.amount
    subtotal += taxed.net
    tax += taxed.tax
  }
  return {
    date: schedule.renewalPeriod.start,
    period: schedule.renewalPeriod,
    cycle: schedule.cycle,
    amount,
    subtotal,
    tax,
    total: subtotal + tax
  }
}
