/**
 * The batch path: the same summaries as folding the events one by one into a ledger, computed from the
 * whole history at once by following each definition directly: every subscription's MRR from its last
 * snapshot, each customer's MRR as a timeline, each movement classified on that timeline, and each
 * period's cohort figures from the customer's MRR at the period's start and end. A property test checks
 * that both paths agree on any history.
 */
import { Either } from "effect"
import type { InvalidTimeZone } from "../calendar/errors"
import { type Instant, validateTimeZone } from "../calendar/zone"
import type { CurrencyCode } from "../money/currency"
import { rejectRevenueEvent, type SubscriptionRevenue } from "./apply"
import { type RevenueEventError, RevenueEventOutOfOrder } from "./errors"
import { type RevenueEvent, revenueEventCustomer, revenueEventSubscription } from "./events"
import { countPayers, type RevenueSummaries, sortedRecord } from "./ledger"
import { classifyMovement, dayOf, type MovementKind, monthOfDay } from "./movement"
import { snapshotMrr } from "./snapshot"
import { type CurrencySummary, emptyCurrencySummary, type Granularity, type PeriodSummary } from "./summary"
import type { CurrencyUnits, MrrUnits } from "./units"

/** One change of one subscription's MRR. */
interface Change {
  readonly at: Instant
  readonly currency: CurrencyCode
  readonly delta: MrrUnits
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Every subscription's final row, and each customer's MRR changes in order. */
const replaySubscriptions = (
  events: ReadonlyArray<RevenueEvent>
): Either.Either<
  { rows: Map<string, SubscriptionRevenue>; changes: Map<string, Array<Change>> },
  RevenueEventError
> => {
  const rows = new Map<string, SubscriptionRevenue>()
  const changes = new Map<string, Array<Change>>()
  const lastAt = new Map<string, Instant>()
  for (const event of events) {
    const subscriptionId = revenueEventSubscription(event)
    const current = rows.get(subscriptionId)
    const rejected = rejectRevenueEvent(current, event)
    if (rejected !== undefined) return Either.left(rejected)
    const customerId = revenueEventCustomer(event)
    const last = lastAt.get(customerId)
    if (last !== undefined && event.at < last) {
      return Either.left(new RevenueEventOutOfOrder({ customerId, at: event.at, lastAt: last }))
    }
    lastAt.set(customerId, event.at)
    let next: SubscriptionRevenue
    if (event._tag === "RevenueChurned") {
      next = { ...(current as SubscriptionRevenue), status: "churned", mrr: 0n, churnedAt: event.at }
    } else if (current === undefined || event._tag === "RevenueReactivated") {
      next = {
        subscriptionId,
        customerId,
        currency: event.snapshot.currency,
        status: "live",
        snapshot: event.snapshot,
        mrr: snapshotMrr(event.snapshot),
        since: event.at,
        churnedAt: current?.churnedAt
      }
    } else {
      next = { ...current, snapshot: event.snapshot, mrr: snapshotMrr(event.snapshot) }
    }
    const delta = next.mrr - (current?.status === "live" ? current.mrr : 0n)
    rows.set(subscriptionId, next)
    const list = changes.get(customerId) ?? []
    if (delta !== 0n) list.push({ at: event.at, currency: next.currency, delta })
    changes.set(customerId, list)
  }
  return Either.right({ rows, changes })
}

const paying = (mrr: ReadonlyMap<CurrencyCode, MrrUnits>): boolean => {
  for (const units of mrr.values()) if (units > 0n) return true
  return false
}

/** A period's summary being built. */
interface PeriodBuild {
  readonly summary: Mutable<Omit<PeriodSummary, "currencies">>
  readonly currencies: Map<CurrencyCode, Mutable<CurrencySummary>>
}

const periodOf = (periods: Map<string, PeriodBuild>, period: string, granularity: Granularity) => {
  let build = periods.get(period)
  if (build === undefined) {
    build = {
      summary: {
        period,
        granularity,
        customersNew: 0,
        customersReactivated: 0,
        customersChurned: 0,
        cohortCustomersLost: 0
      },
      currencies: new Map()
    }
    periods.set(period, build)
  }
  return build
}

const currencyOf = (build: PeriodBuild, currency: CurrencyCode) => {
  let summary = build.currencies.get(currency)
  if (summary === undefined) {
    summary = { ...emptyCurrencySummary }
    build.currencies.set(currency, summary)
  }
  return summary
}

/** One customer's stretch of changes inside one period: their MRR before the first and after the last. */
interface Stretch {
  readonly period: string
  readonly start: ReadonlyMap<CurrencyCode, MrrUnits>
  end: ReadonlyMap<CurrencyCode, MrrUnits>
  readonly currencies: Set<CurrencyCode>
}

/** Adds one customer's movements, payer changes and cohort figures to the periods. */
const addCustomer = (
  changes: ReadonlyArray<Change>,
  zone: string,
  periods: Record<Granularity, Map<string, PeriodBuild>>
): void => {
  const mrr = new Map<CurrencyCode, MrrUnits>()
  let everPaid = false
  const stretches: Record<Granularity, Array<Stretch>> = { day: [], month: [] }
  for (const change of changes) {
    const day = dayOf(change.at, zone)
    const keys: Record<Granularity, string> = { day, month: monthOfDay(day) }
    const before = new Map(mrr)
    const currencyBefore = mrr.get(change.currency) ?? 0n
    const currencyAfter = currencyBefore + change.delta
    if (currencyAfter === 0n) mrr.delete(change.currency)
    else mrr.set(change.currency, currencyAfter)
    const wasPaying = paying(before)
    const isPaying = paying(mrr)
    const kind = classifyMovement(wasPaying, isPaying, everPaid, change.delta) as MovementKind
    everPaid = everPaid || isPaying
    for (const granularity of ["day", "month"] as const) {
      const build = periodOf(periods[granularity], keys[granularity], granularity)
      const summary = currencyOf(build, change.currency)
      summary[kind] += change.delta > 0n ? change.delta : -change.delta
      if (currencyBefore === 0n && currencyAfter > 0n) summary.payersGained++
      if (currencyBefore > 0n && currencyAfter === 0n) summary.payersLost++
      if (kind === "new") build.summary.customersNew++
      if (kind === "reactivation") build.summary.customersReactivated++
      if (kind === "churned") build.summary.customersChurned++
      const list = stretches[granularity]
      const open = list[list.length - 1]
      if (open === undefined || open.period !== keys[granularity]) {
        list.push({
          period: keys[granularity],
          start: before,
          end: new Map(mrr),
          currencies: new Set([change.currency])
        })
      } else {
        open.end = new Map(mrr)
        open.currencies.add(change.currency)
      }
    }
  }
  // Cohort figures by definition: a customer paying at the period's start is in its cohort; the cohort
  // loses max(0, start - end) of their MRR and changes by end - start; they are lost if not paying at the end.
  for (const granularity of ["day", "month"] as const) {
    for (const stretch of stretches[granularity]) {
      const inCohort = paying(stretch.start)
      const build = periodOf(periods[granularity], stretch.period, granularity)
      if (inCohort && !paying(stretch.end)) build.summary.cohortCustomersLost++
      for (const currency of stretch.currencies) {
        const start = stretch.start.get(currency) ?? 0n
        const end = stretch.end.get(currency) ?? 0n
        const summary = currencyOf(build, currency)
        summary.cohortLost += start > end ? start - end : 0n
        if (inCohort) summary.cohortChange += end - start
      }
    }
  }
}

const finish = (periods: Map<string, PeriodBuild>): Array<PeriodSummary> =>
  [...periods.values()]
    .map((build) => {
      const currencies: Partial<Record<CurrencyCode, CurrencySummary>> = {}
      for (const [currency, summary] of build.currencies) currencies[currency] = summary
      return { ...build.summary, currencies: sortedRecord(currencies) }
    })
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))

/**
 * The revenue summaries of a whole event history (in time order per customer), reporting in `zone`:
 * the same as folding the events into an empty ledger one by one, refused for the same first event.
 */
export const revenueFromHistory = (
  events: ReadonlyArray<RevenueEvent>,
  zone: string
): Either.Either<RevenueSummaries, RevenueEventError | InvalidTimeZone> => {
  const valid = validateTimeZone(zone)
  if (Either.isLeft(valid)) return Either.left(valid.left)
  const replayed = replaySubscriptions(events)
  if (Either.isLeft(replayed)) return Either.left(replayed.left)
  const { rows, changes } = replayed.right
  const mrr: CurrencyUnits = {}
  for (const row of rows.values()) {
    if (row.status === "live" && row.mrr !== 0n) mrr[row.currency] = (mrr[row.currency] ?? 0n) + row.mrr
  }
  for (const currency of Object.keys(mrr) as Array<CurrencyCode>)
    if (mrr[currency] === 0n) delete mrr[currency]
  const periods: Record<Granularity, Map<string, PeriodBuild>> = { day: new Map(), month: new Map() }
  const customers: Array<{ mrr: CurrencyUnits }> = []
  for (const list of changes.values()) {
    addCustomer(list, zone, periods)
    const final: CurrencyUnits = {}
    for (const change of list) final[change.currency] = (final[change.currency] ?? 0n) + change.delta
    customers.push({ mrr: final })
  }
  return Either.right({
    mrr: sortedRecord(mrr),
    ...countPayers(customers),
    subscriptions: [...rows.values()].sort((a, b) =>
      a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0
    ),
    days: finish(periods.day),
    months: finish(periods.month)
  })
}
