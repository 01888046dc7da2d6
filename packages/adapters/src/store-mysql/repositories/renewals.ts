/**
 * `store.renewals` on MySQL / MariaDB: a page of renewals in a few round trips, all in one transaction
 * (the caller's, as a savepoint, or a short one of its own retried on deadlock):
 *
 * 1. the page's subscriptions locked (`SELECT ... FOR UPDATE`, primary key order) with their versions,
 *    so a racing process committing the same renewals waits, then sees what this one wrote;
 * 2. the renewal keys already taken, one query on the unique renewal index;
 * 3. the subscriptions' main rows replaced in one multi-row upsert, version + 1 (their items untouched);
 * 4. the numbers of the written invoices drawn at once, as late as possible (the sequence row stays
 *    locked until commit, so concurrent pages of other workers wait for it only briefly);
 * 5. multi-row INSERTs of the invoices' lines, the jobs (a dedupe key that exists keeps its job) and the
 *    invoices.
 */
import { type DueRange, decideRenewals, type RenewalRepository } from "@ezscale/core"
import { Effect } from "effect"
import type { ResultSetHeader, RowDataPacket } from "mysql2/promise"
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
  numberInvoiceRows,
  renewalKeyColumns,
  renewalRows,
  rowChunks,
  subscriptionColumns,
  subscriptionValues
} from "../../store-sql/renewals"
import type { MysqlClient } from "../client"

/** Placeholders one statement may carry (the protocol's limit). */
const placeholderLimit = 65_535

const placeholders = (count: number): string => Array(count).fill("?").join(", ")

const lockSql = (count: number) =>
  `SELECT id, version FROM subscriptions WHERE tenant_id = ? AND id IN (${placeholders(count)}) ` +
  "ORDER BY id FOR UPDATE"

const takenSql = (count: number) =>
  "SELECT subscription_id, period_start, period_end, renewal_kind FROM invoices WHERE tenant_id = ? " +
  `AND (subscription_id, period_start, period_end, renewal_kind) IN (${Array(count).fill("(?, ?, ?, ?)").join(", ")})`

const sequenceSql =
  "INSERT INTO number_sequences (tenant_id, sequence_key, last_value) VALUES (?, ?, ?) " +
  "ON DUPLICATE KEY UPDATE last_value = last_value + ?"
const sequenceValueSql = "SELECT last_value FROM number_sequences WHERE tenant_id = ? AND sequence_key = ?"

const upsertColumns = ["tenant_id", "id", ...subscriptionColumns, "version"]

export const renewalRepository = (client: MysqlClient): RenewalRepository => {
  const insertInvoices = insertSqlMaker("invoices", invoiceColumns)
  const insertLines = insertSqlMaker("invoice_lines", lineColumns)
  const insertJobs = insertSqlMaker("jobs", jobColumns, " ON DUPLICATE KEY UPDATE id = id")
  const upsertSubscriptions = insertSqlMaker(
    "subscriptions",
    upsertColumns,
    ` ON DUPLICATE KEY UPDATE ${[...subscriptionColumns, "version"].map((c) => `${c} = VALUES(${c})`).join(", ")}`
  )
  const context = { entity: "renewal" }

  const insertAll = (values: ReadonlyArray<unknown>, columns: number, sqlOf: (rows: number) => string) =>
    Effect.forEach(
      rowChunks(values, columns, Math.floor(placeholderLimit / columns)),
      (chunk) => client.query<ResultSetHeader>(context, sqlOf(chunk.length / columns), chunk),
      { discard: true }
    )

  return {
    commit: (tenantId, writes, numbering) =>
      writes.length === 0
        ? Effect.succeed([])
        : client.atomically(
            Effect.gen(function* () {
              const ids = [...new Set(writes.map((write) => write.subscription.id))].sort()
              const versions = new Map<string, number>()
              for (const chunk of rowChunks(ids, 1, placeholderLimit - 1)) {
                const rows = yield* client.query<Array<RowDataPacket>>(context, lockSql(chunk.length), [
                  tenantId,
                  ...chunk
                ])
                for (const row of rows) versions.set(String(row.id), Number(row.version))
              }
              const keys = writes.flatMap((write) => renewalKeyColumns(write) ?? [])
              const taken = new Set<string>()
              for (const chunk of rowChunks(keys, 4, Math.floor((placeholderLimit - 1) / 4))) {
                const rows = yield* client.query<Array<RowDataPacket>>(context, takenSql(chunk.length / 4), [
                  tenantId,
                  ...chunk
                ])
                for (const row of rows) {
                  taken.add(
                    `${row.subscription_id}\u0000${row.period_start}\u0000${row.period_end}\u0000${row.renewal_kind}`
                  )
                }
              }
              const outcomes = decideRenewals(tenantId, writes, {
                versionOf: (id) => versions.get(id),
                keyTaken: (write) => {
                  const columns = renewalKeyColumns(write)
                  return columns !== undefined && taken.has(columns.join("\u0000"))
                }
              })
              const written = writes.filter((_, i) => outcomes[i] === "written")
              if (written.length === 0) return outcomes
              const subscriptions: Array<unknown> = []
              for (const write of written) {
                subscriptions.push(tenantId, write.subscription.id)
                subscriptionValues(write, subscriptions)
                subscriptions.push(write.expectedVersion + 1)
              }
              yield* insertAll(subscriptions, upsertColumns.length, upsertSubscriptions)
              const rows = renewalRows(tenantId, written, undefined, 0, () => client.ids.next("job"))
              yield* insertAll(rows.lines, lineColumns.length, insertLines)
              yield* insertAll(rows.jobs, jobColumns.length, insertJobs)
              // the sequence row stays locked until commit: drawn last, so concurrent pages queue briefly
              const drawn = numbering === undefined ? 0 : invoiceCount(written)
              if (numbering !== undefined && drawn > 0) {
                yield* client.query<ResultSetHeader>(context, sequenceSql, [
                  tenantId,
                  numbering.key,
                  numbering.start + drawn - 1,
                  drawn
                ])
                const last = yield* client.query<Array<RowDataPacket>>(context, sequenceValueSql, [
                  tenantId,
                  numbering.key
                ])
                numberInvoiceRows(rows, numbering, Number(last[0]?.last_value) - drawn + 1)
              }
              yield* insertAll(rows.invoices, invoiceColumns.length, insertInvoices)
              return outcomes
            })
          ),
    dueRanges: (tenantId, before, size) =>
      Effect.gen(function* () {
        yield* Effect.sync(() => checkRangeSize(size))
        const read = (previous: DueKey | undefined, offset: number | undefined) => {
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
          return Effect.map(
            client.query<Array<RowDataPacket>>({ entity: "subscription" }, sql, parameters),
            (rows): DueKey | undefined =>
              rows[0] === undefined
                ? undefined
                : { nextRenewalAt: Number(rows[0].at), id: String(rows[0].id) }
          )
        }
        const ranges: Array<DueRange> = []
        let previous: DueKey | undefined
        for (;;) {
          const last = (yield* read(previous, size - 1)) ?? (yield* read(previous, undefined))
          if (last === undefined) return ranges
          ranges.push(dueRange(previous, last))
          previous = last
        }
      })
  }
}
