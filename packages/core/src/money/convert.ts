import { Either } from "effect"
import { type CurrencyCode, exponentOf } from "./currency"
import { CurrencyMismatch } from "./errors"
import type { Money } from "./money"
import type { Ratio } from "./ratio"
import { divideRounded, type RoundingMode } from "./rounding"

/**
 * An exact exchange rate: one major unit of `from` is worth `rate` major units of `to`. Where the rate
 * came from and the day it is for travel with it, so every converted amount can be traced.
 */
export interface ExchangeRate {
  readonly from: CurrencyCode
  readonly to: CurrencyCode
  readonly rate: Ratio
  /** Who published the rate, e.g. "ECB" or "manual". */
  readonly source: string
  /** The day the rate is for, ISO 8601 (`2026-11-20`). */
  readonly date: string
}

export interface Conversion {
  readonly original: Money
  readonly converted: Money
  readonly rate: ExchangeRate
  readonly rounding: RoundingMode
}

/**
 * Converts with an explicit rate and rounding mode, accounting for the two currencies' minor units
 * (1.00 USD at 150.25 JPY/USD is 150 JPY with half-even, 1.000 KWD at 3.25 USD/KWD is 3.25 USD).
 */
export const convert = (
  amount: Money,
  rate: ExchangeRate,
  mode: RoundingMode
): Either.Either<Conversion, CurrencyMismatch> => {
  if (amount.currency !== rate.from) {
    return Either.left(new CurrencyMismatch({ expected: rate.from, actual: amount.currency }))
  }
  const shift = exponentOf(rate.to) - exponentOf(rate.from)
  const numerator = amount.amount * rate.rate.num * (shift > 0 ? 10n ** BigInt(shift) : 1n)
  const denominator = rate.rate.den * (shift < 0 ? 10n ** BigInt(-shift) : 1n)
  const converted: Money = { amount: divideRounded(numerator, denominator, mode), currency: rate.to }
  return Either.right({ original: amount, converted, rate, rounding: mode })
}

/** The reverse rate (exact), same source and date. A zero rate cannot be inverted (a defect). */
export const invertRate = (rate: ExchangeRate): ExchangeRate => {
  if (rate.rate.num === 0n) throw new RangeError("invertRate: a zero rate has no inverse")
  return { ...rate, from: rate.to, to: rate.from, rate: { num: rate.rate.den, den: rate.rate.num } }
}
