/**
 * The hot path of a billing run, shared by both dialects: the rows of a page of renewals as flat values
 * for multi-row INSERTs (invoices, their lines, jobs, the subscriptions' main rows), the column lists,
 * and the statement texts, made once per shape. Values go in as the drivers take them: text, numbers
 * for instants and counters, `bigint` for money (range-checked), 0 / 1 for flags.
 */
import type {
  DueRange,
  JobSpec,
  RenewalNumbering,
  RenewalWrite,
  Subscription,
  Versioned
} from "@ezscale/core"
import { dateToColumn } from "./dates"
import {
  type InvoiceLineRow,
  type InvoiceRow,
  invoiceLinesToRows,
  invoiceToRow,
  renewalKindOf
} from "./documents"
import { groupBy } from "./group"
import { bigintFromDriver, int64, safeInteger, safeIntegerFromDriver } from "./integers"
import { newJobRow } from "./jobs"
import { encodeDocument } from "./json"
import { renewalCursor } from "./paging"
import {
  type CustomerRow,
  type SubscriptionItemRow,
  type SubscriptionRow,
  subscriptionFromRows,
  subscriptionToRow
} from "./records"

export const invoiceColumns = [
  "tenant_id",
  "id",
  "customer_id",
  "subscription_id",
  "kind",
  "renewal_kind",
  "status",
  "currency",
  "number",
  "issued_at",
  "due_at",
  "paid_at",
  "voided_at",
  "period_start",
  "period_end",
  "pricing",
  "tax_decision",
  "tax_summary",
  "notes",
  "subtotal_minor",
  "tax_minor",
  "total_minor",
  "discount_minor",
  "credit_applied_minor",
  "paid_minor",
  "refunded_minor",
  "credited_minor"
] as const

export const lineColumns = [
  "tenant_id",
  "invoice_id",
  "position",
  "kind",
  "description",
  "quantity",
  "unit_amount_minor",
  "amount_minor",
  "net_minor",
  "tax_minor",
  "gross_minor",
  "taxes",
  "period_start",
  "period_end",
  "item_id",
  "coupon_id",
  "reduces"
] as const

export const jobColumns = [
  "tenant_id",
  "id",
  "kind",
  "payload",
  "run_at",
  "dedupe_key",
  "state",
  "attempts",
  "max_attempts",
  "last_error",
  "locked_by",
  "locked_until"
] as const

/** The subscription's main row, without its key (tenant, id) and version: what a renewal sets. */
export const subscriptionColumns = [
  "customer_id",
  "product_id",
  "product_kind",
  "plan_id",
  "currency",
  "cycle",
  "pricing",
  "time_zone",
  "anchor",
  "current_period_start",
  "current_period_end",
  "next_renewal_at",
  "coupons",
  "invoiced_periods",
  "status",
  "suspension_reason",
  "suspended_at",
  "cancellation_mode",
  "cancellation_reason",
  "cancellation_requested_at",
  "cancellation_effective_at",
  "trial_ends_at",
  "created_at"
] as const

const instantOrNull = (value: number | null): number | null => (value === null ? null : safeInteger(value))

const invoiceValues = (row: InvoiceRow, out: Array<unknown>): void => {
  out.push(
    row.tenantId,
    row.id,
    row.customerId,
    row.subscriptionId,
    row.kind,
    row.renewalKind,
    row.status,
    row.currency,
    row.number,
    instantOrNull(row.issuedAt),
    safeInteger(row.dueAt),
    instantOrNull(row.paidAt),
    instantOrNull(row.voidedAt),
    row.periodStart,
    row.periodEnd,
    row.pricing,
    row.taxDecision,
    row.taxSummary,
    row.notes,
    int64(row.subtotalMinor),
    int64(row.taxMinor),
    int64(row.totalMinor),
    int64(row.discountMinor),
    int64(row.creditAppliedMinor),
    int64(row.paidMinor),
    int64(row.refundedMinor),
    int64(row.creditedMinor)
  )
}

const lineValues = (row: InvoiceLineRow, out: Array<unknown>): void => {
  out.push(
    row.tenantId,
    row.invoiceId,
    row.position,
    row.kind,
    row.description,
    int64(row.quantity),
    int64(row.unitAmountMinor),
    int64(row.amountMinor),
    int64(row.netMinor),
    int64(row.taxMinor),
    int64(row.grossMinor),
    row.taxes,
    row.periodStart,
    row.periodEnd,
    row.itemId,
    row.couponId,
    row.reduces
  )
}

const jobValues = (tenantId: string, id: string, spec: JobSpec, out: Array<unknown>): void => {
  const row = newJobRow(tenantId, id, spec)
  out.push(
    row.tenantId,
    row.id,
    row.kind,
    row.payload,
    safeInteger(row.runAt),
    row.dedupeKey,
    row.state,
    row.attempts,
    row.maxAttempts,
    row.lastError,
    row.lockedBy,
    row.lockedUntil
  )
}

/** The subscription's main-row values in {@link subscriptionColumns} order. */
export const subscriptionValues = (write: RenewalWrite, out: Array<unknown>): void => {
  const row = subscriptionToRow(write.subscription)
  out.push(
    row.customerId,
    row.productId,
    row.productKind,
    row.planId,
    row.currency,
    row.cycle,
    row.pricing,
    row.timeZone,
    row.anchor,
    row.currentPeriodStart,
    row.currentPeriodEnd,
    instantOrNull(row.nextRenewalAt),
    row.coupons,
    safeInteger(row.invoicedPeriods),
    row.status,
    row.suspensionReason,
    instantOrNull(row.suspendedAt),
    row.cancellationMode,
    row.cancellationReason,
    instantOrNull(row.cancellationRequestedAt),
    instantOrNull(row.cancellationEffectiveAt),
    instantOrNull(row.trialEndsAt),
    safeInteger(row.createdAt)
  )
}

/** The flat values of the rows the written renewals of a page insert, one array per table. */
export interface RenewalRows {
  readonly invoices: Array<unknown>
  readonly lines: Array<unknown>
  readonly jobs: Array<unknown>
}

/**
 * The rows of the `written` writes, the invoices numbered in order from `firstNumber` (the sequence's
 * value for the first written invoice) when there is `numbering`.
 */
export const renewalRows = (
  tenantId: string,
  written: ReadonlyArray<RenewalWrite>,
  numbering: RenewalNumbering | undefined,
  firstNumber: number,
  jobId: () => string
): RenewalRows => {
  const rows: RenewalRows = { invoices: [], lines: [], jobs: [] }
  // a value object shared by several invoices of the page (the run's tax decision) is encoded once
  const encoded = new Map<unknown, string>()
  const encode = (document: unknown): string => {
    let text = encoded.get(document)
    if (text === undefined) {
      text = encodeDocument(document)
      if (typeof document === "object" && document !== null) encoded.set(document, text)
    }
    return text
  }
  let value = firstNumber
  for (const write of written) {
    const { invoice } = write
    if (invoice !== undefined) {
      const numbered = numbering === undefined ? invoice : { ...invoice, number: numbering.format(value++) }
      invoiceValues(invoiceToRow(numbered, encode), rows.invoices)
      for (const line of invoiceLinesToRows(numbered, encode)) lineValues(line, rows.lines)
    }
    for (const job of write.jobs) jobValues(tenantId, jobId(), job, rows.jobs)
  }
  return rows
}

/** Sets the numbers of the invoice rows of `rows` (made with `firstNumber` 0): `format(first)`, `format(first + 1)`... */
export const numberInvoiceRows = (rows: RenewalRows, numbering: RenewalNumbering, first: number): void => {
  const numberColumn = invoiceColumns.indexOf("number")
  for (let i = 0, value = first; i < rows.invoices.length; i += invoiceColumns.length, value++) {
    rows.invoices[i + numberColumn] = numbering.format(value)
  }
}

/** Invoices among the written writes: how many numbers the page draws. */
export const invoiceCount = (written: ReadonlyArray<RenewalWrite>): number =>
  written.reduce((n, write) => (write.invoice === undefined ? n : n + 1), 0)

/** `INSERT INTO <table> (...) VALUES (?, ...), ...` of `rows` rows, with `suffix`, made once per shape. */
export const insertSqlMaker = (table: string, columns: ReadonlyArray<string>, suffix = "") => {
  const made = new Map<number, string>()
  const row = `(${columns.map(() => "?").join(", ")})`
  return (rows: number): string => {
    let text = made.get(rows)
    if (text === undefined) {
      text = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array(rows).fill(row).join(", ")}${suffix}`
      made.set(rows, text)
    }
    return text
  }
}

/** `values` (flat, `columns` per row) cut into slices of at most `rows` rows. */
export const rowChunks = (
  values: ReadonlyArray<unknown>,
  columns: number,
  rows: number
): Array<ReadonlyArray<unknown>> => {
  const per = rows * columns
  if (values.length <= per) return values.length === 0 ? [] : [values]
  const out: Array<ReadonlyArray<unknown>> = []
  for (let start = 0; start < values.length; start += per) out.push(values.slice(start, start + per))
  return out
}

/** The renewal key's columns (subscription, period start, period end, kind) of a write's invoice, if any. */
export const renewalKeyColumns = (
  write: RenewalWrite
): readonly [string, string, string, string] | undefined => {
  const { invoice } = write
  if (invoice === undefined) return undefined
  const kind = renewalKindOf(invoice)
  return kind === null || invoice.subscriptionId === undefined || invoice.period === undefined
    ? undefined
    : [invoice.subscriptionId, dateToColumn(invoice.period.start), dateToColumn(invoice.period.end), kind]
}

/**
 * `dueRanges`: the key of the `size`-th due subscription after a position (`OFFSET`, an index-only
 * walk of the renewal index), and of the last one; both dialects run the same text.
 */
const dueBase =
  "SELECT next_renewal_at AS at, id FROM subscriptions WHERE tenant_id = ? AND next_renewal_at IS NOT NULL " +
  "AND next_renewal_at < ?"
const afterKey = " AND (next_renewal_at > ? OR (next_renewal_at = ? AND id > ?))"
export const dueRangeSql = {
  first: `${dueBase} ORDER BY next_renewal_at, id LIMIT 1 OFFSET ?`,
  next: `${dueBase}${afterKey} ORDER BY next_renewal_at, id LIMIT 1 OFFSET ?`,
  lastFirst: `${dueBase} ORDER BY next_renewal_at DESC, id DESC LIMIT 1`,
  lastNext: `${dueBase}${afterKey} ORDER BY next_renewal_at DESC, id DESC LIMIT 1`
} as const

export interface DueKey {
  readonly nextRenewalAt: number
  readonly id: string
}

/** A range size must be a whole number >= 1: anything else is a bug in the caller. */
export const checkRangeSize = (size: number): void => {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`range size must be >= 1, got ${size}`)
}

/** The range ending at `last`, after the one that ended at `previous`. */
export const dueRange = (previous: DueKey | undefined, last: DueKey): DueRange =>
  previous === undefined ? { last } : { after: renewalCursor(previous), last }

/** The parameters of a `dueRangeSql` query after `previous`. */
export const dueRangeParameters = (
  tenantId: string,
  before: number,
  previous: DueKey | undefined
): Array<unknown> =>
  previous === undefined
    ? [tenantId, before]
    : [tenantId, before, previous.nextRenewalAt, previous.nextRenewalAt, previous.id]

/**
 * The read side of a billing run, hand-written too: a page of due subscriptions, their items and their
 * customers, selected with the record shapes' names (`SubscriptionRow`, `SubscriptionItemRow`,
 * `CustomerRow`) and converted from what the driver gives (integers as `bigint` on SQLite, BIGINT as
 * digits on MySQL) by the same guards as the drizzle columns.
 */
const selectList = (columns: ReadonlyArray<readonly [string, string]>) =>
  columns.map(([column, alias]) => (column === alias ? column : `${column} AS ${alias}`)).join(", ")

/** The columns the billing run reads, with the record shapes' names, in select-list order. */
export const subscriptionFields = [
  ["tenant_id", "tenantId"],
  ["id", "id"],
  ["customer_id", "customerId"],
  ["product_id", "productId"],
  ["product_kind", "productKind"],
  ["plan_id", "planId"],
  ["currency", "currency"],
  ["cycle", "cycle"],
  ["pricing", "pricing"],
  ["time_zone", "timeZone"],
  ["anchor", "anchor"],
  ["current_period_start", "currentPeriodStart"],
  ["current_period_end", "currentPeriodEnd"],
  ["next_renewal_at", "nextRenewalAt"],
  ["coupons", "coupons"],
  ["invoiced_periods", "invoicedPeriods"],
  ["status", "status"],
  ["suspension_reason", "suspensionReason"],
  ["suspended_at", "suspendedAt"],
  ["cancellation_mode", "cancellationMode"],
  ["cancellation_reason", "cancellationReason"],
  ["cancellation_requested_at", "cancellationRequestedAt"],
  ["cancellation_effective_at", "cancellationEffectiveAt"],
  ["trial_ends_at", "trialEndsAt"],
  ["created_at", "createdAt"],
  ["version", "version"]
] as const
const subscriptionSelect = selectList(subscriptionFields)

export const itemFields = [
  ["tenant_id", "tenantId"],
  ["subscription_id", "subscriptionId"],
  ["position", "position"],
  ["kind", "kind"],
  ["item_id", "itemId"],
  ["choice_id", "choiceId"],
  ["description", "description"],
  ["cycle", "cycle"],
  ["quantity", "quantity"],
  ["unit_amount_minor", "unitAmountMinor"],
  ["amount_minor", "amountMinor"],
  ["setup_fee_minor", "setupFeeMinor"]
] as const
const itemSelect = selectList(itemFields)

export const customerFields = [
  ["tenant_id", "tenantId"],
  ["id", "id"],
  ["name", "name"],
  ["email", "email"],
  ["country", "country"],
  ["region", "region"],
  ["locality", "locality"],
  ["is_business", "isBusiness"],
  ["vat_id", "vatId"],
  ["tax_exempt_reason", "taxExemptReason"],
  ["time_zone", "timeZone"],
  ["currency", "currency"],
  ["locale", "locale"]
] as const
const customerSelect = selectList(customerFields)

const dueWhere = "tenant_id = ? AND next_renewal_at IS NOT NULL AND next_renewal_at < ?"

/** Due subscriptions from the start, and after a cursor, `LIMIT ?` (the page's limit + 1). */
export const duePageSql = {
  first: `SELECT ${subscriptionSelect} FROM subscriptions WHERE ${dueWhere} ORDER BY next_renewal_at, id LIMIT ?`,
  after:
    `SELECT ${subscriptionSelect} FROM subscriptions WHERE ${dueWhere}${afterKey} ` +
    "ORDER BY next_renewal_at, id LIMIT ?"
} as const

/** The items of `count` subscriptions. */
export const itemsSql = (count: number): string =>
  `SELECT ${itemSelect} FROM subscription_items WHERE tenant_id = ? AND subscription_id IN (${Array(count).fill("?").join(", ")})`

/** `count` customers by id. */
export const customersSql = (count: number): string =>
  `SELECT ${customerSelect} FROM customers WHERE tenant_id = ? AND id IN (${Array(count).fill("?").join(", ")})`

type Driver = bigint | number | string
const instantOf = (value: Driver | null): number | null =>
  value === null ? null : safeIntegerFromDriver(value)

/** A subscription row as the driver gave it, with its integers converted. */
export const subscriptionRowFromDriver = (raw: Record<string, unknown>): SubscriptionRow => ({
  ...(raw as unknown as SubscriptionRow),
  nextRenewalAt: instantOf(raw.nextRenewalAt as Driver | null),
  invoicedPeriods: safeIntegerFromDriver(raw.invoicedPeriods as Driver),
  suspendedAt: instantOf(raw.suspendedAt as Driver | null),
  cancellationRequestedAt: instantOf(raw.cancellationRequestedAt as Driver | null),
  cancellationEffectiveAt: instantOf(raw.cancellationEffectiveAt as Driver | null),
  trialEndsAt: instantOf(raw.trialEndsAt as Driver | null),
  createdAt: safeIntegerFromDriver(raw.createdAt as Driver),
  version: safeIntegerFromDriver(raw.version as Driver)
})

export const itemRowFromDriver = (raw: Record<string, unknown>): SubscriptionItemRow => ({
  ...(raw as unknown as SubscriptionItemRow),
  position: safeIntegerFromDriver(raw.position as Driver),
  quantity: bigintFromDriver(raw.quantity as Driver),
  unitAmountMinor: bigintFromDriver(raw.unitAmountMinor as Driver),
  amountMinor: bigintFromDriver(raw.amountMinor as Driver),
  setupFeeMinor: bigintFromDriver(raw.setupFeeMinor as Driver)
})

export const customerRowFromDriver = (raw: Record<string, unknown>): CustomerRow => ({
  ...(raw as unknown as CustomerRow),
  isBusiness: Number(raw.isBusiness) === 1
})

/**
 * The same rows from the driver's values in select-list order (`subscriptionSelect`, `itemSelect`,
 * `customerSelect`): SQLite reads the billing run's pages in raw mode, which spares building a keyed
 * object per row in the driver and copying it here.
 */
export const subscriptionRowFromValues = (v: ReadonlyArray<unknown>): SubscriptionRow => ({
  tenantId: v[0] as string,
  id: v[1] as string,
  customerId: v[2] as string,
  productId: v[3] as string,
  productKind: v[4] as string,
  planId: v[5] as string,
  currency: v[6] as string,
  cycle: v[7] as string,
  pricing: v[8] as string,
  timeZone: v[9] as string,
  anchor: v[10] as string,
  currentPeriodStart: v[11] as string | null,
  currentPeriodEnd: v[12] as string | null,
  nextRenewalAt: instantOf(v[13] as Driver | null),
  coupons: v[14] as string,
  invoicedPeriods: safeIntegerFromDriver(v[15] as Driver),
  status: v[16] as string,
  suspensionReason: v[17] as string | null,
  suspendedAt: instantOf(v[18] as Driver | null),
  cancellationMode: v[19] as string | null,
  cancellationReason: v[20] as string | null,
  cancellationRequestedAt: instantOf(v[21] as Driver | null),
  cancellationEffectiveAt: instantOf(v[22] as Driver | null),
  trialEndsAt: instantOf(v[23] as Driver | null),
  createdAt: safeIntegerFromDriver(v[24] as Driver),
  version: safeIntegerFromDriver(v[25] as Driver)
})

export const itemRowFromValues = (v: ReadonlyArray<unknown>): SubscriptionItemRow => ({
  tenantId: v[0] as string,
  subscriptionId: v[1] as string,
  position: safeIntegerFromDriver(v[2] as Driver),
  kind: v[3] as string,
  itemId: v[4] as string,
  choiceId: v[5] as string | null,
  description: v[6] as string,
  cycle: v[7] as string,
  quantity: bigintFromDriver(v[8] as Driver),
  unitAmountMinor: bigintFromDriver(v[9] as Driver),
  amountMinor: bigintFromDriver(v[10] as Driver),
  setupFeeMinor: bigintFromDriver(v[11] as Driver)
})

export const customerRowFromValues = (v: ReadonlyArray<unknown>): CustomerRow => ({
  tenantId: v[0] as string,
  id: v[1] as string,
  name: v[2] as string,
  email: v[3] as string,
  country: v[4] as string,
  region: v[5] as string | null,
  locality: v[6] as string | null,
  isBusiness: Number(v[7]) === 1,
  vatId: v[8] as string | null,
  taxExemptReason: v[9] as string | null,
  timeZone: v[10] as string,
  currency: v[11] as string,
  locale: v[12] as string
})

/** The page's subscriptions with their items (`items` grouped by subscription id). */
export const versionedSubscriptions = (
  rows: ReadonlyArray<SubscriptionRow>,
  items: ReadonlyArray<SubscriptionItemRow>
): Array<Versioned<Subscription>> => {
  const bySubscription = groupBy(items, (item) => item.subscriptionId)
  return rows.map((row) => ({
    value: subscriptionFromRows(row, bySubscription.get(row.id) ?? []),
    version: row.version
  }))
}
