/**
 * Metrics of one reporting day or month, read from the summary rows. Rates compare the period's end
 * with its start; the **cohort** of a period is the customers paying when it began.
 *
 * - customer churn rate = cohort customers not paying at the end / customers paying at the start;
 * - customer growth rate = (paying customers at the end - at the start) / at the start;
 * - revenue churn rate (gross) = cohort's lost MRR / MRR at the start, where a cohort customer's lost
 *   MRR is max(0, their MRR at the start - at the end), per currency;
 * - net revenue retention = cohort's MRR at the end / MRR at the start (expansion, contraction and churn
 *   of the customers who were there; new customers do not count).
 */
import { Either } from "effect"
import { parseIsoDate } from "../calendar/civil-date"
import type { CurrencyCode } from "../money/currency"
import type { Money } from "../money/money"
import { divideRounded } from "../money/rounding"
import { type ExactAmount, exactTotal, type ReportingConversion } from "./conversion"
import { type ExchangeRateMissing, InvalidReportPeriod } from "./errors"
import { type MovementKind, MovementKinds } from "./movement"
import { type MetricRate, metricRate } from "./rate"
import {
  type CurrencySummary,
  emptyCurrencySummary,
  type Granularity,
  netUnits,
  type PeriodSummary
} from "./summary"
import type { CurrencyUnits, MrrUnits } from "./units"

/** One currency's figures for the period (MRR units). */
export interface CurrencyPeriodMetrics {
  readonly currency: CurrencyCode
  readonly mrrStart: MrrUnits
  readonly mrrEnd: MrrUnits
  readonly movements: Readonly<Record<MovementKind, MrrUnits>>
  readonly payersStart: number
  readonly payersEnd: number
  readonly cohortLost: MrrUnits
  readonly cohortChange: MrrUnits
  /** cohortLost / mrrStart; `undefined` when nothing was paid at the start. */
  readonly revenueChurnRate: MetricRate | undefined
  /** (mrrStart + cohortChange) / mrrStart; `undefined` when nothing was paid at the start. */
  readonly netRevenueRetention: MetricRate | undefined
}

/** The period's paying customers and customer rates. */
export interface CustomerPeriodMetrics {
  /** Paying customers at the period's start and end. */
  readonly start: number
  readonly end: number
  readonly new: number
  readonly reactivated: number
  readonly churned: number
  /** Customers paying at the start who are not paying at the end. */
  readonly lost: number
  readonly churnRate: MetricRate | undefined
  readonly growthRate: MetricRate | undefined
}

/** Everything {@link periodMetrics} reports for one day or month. */
export interface PeriodMetrics {
  readonly period: string
  readonly granularity: Granularity
  readonly currencies: ReadonlyArray<CurrencyPeriodMetrics>
  readonly customers: CustomerPeriodMetrics
}

/** A report period: a day (`2026-03-15`) or a month (`2026-03`), checked to exist. */
export const parseReportPeriod = (
  input: string
): Either.Either<{ readonly period: string; readonly granularity: Granularity }, InvalidReportPeriod> => {
  const asDay = /^\d{4}-\d{2}$/.test(input) ? `${input}-01` : input
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asDay) || Either.isLeft(parseIsoDate(asDay))) {
    return Either.left(new InvalidReportPeriod({ input }))
  }
  return Either.right({ period: input, granularity: asDay === input ? "day" : "month" })
}

/**
 * The metrics of `period` (a day or a month) from the summary rows of that granularity: every row up to
 * and including the period is needed (MRR and customers at the start are the sums of the rows before
 * it); rows of the other granularity and rows after the period are ignored.
 */
export const periodMetrics = (
  summaries: Iterable<PeriodSummary>,
  period: string
): Either.Either<PeriodMetrics, InvalidReportPeriod> =>
  Either.map(parseReportPeriod(period), ({ granularity }) => {
    const start = new Map<CurrencyCode, { mrr: MrrUnits; payers: number }>()
    let customersStart = 0
    let current: PeriodSummary | undefined
    for (const summary of summaries) {
      if (summary.granularity !== granularity || summary.period > period) continue
      if (summary.period === period) {
        current = summary
        continue
      }
      customersStart += summary.customersNew + summary.customersReactivated - summary.customersChurned
      for (const [currency, figures] of Object.entries(summary.currencies) as Array<
        [CurrencyCode, CurrencySummary]
      >) {
        const before = start.get(currency) ?? { mrr: 0n, payers: 0 }
        start.set(currency, {
          mrr: before.mrr + netUnits(figures),
          payers: before.payers + figures.payersGained - figures.payersLost
        })
      }
    }
    const rows = (current?.currencies ?? {}) as Partial<Record<CurrencyCode, CurrencySummary>>
    const currencies = [...new Set([...start.keys(), ...(Object.keys(rows) as Array<CurrencyCode>)])].sort()
    const figures = currencies
      .map((currency): CurrencyPeriodMetrics => {
        const row = rows[currency] ?? emptyCurrencySummary
        const { mrr, payers } = start.get(currency) ?? { mrr: 0n, payers: 0 }
        const movements = Object.fromEntries(MovementKinds.map((kind) => [kind, row[kind]])) as Record<
          MovementKind,
          MrrUnits
        >
        return {
          currency,
          mrrStart: mrr,
          mrrEnd: mrr + netUnits(row),
          movements,
          payersStart: payers,
          payersEnd: payers + row.payersGained - row.payersLost,
          cohortLost: row.cohortLost,
          cohortChange: row.cohortChange,
          revenueChurnRate: metricRate(row.cohortLost, mrr),
          netRevenueRetention: metricRate(mrr + row.cohortChange, mrr)
        }
      })
      .filter((c) => c.mrrStart !== 0n || c.mrrEnd !== 0n || rows[c.currency] !== undefined)
    const customersNew = current?.customersNew ?? 0
    const reactivated = current?.customersReactivated ?? 0
    const churned = current?.customersChurned ?? 0
    const lost = current?.cohortCustomersLost ?? 0
    const end = customersStart + customersNew + reactivated - churned
    return {
      period,
      granularity,
      currencies: figures,
      customers: {
        start: customersStart,
        end,
        new: customersNew,
        reactivated,
        churned,
        lost,
        churnRate: metricRate(BigInt(lost), BigInt(customersStart)),
        growthRate: metricRate(BigInt(end - customersStart), BigInt(customersStart))
      }
    }
  })

/** A period's money figures and revenue rates in the reporting currency. */
export interface ReportedPeriodMetrics {
  readonly mrrStart: Money
  readonly mrrEnd: Money
  readonly movements: Readonly<Record<MovementKind, Money>>
  readonly revenueChurnRate: MetricRate | undefined
  readonly netRevenueRetention: MetricRate | undefined
}

const collect = (metrics: PeriodMetrics, pick: (c: CurrencyPeriodMetrics) => MrrUnits): CurrencyUnits => {
  const units: CurrencyUnits = {}
  for (const c of metrics.currencies) units[c.currency] = pick(c)
  return units
}

/** `a / b` of two exact amounts. */
const ratioOf = (a: ExactAmount, b: ExactAmount): MetricRate | undefined =>
  metricRate(a.num * b.den, a.den * b.num)

/**
 * The period's figures converted at the day's rates: each a sum of exact conversions rounded once, and
 * the revenue rates of all currencies together (exact).
 */
export const reportPeriodMetrics = (
  metrics: PeriodMetrics,
  conversion: ReportingConversion
): Either.Either<ReportedPeriodMetrics, ExchangeRateMissing> =>
  Either.gen(function* () {
    const exact = (pick: (c: CurrencyPeriodMetrics) => MrrUnits) =>
      exactTotal(collect(metrics, pick), conversion)
    const money = (amount: ExactAmount): Money => ({
      amount: divideRounded(amount.num, amount.den, conversion.rounding),
      currency: conversion.currency
    })
    const start = yield* exact((c) => c.mrrStart)
    const end = yield* exact((c) => c.mrrEnd)
    const lost = yield* exact((c) => c.cohortLost)
    const retained = yield* exact((c) => c.mrrStart + c.cohortChange)
    const movements = {} as Record<MovementKind, Money>
    for (const kind of MovementKinds) movements[kind] = money(yield* exact((c) => c.movements[kind]))
    return {
      mrrStart: money(start),
      mrrEnd: money(end),
      movements,
      revenueChurnRate: ratioOf(lost, start),
      netRevenueRetention: ratioOf(retained, start)
    }
  })
