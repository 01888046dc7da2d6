import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import type { RowDataPacket } from "mysql2/promise"
import { describe, expect, it } from "vitest"
import { mysqlSkipReason, testDatabase } from "../../test/mysql-database"
import { openMysqlPool } from "./client"
import { migrateMysql, mysqlMigrationsFolder } from "./migrate"

const journal = JSON.parse(readFileSync(join(mysqlMigrationsFolder, "meta", "_journal.json"), "utf8")) as {
  entries: ReadonlyArray<unknown>
}

describe.skipIf(mysqlSkipReason !== undefined)(
  `MySQL migrations${mysqlSkipReason === undefined ? "" : ` — skipped: ${mysqlSkipReason}`}`,
  () => {
    it("are found beside the module and applied once: migrating again, even twice at once, is a no-op", () =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const { name, url } = yield* testDatabase("migrate")
            const pool = yield* Effect.acquireRelease(
              Effect.sync(() => openMysqlPool({ url })),
              (opened) => Effect.promise(() => opened.end())
            )
            const query = (sql: string) =>
              Effect.promise(() => pool.query<Array<RowDataPacket>>(sql, [name]).then(([rows]) => rows))
            const schema = () =>
              query(
                "SELECT table_name, column_name, column_type FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position"
              )
            const applied = () =>
              Effect.promise(() =>
                pool
                  .query<Array<RowDataPacket>>("SELECT count(*) AS n FROM __drizzle_migrations")
                  .then(([rows]) => rows)
              )
            yield* Effect.all([migrateMysql(pool), migrateMysql(pool)], { concurrency: 2 })
            const first = yield* schema()
            expect(Number((yield* applied())[0]?.n)).toBe(journal.entries.length)
            yield* migrateMysql(pool)
            expect(yield* schema()).toEqual(first)
            expect(Number((yield* applied())[0]?.n)).toBe(journal.entries.length)
            const tables = new Set(first.map((row) => row.table_name ?? row.TABLE_NAME))
            for (const table of ["tenants", "invoices", "invoice_lines", "jobs", "account_balances"]) {
              expect(tables.has(table)).toBe(true)
            }
            const money = first.find((row) => (row.column_name ?? row.COLUMN_NAME) === "total_minor")
            expect(String(money?.column_type ?? money?.COLUMN_TYPE)).toMatch(/^bigint/)
          })
        )
      ))
  }
)
