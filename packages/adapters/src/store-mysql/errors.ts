/**
 * Every MySQL / MariaDB (mysql2) failure goes through `classifyMysqlError`, then `mysqlStoreError`:
 * a duplicate key (1062) -> `Conflict` naming the index (so repositories can turn the renewal key into
 * `DuplicateInvoice` and the like); deadlock (1213), lock wait timeout (1205), lost or refused
 * connections, too many connections, server shutdown -> `Unavailable` (retryable); anything else
 * (a CHECK constraint, data too long, a syntax error) -> `Unknown`.
 */
import { StoreError } from "@ezscale/core"
import { type DriverFailure, driverErrorOf, type ErrorContext, storeErrorOf } from "../store-sql/errors"

export const ER_DUP_ENTRY = 1062
export const ER_LOCK_WAIT_TIMEOUT = 1205
export const ER_LOCK_DEADLOCK = 1213

/** Server errors that mean "not now": too many connections, shutting down, killed, read-only... */
const unavailableErrnos = new Set([
  1040, // ER_CON_COUNT_ERROR
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
  3024, // ER_QUERY_TIMEOUT
  4031, // ER_CLIENT_INTERACTION_TIMEOUT
  ER_LOCK_WAIT_TIMEOUT,
  ER_LOCK_DEADLOCK
])

/** Client-side (socket / protocol) codes of mysql2 for a connection that is gone or never came. */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR",
  "PROTOCOL_ENQUEUE_AFTER_QUIT"
])

const fieldOf = (error: unknown, field: string): unknown =>
  typeof error === "object" && error !== null && field in error
    ? (error as Record<string, unknown>)[field]
    : undefined

/** The server's error number, when the failure came from the server. */
export const mysqlErrno = (error: unknown): number | undefined => {
  const errno = fieldOf(driverErrorOf(error), "errno")
  return typeof errno === "number" ? errno : undefined
}

export const classifyMysqlError = (error: unknown): DriverFailure => {
  const driver = driverErrorOf(error)
  const message = driver instanceof Error ? driver.message : String(driver)
  const errno = fieldOf(driver, "errno")
  const code = fieldOf(driver, "code")
  const name = typeof code === "string" ? code : typeof errno === "number" ? String(errno) : undefined
  if (errno === ER_DUP_ENTRY) {
    // MySQL 8: "for key 'table.index'"; MariaDB: "for key 'index'"; both say PRIMARY for the primary key.
    const key = /for key '([^']+)'/.exec(message)?.[1]?.split(".").pop() ?? "unknown"
    return {
      _tag: "Duplicate",
      key: key === "PRIMARY" ? "primary" : key,
      code: name ?? "ER_DUP_ENTRY",
      message
    }
  }
  if (typeof errno === "number" && unavailableErrnos.has(errno)) {
    return { _tag: "Unavailable", code: name ?? String(errno), message }
  }
  if (
    (typeof code === "string" && connectionCodes.has(code)) ||
    fieldOf(driver, "fatal") === true ||
    /Pool is closed|connection is in closed state/i.test(message)
  ) {
    return { _tag: "Unavailable", code: name ?? "CONNECTION_LOST", message }
  }
  return { _tag: "Unknown", code: name, message }
}

/** The port's `StoreError` for anything mysql2 (or a column guard) threw. */
export const mysqlStoreError = (error: unknown, context: ErrorContext): StoreError =>
  storeErrorOf(classifyMysqlError(error), context, driverErrorOf(error))

/** The unique key a store error's cause hit (`primary` or an index name), if it was a duplicate. */
export const duplicateKeyOf = (error: unknown): string | undefined => {
  if (!(error instanceof StoreError) || error.reason !== "Conflict" || error.cause === undefined)
    return undefined
  const failure = classifyMysqlError(error.cause)
  return failure._tag === "Duplicate" ? failure.key : undefined
}

/** A deadlock or lock wait timeout: the store's own short transactions are retried on these. */
export const isLockContention = (error: unknown): boolean => {
  if (!(error instanceof StoreError)) return false
  const errno = mysqlErrno(error.cause)
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT
}

/**
 * Failures after which the server has already ended the transaction (a deadlock rolls it back whole) or
 * the connection is gone: nothing more may be written in it, and it can only end rolled back.
 */
export const abortsTransaction = (error: unknown): boolean => {
  if (!(error instanceof StoreError) || error.cause === undefined) return false
  if (mysqlErrno(error.cause) === ER_LOCK_DEADLOCK) return true
  const failure = classifyMysqlError(error.cause)
  const errno = mysqlErrno(error.cause)
  return failure._tag === "Unavailable" && errno !== ER_LOCK_WAIT_TIMEOUT && errno !== 3024 && errno !== 1040
}
