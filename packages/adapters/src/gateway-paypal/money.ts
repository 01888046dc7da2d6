/**
 * PayPal money: `{ currency_code, value }` with `value` a decimal string in major units ("10.00", "1000"
 * for JPY). Converted exactly from and to our bigint minor units; PayPal takes no decimals for HUF and TWD
 * although ISO gives them two, so those amounts must be whole.
 */
import { type CurrencyCode, exponentOf, isCurrencyCode, type Money } from "@ezscale/core"

export interface PayPalAmount {
  readonly currency_code: string
  readonly value: string
}

/** Currencies PayPal accepts for payments (its REST currency-code list) that our money model knows. */
export const payPalCurrencies: ReadonlyArray<CurrencyCode> = [
  "AUD",
  "BRL",
  "CAD",
  "CHF",
  "CNY",
  "CZK",
  "DKK",
  "EUR",
  "GBP",
  "HKD",
  "HUF",
  "ILS",
  "JPY",
  "MXN",
  "MYR",
  "NOK",
  "NZD",
  "PHP",
  "PLN",
  "SEK",
  "SGD",
  "THB",
  "TWD",
  "USD"
].filter(isCurrencyCode)

const wholeOnly: ReadonlySet<string> = new Set(["HUF", "TWD"])

/** Whether PayPal can express the amount (HUF / TWD amounts must be whole). */
export const payPalCanExpress = (money: Money): boolean =>
  !wholeOnly.has(money.currency) || money.amount % 10n ** BigInt(exponentOf(money.currency)) === 0n

export const toPayPalValue = (money: Money): string => {
  const exponent = exponentOf(money.currency)
  const negative = money.amount < 0n
  const digits = (negative ? -money.amount : money.amount).toString().padStart(exponent + 1, "0")
  const whole = digits.slice(0, digits.length - exponent)
  const fraction = digits.slice(digits.length - exponent)
  const shown = exponent === 0 || wholeOnly.has(money.currency) ? whole : `${whole}.${fraction}`
  return `${negative ? "-" : ""}${shown}`
}

export const toPayPalAmount = (money: Money): { currencyCode: string; value: string } => ({
  currencyCode: money.currency,
  value: toPayPalValue(money)
})

/** Exact; `undefined` for an unknown currency or a value with more decimals than the currency has. */
export const fromPayPalAmount = (amount: {
  readonly currency_code?: string | undefined
  readonly currencyCode?: string | undefined
  readonly value: string
}): Money | undefined => {
  const currency = amount.currency_code ?? amount.currencyCode ?? ""
  if (!isCurrencyCode(currency)) return undefined
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.value)
  if (match === null) return undefined
  const [, sign, whole = "0", fraction = ""] = match
  const exponent = exponentOf(currency)
  if (fraction.length > exponent) return undefined
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"))
  return { amount: sign === "-" ? -minor : minor, currency }
}
