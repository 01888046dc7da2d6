import { Either } from "effect"
import { type CurrencyCode, exponentOf } from "./currency"
import { InvalidAmount } from "./errors"
import type { Money } from "./money"

const amountPattern = /^(-)?(\d+)(?:\.(\d+))?$/

/**
 * Parses a plain decimal string into minor units, strictly: "12.30" USD is 1230, "12.3" is 1230 too,
 * but "12.345" USD is an {@link InvalidAmount} (too many decimals), never silently rounded; "1,000",
 * "1e3", " " and "" are syntax errors.
 */
export const parseAmount = (input: string, currency: CurrencyCode): Either.Either<Money, InvalidAmount> => {
  const match = amountPattern.exec(input)
  if (match === null) return Either.left(new InvalidAmount({ input, currency, reason: "syntax" }))
  const exponent = exponentOf(currency)
  const fraction = match[3] ?? ""
  if (fraction.length > exponent) {
    return Either.left(new InvalidAmount({ input, currency, reason: "too_many_decimals" }))
  }
  const magnitude = BigInt((match[2] ?? "0") + fraction.padEnd(exponent, "0"))
  return Either.right({ amount: match[1] === "-" ? -magnitude : magnitude, currency })
}

/** The canonical decimal string: 1230n USD -> "12.30", 5n JPY -> "5", -1n KWD -> "-0.001". */
export const toDecimalString = (m: Money): string => {
  const exponent = exponentOf(m.currency)
  const negative = m.amount < 0n
  const digits = (negative ? -m.amount : m.amount).toString()
  if (exponent === 0) return negative ? `-${digits}` : digits
  const padded = digits.padStart(exponent + 1, "0")
  const body = `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`
  return negative ? `-${body}` : body
}
