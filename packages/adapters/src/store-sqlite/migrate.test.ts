import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { openSqlite } from "./client"
import { migrateSqlite, sqliteMigrationsFolder } from "./migrate"

const folder = mkdtempSync(join(tmpdir(), "ezscale-sqlite-migrate-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const journal = JSON.parse(readFileSync(join(sqliteMigrationsFolder, "meta", "_journal.json"), "utf8")) as {
  entries: ReadonlyArray<unknown>
}

describe("SQLite migrations", () => {
  it("are found beside the module and applied once: migrating again is a no-op", () => {
    const connection = openSqlite({ filename: join(folder, "twice.db") })
    Effect.runSync(migrateSqlite(connection))
    const schemaOf = () =>
      connection.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all()
    const first = schemaOf()
    const applied = () => connection.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()
    expect(applied()).toEqual({ n: BigInt(journal.entries.length) })
    Effect.runSync(migrateSqlite(connection))
    expect(schemaOf()).toEqual(first)
    expect(applied()).toEqual({ n: BigInt(journal.entries.length) })
    const tables = first
      .filter((row) => (row as { type: string }).type === "table")
      .map((row) => (row as { name: string }).name)
    expect(tables).toEqual(
      expect.arrayContaining([
        "tenants",
        "customers",
        "invoices",
        "invoice_lines",
        "jobs",
        "idempotency_records"
      ])
    )
    connection.close()
  })

  it("fail as a StoreError when the folder is missing", () => {
    const connection = openSqlite({ filename: ":memory:" })
    const exit = Effect.runSyncExit(migrateSqlite(connection, { migrationsFolder: join(folder, "nope") }))
    expect(exit._tag).toBe("Failure")
    connection.close()
  })
})
