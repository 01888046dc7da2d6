/**
 * Keyset pages. A listing reads `limit + 1` rows after the cursor in its order (no OFFSET, no COUNT):
 * the extra row only says that another page follows. Cursors are the sort key of the page's last row:
 * its id for id-ordered listings, `<instant>:<id>` for subscriptions due for renewal.
 */
import { type Page, type PageRequest, StoreError } from "@ezscale/core"
import { Effect } from "effect"

/** A page limit must be a whole number >= 1: anything else is a bug in the caller. */
export const checkLimit = (page: PageRequest): Effect.Effect<void> =>
  Number.isInteger(page.limit) && page.limit >= 1
    ? Effect.void
    : Effect.dieMessage(`page limit must be a whole number >= 1, got ${page.limit}`)

/** The page of `rows` (read with `limit + 1`), with `next` when the extra row came back. */
export const pageOf = <Row, A>(
  rows: ReadonlyArray<Row>,
  limit: number,
  toItem: (row: Row) => A,
  cursorOf: (row: Row) => string
): Page<A> => {
  const kept = rows.length > limit ? rows.slice(0, limit) : rows
  const last = kept[kept.length - 1]
  const items = kept.map(toItem)
  return rows.length > limit && last !== undefined ? { items, next: cursorOf(last) } : { items }
}

export interface RenewalCursor {
  readonly nextRenewalAt: number
  readonly id: string
}

export const renewalCursor = (row: { readonly nextRenewalAt: number | null; readonly id: string }): string =>
  `${row.nextRenewalAt ?? 0}:${row.id}`

/** The position a `dueForRenewal` cursor names; `StoreError` for a cursor this store did not write. */
export const parseRenewalCursor = (cursor: string): Effect.Effect<RenewalCursor, StoreError> => {
  const colon = cursor.indexOf(":")
  const at = Number(cursor.slice(0, colon))
  return colon > 0 && Number.isSafeInteger(at)
    ? Effect.succeed({ nextRenewalAt: at, id: cursor.slice(colon + 1) })
    : Effect.fail(
        new StoreError({
          reason: "Unknown",
          retryable: false,
          entity: "subscription",
          key: cursor,
          detail: "malformed page cursor"
        })
      )
}

/** The cursor of a listing ordered by (an instant, id), such as open invoices by due date. */
export const instantCursor = (at: number, id: string): string => `${at}:${id}`

/** The position an {@link instantCursor} names; `StoreError` for a cursor this store did not write. */
export const parseInstantCursor = (
  cursor: string,
  entity: string
): Effect.Effect<{ readonly at: number; readonly id: string }, StoreError> => {
  const colon = cursor.indexOf(":")
  const at = Number(cursor.slice(0, colon))
  return colon > 0 && Number.isSafeInteger(at)
    ? Effect.succeed({ at, id: cursor.slice(colon + 1) })
    : Effect.fail(
        new StoreError({
          reason: "Unknown",
          retryable: false,
          entity,
          key: cursor,
          detail: "malformed page cursor"
        })
      )
}
