import { StoreError } from "@ezscale/core"
import { DrizzleQueryError } from "drizzle-orm/errors"
import { Effect } from "effect"
import { createConnection } from "mysql2/promise"
import { describe, expect, it } from "vitest"
import { mysqlSkipReason, testDatabase } from "../../test/mysql-database"
import { openMysqlPool } from "./client"
import {
  abortsTransaction,
  classifyMysqlError,
  duplicateKeyOf,
  isLockContention,
  mysqlStoreError
} from "./errors"
import { migrateMysql } from "./migrate"

/** An error shaped like the ones mysql2 rejects with. */
const serverError = (errno: number, code: string, message: string) =>
  Object.assign(new Error(message), { errno, code, sqlState: "HY000", sqlMessage: message })

describe("MySQL error mapping", () => {
  it("a duplicate key is a Conflict naming the index, in MySQL 8's and MariaDB's wording", () => {
    const mysql8 = serverError(
      1062,
      "ER_DUP_ENTRY",
      "Duplicate entry 't-s-2026' for key 'invoices.invoices_renewal_key'"
    )
    const mariadb = serverError(
      1062,
      "ER_DUP_ENTRY",
      "Duplicate entry 't-INV-1' for key 'invoices_number_key'"
    )
    const primary = serverError(1062, "ER_DUP_ENTRY", "Duplicate entry 't-c' for key 'PRIMARY'")
    expect(classifyMysqlError(mysql8)).toMatchObject({ _tag: "Duplicate", key: "invoices_renewal_key" })
    expect(classifyMysqlError(mariadb)).toMatchObject({ _tag: "Duplicate", key: "invoices_number_key" })
    expect(classifyMysqlError(primary)).toMatchObject({ _tag: "Duplicate", key: "primary" })
    const mapped = mysqlStoreError(new DrizzleQueryError("insert ...", [], mariadb), {
      entity: "invoice",
      key: "i"
    })
    expect(mapped).toMatchObject({ reason: "Conflict", retryable: false, entity: "invoice", key: "i" })
    expect(mapped.cause).toBe(mariadb)
    expect(duplicateKeyOf(mapped)).toBe("invoices_number_key")
  })

  it("deadlocks and lock wait timeouts are Unavailable, retried by the store's own transactions", () => {
    const deadlock = mysqlStoreError(
      serverError(
        1213,
        "ER_LOCK_DEADLOCK",
        "Deadlock found when trying to get lock; try restarting transaction"
      ),
      {}
    )
    const lockWait = mysqlStoreError(
      serverError(1205, "ER_LOCK_WAIT_TIMEOUT", "Lock wait timeout exceeded"),
      {}
    )
    for (const error of [deadlock, lockWait]) {
      expect(error).toMatchObject({ reason: "Unavailable", retryable: true })
      expect(isLockContention(error)).toBe(true)
    }
    // a deadlock ends the whole transaction; a lock wait timeout only the statement
    expect(abortsTransaction(deadlock)).toBe(true)
    expect(abortsTransaction(lockWait)).toBe(false)
  })

  it("a lost or refused connection is Unavailable and ends the transaction", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
      code: "ECONNREFUSED",
      fatal: true
    })
    const lost = Object.assign(new Error("Connection lost: The server closed the connection."), {
      code: "PROTOCOL_CONNECTION_LOST",
      fatal: true
    })
    const gone = serverError(2013, "CR_SERVER_LOST", "Lost connection to server during query")
    for (const cause of [refused, lost, gone]) {
      const error = mysqlStoreError(cause, { entity: "customer" })
      expect(error).toMatchObject({ reason: "Unavailable", retryable: true, entity: "customer" })
      expect(abortsTransaction(error)).toBe(true)
      expect(isLockContention(error)).toBe(false)
    }
    expect(mysqlStoreError(serverError(1040, "ER_CON_COUNT_ERROR", "Too many connections"), {}).reason).toBe(
      "Unavailable"
    )
  })

  it("anything else is Unknown and not retryable: a CHECK, data too long, a bug", () => {
    for (const cause of [
      serverError(
        3819,
        "ER_CHECK_CONSTRAINT_VIOLATED",
        "Check constraint 'account_balances_never_negative' is violated."
      ),
      serverError(4025, "ER_CONSTRAINT_FAILED", "CONSTRAINT `account_balances_never_negative` failed"),
      serverError(1406, "ER_DATA_TOO_LONG", "Data too long for column 'code' at row 1"),
      new TypeError("x is undefined")
    ]) {
      const error = mysqlStoreError(cause, {})
      expect(error).toBeInstanceOf(StoreError)
      expect(error).toMatchObject({ reason: "Unknown", retryable: false })
      expect(duplicateKeyOf(error)).toBeUndefined()
    }
  })
})

describe.skipIf(mysqlSkipReason !== undefined)(
  `MySQL error mapping against the server${mysqlSkipReason === undefined ? "" : ` — skipped: ${mysqlSkipReason}`}`,
  () => {
    it("the server's own duplicate and CHECK errors map as above", () =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* testDatabase("errors")
            const pool = openMysqlPool({ url })
            yield* migrateMysql(pool)
            yield* Effect.promise(() => pool.end())
            const connection = yield* Effect.promise(() => createConnection({ uri: url }))
            const insert = (code: string, id: string) =>
              connection.query(
                "INSERT INTO coupons (tenant_id, id, code, once_per_customer, redemption_count, document) VALUES ('t', ?, ?, 0, 0, '{}')",
                [id, code]
              )
            yield* Effect.promise(() => insert("SPRING", "c1"))
            const duplicate = yield* Effect.promise(() =>
              insert("SPRING", "c2").then(
                () => undefined,
                (e: unknown) => e
              )
            )
            expect(classifyMysqlError(duplicate)).toMatchObject({
              _tag: "Duplicate",
              key: "coupons_code_key"
            })
            const primary = yield* Effect.promise(() =>
              insert("AUTUMN", "c1").then(
                () => undefined,
                (e: unknown) => e
              )
            )
            expect(classifyMysqlError(primary)).toMatchObject({ _tag: "Duplicate", key: "primary" })
            const negative = yield* Effect.promise(() =>
              connection
                .query(
                  "INSERT INTO account_balances (tenant_id, customer_id, currency, balance_minor) VALUES ('t', 'c', 'EUR', -1)"
                )
                .then(
                  () => undefined,
                  (e: unknown) => e
                )
            )
            expect(mysqlStoreError(negative, {})).toMatchObject({ reason: "Unknown" })
            yield* Effect.promise(() => connection.end())
          })
        )
      ))
  }
)
