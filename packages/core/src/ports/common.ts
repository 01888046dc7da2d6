/**
 * Values shared by the ports: JSON payloads and keyset pages.
 */

/** A JSON value. Money travels in JSON as minor units in strings (`"1999"`), never as a float. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * One page of a keyset (cursor) listing. `after` is the `next` cursor of the previous page (absent for the
 * first page); `limit` is the page size (>= 1). Cursors are opaque strings that only the adapter reads.
 */
export interface PageRequest {
  readonly after?: string
  readonly limit: number
}

/**
 * A page of rows in the listing's order. `next` is present exactly when more rows may follow; walking the
 * pages from the first with `after = next` returns every row exactly once, in order, even when rows are
 * added behind the cursor meanwhile.
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly next?: string
}
