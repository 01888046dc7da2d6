/**
 * The revenue metrics the engine keeps, in the transaction of every subscription change (see
 * docs/metrics.md): each subscription's revenue events in order, its revenue row and its customer's,
 * every MRR movement, and small additive summary rows per (day or month, currency) plus running totals,
 * so a dashboard answers from a few rows instead of scanning history.
 */
import type { InvalidTimeZone } from "../../calendar/errors"
import type { Instant } from "../../calendar/zone"
import type { CustomerRevenue, RevenueRows, RevenueStep } from "../../metrics/apply"
import type { RevenueEventError } from "../../metrics/errors"
import type { RevenueEvent } from "../../metrics/events"
import type { MrrMovement } from "../../metrics/movement"
import { signedUnits } from "../../metrics/movement"
import type { CurrencySummary, Granularity, PeriodSummary } from "../../metrics/summary"
import { anyPositive, type CurrencyUnits, type MrrUnits } from "../../metrics/units"
import type { CurrencyCode } from "../../money/currency"
import type { Page, PageRequest } from "../common"
import type { Op } from "./repositories"

/** A revenue event as stored: its place in its subscription's history (1, 2, 3...). */
export interface RecordedRevenueEvent {
  readonly subscriptionId: string
  readonly seq: number
  readonly event: RevenueEvent
}

/** What `apply` did: the event's place, the rows as written, and the movement (if the MRR changed). */
export interface AppliedRevenueEvent extends RevenueStep {
  readonly seq: number
}

/** MRR now: per currency, customers paying per currency, and customers paying in any currency. */
export interface RevenueTotals {
  readonly mrr: CurrencyUnits
  readonly payers: Partial<Record<CurrencyCode, number>>
  readonly payingCustomers: number
}

/** One summary row: a period's movements in one currency (`CurrencySummary` + the period's counts). */
export interface SummaryRow extends CurrencySummary {
  readonly granularity: Granularity
  readonly period: string
  readonly currency: CurrencyCode
  readonly customersNew: number
  readonly customersReactivated: number
  readonly customersChurned: number
  readonly cohortCustomersLost: number
}

/**
 * What one movement adds to the summary row of its period of `granularity` in its currency: summary rows
 * are additive, so stores keep them with `INSERT ... ON CONFLICT` / `ON DUPLICATE KEY UPDATE x = x + ?`.
 */
export const summaryIncrement = (movement: MrrMovement, granularity: Granularity): SummaryRow => {
  const cohort = movement.cohort[granularity]
  const units = (kind: MrrMovement["kind"]) => (movement.kind === kind ? movement.units : 0n)
  return {
    granularity,
    period: granularity === "day" ? movement.day : movement.month,
    currency: movement.currency,
    new: units("new"),
    expansion: units("expansion"),
    contraction: units("contraction"),
    churned: units("churned"),
    reactivation: units("reactivation"),
    payersGained: movement.payers === 1 ? 1 : 0,
    payersLost: movement.payers === -1 ? 1 : 0,
    cohortLost: cohort.lost,
    cohortChange: cohort.change,
    customersNew: movement.kind === "new" ? 1 : 0,
    customersReactivated: movement.kind === "reactivation" ? 1 : 0,
    customersChurned: movement.kind === "churned" ? 1 : 0,
    cohortCustomersLost: cohort.customersLost
  }
}

/** Two rows of the same (granularity, period, currency) added together. */
export const addSummaryRows = (a: SummaryRow, b: SummaryRow): SummaryRow => ({
  ...a,
  new: a.new + b.new,
  expansion: a.expansion + b.expansion,
  contraction: a.contraction + b.contraction,
  churned: a.churned + b.churned,
  reactivation: a.reactivation + b.reactivation,
  payersGained: a.payersGained + b.payersGained,
  payersLost: a.payersLost + b.payersLost,
  cohortLost: a.cohortLost + b.cohortLost,
  cohortChange: a.cohortChange + b.cohortChange,
  customersNew: a.customersNew + b.customersNew,
  customersReactivated: a.customersReactivated + b.customersReactivated,
  customersChurned: a.customersChurned + b.customersChurned,
  cohortCustomersLost: a.cohortCustomersLost + b.cohortCustomersLost
})

/**
 * The period summaries of summary rows (any order): one per period, ordered by period, its counts the
 * sums over its currencies (each movement counts in exactly one currency) — what `addMovement` builds.
 */
export const periodSummariesOf = (rows: ReadonlyArray<SummaryRow>): Array<PeriodSummary> => {
  const byPeriod = new Map<string, Array<SummaryRow>>()
  for (const row of rows) byPeriod.set(row.period, [...(byPeriod.get(row.period) ?? []), row])
  return [...byPeriod.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, currencyRows]) => {
      const currencies: Partial<Record<CurrencyCode, CurrencySummary>> = {}
      for (const row of [...currencyRows].sort((a, b) => (a.currency < b.currency ? -1 : 1))) {
        currencies[row.currency] = {
          new: row.new,
          expansion: row.expansion,
          contraction: row.contraction,
          churned: row.churned,
          reactivation: row.reactivation,
          payersGained: row.payersGained,
          payersLost: row.payersLost,
          cohortLost: row.cohortLost,
          cohortChange: row.cohortChange
        }
      }
      const sum = (
        field: "customersNew" | "customersReactivated" | "customersChurned" | "cohortCustomersLost"
      ) => currencyRows.reduce((total, row) => total + row[field], 0)
      return {
        period,
        granularity: (currencyRows[0] as SummaryRow).granularity,
        customersNew: sum("customersNew"),
        customersReactivated: sum("customersReactivated"),
        customersChurned: sum("customersChurned"),
        cohortCustomersLost: sum("cohortCustomersLost"),
        currencies
      }
    })
}

/** What a step adds to the totals: MRR and payers in the movement's currency, paying customers overall. */
export interface TotalsIncrement {
  readonly currency: CurrencyCode
  readonly mrr: MrrUnits
  readonly payers: number
  readonly payingCustomers: number
}

/** The totals increment of a step (none when the MRR did not move), from the customer's row before it. */
export const totalsIncrement = (
  before: CustomerRevenue | undefined,
  step: RevenueStep
): TotalsIncrement | undefined => {
  const movement = step.movement
  if (movement === undefined) return undefined
  const wasPaying = before !== undefined && anyPositive(before.mrr)
  const isPaying = anyPositive(step.customer.mrr)
  return {
    currency: movement.currency,
    mrr: signedUnits(movement),
    payers: movement.payers,
    payingCustomers: wasPaying === isPaying ? 0 : isPaying ? 1 : -1
  }
}

/** Totals with an increment added (currencies whose MRR and payers are both zero are left out). */
export const addToTotals = (totals: RevenueTotals, increment: TotalsIncrement | undefined): RevenueTotals => {
  if (increment === undefined) return totals
  const mrr = (totals.mrr[increment.currency] ?? 0n) + increment.mrr
  const payers = (totals.payers[increment.currency] ?? 0) + increment.payers
  const { [increment.currency]: _m, ...otherMrr } = totals.mrr
  const { [increment.currency]: _p, ...otherPayers } = totals.payers
  return {
    mrr: mrr === 0n ? otherMrr : { ...otherMrr, [increment.currency]: mrr },
    payers: payers === 0 ? otherPayers : { ...otherPayers, [increment.currency]: payers },
    payingCustomers: totals.payingCustomers + increment.payingCustomers
  }
}

/** Totals before any event. */
export const emptyRevenueTotals: RevenueTotals = { mrr: {}, payers: {}, payingCustomers: 0 }

/**
 * Revenue metrics per tenant.
 *
 * - apply: the whole incremental step of one event, atomically — reads (and, in a transaction, locks)
 *   the subscription's and customer's revenue rows, runs `applyRevenueEvent` in the reporting `zone`,
 *   appends the event (next `seq` of its subscription), writes both rows and, when the MRR moved, the
 *   movement, its day and month summary rows and the totals. A refused event (`IllegalRevenueEvent`,
 *   `RevenueEventOutOfOrder`, `RevenueSnapshotMismatch`) or an invalid zone writes nothing. Call it in
 *   the transaction of the subscription change. Two first events of one new customer racing in two
 *   transactions: one of them fails `Conflict` (re-run it).
 * - summaries: the day or month summaries whose period is in `[from, to]` (`YYYY-MM-DD` / `YYYY-MM`),
 *   ordered — `periodMetrics` for a period needs every row up to it, so read from the first.
 *
 * Unique keys: (tenant, subscription, seq) for events; (tenant, subscription) and (tenant, customer)
 * for the rows; (tenant, granularity, period, currency) for summary rows; (tenant, currency) for totals.
 */
export interface RevenueRepository {
  readonly apply: (
    tenantId: string,
    event: RevenueEvent,
    zone: string
  ) => Op<AppliedRevenueEvent, RevenueEventError | InvalidTimeZone>
  /** The two rows an event of `subscriptionId` / `customerId` would touch, as stored. */
  readonly rows: (tenantId: string, subscriptionId: string, customerId: string) => Op<RevenueRows>
  /** The subscription's events, in order (`seq` 1, 2, ...). */
  readonly events: (tenantId: string, subscriptionId: string) => Op<ReadonlyArray<RecordedRevenueEvent>>
  /** Movements with `at` in `[from, to)`, by (`at`, store order), in keyset pages. */
  readonly movements: (
    tenantId: string,
    range: { readonly from: Instant; readonly to: Instant },
    page: PageRequest
  ) => Op<Page<MrrMovement>>
  readonly summaries: (
    tenantId: string,
    granularity: Granularity,
    from: string,
    to: string
  ) => Op<ReadonlyArray<PeriodSummary>>
  readonly totals: (tenantId: string) => Op<RevenueTotals>
}
