/**
 * MRR is kept exact, in **MRR units**: 1/72 of a minor unit. 72 is divisible by 1, 3, 6, 12, 24 and 36
 * (the months of every recurring cycle), so any recurring price normalized to a month is a whole number
 * of units: 120.00 a year is 12000 x 72 / 12 = 72000 units (10.00 a month), 10.00 a quarter is 24000
 * units (3.33 1/3 a month). Sums of units never drift; they are rounded once, with a named mode, when
 * they are reported ({@link mrrMoney}).
 */
import type { BillingCycle, RecurringCycle } from "../catalog/cycle"
import type { CurrencyCode } from "../money/currency"
import type { Money } from "../money/money"
import { divideRounded, type RoundingMode } from "../money/rounding"

/** MRR units in one minor unit. */
export const MRR_UNITS_PER_MINOR = 72n

/** Monthly recurring revenue in MRR units (1/72 of a minor unit of its currency). */
export type MrrUnits = bigint

/** MRR units per currency. Only currencies with a non-zero amount have an entry. */
export type CurrencyUnits = Partial<Record<CurrencyCode, MrrUnits>>

const unitsPerMinor: Readonly<Record<RecurringCycle, bigint>> = {
  monthly: 72n,
  quarterly: 24n,
  semiannually: 12n,
  annually: 6n,
  biennially: 3n,
  triennially: 2n
}

/**
 * A price per cycle normalized to a month, in MRR units (exact): quarterly / 3, semiannual / 6, annual
 * / 12, biennial / 24, triennial / 36. `one_time` and `free` contribute nothing.
 */
export const monthlyUnits = (amount: bigint, cycle: BillingCycle): MrrUnits => {
  const factor = unitsPerMinor[cycle as RecurringCycle] as bigint | undefined
  return factor === undefined ? 0n : amount * factor
}

/** MRR units as minor units, rounded once with the named mode. */
export const unitsToMinor = (units: MrrUnits, mode: RoundingMode): bigint =>
  divideRounded(units, MRR_UNITS_PER_MINOR, mode)

/** MRR as money: the units rounded once to the currency's minor unit. */
export const mrrMoney = (units: MrrUnits, currency: CurrencyCode, mode: RoundingMode): Money => ({
  amount: unitsToMinor(units, mode),
  currency
})

/** ARR = 12 x MRR, computed on the exact units and rounded once (not 12 x the rounded MRR). */
export const arrMoney = (units: MrrUnits, currency: CurrencyCode, mode: RoundingMode): Money => ({
  amount: divideRounded(units * 12n, MRR_UNITS_PER_MINOR, mode),
  currency
})

/** The currencies of a {@link CurrencyUnits}, in alphabetical order. */
export const currenciesOf = (units: CurrencyUnits): Array<CurrencyCode> =>
  (Object.keys(units) as Array<CurrencyCode>).sort()

/** `units` with `delta` added to `currency`; an entry that reaches zero is removed. */
export const addUnits = (units: CurrencyUnits, currency: CurrencyCode, delta: MrrUnits): CurrencyUnits => {
  if (delta === 0n) return units
  const next = (units[currency] ?? 0n) + delta
  const copy: CurrencyUnits = { ...units }
  if (next === 0n) delete copy[currency]
  else copy[currency] = next
  return copy
}

/** Whether any currency has a positive amount: the customer pays something. */
export const anyPositive = (units: CurrencyUnits): boolean => {
  for (const key in units) if ((units[key as CurrencyCode] ?? 0n) > 0n) return true
  return false
}
