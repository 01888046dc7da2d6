/**
 * The databases the billing benchmarks write to, each fresh, empty and migrated with the adapters' own
 * migrations, so every case starts from the same state:
 *
 * - SQLite: a new file in a temp folder, opened as the store opens it (safe integers, WAL, synchronous
 *   FULL, busy timeout), deleted on close;
 * - MariaDB / MySQL: a new database on the server of `MYSQL_URL` when set, otherwise on a private
 *   `mariadbd` started for the run exactly as the adapters' tests start theirs (temp data directory,
 *   127.0.0.1 on a free port, no grant tables, durability traded for speed); the database is dropped on
 *   close and the private server stopped and deleted at the end.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { migrateMysql } from "@ezscale/adapters/store-mysql"
import { migrateSqlite } from "@ezscale/adapters/store-sqlite"
import { findMariadb, startPrivateMariadb } from "@ezscale/adapters/testing"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { createConnection, createPool, type Pool, type RowDataPacket } from "mysql2/promise"

/** Which kind of database a figure was measured on (the `db` field of a BENCH line). */
export type DatabaseKind = "sqlite" | "mariadb" | "mysql"

export interface SqliteBenchDatabase {
  readonly kind: "sqlite"
  /** The file, for a store layer opened on the same database (`SqliteStore.layer({ filename })`). */
  readonly filename: string
  readonly connection: Database.Database
  /** Closes the connection and deletes the file. */
  readonly close: () => Promise<void>
}

export interface MysqlBenchDatabase {
  readonly kind: "mariadb" | "mysql"
  /** The database's URL, for a store layer opened on it (`MysqlStore.layer({ url })`). */
  readonly url: string
  /** A pool configured as the store configures its own. */
  readonly pool: Pool
  /** Ends the pool and drops the database. */
  readonly close: () => Promise<void>
}

export type BenchDatabase = SqliteBenchDatabase | MysqlBenchDatabase

/** A fresh SQLite database, migrated. */
export const freshSqlite = async (): Promise<SqliteBenchDatabase> => {
  const folder = mkdtempSync(join(tmpdir(), "ezscale-bench-sqlite-"))
  const filename = join(folder, "billing.db")
  // the settings of the store's `openSqlite`
  const connection = new Database(filename)
  connection.defaultSafeIntegers(true)
  connection.pragma("busy_timeout = 5000")
  connection.pragma("journal_mode = WAL")
  await Effect.runPromise(migrateSqlite(connection))
  return {
    kind: "sqlite",
    filename,
    connection,
    close: async () => {
      connection.close()
      rmSync(folder, { recursive: true, force: true })
    }
  }
}

/** The pool options of the store's `openMysqlPool`. */
const openPool = (url: string, connectionLimit: number): Pool => {
  const pool = createPool({
    uri: url,
    connectionLimit,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    flags: ["FOUND_ROWS"]
  })
  pool.pool.on("connection", (connection) => {
    connection.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", (error: unknown) => {
      if (error) connection.destroy()
    })
  })
  return pool
}

/** A MySQL-compatible server the benchmarks create their databases on. */
export interface MysqlServer {
  readonly kind: "mariadb" | "mysql"
  /** What it is: `MariaDB 11.8.3 (private mariadbd)`... */
  readonly description: string
  /** A fresh, migrated database on it. */
  readonly freshDatabase: (options?: { readonly connectionLimit?: number }) => Promise<MysqlBenchDatabase>
  /** Stops the server when the run started it; nothing otherwise. */
  readonly stop: () => Promise<void>
}

const onServer = async <A>(
  url: string,
  run: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<A>
): Promise<A> => {
  const connection = await createConnection({ uri: url })
  try {
    return await run(connection)
  } finally {
    await connection.end()
  }
}

const serverAt = async (url: string, origin: string, stop: () => Promise<void>): Promise<MysqlServer> => {
  const version = await onServer(url, async (connection) => {
    const [rows] = await connection.query<Array<RowDataPacket>>("SELECT VERSION() AS version")
    return String(rows[0]?.version ?? "")
  })
  const kind = version.toLowerCase().includes("mariadb") ? "mariadb" : "mysql"
  const name = kind === "mariadb" ? "MariaDB" : "MySQL"
  return {
    kind,
    description: `${name} ${version.split("-")[0]} (${origin})`,
    freshDatabase: async (options = {}) => {
      const database = `ezscale_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
      await onServer(url, (connection) =>
        connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
      )
      const databaseUrl = new URL(url)
      databaseUrl.pathname = `/${database}`
      const pool = openPool(databaseUrl.toString(), options.connectionLimit ?? 10)
      await Effect.runPromise(migrateMysql(pool))
      return {
        kind,
        url: databaseUrl.toString(),
        pool,
        close: async () => {
          await pool.end()
          await onServer(url, (connection) => connection.query(`DROP DATABASE \`${database}\``))
        }
      }
    },
    stop
  }
}

/** Starts a private MariaDB with the adapters' test settings; stopping it deletes its data. */
const startPrivate = async (programs: NonNullable<ReturnType<typeof findMariadb>>): Promise<MysqlServer> => {
  const server = await startPrivateMariadb(programs, {
    prefix: "ezscale-bench-mariadb-",
    // the million-subscription case keeps its indexes in memory
    bufferPool: process.env.BENCH_MILLION === "1" ? "1G" : "256M"
  })
  // Ctrl-C: the server is in our process group and gets the signal too; the folder would stay behind
  const interrupted = () => {
    server.kill()
    process.exit(130)
  }
  process.once("SIGINT", interrupted)
  const stop = async () => {
    process.off("SIGINT", interrupted)
    await server.stop()
  }
  try {
    return await serverAt(server.url, "private mariadbd", stop)
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * The server of `MYSQL_URL` when set (left running), else a private `mariadbd` when one is installed;
 * `skipped` says why there is none.
 */
export const mysqlServer = async (): Promise<
  { readonly server: MysqlServer } | { readonly skipped: string }
> => {
  const given = process.env.MYSQL_URL
  if (given !== undefined && given !== "") {
    return { server: await serverAt(given, "MYSQL_URL", async () => undefined) }
  }
  const programs = findMariadb()
  if (programs === undefined) return { skipped: "no MYSQL_URL set and no mariadbd installed" }
  return { server: await startPrivate(programs) }
}

/** A kind of database a case runs on: each case gets fresh databases of it. */
export interface BenchTarget {
  readonly kind: DatabaseKind
  /** For people: `SQLite 3.53.2 (temp file)`, `MariaDB 11.8.3 (private mariadbd)`. */
  readonly description: string
  readonly fresh: () => Promise<BenchDatabase>
}

/** The databases a run measures: SQLite always, MariaDB / MySQL when there is a server. */
export interface BenchTargets {
  readonly targets: ReadonlyArray<BenchTarget>
  /** Kinds left out, and why. */
  readonly skipped: ReadonlyArray<{ readonly kind: DatabaseKind; readonly reason: string }>
  /** Stops what the run started. */
  readonly stop: () => Promise<void>
}

export const benchTargets = async (): Promise<BenchTargets> => {
  const sqliteVersion = (() => {
    const probe = new Database(":memory:")
    try {
      return String(
        (probe.prepare("SELECT sqlite_version() AS version").get() as { version: string }).version
      )
    } finally {
      probe.close()
    }
  })()
  const sqlite: BenchTarget = {
    kind: "sqlite",
    description: `SQLite ${sqliteVersion} (temp file, WAL)`,
    fresh: freshSqlite
  }
  const mysql = await mysqlServer()
  if ("skipped" in mysql) {
    return {
      targets: [sqlite],
      skipped: [{ kind: "mariadb", reason: mysql.skipped }],
      stop: async () => undefined
    }
  }
  const { server } = mysql
  return {
    targets: [sqlite, { kind: server.kind, description: server.description, fresh: server.freshDatabase }],
    skipped: [],
    stop: server.stop
  }
}
