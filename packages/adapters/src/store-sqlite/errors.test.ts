import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { StoreError } from "@ezscale/core"
import Database from "better-sqlite3"
import { DrizzleQueryError } from "drizzle-orm/errors"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { openSqlite } from "./client"
import { classifySqliteError, sqliteDuplicateKey, sqliteStoreError } from "./errors"
import { migrateSqlite } from "./migrate"

/** What `statement` throws on a migrated in-memory database. */
const thrownBy = (setup: ReadonlyArray<string>, statement: string): unknown => {
  const connection = openSqlite({ filename: ":memory:" })
  Effect.runSync(migrateSqlite(connection))
  try {
    for (const sql of setup) connection.exec(sql)
    connection.exec(statement)
  } catch (error) {
    return error
  } finally {
    connection.close()
  }
  throw new Error(`${statement} did not fail`)
}

const invoice = (id: string, number: string | null, renewal: string | null) =>
  `INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, kind, renewal_kind, status, currency, number,
    due_at, period_start, period_end, pricing, tax_decision, tax_summary, notes, subtotal_minor, tax_minor,
    total_minor, discount_minor, credit_applied_minor, paid_minor, refunded_minor, credited_minor)
   VALUES ('t', '${id}', 'c', 's', 'renewal', ${renewal === null ? "NULL" : `'${renewal}'`}, 'open', 'EUR',
    ${number === null ? "NULL" : `'${number}'`}, 0, '2026-01-15', '2026-02-15', 'exclusive', '{}', '[]', '[]',
    0, 0, 0, 0, 0, 0, 0, 0)`

const folder = mkdtempSync(join(tmpdir(), "ezscale-sqlite-errors-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe("SQLite error mapping", () => {
  it("a unique key is a Conflict that names the index (the renewal key, an invoice number)", () => {
    const renewal = thrownBy([invoice("i1", null, "renewal")], invoice("i2", null, "renewal"))
    expect(sqliteDuplicateKey(renewal)).toBe("invoices_renewal_key")
    const number = thrownBy([invoice("i1", "INV-1", null)], invoice("i2", "INV-1", null))
    expect(sqliteDuplicateKey(number)).toBe("invoices_number_key")
    const mapped = sqliteStoreError(number, { entity: "invoice", key: "i2" })
    expect(mapped).toBeInstanceOf(StoreError)
    expect(mapped).toMatchObject({ reason: "Conflict", retryable: false, entity: "invoice", key: "i2" })
    expect(mapped.detail).toContain("invoices_number_key")
  })

  it("a primary key is a Conflict on `primary`, also when drizzle wraps the driver's error", () => {
    const error = thrownBy([invoice("i1", null, null)], invoice("i1", null, null))
    expect(classifySqliteError(error)).toMatchObject({ _tag: "Duplicate", key: "primary" })
    const wrapped = new DrizzleQueryError("insert ...", [], error as Error)
    expect(sqliteDuplicateKey(wrapped)).toBe("primary")
    expect(sqliteStoreError(wrapped, {}).cause).toBe(error)
  })

  it("NULLs never collide: invoices without a renewal key or a number are not duplicates", () => {
    const connection = openSqlite({ filename: ":memory:" })
    Effect.runSync(migrateSqlite(connection))
    connection.exec(invoice("i1", null, null))
    connection.exec(invoice("i2", null, null))
    expect(connection.prepare("SELECT count(*) AS n FROM invoices").get()).toEqual({ n: 2n })
    connection.close()
  })

  it("a broken CHECK (a negative balance) is Unknown, not a Conflict", () => {
    const error = thrownBy(
      [],
      "INSERT INTO account_balances (tenant_id, customer_id, currency, balance_minor) VALUES ('t', 'c', 'EUR', -1)"
    )
    expect(sqliteStoreError(error, {})).toMatchObject({ reason: "Unknown", retryable: false })
  })

  it("another process's write lock is Unavailable and retryable", () => {
    const filename = join(folder, "busy.db")
    const holder = openSqlite({ filename })
    Effect.runSync(migrateSqlite(holder))
    const waiter = openSqlite({ filename, busyTimeoutMs: 0 })
    holder.exec("BEGIN IMMEDIATE")
    let error: unknown
    try {
      waiter.exec("BEGIN IMMEDIATE")
    } catch (caught) {
      error = caught
    }
    holder.exec("ROLLBACK")
    holder.close()
    waiter.close()
    expect(sqliteStoreError(error, { entity: "transaction" })).toMatchObject({
      reason: "Unavailable",
      retryable: true
    })
  })

  it("a closed connection is Unavailable; anything else is Unknown", () => {
    const connection = new Database(":memory:")
    connection.close()
    let closed: unknown
    try {
      connection.prepare("SELECT 1")
    } catch (error) {
      closed = error
    }
    expect(sqliteStoreError(closed, {})).toMatchObject({ reason: "Unavailable", retryable: true })
    expect(sqliteStoreError(new RangeError("9223372036854775808 does not fit"), {})).toMatchObject({
      reason: "Unknown",
      detail: "9223372036854775808 does not fit"
    })
  })
})
