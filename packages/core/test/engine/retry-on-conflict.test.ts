/**
 * The account operations run their transaction again when the store answers `Conflict` (MySQL's racing
 * first revenue events of a new customer), at most twice; other errors are not retried.
 */
import { describe, expect, it } from "@effect/vitest"
import { StoreError } from "@ezscale/core"
import { Effect } from "effect"
import { retryOnConflict } from "../../src/engine/account"

/** A transaction that fails with `errors` in turn, then succeeds with the number of attempts. */
const flaky = (errors: ReadonlyArray<StoreError>) => {
  let attempts = 0
  return Effect.suspend(() => {
    const error = errors[attempts++]
    return error === undefined ? Effect.succeed(attempts) : Effect.fail(error)
  })
}

const conflict = StoreError.conflict("revenue_customer", "cus-1")

describe("retryOnConflict", () => {
  it.effect("runs the transaction again after a conflict, up to twice", () =>
    Effect.gen(function* () {
      expect(yield* retryOnConflict(flaky([conflict, conflict]))).toBe(3)
      expect(yield* Effect.flip(retryOnConflict(flaky([conflict, conflict, conflict])))).toBe(conflict)
    })
  )

  it.effect("does not retry other errors", () =>
    Effect.gen(function* () {
      const missing = StoreError.notFound("subscription", "sub-1")
      expect(yield* Effect.flip(retryOnConflict(flaky([missing])))).toBe(missing)
    })
  )
})
