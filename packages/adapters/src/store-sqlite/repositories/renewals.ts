/**
 * `store.renewals` on SQLite: a page of renewals in one (nested) transaction with hand-written,
 * prepared statements — one primary-key lookup per subscription and per renewal key (SQLite has one
 * writer, so what they read cannot change before the writes), the numbers drawn from the sequence in one
 * upsert, multi-row INSERTs of 100 rows for invoices, lines and jobs, and one compare-and-set UPDATE of
 * each subscription's main row (its items are not touched).
 */
import { type DueRange, decideRenewals, type RenewalRepository } from "@ezscale/core"
import {
  checkRangeSize,
  type DueKey,
  dueRange,
  dueRangeParameters,
  dueRangeSql,
  insertSqlMaker,
  invoiceColumns,
  invoiceCount,
  jobColumns,
  lineColumns,
  renewalKeyColumns,
  renewalRows,
  rowChunks,
  subscriptionColumns,
  subscriptionValues
} from "../../store-sql/renewals"
import type { SqliteClient } from "../client"

/** Rows per INSERT: statements of 1,000 rows measured slower than 50-200 on SQLite. */
const rowsPerInsert = 100

/** The stored version, and the indexed columns a renewal's UPDATE may leave alone when they are unchanged. */
const storedSql = "SELECT version, customer_id, status FROM subscriptions WHERE tenant_id = ? AND id = ?"
const keySql =
  "SELECT 1 FROM invoices WHERE tenant_id = ? AND subscription_id = ? AND period_start = ? " +
  "AND period_end = ? AND renewal_kind = ? LIMIT 1"
const sequenceSql =
  "INSERT INTO number_sequences (tenant_id, sequence_key, last_value) VALUES (?, ?, ?) " +
  "ON CONFLICT (tenant_id, sequence_key) DO UPDATE SET last_value = last_value + ? RETURNING last_value"
const updateSqlOf = (columns: ReadonlyArray<string>) =>
  `UPDATE subscriptions SET ${columns.map((column) => `${column} = ?`).join(", ")}, ` +
  "version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?"
const updateSql = updateSqlOf(subscriptionColumns)
/**
 * The UPDATE of a renewal that keeps the subscription's customer and status (all of them, in a billing
 * run): SQLite rewrites the entries of every index whose columns an UPDATE sets, changed or not, so
 * leaving out `customer_id` and `status` spares two index entries per subscription.
 */
const keptColumns = new Set<string>(["customer_id", "status"])
const keptIndexes = subscriptionColumns.flatMap((column, i) => (keptColumns.has(column) ? [i] : []))
const narrowUpdateSql = updateSqlOf(subscriptionColumns.filter((column) => !keptColumns.has(column)))

export const renewalRepository = (client: SqliteClient): RenewalRepository => {
  const { connection } = client
  const insertInvoices = insertSqlMaker("invoices", invoiceColumns)
  const insertLines = insertSqlMaker("invoice_lines", lineColumns)
  // a dedupe key that exists keeps its job, as `jobs.enqueue` does
  const insertJobs = insertSqlMaker("jobs", jobColumns, " ON CONFLICT DO NOTHING")
  const insertAll = (values: ReadonlyArray<unknown>, columns: number, sqlOf: (rows: number) => string) => {
    for (const chunk of rowChunks(values, columns, rowsPerInsert)) {
      connection.prepare(sqlOf(chunk.length / columns)).run(chunk)
    }
  }
  return {
    commit: (tenantId, writes, numbering) =>
      client.run({ entity: "renewal" }, () =>
        client.atomically(() => {
          if (writes.length === 0) return []
          const stored = connection.prepare(storedSql).raw(true)
          // what the UPDATEs compare against: the stored customer and status, as each write leaves them
          const kept = new Map<string, ReadonlyArray<unknown>>()
          const key = connection.prepare(keySql).pluck()
          const outcomes = decideRenewals(tenantId, writes, {
            versionOf: (id) => {
              const found = stored.get(tenantId, id) as [bigint, string, string] | undefined
              if (found === undefined) return undefined
              kept.set(id, found.slice(1))
              return Number(found[0])
            },
            keyTaken: (write) => {
              const columns = renewalKeyColumns(write)
              return columns !== undefined && key.get(tenantId, ...columns) !== undefined
            }
          })
          const written = writes.filter((_, i) => outcomes[i] === "written")
          if (written.length === 0) return outcomes
          const drawn = numbering === undefined ? 0 : invoiceCount(written)
          let first = 0
          if (numbering !== undefined && drawn > 0) {
            const last = connection
              .prepare(sequenceSql)
              .pluck()
              .get(tenantId, numbering.key, numbering.start + drawn - 1, drawn) as bigint
            first = Number(last) - drawn + 1
          }
          const rows = renewalRows(tenantId, written, numbering, first, () => client.ids.next("job"))
          insertAll(rows.invoices, invoiceColumns.length, insertInvoices)
          insertAll(rows.lines, lineColumns.length, insertLines)
          insertAll(rows.jobs, jobColumns.length, insertJobs)
          const update = connection.prepare(updateSql)
          const narrowUpdate = connection.prepare(narrowUpdateSql)
          for (const write of written) {
            const values: Array<unknown> = []
            subscriptionValues(write, values)
            const id = write.subscription.id
            const before = kept.get(id)
            const after = keptIndexes.map((i) => values[i])
            if (before !== undefined && after.every((value, i) => value === before[i])) {
              const narrow = values.filter((_, i) => !keptIndexes.includes(i))
              narrow.push(tenantId, id, write.expectedVersion)
              narrowUpdate.run(narrow)
            } else {
              values.push(tenantId, id, write.expectedVersion)
              update.run(values)
              kept.set(id, after)
            }
          }
          return outcomes
        })
      ),
    dueRanges: (tenantId, before, size) =>
      client.run({ entity: "subscription" }, () => {
        checkRangeSize(size)
        const read = (previous: DueKey | undefined, offset: number | undefined): DueKey | undefined => {
          const sql =
            offset === undefined
              ? previous === undefined
                ? dueRangeSql.lastFirst
                : dueRangeSql.lastNext
              : previous === undefined
                ? dueRangeSql.first
                : dueRangeSql.next
          const parameters = dueRangeParameters(tenantId, before, previous)
          if (offset !== undefined) parameters.push(offset)
          const row = connection.prepare(sql).get(parameters) as { at: bigint; id: string } | undefined
          return row === undefined ? undefined : { nextRenewalAt: Number(row.at), id: row.id }
        }
        const ranges: Array<DueRange> = []
        let previous: DueKey | undefined
        for (;;) {
          const last = read(previous, size - 1) ?? read(previous, undefined)
          if (last === undefined) return ranges
          ranges.push(dueRange(previous, last))
          previous = last
        }
      })
  }
}
