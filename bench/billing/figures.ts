/**
 * How a billing benchmark case is measured and reported: a writer of renewals runs once on a small
 * fresh database to check what it writes, then on another fresh database timed; the rows it left are
 * counted (invoices N, lines 3N, jobs N) and the last invoice checked before the figure counts. One
 * `BENCH {json}` line per case, and a line for people below it.
 */
import { availableParallelism, loadavg } from "node:os"
import type { RowDataPacket } from "mysql2/promise"
import type { BenchDatabase, BenchTarget, DatabaseKind } from "./databases"
import { invoiceTotalMinor, linesPerInvoice } from "./rows"

/**
 * Something that bills `invoices` renewals into a fresh database: `prepare` (untimed) sets up what it
 * needs (subscriptions to renew...), `write` is what is timed.
 */
export interface RenewalWriter {
  readonly prepare?: (database: BenchDatabase, invoices: number) => Promise<void>
  readonly write: (database: BenchDatabase, invoices: number) => Promise<void>
  /** How it writes, for people: "1,000 invoices per transaction". */
  readonly description: string
}

/** One measured case, as printed on its BENCH line. */
export interface WriteFigure {
  readonly name: string
  readonly db: DatabaseKind
  /** Invoices (each with its lines and job) written per second. */
  readonly per_s: number
  readonly invoices: number
  readonly ms: number
  /** The process's peak resident set so far (`process.resourceUsage().maxRSS`), in MB. */
  readonly max_rss_mb: number
  /** The same peak, under the name the engine's cases are read by. */
  readonly rss_mb: number
  /** The timed run, in seconds. */
  readonly seconds: number
  /** The machine's 1-minute load average when the case ended (other processes slow every figure). */
  readonly load_1m: number
  /** Against a raw limit measured in the same run: the limit's `per_s`, and `per_s / limit_per_s`. */
  readonly limit_per_s?: number
  readonly ratio?: number
  readonly [extra: string]: unknown
}

/** Rows in the tables a billing run writes (jobs: the `collect` ones; a chunked run has its chunk jobs too). */
export interface RenewalRowCounts {
  readonly invoices: number
  readonly lines: number
  readonly jobs: number
}

const countSql =
  "SELECT (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM invoice_lines) AS line_count, " +
  "(SELECT COUNT(*) FROM jobs WHERE kind = 'collect') AS jobs"

/** The last invoice by id, its total, the sum of its lines and the `collect` jobs that name it. */
const lastInvoiceSql = (collectKey: string) =>
  "SELECT i.id AS id, i.total_minor AS total, (SELECT SUM(l.gross_minor) FROM invoice_lines l " +
  "WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id) AS gross, (SELECT COUNT(*) FROM jobs j " +
  `WHERE j.tenant_id = i.tenant_id AND j.kind = 'collect' AND j.dedupe_key = ${collectKey}) AS jobs ` +
  "FROM invoices i ORDER BY i.id DESC LIMIT 1"

const firstRow = async (database: BenchDatabase, sql: string): Promise<Record<string, unknown>> => {
  if (database.kind === "sqlite") {
    return (database.connection.prepare(sql).get() as Record<string, unknown> | undefined) ?? {}
  }
  const [rows] = await database.pool.query<Array<RowDataPacket>>(sql)
  return rows[0] ?? {}
}

/** Counts the rows of the billing tables. */
export const countRenewalRows = async (database: BenchDatabase): Promise<RenewalRowCounts> => {
  const row = await firstRow(database, countSql)
  return { invoices: Number(row.invoices), lines: Number(row.line_count), jobs: Number(row.jobs) }
}

/**
 * Throws unless the last invoice written totals `total`, its lines' gross amounts sum to it, and
 * exactly one `collect` job names it.
 */
export const checkLastRenewal = async (database: BenchDatabase, total: bigint): Promise<void> => {
  const collectKey = database.kind === "sqlite" ? "'collect:' || i.id" : "CONCAT('collect:', i.id)"
  const row = await firstRow(database, lastInvoiceSql(collectKey))
  const stored = BigInt(String(row.total ?? -1))
  const gross = BigInt(String(row.gross ?? -1))
  const jobs = Number(row.jobs)
  if (stored !== total || gross !== total || jobs !== 1) {
    throw new Error(
      `invoice ${String(row.id)} on ${database.kind} is wrong: total ${stored}, lines ${gross}, ` +
        `${jobs} collect jobs (expected ${total}, ${total}, 1)`
    )
  }
}

/** Invoices in the check run: two full batches of 1,000 and a partial one. */
const checkInvoices = 2_500

/** Runs the writer on a fresh database and checks the rows; returns the writing time in ms. */
const runChecked = async (target: BenchTarget, writer: RenewalWriter, invoices: number): Promise<number> => {
  const database = await target.fresh()
  try {
    await writer.prepare?.(database, invoices)
    const started = process.hrtime.bigint()
    await writer.write(database, invoices)
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const counts = await countRenewalRows(database)
    const expected = { invoices, lines: invoices * linesPerInvoice, jobs: invoices }
    if (
      counts.invoices !== expected.invoices ||
      counts.lines !== expected.lines ||
      counts.jobs !== expected.jobs
    ) {
      throw new Error(
        `${writer.description} on ${target.kind} wrote ${JSON.stringify(counts)}, ` +
          `expected ${JSON.stringify(expected)}`
      )
    }
    await checkLastRenewal(database, invoiceTotalMinor)
    return ms
  } finally {
    await database.close()
  }
}

const count = (n: number): string => n.toLocaleString("en-US")

/**
 * Measures one case: a check run of a few invoices (also the warm-up), then the timed run of
 * `invoices` on a fresh database; prints its BENCH line and a line for people, and returns the figure.
 * With `limit` (the raw limit measured on the same kind of database in this run), the line carries
 * `limit_per_s` and `ratio`.
 */
export const measureCase = async (
  name: string,
  target: BenchTarget,
  writer: RenewalWriter,
  invoices: number,
  options: { readonly limit?: WriteFigure; readonly extra?: Record<string, unknown> } = {}
): Promise<WriteFigure> => {
  await runChecked(target, writer, Math.min(checkInvoices, invoices))
  const ms = await runChecked(target, writer, invoices)
  const perSecond = Math.round((invoices / ms) * 1000)
  const limit = options.limit
  const figure: WriteFigure = {
    name,
    db: target.kind,
    per_s: perSecond,
    ...(limit === undefined
      ? {}
      : { limit_per_s: limit.per_s, ratio: Math.round((perSecond / limit.per_s) * 100) / 100 }),
    invoices,
    ms: Math.round(ms),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    seconds: Math.round(ms / 100) / 10,
    // how busy the machine was: other processes' load makes every figure lower
    load_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    ...options.extra
  }
  console.log(`BENCH ${JSON.stringify(figure)}`)
  console.log(
    `  ${name} on ${target.description}: ${count(perSecond)} invoices/s` +
      (limit === undefined ? "" : `, ${figure.ratio}x the raw limit of ${count(limit.per_s)}/s`) +
      ` (${count(invoices)} invoices + ${count(invoices * linesPerInvoice)} lines + ${count(invoices)} jobs` +
      ` in ${count(figure.ms)} ms, ${writer.description}; process peak RSS so far ${figure.max_rss_mb} MB;` +
      ` load average ${figure.load_1m} on ${availableParallelism()} CPUs)`
  )
  return figure
}
