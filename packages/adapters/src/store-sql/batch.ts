/**
 * Reads by a list of ids of any length: the ids go to the database in chunks (one `IN (...)` of at most
 * {@link ID_CHUNK} parameters each, far below SQLite's and MySQL's limits per statement), and the rows
 * come back in the order the ids were asked, each once.
 */

/** Ids per `IN (...)` list. */
export const ID_CHUNK = 500

/** The distinct ids, in the order first given, cut into chunks of {@link ID_CHUNK}. */
export const idChunks = (ids: ReadonlyArray<string>): Array<Array<string>> => {
  const distinct = [...new Set(ids)]
  const chunks: Array<Array<string>> = []
  for (let start = 0; start < distinct.length; start += ID_CHUNK) {
    chunks.push(distinct.slice(start, start + ID_CHUNK))
  }
  return chunks
}

/** The rows found for `ids`, in the order of `ids`, each once; ids without a row are left out. */
export const inAskedOrder = <Row>(
  ids: ReadonlyArray<string>,
  rows: ReadonlyArray<Row>,
  idOf: (row: Row) => string
): Array<Row> => {
  const byId = new Map(rows.map((row) => [idOf(row), row]))
  const out: Array<Row> = []
  for (const id of new Set(ids)) {
    const row = byId.get(id)
    if (row !== undefined) out.push(row)
  }
  return out
}
