import { StoreError } from "@ezscale/core"
import { Effect } from "effect"
import { duplicateKeyOf } from "../errors"

/**
 * `write`, except that when a unique key refuses it and `handle` knows that key (`primary` or an index
 * name), the outcome is what `handle` returns — a domain error or a `Conflict` naming the row.
 */
export const unlessDuplicate = <A, E, A2, E2>(
  write: Effect.Effect<A, E>,
  handle: (key: string) => Effect.Effect<A2, E2> | undefined
): Effect.Effect<A | A2, E | E2> =>
  Effect.catchAll(write, (error): Effect.Effect<A2, E | E2> => {
    const key = duplicateKeyOf(error)
    return (key === undefined ? undefined : handle(key)) ?? Effect.fail(error)
  })

/** The row, or `NotFound` for the entity. */
export const found =
  (entity: string, key: string) =>
  <A>(row: A | undefined): Effect.Effect<A, StoreError> =>
    row === undefined ? Effect.fail(StoreError.notFound(entity, key)) : Effect.succeed(row)

/** How many rows an UPDATE / DELETE matched (the pool reports matched rows: FOUND_ROWS). */
export const affectedRows = (
  result: readonly [{ readonly affectedRows: number }, ...Array<unknown>]
): number => result[0].affectedRows
