/**
 * The store's rows, read with SQL (the same statements on SQLite and MariaDB), and the bookkeeping that
 * must hold after any e2e path — returned as a list of problems, empty when all holds:
 * - an invoice's settlement matches its rows: `paid` is the sum of its succeeded payments, `paid + credit
 *   applied = total` once paid, `refunded` the sum of its refunds, `credited` the sum of its credit notes;
 * - every payment key is unique and every failed attempt has its own key (`collect:<invoice>:<n>`, or
 *   `checkout:<invoice>:<method>:<n>` on-session) — the key parsed back names the payment's invoice;
 * - the credit ledger adds up: each entry's balance after is the running sum, never negative, and the
 *   customer's balance row is the last one;
 * - the inbox holds each (source, event id) once, with one `gateway_event` job each.
 */
import { parseCollectionKey } from "@ezscale/core"
import type { EngineTestDatabase, Row } from "../../engine/support/database"
import { tenantId } from "./harness"

const big = (value: unknown): bigint => BigInt(String(value ?? 0))
const str = (value: unknown): string => String(value ?? "")

export interface InvoiceRow {
  readonly id: string
  readonly status: string
  readonly number: string
  readonly total: bigint
  readonly creditApplied: bigint
  readonly paid: bigint
  readonly refunded: bigint
  readonly credited: bigint
}

export const invoices = async (db: EngineTestDatabase): Promise<ReadonlyArray<InvoiceRow>> =>
  (
    await db.query(
      "SELECT id, status, number, total_minor, credit_applied_minor, paid_minor, refunded_minor, credited_minor FROM invoices WHERE tenant_id = ? ORDER BY id",
      [tenantId]
    )
  ).map((row) => ({
    id: str(row.id),
    status: str(row.status),
    number: str(row.number),
    total: big(row.total_minor),
    creditApplied: big(row.credit_applied_minor),
    paid: big(row.paid_minor),
    refunded: big(row.refunded_minor),
    credited: big(row.credited_minor)
  }))

export interface PaymentRow {
  readonly id: string
  readonly invoiceId: string
  readonly amount: bigint
  readonly status: string
  readonly gateway: string
  readonly chargeId: string | null
  readonly key: string
  /** A failed attempt's reason and decline code (null otherwise). */
  readonly failureReason: string | null
  readonly declineCode: string | null
  /** The whole row as stored, every column (for what the typed fields leave out). */
  readonly raw: Row
}

export const payments = async (db: EngineTestDatabase): Promise<ReadonlyArray<PaymentRow>> =>
  (await db.query("SELECT * FROM payments WHERE tenant_id = ? ORDER BY id", [tenantId])).map((row) => ({
    id: str(row.id),
    invoiceId: str(row.invoice_id),
    amount: big(row.amount_minor),
    status: str(row.status),
    gateway: str(row.gateway),
    chargeId: row.charge_id === null || row.charge_id === undefined ? null : str(row.charge_id),
    key: str(row.idempotency_key),
    failureReason: nullable(row.failure_reason),
    declineCode: nullable(row.decline_code),
    raw: row
  }))

const nullable = (value: unknown): string | null =>
  value === null || value === undefined ? null : str(value)

export interface RefundRow {
  readonly paymentId: string
  readonly amount: bigint
  readonly destination: string
  readonly status: string
  readonly gatewayRefundId: string | null
  readonly key: string
}

export const refunds = async (db: EngineTestDatabase): Promise<ReadonlyArray<RefundRow>> =>
  (await db.query("SELECT * FROM refunds WHERE tenant_id = ? ORDER BY id", [tenantId])).map((row) => ({
    paymentId: str(row.payment_id),
    amount: big(row.amount_minor),
    destination: str(row.destination),
    status: str(row.status),
    gatewayRefundId:
      row.gateway_refund_id === null || row.gateway_refund_id === undefined
        ? null
        : str(row.gateway_refund_id),
    key: str(row.idempotency_key)
  }))

export const creditNotes = async (
  db: EngineTestDatabase
): Promise<ReadonlyArray<{ readonly invoiceId: string; readonly number: string; readonly total: bigint }>> =>
  (
    await db.query(
      "SELECT invoice_id, number, total_minor FROM credit_notes WHERE tenant_id = ? ORDER BY insert_order",
      [tenantId]
    )
  ).map((row) => ({ invoiceId: str(row.invoice_id), number: str(row.number), total: big(row.total_minor) }))

export const ledger = async (
  db: EngineTestDatabase
): Promise<
  ReadonlyArray<{ readonly kind: string; readonly amount: bigint; readonly balanceAfter: bigint }>
> =>
  (
    await db.query(
      "SELECT kind, amount_minor, balance_after_minor FROM ledger_entries WHERE tenant_id = ? ORDER BY id",
      [tenantId]
    )
  ).map((row) => ({
    kind: str(row.kind),
    amount: big(row.amount_minor),
    balanceAfter: big(row.balance_after_minor)
  }))

export interface InboxRow {
  readonly eventId: string
  readonly type: string
  readonly state: string
}

export const inbox = async (db: EngineTestDatabase, source: string): Promise<ReadonlyArray<InboxRow>> =>
  (
    await db.query(
      "SELECT event_id, type, state FROM webhook_events WHERE tenant_id = ? AND source = ? ORDER BY id",
      [tenantId, source]
    )
  ).map((row) => ({ eventId: str(row.event_id), type: str(row.type), state: str(row.state) }))

export interface JobRow {
  readonly kind: string
  readonly state: string
  readonly dedupeKey: string
  readonly lastError: string | null
}

export const jobs = async (db: EngineTestDatabase, kind?: string): Promise<ReadonlyArray<JobRow>> =>
  (
    await db.query(
      `SELECT kind, state, dedupe_key, last_error FROM jobs WHERE tenant_id = ?${kind === undefined ? "" : " AND kind = ?"} ORDER BY run_at, id`,
      kind === undefined ? [tenantId] : [tenantId, kind]
    )
  ).map((row) => ({
    kind: str(row.kind),
    state: str(row.state),
    dedupeKey: str(row.dedupe_key),
    lastError: row.last_error === null || row.last_error === undefined ? null : str(row.last_error)
  }))

/** The payloads of the `notify` jobs (the notices for the notification worker), in the order written. */
export const notices = async (db: EngineTestDatabase): Promise<ReadonlyArray<Record<string, unknown>>> =>
  (
    await db.query("SELECT payload FROM jobs WHERE tenant_id = ? AND kind = 'notify' ORDER BY run_at, id", [
      tenantId
    ])
  ).map((row) => JSON.parse(str(row.payload)) as Record<string, unknown>)

/** Everything that must add up, whatever the path; empty when it does. */
export const checkBooks = async (db: EngineTestDatabase, source: string): Promise<ReadonlyArray<string>> => {
  const problems: Array<string> = []
  const allPayments = await payments(db)
  const allRefunds = await refunds(db)
  const notes = await creditNotes(db)
  for (const invoice of await invoices(db)) {
    const own = allPayments.filter((payment) => payment.invoiceId === invoice.id)
    const succeeded = own.filter((payment) => payment.status === "succeeded")
    const paid = succeeded.reduce((sum, payment) => sum + payment.amount, 0n)
    if (paid !== invoice.paid)
      problems.push(`${invoice.id}: paid ${invoice.paid}, succeeded payments ${paid}`)
    const settled = ["paid", "partially_refunded", "refunded"].includes(invoice.status)
    if (settled && invoice.paid + invoice.creditApplied !== invoice.total)
      problems.push(
        `${invoice.id}: ${invoice.status} with paid ${invoice.paid} + credit ${invoice.creditApplied} != ${invoice.total}`
      )
    if (!settled && invoice.paid + invoice.creditApplied >= invoice.total && invoice.total > 0n)
      problems.push(`${invoice.id}: ${invoice.status} but fully settled`)
    const ids = new Set(own.map((payment) => payment.id))
    const refunded = allRefunds
      .filter((refund) => ids.has(refund.paymentId))
      .reduce((sum, refund) => sum + refund.amount, 0n)
    if (refunded !== invoice.refunded)
      problems.push(`${invoice.id}: refunded ${invoice.refunded}, refund rows ${refunded}`)
    const credited = notes
      .filter((note) => note.invoiceId === invoice.id)
      .reduce((sum, note) => sum + note.total, 0n)
    if (credited !== invoice.credited)
      problems.push(`${invoice.id}: credited ${invoice.credited}, credit notes ${credited}`)
    for (const payment of own)
      if (parseCollectionKey(payment.key)?.invoiceId !== invoice.id)
        problems.push(`${invoice.id}: payment under key ${payment.key}`)
  }
  if (new Set(allPayments.map((payment) => payment.key)).size !== allPayments.length)
    problems.push("two payments share a key")

  let running = 0n
  for (const entry of await ledger(db)) {
    running += entry.amount
    if (running !== entry.balanceAfter || running < 0n)
      problems.push(
        `ledger ${entry.kind} ${entry.amount}: balance after ${entry.balanceAfter}, sum ${running}`
      )
  }
  const [balance] = await db.query(
    "SELECT COALESCE(SUM(balance_minor), 0) AS balance FROM account_balances WHERE tenant_id = ?",
    [tenantId]
  )
  if (big(balance?.balance) !== running)
    problems.push(`account balance ${balance?.balance}, ledger entries sum to ${running}`)

  const events = await inbox(db, source)
  if (new Set(events.map((event) => event.eventId)).size !== events.length)
    problems.push("an event is in the inbox twice")
  const eventJobs = (await jobs(db, "gateway_event")).map((job) => job.dedupeKey)
  const expected = events.map((event) => `gateway_event:${source}:${event.eventId}`)
  if ([...eventJobs].sort().join("\n") !== [...expected].sort().join("\n"))
    problems.push(`gateway_event jobs ${eventJobs.length} for ${events.length} inbox events`)
  return problems
}
