/** Child rows (lines, items) grouped by their parent's id, for a page of parents read with one query. */
export const groupBy = <Row>(
  rows: ReadonlyArray<Row>,
  parentId: (row: Row) => string
): Map<string, Array<Row>> => {
  const grouped = new Map<string, Array<Row>>()
  for (const row of rows) {
    const id = parentId(row)
    const list = grouped.get(id)
    if (list === undefined) grouped.set(id, [row])
    else list.push(row)
  }
  return grouped
}
