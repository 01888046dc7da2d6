/**
 * Exchange rates a tenant keeps (published daily by a source such as the ECB, or entered by staff), so
 * that a conversion can always say which rate it used. A rate is exact: a {@link Ratio} kept as its two
 * integers in decimal digits, never a float, and read back exactly as it was put.
 */
import { Either, type Option, Schema } from "effect"
import { parseIsoDate } from "../../calendar/civil-date"
import type { InvalidDate } from "../../calendar/errors"
import type { ExchangeRate } from "../../money/convert"
import { type CurrencyCode, isCurrencyCode } from "../../money/currency"
import type { Op } from "./repositories"

/** Most decimal digits the numerator or denominator of a stored rate may have. */
export const MAX_RATE_DIGITS = 64

/** An exchange rate the store cannot keep as given; nothing is written. */
export class InvalidExchangeRate extends Schema.TaggedError<InvalidExchangeRate>()("InvalidExchangeRate", {
  from: Schema.String,
  to: Schema.String,
  date: Schema.String,
  issue: Schema.String
}) {
  override get message() {
    return `Invalid exchange rate ${this.from}->${this.to} of ${this.date}: ${this.issue}`
  }
}

const digits = (value: bigint) => (value < 0n ? -value : value).toString().length

/**
 * The first reason `rate` cannot be stored: an unknown currency, a rate from a currency to itself, a
 * rate that is not above zero, a date that is not a real `YYYY-MM-DD` day, an empty (or over 64
 * characters) source, or a
 * numerator / denominator beyond {@link MAX_RATE_DIGITS} digits.
 */
export const checkExchangeRate = (rate: ExchangeRate): Either.Either<ExchangeRate, InvalidExchangeRate> => {
  const invalid = (issue: string) =>
    Either.left(new InvalidExchangeRate({ from: rate.from, to: rate.to, date: rate.date, issue }))
  if (!isCurrencyCode(rate.from)) return invalid(`unknown currency ${rate.from}`)
  if (!isCurrencyCode(rate.to)) return invalid(`unknown currency ${rate.to}`)
  if (rate.from === rate.to) return invalid("a rate converts between two different currencies")
  if (rate.rate.den <= 0n) return invalid("the denominator must be positive")
  if (rate.rate.num <= 0n) return invalid("the rate must be above zero")
  if (digits(rate.rate.num) > MAX_RATE_DIGITS || digits(rate.rate.den) > MAX_RATE_DIGITS) {
    return invalid(`numerator and denominator have at most ${MAX_RATE_DIGITS} digits`)
  }
  if (Either.isLeft(parseIsoDate(rate.date))) return invalid("the date must be a real day, YYYY-MM-DD")
  if (rate.source.trim() === "" || rate.source.length > 64) return invalid("the source is 1 to 64 characters")
  return Either.right(rate)
}

/**
 * Exchange rates per tenant. Unique key: (tenant, from, to, date) — one rate per currency pair and day;
 * putting another for the same day replaces it (source included). Only rates put for `from -> to` answer
 * for that direction: the reverse is not derived here (`invertRate` does that, exactly).
 */
export interface ExchangeRateRepository {
  /** Creates or replaces the rate of (from, to, date). `InvalidExchangeRate` (see {@link checkExchangeRate}). */
  readonly put: (tenantId: string, rate: ExchangeRate) => Op<void, InvalidExchangeRate>
  /**
   * The rate for `from -> to` with the latest date on or before `date` (`YYYY-MM-DD`; `InvalidDate`
   * otherwise); none when no rate is that old.
   */
  readonly latest: (
    tenantId: string,
    from: CurrencyCode,
    to: CurrencyCode,
    date: string
  ) => Op<Option.Option<ExchangeRate>, InvalidDate>
}
