/**
 * Every SQLite (better-sqlite3) failure goes through `classifySqliteError`, then `sqliteStoreError`:
 * a unique or primary key -> `Conflict` (with the index name, so repositories can turn the renewal key
 * into `DuplicateInvoice` and the like), busy / locked / I/O / closed connection -> `Unavailable`
 * (retryable), anything else -> `Unknown` (a path that cannot be opened is configuration, not a hiccup).
 */
import type { StoreError } from "@ezscale/core"
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core"
import { type DriverFailure, driverErrorOf, type ErrorContext, storeErrorOf } from "../store-sql/errors"
import * as schema from "./schema"

/** "table.column, table.column" (as SQLite reports a unique failure) -> the unique index's name. */
const uniqueIndexNames: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>()
  for (const table of Object.values(schema) as Array<SQLiteTable>) {
    const config = getTableConfig(table)
    for (const index of config.indexes) {
      if (!index.config.unique) continue
      const columns = index.config.columns.map((column) =>
        "name" in column ? `${config.name}.${column.name}` : "?"
      )
      names.set(columns.join(", "), index.config.name)
    }
  }
  return names
})()

const unavailableCodes = ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_FULL"]

export const classifySqliteError = (error: unknown): DriverFailure => {
  const driver = driverErrorOf(error)
  const message = driver instanceof Error ? driver.message : String(driver)
  const code =
    typeof driver === "object" && driver !== null && "code" in driver && typeof driver.code === "string"
      ? driver.code
      : undefined
  if (code === "SQLITE_CONSTRAINT_PRIMARYKEY") return { _tag: "Duplicate", key: "primary", code, message }
  if (code === "SQLITE_CONSTRAINT_UNIQUE") {
    const columns = message.replace(/^UNIQUE constraint failed: /, "")
    return { _tag: "Duplicate", key: uniqueIndexNames.get(columns) ?? columns, code, message }
  }
  if (code !== undefined && unavailableCodes.some((prefix) => code.startsWith(prefix))) {
    return { _tag: "Unavailable", code, message }
  }
  if (driver instanceof TypeError && /database connection is not open/.test(message)) {
    return { _tag: "Unavailable", code: "CONNECTION_CLOSED", message }
  }
  return { _tag: "Unknown", code, message }
}

/** The port's `StoreError` for anything the SQLite driver (or a column guard) threw. */
export const sqliteStoreError = (error: unknown, context: ErrorContext): StoreError =>
  storeErrorOf(classifySqliteError(error), context, driverErrorOf(error))

/** The unique key a failure hit (`primary` or an index name), if it was a duplicate. */
export const sqliteDuplicateKey = (error: unknown): string | undefined => {
  const failure = classifySqliteError(error)
  return failure._tag === "Duplicate" ? failure.key : undefined
}
