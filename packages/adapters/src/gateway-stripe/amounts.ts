/**
 * Money <-> Stripe amounts. Stripe takes integers in the currency's smallest unit, like our minor units,
 * with exceptions (https://docs.stripe.com/currencies#special-cases): ISK is sent as a two-decimal amount
 * (krónur x 100), and three-decimal currencies (BHD, JOD, KWD, OMR, TND) must end in 0. Amounts are
 * checked here, before any call.
 */
import { type CurrencyCode, exponentOf, isCurrencyCode, type Money } from "@ezscale/core"

/** Stripe's factor over our minor units, where it differs from ISO 4217. */
const stripeScale: Partial<Record<CurrencyCode, bigint>> = { ISK: 100n }

/** The largest amount Stripe accepts (eight digits). */
const maxStripeAmount = 99_999_999n

export type StripeAmount = { readonly amount: number; readonly currency: string }

/** The amount as Stripe wants it, or why it cannot be sent. */
export const toStripeAmount = (money: Money): StripeAmount | { readonly problem: string } => {
  const scaled = money.amount * (stripeScale[money.currency] ?? 1n)
  if (money.amount <= 0n) return { problem: "amount must be positive" }
  if (scaled > maxStripeAmount) return { problem: `amount ${money.amount} is over Stripe's maximum` }
  if (exponentOf(money.currency) === 3 && money.amount % 10n !== 0n) {
    return { problem: `${money.currency} amounts must end in 0 at Stripe (got ${money.amount})` }
  }
  return { amount: Number(scaled), currency: money.currency.toLowerCase() }
}

/** A Stripe amount back in our minor units; none for a currency the engine does not know. */
export const fromStripeAmount = (amount: number, currency: string): Money | undefined => {
  const code = currency.toUpperCase()
  if (!isCurrencyCode(code)) return undefined
  return { amount: BigInt(amount) / (stripeScale[code] ?? 1n), currency: code }
}
