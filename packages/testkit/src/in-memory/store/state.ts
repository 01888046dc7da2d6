/**
 * The in-memory store's tables: plain Maps keyed by `tenant \0 id`, cloned for a transaction's
 * savepoint and put back on rollback. Rows are immutable values: a write replaces, never mutates.
 */
import type {
  AuditEntry,
  Catalog,
  Coupon,
  CouponRedemption,
  Customer,
  CustomerRevenue,
  ExchangeRate,
  GatewayAccount,
  Invoice,
  Job,
  Json,
  LedgerEntry,
  MrrMovement,
  Page,
  PageRequest,
  Payment,
  RecordedRevenueEvent,
  Refund,
  RevenueTotals,
  SavedPaymentMethod,
  Service,
  StoredCreditNote,
  Subscription,
  SubscriptionRevenue,
  SummaryRow,
  TaxRule,
  Tenant,
  UsageSample,
  Versioned,
  WebhookEvent
} from "@ezscale/core"
import { Effect } from "effect"

export interface Tables {
  readonly tenants: Map<string, Tenant>
  readonly customers: Map<string, Customer>
  readonly catalogs: Map<string, Catalog>
  readonly subscriptions: Map<string, Versioned<Subscription>>
  readonly invoices: Map<string, Invoice>
  /** Unique keys -> the id holding them: invoice renewal keys and numbers, credit note numbers... */
  readonly uniques: Map<string, string>
  readonly creditNotes: Map<string, StoredCreditNote>
  readonly payments: Map<string, Payment>
  readonly refunds: Map<string, Refund>
  readonly ledger: Map<string, LedgerEntry>
  readonly coupons: Map<string, Coupon>
  readonly redemptions: Map<string, CouponRedemption>
  readonly sequences: Map<string, number>
  readonly jobs: Map<string, Job>
  readonly idempotency: Map<string, Json>
  /** One rule set per tenant, as stored (rates normalized through their percentage strings). */
  readonly taxRules: Map<string, ReadonlyArray<TaxRule>>
  /** By (tenant, from, to, date). */
  readonly exchangeRates: Map<string, ExchangeRate>
  /** Saved methods by (tenant, id), their `isDefault` ignored: the default is `uniques`' pointer. */
  readonly paymentMethods: Map<string, SavedPaymentMethod>
  /** By (tenant, source, event id). */
  readonly webhooks: Map<string, WebhookEvent>
  /** Append-only: written once, never replaced. */
  readonly audit: Map<string, AuditEntry>
  readonly services: Map<string, Versioned<Service>>
  /** By (tenant, service, slot start). */
  readonly usageSamples: Map<string, UsageSample>
  /** By (tenant, subscription, zero-padded seq). */
  readonly revenueEvents: Map<string, RecordedRevenueEvent>
  /** By (tenant, subscription): the row and how many events it has had. */
  readonly revenueSubscriptions: Map<string, { readonly row: SubscriptionRevenue; readonly events: number }>
  readonly revenueCustomers: Map<string, CustomerRevenue>
  readonly mrrMovements: Map<string, { readonly id: string; readonly movement: MrrMovement }>
  /** By (tenant, granularity, period, currency). */
  readonly summaryRows: Map<string, SummaryRow>
  readonly revenueTotals: Map<string, RevenueTotals>
  /** By (tenant, gateway). */
  readonly gatewayAccounts: Map<string, Versioned<GatewayAccount>>
}

export interface State {
  /** Store-generated ids (jobs, ledger entries, rows kept in insertion order). */
  serial: number
  readonly tables: Tables
}

export const emptyState = (): State => ({
  serial: 0,
  tables: {
    tenants: new Map(),
    customers: new Map(),
    catalogs: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    uniques: new Map(),
    creditNotes: new Map(),
    payments: new Map(),
    refunds: new Map(),
    ledger: new Map(),
    coupons: new Map(),
    redemptions: new Map(),
    sequences: new Map(),
    jobs: new Map(),
    idempotency: new Map(),
    taxRules: new Map(),
    exchangeRates: new Map(),
    paymentMethods: new Map(),
    webhooks: new Map(),
    audit: new Map(),
    services: new Map(),
    usageSamples: new Map(),
    revenueEvents: new Map(),
    revenueSubscriptions: new Map(),
    revenueCustomers: new Map(),
    mrrMovements: new Map(),
    summaryRows: new Map(),
    revenueTotals: new Map(),
    gatewayAccounts: new Map()
  }
})

export const cloneState = (state: State): State => {
  const tables = Object.fromEntries(
    Object.entries(state.tables).map(([name, table]) => [name, new Map(table as Map<string, unknown>)])
  ) as unknown as Tables
  return { serial: state.serial, tables }
}

/** A composite key; the tenant always comes first so a tenant's rows share a prefix. */
export const key = (tenantId: string, ...parts: ReadonlyArray<string>): string =>
  [tenantId, ...parts].join("\u0000")

/** The rows of one tenant (by key prefix), optionally filtered. */
export const rowsOf = <A>(
  table: Map<string, A>,
  tenantId: string,
  keep: (row: A) => boolean = () => true
) => {
  const prefix = `${tenantId}\u0000`
  const rows: Array<A> = []
  for (const [k, row] of table) if (k.startsWith(prefix) && keep(row)) rows.push(row)
  return rows
}

/** The next store-generated id, zero-padded so string order is creation order. */
export const nextSerial = (state: State, prefix: string): string => {
  state.serial += 1
  return `${prefix}_${String(state.serial).padStart(12, "0")}`
}

/** A page of rows sorted by `sortKey` (ascending, unique), after the cursor `page.after`. */
export const paginate = <A>(
  rows: ReadonlyArray<A>,
  sortKey: (row: A) => string,
  page: PageRequest
): Effect.Effect<Page<A>> => {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    return Effect.dieMessage(`page limit must be a whole number >= 1, got ${page.limit}`)
  }
  const sorted = rows
    .map((row) => ({ row, k: sortKey(row) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
  const after = page.after
  const rest = after === undefined ? sorted : sorted.filter(({ k }) => k > after)
  const items = rest.slice(0, page.limit)
  const last = items[items.length - 1]
  return Effect.succeed(
    rest.length > page.limit && last !== undefined
      ? { items: items.map(({ row }) => row), next: last.k }
      : { items: items.map(({ row }) => row) }
  )
}

/** A page of rows sorted by `sortKey` descending (unique), after the cursor `page.after`. */
export const paginateDescending = <A>(
  rows: ReadonlyArray<A>,
  sortKey: (row: A) => string,
  page: PageRequest
): Effect.Effect<Page<A>> => {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    return Effect.dieMessage(`page limit must be a whole number >= 1, got ${page.limit}`)
  }
  const sorted = rows
    .map((row) => ({ row, k: sortKey(row) }))
    .sort((a, b) => (a.k > b.k ? -1 : a.k < b.k ? 1 : 0))
  const after = page.after
  const rest = after === undefined ? sorted : sorted.filter(({ k }) => k < after)
  const items = rest.slice(0, page.limit)
  const last = items[items.length - 1]
  return Effect.succeed(
    rest.length > page.limit && last !== undefined
      ? { items: items.map(({ row }) => row), next: last.k }
      : { items: items.map(({ row }) => row) }
  )
}

/** Fixed-width decimal, so instants compare as strings. */
export const sortableInstant = (instant: number): string => String(instant).padStart(16, "0")

/** A record naming another tenant than the one the call is scoped to is a bug in the caller. */
export const sameTenant = (tenantId: string, record: { readonly tenantId: string }, what: string) =>
  record.tenantId === tenantId
    ? Effect.void
    : Effect.dieMessage(`${what} of tenant ${record.tenantId} written in the scope of tenant ${tenantId}`)
