/**
 * The SQLite connection and its transactions. SQLite has one writer, and better-sqlite3 one synchronous
 * connection, so the store serializes: a top-level transaction takes the single permit for its whole
 * life (`BEGIN IMMEDIATE` ... `COMMIT`), and an operation outside any transaction takes it for that
 * operation alone. The fiber running a transaction carries it in a FiberRef: its operations (and those of
 * fibers it forks) run inside it without the permit, and another fiber's statements can never land in
 * it. A nested `withTransaction` is a SAVEPOINT. Every operation is a synchronous function over the
 * connection, so the statements of one operation never interleave with anyone's.
 */
import { StoreError, type StoreService } from "@ezscale/core"
import Database from "better-sqlite3"
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3"
import { Effect, Exit, FiberRef } from "effect"
import type { ErrorContext } from "../store-sql/errors"
import { type IdGenerator, makeIdGenerator } from "../store-sql/ids"
import { sqliteStoreError } from "./errors"
import * as schema from "./schema"

export type SqliteDb = BetterSQLite3Database<typeof schema>

export interface SqliteConfig {
  /** The database file, or `:memory:` (a private database that lives as long as the layer). */
  readonly filename: string
  /** Apply the migrations when the layer starts (default `true`: the embedded store sets itself up). */
  readonly migrate?: boolean
  /** How long to wait for another process's write lock before `Unavailable` (default 5000 ms). */
  readonly busyTimeoutMs?: number
}

interface Transaction {
  /** False once committed or rolled back: fibers forked inside and still running fall back to the permit. */
  open: boolean
  /** Savepoints currently open inside it. */
  depth: number
}

export interface SqliteClient {
  readonly connection: Database.Database
  readonly db: SqliteDb
  readonly ids: IdGenerator
  /**
   * One store operation: `operation` runs synchronously on the connection, inside the calling fiber's
   * transaction or alone under the writer permit. Whatever it throws becomes a `StoreError`.
   */
  readonly run: <A>(context: ErrorContext, operation: (db: SqliteDb) => A) => Effect.Effect<A, StoreError>
  /**
   * Runs `body` all-or-nothing: a SAVEPOINT inside the current transaction, its own (immediate)
   * transaction otherwise. For operations of several statements; call it inside `run`.
   */
  readonly atomically: <A>(body: () => A) => A
  readonly withTransaction: StoreService["withTransaction"]
}

/** Opens the database with the settings the store relies on; the caller closes it. */
export const openSqlite = (config: SqliteConfig): Database.Database => {
  const connection = new Database(config.filename)
  connection.defaultSafeIntegers(true)
  connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(config.busyTimeoutMs ?? 5000))}`)
  // WAL: readers in other processes (a backup, a report) do not block the writer; `synchronous` stays
  // FULL (the default), so a committed payment survives a power cut
  if (config.filename !== ":memory:" && config.filename !== "") connection.pragma("journal_mode = WAL")
  cacheStatements(connection)
  return connection
}

/**
 * drizzle prepares every query it runs; the store runs the same few dozen statements again and again, so
 * the connection keeps each prepared statement by its SQL text (compiling one costs more than running it).
 * A reused reader is put back in its default mode first: drizzle switches statements to `raw` for some
 * reads, and that mode sticks to the statement.
 */
const cacheStatements = (connection: Database.Database): void => {
  const prepare = connection.prepare.bind(connection)
  const statements = new Map<string, Database.Statement>()
  connection.prepare = ((source: string) => {
    const cached = statements.get(source)
    if (cached !== undefined) {
      if (cached.reader) cached.raw(false).pluck(false).expand(false)
      return cached
    }
    const statement = prepare(source)
    statements.set(source, statement)
    return statement
  }) as typeof connection.prepare
}

export const makeSqliteClient = (connection: Database.Database): Effect.Effect<SqliteClient> =>
  Effect.gen(function* () {
    const db = drizzle(connection, { schema })
    const permit = yield* Effect.makeSemaphore(1)
    const current = FiberRef.unsafeMake<Transaction | undefined>(undefined)
    const openTransaction = Effect.map(FiberRef.get(current), (tx) => (tx?.open === true ? tx : undefined))

    const exec = (statement: string, context: ErrorContext = {}) =>
      Effect.try({
        try: () => {
          connection.exec(statement)
        },
        catch: (error) => sqliteStoreError(error, context)
      })

    /** Undoes what the connection still holds; quiet when SQLite already rolled back on its own. */
    const rollbackQuietly = Effect.sync(() => {
      if (connection.inTransaction) connection.exec("ROLLBACK")
    }).pipe(Effect.catchAllDefect(() => Effect.void))

    /**
     * SQLite ends a transaction on its own after some failures (disk full, I/O error): what the caller
     * writes after that must not autocommit piecemeal, so the rest of the transaction fails instead.
     */
    const stillOpen = (context: ErrorContext) =>
      connection.inTransaction
        ? Effect.void
        : Effect.fail(
            new StoreError({
              reason: "Unavailable",
              retryable: true,
              ...context,
              detail: "SQLite rolled the transaction back after an earlier failure"
            })
          )

    const run: SqliteClient["run"] = (context, operation) =>
      Effect.flatMap(openTransaction, (tx) => {
        const once = Effect.try({
          try: () => operation(db),
          catch: (error) => sqliteStoreError(error, context)
        })
        return tx === undefined ? permit.withPermits(1)(once) : Effect.zipRight(stillOpen(context), once)
      })

    const atomically: SqliteClient["atomically"] = (body) => connection.transaction(body).immediate()

    const topLevel = <A, E, R>(self: Effect.Effect<A, E, R>) =>
      permit.withPermits(1)(
        Effect.uninterruptibleMask((restore) =>
          Effect.gen(function* () {
            yield* exec("BEGIN IMMEDIATE")
            const tx: Transaction = { open: true, depth: 0 }
            const exit = yield* Effect.exit(restore(Effect.locally(self, current, tx)))
            if (Exit.isSuccess(exit)) {
              const committed = yield* Effect.exit(Effect.zipRight(stillOpen({}), exec("COMMIT")))
              tx.open = false
              if (Exit.isFailure(committed)) {
                yield* rollbackQuietly
                return yield* Effect.failCause(committed.cause)
              }
              return exit.value
            }
            tx.open = false
            yield* rollbackQuietly
            return yield* exit
          })
        )
      )

    const savepoint = <A, E, R>(tx: Transaction, self: Effect.Effect<A, E, R>) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          tx.depth += 1
          const name = `ezscale_sp_${tx.depth}`
          const opened = yield* Effect.exit(exec(`SAVEPOINT ${name}`))
          if (Exit.isFailure(opened)) {
            tx.depth -= 1
            return yield* Effect.failCause(opened.cause)
          }
          const exit = yield* Effect.exit(restore(self))
          const closed = yield* Effect.exit(
            Exit.isSuccess(exit)
              ? exec(`RELEASE ${name}`)
              : Effect.zipRight(exec(`ROLLBACK TO ${name}`), exec(`RELEASE ${name}`))
          )
          tx.depth -= 1
          if (Exit.isFailure(closed)) return yield* Effect.failCause(closed.cause)
          return yield* exit
        })
      )

    const withTransaction: StoreService["withTransaction"] = (self) =>
      Effect.flatMap(openTransaction, (tx) => (tx === undefined ? topLevel(self) : savepoint(tx, self)))

    return { connection, db, ids: makeIdGenerator(), run, atomically, withTransaction }
  })
