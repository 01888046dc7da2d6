/**
 * The database a crash or multi-worker test runs on, from the test process's side: fresh and migrated,
 * the URL the worker processes open it with, a `Store` layer on it for seeding through the port, and raw
 * SQL for the bulk seeding and for the checks that look at the rows directly.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { MysqlStore } from "@ezscale/adapters/store-mysql"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import type { Store } from "@ezscale/core"
import Database from "better-sqlite3"
import { Effect, Layer } from "effect"
import { createConnection, createPool, type RowDataPacket } from "mysql2/promise"

export type Row = Record<string, unknown>

export interface EngineTestDatabase {
  readonly dialect: "sqlite" | "mysql"
  /** What the workers get as `--store`. */
  readonly storeUrl: string
  /** The store on the same database, for seeding through the port (not while workers write to SQLite). */
  readonly storeLayer: () => Layer.Layer<Store>
  readonly query: (sql: string, params?: ReadonlyArray<unknown>) => Promise<Array<Row>>
  /** Dialect pieces for the bulk seeding: string concatenation and zero-padding. */
  readonly concat: (...parts: ReadonlyArray<string>) => string
  readonly pad: (expression: string, width: number) => string
  readonly columns: (table: string) => Promise<Array<string>>
  readonly close: () => Promise<void>
}

/**
 * A migrated SQLite file in a temp folder; the test reads it while the workers write (WAL). In memory
 * (`/dev/shm`) where there is one: a SIGKILL loses what the process had not written, never what the
 * kernel has, so the crashes tested are the same, without an fsync per commit (on this machine the fsyncs
 * made collecting 10,000 invoices take minutes).
 */
export const sqliteTestDatabase = async (): Promise<EngineTestDatabase> => {
  const folder = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "ezscale-engine-"))
  const filename = join(folder, "billing.db")
  await Effect.runPromise(Effect.scoped(Effect.orDie(SqliteStore.make({ filename }))))
  const connection = new Database(filename)
  connection.pragma("busy_timeout = 10000")
  return {
    dialect: "sqlite",
    storeUrl: `sqlite:${filename}`,
    storeLayer: () => Layer.orDie(SqliteStore.layer({ filename, migrate: false })),
    query: async (sql, params = []) => {
      const statement = connection.prepare(sql)
      if (statement.reader) return statement.all(...params) as Array<Row>
      statement.run(...params)
      return []
    },
    concat: (...parts) => parts.join(" || "),
    pad: (expression, width) => `substr('${"0".repeat(width)}' || ${expression}, -${width})`,
    columns: async (table) =>
      (connection.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map(
        (row) => row.name
      ),
    close: async () => {
      connection.close()
      rmSync(folder, { recursive: true, force: true })
    }
  }
}

/** A fresh, migrated database of its own on the tests' MariaDB server; dropped on close. */
export const mysqlTestDatabase = async (serverUrl: string, suite: string): Promise<EngineTestDatabase> => {
  const name = `ezscale_${suite}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = await createConnection({ uri: serverUrl })
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const storeUrl = url.toString()
  await Effect.runPromise(Effect.scoped(Effect.orDie(MysqlStore.make({ url: storeUrl, migrate: true }))))
  const pool = createPool({ uri: storeUrl, connectionLimit: 4, timezone: "Z" })
  return {
    dialect: "mysql",
    storeUrl,
    storeLayer: () => Layer.orDie(MysqlStore.layer({ url: storeUrl })),
    query: async (sql, params = []) => {
      const [rows] = await pool.query(sql, params as Array<unknown>)
      return Array.isArray(rows) ? (rows as Array<RowDataPacket>) : []
    },
    concat: (...parts) => `CONCAT(${parts.join(", ")})`,
    pad: (expression, width) => `LPAD(${expression}, ${width}, '0')`,
    columns: async (table) => {
      const [rows] = await pool.query<Array<RowDataPacket>>(
        "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
        [table]
      )
      return rows.map((row) => String(row.name))
    },
    close: async () => {
      await pool.end()
      const connection = await createConnection({ uri: serverUrl })
      await connection.query(`DROP DATABASE \`${name}\``)
      await connection.end()
    }
  }
}
