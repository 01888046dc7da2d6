/**
 * MRR in a reporting currency. Every currency's exact units are converted at the day's rate as exact
 * fractions, summed, and the total is rounded once; each currency's share of the rounded total is then
 * found by allocation, so the shares always add up to the total.
 */
import { Either } from "effect"
import { allocateUnchecked } from "../money/allocate"
import { type ExchangeRate, invertRate } from "../money/convert"
import { type CurrencyCode, exponentOf } from "../money/currency"
import type { Money } from "../money/money"
import { divideRounded, type RoundingMode } from "../money/rounding"
import { ExchangeRateMissing } from "./errors"
import {
  arrMoney,
  type CurrencyUnits,
  currenciesOf,
  MRR_UNITS_PER_MINOR,
  type MrrUnits,
  mrrMoney
} from "./units"

/** How to report: in `currency`, at the rates published for `date`, rounding with `rounding`. */
export interface ReportingConversion {
  readonly currency: CurrencyCode
  /** The day the rates are for (ISO 8601, `2026-03-31`): only rates of that day are used. */
  readonly date: string
  /** `from -> currency` rates (a `currency -> from` rate is used inverted, exactly). */
  readonly rates: ReadonlyArray<ExchangeRate>
  readonly rounding: RoundingMode
}

/** An exact amount of reporting-currency minor units: `num / den`, `den > 0`. */
export interface ExactAmount {
  readonly num: bigint
  readonly den: bigint
}

/**
 * The rate of `date` from `from` to the reporting currency: `undefined` for the reporting currency
 * itself, else the direct rate or the inverse of the reverse one.
 */
export const rateOfDay = (
  from: CurrencyCode,
  conversion: Pick<ReportingConversion, "currency" | "date" | "rates">
): Either.Either<ExchangeRate | undefined, ExchangeRateMissing> => {
  const to = conversion.currency
  if (from === to) return Either.right(undefined)
  const { date } = conversion
  const direct = conversion.rates.find((r) => r.from === from && r.to === to && r.date === date)
  if (direct !== undefined) return Either.right(direct)
  const reverse = conversion.rates.find(
    (r) => r.from === to && r.to === from && r.date === date && r.rate.num !== 0n
  )
  if (reverse !== undefined) return Either.right(invertRate(reverse))
  return Either.left(new ExchangeRateMissing({ from, to, date }))
}

/** `units` of `from` as an exact amount of reporting minor units at `rate`. */
const exactIn = (units: MrrUnits, from: CurrencyCode, rate: ExchangeRate | undefined): ExactAmount => {
  if (rate === undefined) return { num: units, den: MRR_UNITS_PER_MINOR }
  const shift = exponentOf(rate.to) - exponentOf(from)
  return {
    num: units * rate.rate.num * (shift > 0 ? 10n ** BigInt(shift) : 1n),
    den: MRR_UNITS_PER_MINOR * rate.rate.den * (shift < 0 ? 10n ** BigInt(-shift) : 1n)
  }
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a
  b = b < 0n ? -b : b
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** Each currency's units as exact reporting amounts over one common denominator (the parts' numerators). */
const convertAll = (
  units: CurrencyUnits,
  conversion: ReportingConversion
): Either.Either<
  {
    currencies: Array<CurrencyCode>
    rates: Array<ExchangeRate | undefined>
    nums: Array<bigint>
    den: bigint
  },
  ExchangeRateMissing
> => {
  const currencies = currenciesOf(units)
  const rates: Array<ExchangeRate | undefined> = []
  const parts: Array<ExactAmount> = []
  let den = 1n
  for (const currency of currencies) {
    const rate = rateOfDay(currency, conversion)
    if (Either.isLeft(rate)) return Either.left(rate.left)
    rates.push(rate.right)
    const part = exactIn(units[currency] ?? 0n, currency, rate.right)
    parts.push(part)
    den = (den / gcd(den, part.den)) * part.den
  }
  return Either.right({ currencies, rates, nums: parts.map((p) => p.num * (den / p.den)), den })
}

/** The sum of `units` (any currencies) as an exact amount of reporting-currency minor units. */
export const exactTotal = (
  units: CurrencyUnits,
  conversion: ReportingConversion
): Either.Either<ExactAmount, ExchangeRateMissing> =>
  Either.map(convertAll(units, conversion), ({ nums, den }) => ({
    num: nums.reduce((a, b) => a + b, 0n),
    den
  }))

/** One currency's line of an {@link MrrReport}. */
export interface CurrencyMrr {
  readonly currency: CurrencyCode
  readonly units: MrrUnits
  /** The currency's MRR, rounded once. */
  readonly mrr: Money
  /** 12 x the exact MRR, rounded once. */
  readonly arr: Money
  /** Its share of the reporting total (allocated: the shares add up to `total.mrr`). */
  readonly converted: Money
  /** The rate used (`undefined` for the reporting currency itself). */
  readonly rate: ExchangeRate | undefined
}

/** MRR and ARR per currency and in total, in the reporting currency, at one day's rates. */
export interface MrrReport {
  readonly currencies: ReadonlyArray<CurrencyMrr>
  /** In the reporting currency: the exact converted sum, rounded once; ARR = 12 x that exact sum, rounded once. */
  readonly total: { readonly mrr: Money; readonly arr: Money }
  readonly date: string
  readonly rounding: RoundingMode
}

/**
 * MRR and ARR per currency and in the reporting currency at the day's rates. Every figure is rounded
 * once from exact units; the converted shares are an allocation of the rounded total. MRR is never
 * negative (prices are not): a negative amount is a defect.
 */
export const reportMrr = (
  units: CurrencyUnits,
  conversion: ReportingConversion
): Either.Either<MrrReport, ExchangeRateMissing> =>
  Either.map(convertAll(units, conversion), ({ currencies, rates, nums, den }) => {
    if (nums.some((n) => n < 0n)) throw new RangeError("reportMrr: MRR cannot be negative")
    const { rounding } = conversion
    const to = conversion.currency
    const num = nums.reduce((a, b) => a + b, 0n)
    const total = divideRounded(num, den, rounding)
    const shares = num > 0n ? allocateUnchecked(total, nums, num) : nums.map(() => 0n)
    return {
      currencies: currencies.map((currency, i) => ({
        currency,
        units: units[currency] ?? 0n,
        mrr: mrrMoney(units[currency] ?? 0n, currency, rounding),
        arr: arrMoney(units[currency] ?? 0n, currency, rounding),
        converted: { amount: shares[i] as bigint, currency: to },
        rate: rates[i]
      })),
      total: {
        mrr: { amount: total, currency: to },
        arr: { amount: divideRounded(num * 12n, den, rounding), currency: to }
      },
      date: conversion.date,
      rounding
    }
  })
