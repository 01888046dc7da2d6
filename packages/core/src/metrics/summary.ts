/**
 * Summary rows: one per reporting day and one per month, each the sum of the movements in it. They are
 * additive (adding movements in any order gives the same row), which is what lets the engine keep them
 * with plain `UPDATE ... SET new = new + ?` in the transaction that records each event.
 */
import type { CurrencyCode } from "../money/currency"
import type { MovementKind, MrrMovement } from "./movement"
import type { MrrUnits } from "./units"

/** Summary rows are kept per reporting day and per month. */
export type Granularity = "day" | "month"

/** The movements of one period in one currency. */
export interface CurrencySummary {
  readonly new: MrrUnits
  readonly expansion: MrrUnits
  readonly contraction: MrrUnits
  readonly churned: MrrUnits
  readonly reactivation: MrrUnits
  /** Customers who started / stopped paying in this currency. */
  readonly payersGained: number
  readonly payersLost: number
  /** The period cohort's lost MRR: sum over its customers of max(0, MRR at start - MRR at end). */
  readonly cohortLost: MrrUnits
  /** The period cohort's MRR change (end - start, over the customers paying at the start). */
  readonly cohortChange: MrrUnits
}

/** The movements of one period (`2026-03-15` or `2026-03`). */
export interface PeriodSummary {
  readonly period: string
  readonly granularity: Granularity
  /** Customers whose movement was `new`, `reactivation`, `churned`. */
  readonly customersNew: number
  readonly customersReactivated: number
  readonly customersChurned: number
  /** Customers paying at the period's start who were not paying at its end. */
  readonly cohortCustomersLost: number
  readonly currencies: Partial<Record<CurrencyCode, CurrencySummary>>
}

/** A currency summary with no movement yet. */
export const emptyCurrencySummary: CurrencySummary = {
  new: 0n,
  expansion: 0n,
  contraction: 0n,
  churned: 0n,
  reactivation: 0n,
  payersGained: 0,
  payersLost: 0,
  cohortLost: 0n,
  cohortChange: 0n
}

/** A period summary with no movement yet. */
export const emptyPeriodSummary = (period: string, granularity: Granularity): PeriodSummary => ({
  period,
  granularity,
  customersNew: 0,
  customersReactivated: 0,
  customersChurned: 0,
  cohortCustomersLost: 0,
  currencies: {}
})

/** A currency summary with `units` more of `kind`. */
export const addToKind = (
  summary: CurrencySummary,
  kind: MovementKind,
  units: MrrUnits
): CurrencySummary => ({
  ...summary,
  [kind]: summary[kind] + units
})

/**
 * The period's summary with `movement` added. The movement must belong to the period (its `day` or
 * `month` is the period): anything else is a defect.
 */
export const addMovement = (summary: PeriodSummary, movement: MrrMovement): PeriodSummary => {
  const granularity = summary.granularity
  if ((granularity === "day" ? movement.day : movement.month) !== summary.period) {
    throw new RangeError(`addMovement: a movement of ${movement.day} does not belong to ${summary.period}`)
  }
  const cohort = movement.cohort[granularity]
  const current = summary.currencies[movement.currency] ?? emptyCurrencySummary
  const updated: CurrencySummary = {
    ...addToKind(current, movement.kind, movement.units),
    payersGained: current.payersGained + (movement.payers === 1 ? 1 : 0),
    payersLost: current.payersLost + (movement.payers === -1 ? 1 : 0),
    cohortLost: current.cohortLost + cohort.lost,
    cohortChange: current.cohortChange + cohort.change
  }
  return {
    ...summary,
    customersNew: summary.customersNew + (movement.kind === "new" ? 1 : 0),
    customersReactivated: summary.customersReactivated + (movement.kind === "reactivation" ? 1 : 0),
    customersChurned: summary.customersChurned + (movement.kind === "churned" ? 1 : 0),
    cohortCustomersLost: summary.cohortCustomersLost + cohort.customersLost,
    currencies: { ...summary.currencies, [movement.currency]: updated }
  }
}

/** The period's net MRR change in one currency: new + expansion + reactivation - contraction - churned. */
export const netUnits = (summary: CurrencySummary): MrrUnits =>
  summary.new + summary.expansion + summary.reactivation - summary.contraction - summary.churned
