/**
 * The revenue ledger: every subscription's and customer's revenue row, MRR per currency and the day and
 * month summaries, kept in persistent maps so that applying an event is a pure function of the ledger
 * and the event. It is what the engine's summary tables hold, in memory: for tests, imports and
 * rebuilding the tables from the event history.
 */
import { Either, HashMap, Option } from "effect"
import type { InvalidTimeZone } from "../calendar/errors"
import { validateTimeZone } from "../calendar/zone"
import type { CurrencyCode } from "../money/currency"
import { applyRevenueEvent, type CustomerRevenue, type SubscriptionRevenue } from "./apply"
import type { RevenueEventError } from "./errors"
import { type RevenueEvent, revenueEventCustomer, revenueEventSubscription } from "./events"
import { type MrrMovement, signedUnits } from "./movement"
import { addMovement, emptyPeriodSummary, type Granularity, type PeriodSummary } from "./summary"
import { addUnits, anyPositive, type CurrencyUnits } from "./units"

/** All revenue rows and summaries of a tenant, in memory. */
export interface RevenueLedger {
  /** The reporting zone days and months are counted in. */
  readonly zone: string
  readonly subscriptions: HashMap.HashMap<string, SubscriptionRevenue>
  readonly customers: HashMap.HashMap<string, CustomerRevenue>
  /** MRR per currency: the sum of the movements so far. */
  readonly mrr: CurrencyUnits
  readonly days: HashMap.HashMap<string, PeriodSummary>
  readonly months: HashMap.HashMap<string, PeriodSummary>
}

/** An empty ledger reporting in `zone` (an IANA zone, e.g. the tenant's). */
export const emptyRevenueLedger = (zone: string): Either.Either<RevenueLedger, InvalidTimeZone> =>
  Either.map(validateTimeZone(zone), (valid) => ({
    zone: valid,
    subscriptions: HashMap.empty(),
    customers: HashMap.empty(),
    mrr: {},
    days: HashMap.empty(),
    months: HashMap.empty()
  }))

const addToPeriods = (
  periods: HashMap.HashMap<string, PeriodSummary>,
  period: string,
  granularity: Granularity,
  movement: MrrMovement
) => {
  const current = Option.getOrElse(HashMap.get(periods, period), () =>
    emptyPeriodSummary(period, granularity)
  )
  return HashMap.set(periods, period, addMovement(current, movement))
}

/**
 * The incremental path: the ledger after one more event, and the movement it made. Refused as
 * {@link applyRevenueEvent} refuses.
 */
export const foldRevenueEvent = (
  ledger: RevenueLedger,
  event: RevenueEvent
): Either.Either<
  { readonly ledger: RevenueLedger; readonly movement: MrrMovement | undefined },
  RevenueEventError
> => {
  const subscriptionId = revenueEventSubscription(event)
  const subscription = Option.getOrUndefined(HashMap.get(ledger.subscriptions, subscriptionId))
  const customerId = subscription?.customerId ?? revenueEventCustomer(event)
  const customer = Option.getOrUndefined(HashMap.get(ledger.customers, customerId))
  const step = applyRevenueEvent({ subscription, customer }, event, ledger.zone)
  if (Either.isLeft(step)) return Either.left(step.left)
  const { movement } = step.right
  return Either.right({
    ledger: {
      zone: ledger.zone,
      subscriptions: HashMap.set(ledger.subscriptions, subscriptionId, step.right.subscription),
      customers: HashMap.set(ledger.customers, customerId, step.right.customer),
      mrr:
        movement === undefined ? ledger.mrr : addUnits(ledger.mrr, movement.currency, signedUnits(movement)),
      days: movement === undefined ? ledger.days : addToPeriods(ledger.days, movement.day, "day", movement),
      months:
        movement === undefined
          ? ledger.months
          : addToPeriods(ledger.months, movement.month, "month", movement)
    },
    movement
  })
}

/** Folds events into the ledger one by one; stops at the first refused event. */
export const replayRevenueEvents = (
  ledger: RevenueLedger,
  events: Iterable<RevenueEvent>
): Either.Either<RevenueLedger, RevenueEventError> => {
  let current = ledger
  for (const event of events) {
    const next = foldRevenueEvent(current, event)
    if (Either.isLeft(next)) return Either.left(next.left)
    current = next.right.ledger
  }
  return Either.right(current)
}

/** Everything the metrics read, as plain sorted values. */
export interface RevenueSummaries {
  /** MRR per currency now (exact units). */
  readonly mrr: CurrencyUnits
  /** How many customers pay in each currency. */
  readonly payers: Partial<Record<CurrencyCode, number>>
  /** How many customers pay (in any currency). */
  readonly payingCustomers: number
  /** Every subscription's revenue row, by id. */
  readonly subscriptions: ReadonlyArray<SubscriptionRevenue>
  /** Day and month summaries, by period. */
  readonly days: ReadonlyArray<PeriodSummary>
  readonly months: ReadonlyArray<PeriodSummary>
}

const byKey =
  <A>(key: (a: A) => string) =>
  (a: A, b: A) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0

/** Payers per currency and paying customers, from customers' MRR. */
export const countPayers = (
  customers: Iterable<Pick<CustomerRevenue, "mrr">>
): { payers: Partial<Record<CurrencyCode, number>>; payingCustomers: number } => {
  const payers: Partial<Record<CurrencyCode, number>> = {}
  let payingCustomers = 0
  for (const customer of customers) {
    if (anyPositive(customer.mrr)) payingCustomers++
    for (const currency of Object.keys(customer.mrr).sort() as Array<CurrencyCode>) {
      if ((customer.mrr[currency] ?? 0n) > 0n) payers[currency] = (payers[currency] ?? 0) + 1
    }
  }
  return { payers: sortedRecord(payers), payingCustomers }
}

/** The record with its keys in alphabetical order (so equal records print and compare alike). */
export const sortedRecord = <V>(
  record: Partial<Record<CurrencyCode, V>>
): Partial<Record<CurrencyCode, V>> => {
  const sorted: Partial<Record<CurrencyCode, V>> = {}
  for (const key of Object.keys(record).sort() as Array<CurrencyCode>) sorted[key] = record[key] as V
  return sorted
}

/** The ledger's rows and summaries as sorted arrays. */
export const revenueSummaries = (ledger: RevenueLedger): RevenueSummaries => ({
  mrr: sortedRecord(ledger.mrr),
  ...countPayers(HashMap.values(ledger.customers)),
  subscriptions: HashMap.toValues(ledger.subscriptions).sort(byKey((s) => s.subscriptionId)),
  days: HashMap.toValues(ledger.days).sort(byKey((s) => s.period)),
  months: HashMap.toValues(ledger.months).sort(byKey((s) => s.period))
})
