/**
 * Row <-> record mapping for the revenue metrics, identical for both dialects. Snapshots, events, MRR per
 * currency and cohort changes are documents (never queried; bigints kept exact); MRR units are 64-bit
 * integers.
 */
import type {
  CurrencyCode,
  CustomerRevenue,
  MrrMovement,
  RecordedRevenueEvent,
  RevenueEvent,
  RevenueTotals,
  SubscriptionRevenue,
  SummaryRow
} from "@ezscale/core"
import { decodeDocument, encodeDocument } from "./json"

export interface RevenueSubscriptionRow {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly customerId: string
  readonly currency: string
  readonly status: string
  readonly snapshot: string
  readonly mrrUnits: bigint
  readonly sinceAt: number
  readonly churnedAt: number | null
  readonly eventCount: number
}

export const revenueSubscriptionToRow = (
  tenantId: string,
  row: SubscriptionRevenue,
  eventCount: number
): RevenueSubscriptionRow => ({
  tenantId,
  subscriptionId: row.subscriptionId,
  customerId: row.customerId,
  currency: row.currency,
  status: row.status,
  snapshot: encodeDocument(row.snapshot),
  mrrUnits: row.mrr,
  sinceAt: row.since,
  churnedAt: row.churnedAt ?? null,
  eventCount
})

export const revenueSubscriptionFromRow = (row: RevenueSubscriptionRow): SubscriptionRevenue => ({
  subscriptionId: row.subscriptionId,
  customerId: row.customerId,
  currency: row.currency as CurrencyCode,
  status: row.status as SubscriptionRevenue["status"],
  snapshot: decodeDocument<SubscriptionRevenue["snapshot"]>(row.snapshot),
  mrr: row.mrrUnits,
  since: row.sinceAt,
  churnedAt: row.churnedAt ?? undefined
})

export interface RevenueCustomerRow {
  readonly tenantId: string
  readonly customerId: string
  readonly mrr: string
  readonly everPaid: boolean
  readonly lastAt: number
  readonly dayPeriod: string
  readonly dayStart: string
  readonly monthPeriod: string
  readonly monthStart: string
}

export const revenueCustomerToRow = (tenantId: string, row: CustomerRevenue): RevenueCustomerRow => ({
  tenantId,
  customerId: row.customerId,
  mrr: encodeDocument(row.mrr),
  everPaid: row.everPaid,
  lastAt: row.lastAt,
  dayPeriod: row.day.period,
  dayStart: encodeDocument(row.day.start),
  monthPeriod: row.month.period,
  monthStart: encodeDocument(row.month.start)
})

export const revenueCustomerFromRow = (row: RevenueCustomerRow): CustomerRevenue => ({
  customerId: row.customerId,
  mrr: decodeDocument<CustomerRevenue["mrr"]>(row.mrr),
  everPaid: row.everPaid,
  lastAt: row.lastAt,
  day: { period: row.dayPeriod, start: decodeDocument<CustomerRevenue["mrr"]>(row.dayStart) },
  month: { period: row.monthPeriod, start: decodeDocument<CustomerRevenue["mrr"]>(row.monthStart) }
})

export interface RevenueEventRow {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly seq: number
  readonly customerId: string
  readonly kind: string
  readonly occurredAt: number
  readonly document: string
}

export const revenueEventToRow = (
  tenantId: string,
  subscriptionId: string,
  customerId: string,
  seq: number,
  event: RevenueEvent
): RevenueEventRow => ({
  tenantId,
  subscriptionId,
  seq,
  customerId,
  kind: event._tag,
  occurredAt: event.at,
  document: encodeDocument(event)
})

export const revenueEventFromRow = (row: RevenueEventRow): RecordedRevenueEvent => ({
  subscriptionId: row.subscriptionId,
  seq: row.seq,
  event: decodeDocument<RevenueEvent>(row.document)
})

export interface MrrMovementRow {
  readonly tenantId: string
  readonly id: string
  readonly occurredAt: number
  readonly day: string
  readonly month: string
  readonly kind: string
  readonly subscriptionId: string
  readonly customerId: string
  readonly currency: string
  readonly units: bigint
  readonly cause: string
  readonly payers: number
  readonly cohort: string
}

export const mrrMovementToRow = (tenantId: string, id: string, movement: MrrMovement): MrrMovementRow => ({
  tenantId,
  id,
  occurredAt: movement.at,
  day: movement.day,
  month: movement.month,
  kind: movement.kind,
  subscriptionId: movement.subscriptionId,
  customerId: movement.customerId,
  currency: movement.currency,
  units: movement.units,
  cause: movement.cause,
  payers: movement.payers,
  cohort: encodeDocument(movement.cohort)
})

export const mrrMovementFromRow = (row: MrrMovementRow): MrrMovement => ({
  kind: row.kind as MrrMovement["kind"],
  at: row.occurredAt,
  day: row.day,
  month: row.month,
  subscriptionId: row.subscriptionId,
  customerId: row.customerId,
  currency: row.currency as CurrencyCode,
  units: row.units,
  cause: row.cause as MrrMovement["cause"],
  payers: row.payers as MrrMovement["payers"],
  cohort: decodeDocument<MrrMovement["cohort"]>(row.cohort)
})

export interface RevenueSummaryRow {
  readonly tenantId: string
  readonly granularity: string
  readonly period: string
  readonly currency: string
  readonly newUnits: bigint
  readonly expansionUnits: bigint
  readonly contractionUnits: bigint
  readonly churnedUnits: bigint
  readonly reactivationUnits: bigint
  readonly payersGained: number
  readonly payersLost: number
  readonly cohortLostUnits: bigint
  readonly cohortChangeUnits: bigint
  readonly customersNew: number
  readonly customersReactivated: number
  readonly customersChurned: number
  readonly cohortCustomersLost: number
}

/** The additive columns of a summary row: an upsert adds each of them to the stored row. */
export const summaryCountColumns = [
  "newUnits",
  "expansionUnits",
  "contractionUnits",
  "churnedUnits",
  "reactivationUnits",
  "payersGained",
  "payersLost",
  "cohortLostUnits",
  "cohortChangeUnits",
  "customersNew",
  "customersReactivated",
  "customersChurned",
  "cohortCustomersLost"
] as const satisfies ReadonlyArray<keyof RevenueSummaryRow>

export const summaryToRow = (tenantId: string, row: SummaryRow): RevenueSummaryRow => ({
  tenantId,
  granularity: row.granularity,
  period: row.period,
  currency: row.currency,
  newUnits: row.new,
  expansionUnits: row.expansion,
  contractionUnits: row.contraction,
  churnedUnits: row.churned,
  reactivationUnits: row.reactivation,
  payersGained: row.payersGained,
  payersLost: row.payersLost,
  cohortLostUnits: row.cohortLost,
  cohortChangeUnits: row.cohortChange,
  customersNew: row.customersNew,
  customersReactivated: row.customersReactivated,
  customersChurned: row.customersChurned,
  cohortCustomersLost: row.cohortCustomersLost
})

export const summaryFromRow = (row: RevenueSummaryRow): SummaryRow => ({
  granularity: row.granularity as SummaryRow["granularity"],
  period: row.period,
  currency: row.currency as CurrencyCode,
  new: row.newUnits,
  expansion: row.expansionUnits,
  contraction: row.contractionUnits,
  churned: row.churnedUnits,
  reactivation: row.reactivationUnits,
  payersGained: row.payersGained,
  payersLost: row.payersLost,
  cohortLost: row.cohortLostUnits,
  cohortChange: row.cohortChangeUnits,
  customersNew: row.customersNew,
  customersReactivated: row.customersReactivated,
  customersChurned: row.customersChurned,
  cohortCustomersLost: row.cohortCustomersLost
})

/** The totals from their rows (currencies at zero MRR and zero payers are left out, as core does). */
export const totalsFromRows = (
  rows: ReadonlyArray<{ readonly currency: string; readonly mrrUnits: bigint; readonly payers: number }>,
  payingCustomers: number
): RevenueTotals => {
  const mrr: Partial<Record<CurrencyCode, bigint>> = {}
  const payers: Partial<Record<CurrencyCode, number>> = {}
  for (const row of rows) {
    if (row.mrrUnits !== 0n) mrr[row.currency as CurrencyCode] = row.mrrUnits
    if (row.payers !== 0) payers[row.currency as CurrencyCode] = row.payers
  }
  return { mrr, payers, payingCustomers }
}
