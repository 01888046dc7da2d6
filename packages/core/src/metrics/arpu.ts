/**
 * ARPU, average revenue per paying customer: MRR / paying customers, rounded once. Per currency it is
 * the currency's MRR over the customers paying in it; in the reporting currency, the converted MRR of
 * all currencies over all paying customers (a customer paying in two currencies counts once).
 */
import { Either } from "effect"
import type { CurrencyCode } from "../money/currency"
import type { Money } from "../money/money"
import { divideRounded } from "../money/rounding"
import { exactTotal, type ReportingConversion } from "./conversion"
import type { ExchangeRateMissing } from "./errors"
import { type CurrencyUnits, currenciesOf, MRR_UNITS_PER_MINOR } from "./units"

/** What ARPU is computed from; {@link RevenueSummaries} has this shape. */
export interface ArpuInput {
  readonly mrr: CurrencyUnits
  /** Customers paying in each currency. */
  readonly payers: Partial<Record<CurrencyCode, number>>
  /** Customers paying in any currency. */
  readonly payingCustomers: number
}

/** ARPU per currency and in the reporting currency. */
export interface Arpu {
  /** Per currency; a currency nobody pays in is left out. */
  readonly currencies: ReadonlyArray<{
    readonly currency: CurrencyCode
    readonly payers: number
    readonly arpu: Money
  }>
  /** In the reporting currency; `undefined` when nobody pays. */
  readonly total: Money | undefined
}

/** ARPU per currency and in the reporting currency, each rounded once from the exact MRR. */
export const arpu = (
  input: ArpuInput,
  conversion: ReportingConversion
): Either.Either<Arpu, ExchangeRateMissing> =>
  Either.map(exactTotal(input.mrr, conversion), (total) => ({
    currencies: currenciesOf(input.mrr).flatMap((currency) => {
      const payers = input.payers[currency] ?? 0
      if (payers === 0) return []
      const units = input.mrr[currency] ?? 0n
      return [
        {
          currency,
          payers,
          arpu: {
            amount: divideRounded(units, MRR_UNITS_PER_MINOR * BigInt(payers), conversion.rounding),
            currency
          }
        }
      ]
    }),
    total:
      input.payingCustomers === 0
        ? undefined
        : {
            amount: divideRounded(total.num, total.den * BigInt(input.payingCustomers), conversion.rounding),
            currency: conversion.currency
          }
  }))
