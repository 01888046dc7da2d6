/**
 * Billing cycles. A recurring cycle is a whole number of months; `one_time` is charged once and `free`
 * is never charged. A cycle a plan does not offer is simply absent from its price table — there is no
 * "-1 means disabled" value anywhere.
 */
export const BillingCycles = [
  "monthly",
  "quarterly",
  "semiannually",
  "annually",
  "biennially",
  "triennially",
  "one_time",
  "free"
] as const

export type BillingCycle = (typeof BillingCycles)[number]

export const RecurringCycles = [
  "monthly",
  "quarterly",
  "semiannually",
  "annually",
  "biennially",
  "triennially"
] as const satisfies ReadonlyArray<BillingCycle>

export type RecurringCycle = (typeof RecurringCycles)[number]

const monthsByCycle: Readonly<Record<RecurringCycle, number>> = {
  monthly: 1,
  quarterly: 3,
  semiannually: 6,
  annually: 12,
  biennially: 24,
  triennially: 36
}

/** Whether the cycle renews (every cycle except `one_time` and `free`). */
export const isRecurring = (cycle: BillingCycle): cycle is RecurringCycle => cycle in monthsByCycle

/** The length of a recurring cycle in months: 1, 3, 6, 12, 24 or 36. */
export const cycleMonths = (cycle: RecurringCycle): number => monthsByCycle[cycle]
