/**
 * What the dialects' error mappers share: the context a repository names (which row), and how a driver
 * failure becomes the port's `StoreError`.
 */
import { StoreError } from "@ezscale/core"

/** Which row an operation was about, for the error message. */
export interface ErrorContext {
  readonly entity?: string
  readonly key?: string
}

/** A driver failure, classified by the dialect's `errors.ts`. */
export type DriverFailure =
  /** A unique key refused the row: `key` is the index name, or `primary`. */
  | { readonly _tag: "Duplicate"; readonly key: string; readonly code: string; readonly message: string }
  /** Busy, locked, deadlocked, timed out or disconnected: the same call may succeed later. */
  | { readonly _tag: "Unavailable"; readonly code: string; readonly message: string }
  | { readonly _tag: "Unknown"; readonly code: string | undefined; readonly message: string }

/** The error a driver (or drizzle, which wraps it in `cause`) threw, unwrapped to the driver's own. */
export const driverErrorOf = (error: unknown): unknown => {
  let current = error
  for (let depth = 0; depth < 5; depth++) {
    if (
      current instanceof Error &&
      current.name !== "SqliteError" &&
      !("errno" in current) &&
      !("code" in current) &&
      current.cause !== undefined
    ) {
      current = current.cause
    } else break
  }
  return current
}

/** The port's boundary error for a classified failure. */
export const storeErrorOf = (failure: DriverFailure, context: ErrorContext, cause: unknown): StoreError => {
  const where = {
    ...(context.entity === undefined ? {} : { entity: context.entity }),
    ...(context.key === undefined ? {} : { key: context.key })
  }
  switch (failure._tag) {
    case "Duplicate":
      return new StoreError({
        reason: "Conflict",
        retryable: false,
        ...where,
        detail: `duplicate key ${failure.key} (${failure.code})`,
        cause
      })
    case "Unavailable":
      return new StoreError({
        reason: "Unavailable",
        retryable: true,
        ...where,
        detail: `${failure.code}: ${failure.message}`,
        cause
      })
    case "Unknown":
      return new StoreError({
        reason: "Unknown",
        retryable: false,
        ...where,
        detail: failure.code === undefined ? failure.message : `${failure.code}: ${failure.message}`,
        cause
      })
  }
}
