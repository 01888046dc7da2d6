/**
 * The raw writers: the rows of a billing run (`rows.ts`) put into the database with no engine logic at
 * all, through the drivers the adapters use (better-sqlite3 prepared statements, the mysql2 pool), so
 * the engine's figure can be read against what the database itself allows.
 *
 * - batched: `perTransaction` invoices per transaction, multi-row INSERTs (MySQL: one per table per
 *   batch, cut only where a statement would pass the placeholder limit; SQLite: 100 rows each);
 * - per invoice (`perTransaction: 1`): what a naive loop does, one transaction per invoice (on MySQL 5
 *   round trips: START TRANSACTION, the 3 INSERTs, COMMIT).
 */
import type Database from "better-sqlite3"
import type { PoolConnection } from "mysql2/promise"
import type {
  BenchDatabase,
  BenchTarget,
  DatabaseKind,
  MysqlBenchDatabase,
  SqliteBenchDatabase
} from "./databases"
import { measureCase, type RenewalWriter, type WriteFigure } from "./figures"
import { invoiceColumns, jobColumns, lineColumns, type RenewalRows, renewalRowMaker } from "./rows"

/** Placeholders one statement may carry: SQLite's `SQLITE_MAX_VARIABLE_NUMBER`, MySQL's protocol limit. */
const placeholderLimit = { sqlite: 32_766, mysql: 65_535 } as const

/**
 * Rows per INSERT when not told. SQLite: 100 (statements of 1,000 rows measured 10-30% slower, of 50-200
 * about the same); MySQL: as many as the placeholder limit allows, one statement per table per batch of
 * 1,000 invoices (fewer round trips).
 */
const defaultRowsPerStatement = { sqlite: 100, mysql: Number.POSITIVE_INFINITY } as const

interface Table {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly rowsOf: (rows: RenewalRows) => ReadonlyArray<unknown>
}

const tables: ReadonlyArray<Table> = [
  { name: "invoices", columns: invoiceColumns, rowsOf: (rows) => rows.invoices },
  { name: "invoice_lines", columns: lineColumns, rowsOf: (rows) => rows.lines },
  { name: "jobs", columns: jobColumns, rowsOf: (rows) => rows.jobs }
]

/** `INSERT INTO <table> (...) VALUES (?, ...), ...` for `rowCount` rows, made once per shape. */
const insertSqlMaker = () => {
  const made = new Map<string, string>()
  return (table: Table, rowCount: number): string => {
    const key = `${table.name}:${rowCount}`
    let sql = made.get(key)
    if (sql === undefined) {
      const row = `(${table.columns.map(() => "?").join(", ")})`
      sql = `INSERT INTO ${table.name} (${table.columns.join(", ")}) VALUES ${Array(rowCount).fill(row).join(", ")}`
      made.set(key, sql)
    }
    return sql
  }
}

/** The flat values of a table cut into statements of at most `rows` rows and `limit` placeholders. */
const chunks = (
  values: ReadonlyArray<unknown>,
  columns: number,
  rows: number,
  limit: number
): Array<Array<unknown>> => {
  const perChunk = Math.min(rows, Math.floor(limit / columns)) * columns
  if (values.length <= perChunk) return [values as Array<unknown>]
  const out: Array<Array<unknown>> = []
  for (let start = 0; start < values.length; start += perChunk)
    out.push(values.slice(start, start + perChunk))
  return out
}

/** Renewals written in one transaction each `perTransaction` invoices. */
export interface RawWrite {
  readonly invoices: number
  readonly perTransaction: number
  /** At most this many rows per INSERT (default: {@link defaultRowsPerStatement}). */
  readonly rowsPerStatement?: number
}

const batchSizes = function* ({ invoices, perTransaction }: RawWrite): Generator<number> {
  if (!Number.isSafeInteger(perTransaction) || perTransaction < 1) {
    throw new RangeError(`invoices per transaction must be a positive integer, not ${perTransaction}`)
  }
  for (let left = invoices; left > 0; left -= perTransaction) yield Math.min(left, perTransaction)
}

const writeSqlite = (database: SqliteBenchDatabase, write: RawWrite): void => {
  const { connection } = database
  const rowsPerStatement = write.rowsPerStatement ?? defaultRowsPerStatement.sqlite
  const insertSql = insertSqlMaker()
  const statements = new Map<string, Database.Statement>()
  const statement = (table: Table, rowCount: number): Database.Statement => {
    const sql = insertSql(table, rowCount)
    let prepared = statements.get(sql)
    if (prepared === undefined) {
      prepared = connection.prepare(sql)
      statements.set(sql, prepared)
    }
    return prepared
  }
  const writeBatch = connection.transaction((rows: RenewalRows) => {
    for (const table of tables) {
      const columns = table.columns.length
      for (const chunk of chunks(table.rowsOf(rows), columns, rowsPerStatement, placeholderLimit.sqlite)) {
        statement(table, chunk.length / columns).run(chunk)
      }
    }
  })
  const makeRows = renewalRowMaker()
  // IMMEDIATE, as the store begins its transactions
  for (const size of batchSizes(write)) writeBatch.immediate(makeRows(size))
}

const writeMysql = async (database: MysqlBenchDatabase, write: RawWrite): Promise<void> => {
  const rowsPerStatement = write.rowsPerStatement ?? defaultRowsPerStatement.mysql
  const insertSql = insertSqlMaker()
  const connection = await database.pool.getConnection()
  try {
    const makeRows = renewalRowMaker()
    for (const size of batchSizes(write)) {
      const rows = makeRows(size)
      await inTransaction(connection, async () => {
        for (const table of tables) {
          const columns = table.columns.length
          for (const chunk of chunks(table.rowsOf(rows), columns, rowsPerStatement, placeholderLimit.mysql)) {
            await connection.query(insertSql(table, chunk.length / columns), chunk)
          }
        }
      })
    }
  } finally {
    connection.release()
  }
}

const inTransaction = async (connection: PoolConnection, body: () => Promise<void>): Promise<void> => {
  await connection.query("START TRANSACTION")
  try {
    await body()
  } catch (error) {
    await connection.query("ROLLBACK")
    throw error
  }
  await connection.query("COMMIT")
}

/** Writes `invoices` renewals (invoice, 3 lines, `collect` job each) into a fresh database. */
export const writeRenewalsRaw = async (database: BenchDatabase, write: RawWrite): Promise<void> => {
  if (database.kind === "sqlite") writeSqlite(database, write)
  else await writeMysql(database, write)
}

/** The raw writer, `perTransaction` invoices per transaction. */
export const rawWriter = (perTransaction: number): RenewalWriter => ({
  description:
    perTransaction === 1
      ? "one transaction per invoice"
      : `${perTransaction.toLocaleString("en-US")} invoices per transaction, multi-row INSERTs`,
  write: (database, invoices) => writeRenewalsRaw(database, { invoices, perTransaction })
})

/**
 * The raw limit on each target: `invoices` renewals written in batches of `perTransaction`, measured and
 * printed as `billing.raw-limit`. The engine's cases read their `ratio` against these figures.
 */
export const measureRawLimits = async (
  targets: ReadonlyArray<BenchTarget>,
  options: { readonly invoices: number; readonly perTransaction: number }
): Promise<ReadonlyMap<DatabaseKind, WriteFigure>> => {
  const limits = new Map<DatabaseKind, WriteFigure>()
  for (const target of targets) {
    const figure = await measureCase(
      "billing.raw-limit",
      target,
      rawWriter(options.perTransaction),
      options.invoices,
      { extra: { per_transaction: options.perTransaction } }
    )
    limits.set(target.kind, figure)
  }
  return limits
}
