/**
 * The MySQL / MariaDB pool and its transactions. Outside a transaction every statement runs on any
 * pooled connection (autocommit). A transaction holds one pooled connection for its whole life: the
 * fiber running it carries it in a FiberRef, so its statements (and those of fibers it forks) go to that
 * connection and no other fiber's ever do. A nested `withTransaction` is a SAVEPOINT.
 *
 * Sessions run at READ COMMITTED: the invariants hold through row locks (`FOR UPDATE`, unique keys,
 * compare-and-set updates), not through snapshots, and READ COMMITTED takes no gap locks, so fewer
 * deadlocks. The store's own multi-statement operations (a claim, a ledger append, a redemption...) run
 * in short transactions of their own that are retried, with jitter, on deadlock (1213) and lock wait
 * timeout (1205). A caller's `withTransaction` is not re-run by the store: it fails `Unavailable`
 * (retryable) and the caller decides.
 */
import type { StoreError, StoreService } from "@ezscale/core"
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2"
import { Clock, Effect, Exit, FiberRef } from "effect"
import {
  createPool,
  type Pool,
  type PoolConnection,
  type QueryResult,
  type QueryValues
} from "mysql2/promise"
import type { ErrorContext } from "../store-sql/errors"
import { type IdGenerator, makeIdGenerator } from "../store-sql/ids"
import { abortsTransaction, isLockContention, mysqlStoreError } from "./errors"
import * as schema from "./schema"

export type MysqlDb = MySql2Database<typeof schema>

export interface MysqlConfig {
  /** `mysql://user:password@host:port/database` */
  readonly url: string
  /** Apply the migrations when the layer starts (default `false`: production migrates as a deploy step). */
  readonly migrate?: boolean
  /** Pooled connections (default 10). */
  readonly connectionLimit?: number
  /** Retries of the store's own transactions on deadlock / lock wait timeout (default 4). */
  readonly lockRetries?: number
}

interface Transaction {
  readonly connection: PoolConnection
  readonly db: MysqlDb
  /** False once committed or rolled back: fibers forked inside and still running fall back to the pool. */
  open: boolean
  /** Savepoints currently open inside it. */
  depth: number
  /** Set when the server ended the transaction on its own (deadlock) or the connection died. */
  aborted: StoreError | undefined
}

export interface MysqlClient {
  readonly pool: Pool
  readonly db: MysqlDb
  readonly ids: IdGenerator
  /** One statement (or read): in the calling fiber's transaction, else on any pooled connection. */
  readonly run: <A>(
    context: ErrorContext,
    operation: (db: MysqlDb) => Promise<A>
  ) => Effect.Effect<A, StoreError>
  /**
   * One hand-written statement (`?` placeholders), like `run`: for the hot paths where building the query
   * with drizzle costs more than running it (the billing run's renewals).
   */
  readonly query: <A extends QueryResult>(
    context: ErrorContext,
    sql: string,
    values: ReadonlyArray<unknown>
  ) => Effect.Effect<A, StoreError>
  /**
   * An operation of several statements, all-or-nothing: a SAVEPOINT inside the fiber's transaction,
   * otherwise a short transaction of its own, retried on deadlock / lock wait timeout.
   */
  readonly atomically: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E | StoreError>
  readonly withTransaction: StoreService["withTransaction"]
}

/** A pool that reads BIGINT exactly (as digits) and runs every session at READ COMMITTED. */
export const openMysqlPool = (config: MysqlConfig): Pool => {
  const pool = createPool({
    uri: config.url,
    connectionLimit: config.connectionLimit ?? 10,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    // UPDATE reports matched rows, not changed ones: "no such row" is never confused with "same values"
    flags: ["FOUND_ROWS"]
  })
  // the core pool's event: its connections have the callback API
  pool.pool.on("connection", (connection) => {
    connection.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", (error: unknown) => {
      // a session at another isolation level must not be used: drop it, the pool opens another
      if (error) connection.destroy()
    })
  })
  return pool
}

/** Real time for backoff, whatever clock the caller runs under (tests freeze theirs). */
const wallClock = Clock.make()

export const makeMysqlClient = (pool: Pool, config: MysqlConfig): MysqlClient => {
  const db = drizzle(pool, { schema, mode: "default" })
  const current = FiberRef.unsafeMake<Transaction | undefined>(undefined)
  const openTransaction = Effect.map(FiberRef.get(current), (tx) => (tx?.open === true ? tx : undefined))
  const lockRetries = config.lockRetries ?? 4

  const statement = (tx: Transaction, sql: string) =>
    Effect.tryPromise({
      try: () => tx.connection.query(sql),
      catch: (error) => mysqlStoreError(error, { entity: "transaction" })
    })

  const onConnection = <A>(
    context: ErrorContext,
    operation: (db: MysqlDb, connection: Pool | PoolConnection) => Promise<A>
  ) =>
    Effect.flatMap(openTransaction, (tx) => {
      if (tx?.aborted !== undefined) return Effect.fail(tx.aborted)
      const once = Effect.tryPromise({
        try: () => (tx === undefined ? operation(db, pool) : operation(tx.db, tx.connection)),
        catch: (error) => mysqlStoreError(error, context)
      })
      return tx === undefined
        ? once
        : Effect.tapError(once, (error) =>
            Effect.sync(() => {
              if (abortsTransaction(error)) tx.aborted = error
            })
          )
    })

  const run: MysqlClient["run"] = (context, operation) => onConnection(context, (db) => operation(db))

  const query: MysqlClient["query"] = <A extends QueryResult>(
    context: ErrorContext,
    sql: string,
    values: ReadonlyArray<unknown>
  ) =>
    onConnection(context, async (_, connection) => {
      const [result] = await connection.query<A>(sql, values as QueryValues)
      return result
    })

  const acquire = Effect.tryPromise({
    try: () => pool.getConnection(),
    catch: (error) => mysqlStoreError(error, { entity: "connection" })
  })

  /** Begins on a connection of its own; commits on success, rolls back on failure, defect or interruption. */
  const topLevel = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
    Effect.acquireUseRelease(
      acquire,
      (connection) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.gen(function* () {
            const tx: Transaction = {
              connection,
              db: drizzle(connection, { schema, mode: "default" }),
              open: true,
              depth: 0,
              aborted: undefined
            }
            yield* statement(tx, "START TRANSACTION")
            const exit = yield* Effect.exit(restore(Effect.locally(self, current, tx)))
            tx.open = false
            if (Exit.isSuccess(exit) && tx.aborted === undefined) {
              const committed = yield* Effect.exit(statement(tx, "COMMIT"))
              if (Exit.isSuccess(committed)) return exit.value
              yield* rollback(tx)
              return yield* Effect.failCause(committed.cause)
            }
            yield* rollback(tx)
            if (Exit.isSuccess(exit) && tx.aborted !== undefined) return yield* Effect.fail(tx.aborted)
            return yield* exit
          })
        ),
      (connection) => Effect.sync(() => connection.release())
    )

  /** Rolls back; a connection that cannot even do that is destroyed, never handed out again. */
  const rollback = (tx: Transaction) =>
    Effect.catchAll(Effect.asVoid(statement(tx, "ROLLBACK")), () =>
      Effect.sync(() => {
        tx.connection.destroy()
      })
    )

  const savepoint = <A, E, R>(
    tx: Transaction,
    self: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | StoreError, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        if (tx.aborted !== undefined) return yield* Effect.fail(tx.aborted)
        tx.depth += 1
        const name = `ezscale_sp_${tx.depth}`
        const opened = yield* Effect.exit(statement(tx, `SAVEPOINT ${name}`))
        if (Exit.isFailure(opened)) {
          tx.depth -= 1
          return yield* Effect.failCause(opened.cause)
        }
        const exit = yield* Effect.exit(restore(self))
        const closed: Exit.Exit<unknown, StoreError> =
          tx.aborted !== undefined
            ? Exit.void
            : yield* Effect.exit(
                Exit.isSuccess(exit)
                  ? statement(tx, `RELEASE SAVEPOINT ${name}`)
                  : Effect.zipRight(
                      statement(tx, `ROLLBACK TO SAVEPOINT ${name}`),
                      statement(tx, `RELEASE SAVEPOINT ${name}`)
                    )
              )
        tx.depth -= 1
        if (Exit.isFailure(closed)) return yield* Effect.failCause(closed.cause)
        return yield* exit
      })
    )

  /** Waits 5, 10, 20... ms (x 0.5..1.5 jitter) between attempts of the store's own transactions. */
  const backoff = (attempt: number) =>
    Effect.sleep(Math.round(5 * 2 ** attempt * (0.5 + Math.random()))).pipe(Effect.withClock(wallClock))

  const retryingLocks = <A, E>(self: Effect.Effect<A, E>, attempt = 0): Effect.Effect<A, E> =>
    Effect.catchIf(
      self,
      (error) => attempt < lockRetries && isLockContention(error),
      () => Effect.zipRight(backoff(attempt), retryingLocks(self, attempt + 1))
    )

  const atomically: MysqlClient["atomically"] = (self) =>
    Effect.flatMap(openTransaction, (tx) =>
      tx === undefined ? retryingLocks(topLevel(self)) : savepoint(tx, self)
    )

  const withTransaction: StoreService["withTransaction"] = (self) =>
    Effect.flatMap(openTransaction, (tx) => (tx === undefined ? topLevel(self) : savepoint(tx, self)))

  return { pool, db, ids: makeIdGenerator(), run, query, atomically, withTransaction }
}
