import { Either } from "effect"
import type { CurrencyCode } from "./currency"
import { CurrencyMismatch } from "./errors"
import { applyRatio, type Ratio } from "./ratio"
import type { RoundingMode } from "./rounding"

/**
 * An amount of money: integer minor units (cents, yen, fils) and the currency. Never a float: TypeScript
 * refuses `amount * 0.2`, and every fraction goes through a named {@link RoundingMode}.
 */
export interface Money {
  readonly amount: bigint
  readonly currency: CurrencyCode
}

export const money = (amount: bigint, currency: CurrencyCode): Money => ({ amount, currency })

export const zero = (currency: CurrencyCode): Money => ({ amount: 0n, currency })

const sameCurrency = (a: Money, b: Money): Either.Either<CurrencyCode, CurrencyMismatch> =>
  a.currency === b.currency
    ? Either.right(a.currency)
    : Either.left(new CurrencyMismatch({ expected: a.currency, actual: b.currency }))

export const add = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(sameCurrency(a, b), (currency) => ({ amount: a.amount + b.amount, currency }))

export const subtract = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(sameCurrency(a, b), (currency) => ({ amount: a.amount - b.amount, currency }))

/** The sum of amounts in `currency`; any other currency among them is a {@link CurrencyMismatch}. */
export const sum = (
  currency: CurrencyCode,
  amounts: Iterable<Money>
): Either.Either<Money, CurrencyMismatch> => {
  let total = 0n
  for (const item of amounts) {
    if (item.currency !== currency) {
      return Either.left(new CurrencyMismatch({ expected: currency, actual: item.currency }))
    }
    total += item.amount
  }
  return Either.right({ amount: total, currency })
}

export const negate = (m: Money): Money => ({ amount: -m.amount, currency: m.currency })

/** Multiplies by a whole quantity (exact). */
export const times = (m: Money, quantity: bigint): Money => ({
  amount: m.amount * quantity,
  currency: m.currency
})

/** Multiplies by an exact ratio, rounding once with the named mode. */
export const multiply = (m: Money, r: Ratio, mode: RoundingMode): Money => ({
  amount: applyRatio(m.amount, r, mode),
  currency: m.currency
})

export const min = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(sameCurrency(a, b), () => (a.amount <= b.amount ? a : b))

export const max = (a: Money, b: Money): Either.Either<Money, CurrencyMismatch> =>
  Either.map(sameCurrency(a, b), () => (a.amount >= b.amount ? a : b))

export const compare = (a: Money, b: Money): Either.Either<-1 | 0 | 1, CurrencyMismatch> =>
  Either.map(sameCurrency(a, b), () => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0))

export const equals = (a: Money, b: Money): boolean => a.currency === b.currency && a.amount === b.amount

export const isZero = (m: Money): boolean => m.amount === 0n
export const isNegative = (m: Money): boolean => m.amount < 0n
export const isPositive = (m: Money): boolean => m.amount > 0n
