import { Either } from "effect"
import { sqliteDuplicateKey } from "../errors"

/**
 * Runs `write`; when a unique key refuses it and `handle` knows that key (`primary` or an index name),
 * the write's outcome is the error `handle` returns — a domain error or a `Conflict` naming the row.
 * Any other failure is thrown on, to become a `StoreError`.
 */
export const unlessDuplicate = <A, E>(
  write: () => A,
  handle: (key: string) => E | undefined
): Either.Either<A, E> => {
  try {
    return Either.right(write())
  } catch (error) {
    const key = sqliteDuplicateKey(error)
    const mapped = key === undefined ? undefined : handle(key)
    if (mapped === undefined) throw error
    return Either.left(mapped)
  }
}
