import { Either } from "effect"
import { type CurrencyCode, exponentOf } from "./currency"
import { parseAmount, toDecimalString } from "./decimal"
import { InvalidAmount } from "./errors"
import type { Money } from "./money"

const formatters = new Map<string, Intl.NumberFormat>()

const formatterFor = (locale: string, currency: CurrencyCode): Intl.NumberFormat => {
  const key = `${locale}|${currency}`
  let formatter = formatters.get(key)
  if (formatter === undefined) {
    const digits = exponentOf(currency)
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits
    })
    formatters.set(key, formatter)
  }
  return formatter
}

/**
 * Formats for people, per locale: 123456n USD in "en-US" is "$1,234.56", in "de-DE" "1.234,56 $".
 * The amount reaches Intl as an exact decimal string, so no value is ever rounded through a float.
 */
export const formatMoney = (m: Money, locale: string): string =>
  // Intl formats decimal strings exactly (Intl.NumberFormat v3); its typings only list numbers.
  formatterFor(locale, m.currency).format(toDecimalString(m) as unknown as number)

interface LocaleSymbols {
  readonly group: string
  readonly decimal: string
  /** The locale's digits 0-9 when they are not ASCII (Arabic-Indic, Devanagari...). */
  readonly digits: ReadonlyArray<string>
}

const symbolsCache = new Map<string, LocaleSymbols>()

const symbolsFor = (locale: string, currency: CurrencyCode): LocaleSymbols => {
  const key = `${locale}|${currency}`
  let symbols = symbolsCache.get(key)
  if (symbols === undefined) {
    const parts = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 1
    }).formatToParts(1234567.5)
    symbols = {
      group: parts.find((p) => p.type === "group")?.value ?? ",",
      decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
      digits: Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat(locale).format(d))
    }
    symbolsCache.set(key, symbols)
  }
  return symbols
}

const minusSigns = /^[-\u2212]/
const groupedDigits = /^\d+(?:\uE000\d{2,3})+$/
const bidiMarks = /[\u200e\u200f\u061c]/g

/**
 * Parses what a person typed or what {@link formatMoney} printed in a locale ("1.234,56 €" in de-DE)
 * back into money, with the same strictness as {@link parseAmount}: group separators and the currency
 * sign are accepted, extra decimals are an error.
 */
export const parseLocalized = (
  input: string,
  locale: string,
  currency: CurrencyCode
): Either.Either<Money, InvalidAmount> => {
  const { group, decimal, digits } = symbolsFor(locale, currency)
  const currencyNames = formatterFor(locale, currency)
    .formatToParts(0)
    .filter((p) => p.type === "currency")
    .map((p) => p.value)
  let text = input.normalize("NFKC").replace(bidiMarks, "")
  digits.forEach((digit, value) => {
    if (digit !== String(value)) text = text.replaceAll(digit, String(value))
  })
  for (const name of [...currencyNames, currency]) text = text.replaceAll(name.normalize("NFKC"), "")
  text = text.replace(/\s/g, "")
  const negative = minusSigns.test(text)
  if (negative) text = text.slice(1)
  const groupSeparators = [group, group.normalize("NFKC"), ...(group.trim() === "" ? [" "] : [])]
  for (const separator of groupSeparators) if (separator !== "") text = text.replaceAll(separator, "\uE000")
  // A group separator sits between groups of two (en-IN) or three digits; "1.5" in de-DE is not 1,50.
  const [whole = "", ...rest] = text.split(decimal)
  if (whole.includes("\uE000") && !groupedDigits.test(whole)) {
    return Either.left(new InvalidAmount({ input, currency, reason: "syntax" }))
  }
  text = [whole.replaceAll("\uE000", ""), ...rest].join(decimal)
  if (decimal !== ".") {
    if (text.includes(".")) return Either.left(new InvalidAmount({ input, currency, reason: "syntax" }))
    text = text.replace(decimal, ".")
  }
  return Either.mapLeft(
    parseAmount(negative ? `-${text}` : text, currency),
    (error) => new InvalidAmount({ input, currency, reason: error.reason })
  )
}
