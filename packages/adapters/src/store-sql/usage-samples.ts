/** Row <-> record mapping for usage samples, identical for both dialects. */
import type { UsageSample } from "@ezscale/core"

export interface UsageSampleRow {
  readonly tenantId: string
  readonly serviceId: string
  /** The slot's first instant (epoch ms, on the 5-minute grid). */
  readonly slotAt: number
  readonly bytesIn: bigint
  readonly bytesOut: bigint
}

/** Rows per INSERT: 5 parameters each, far below either database's limit per statement. */
export const SAMPLE_ROWS_PER_INSERT = 500

export const usageSampleToRow = (
  tenantId: string,
  serviceId: string,
  sample: UsageSample
): UsageSampleRow => ({
  tenantId,
  serviceId,
  slotAt: sample.at,
  bytesIn: sample.bytesIn,
  bytesOut: sample.bytesOut
})

export const usageSampleFromRow = (row: UsageSampleRow): UsageSample => ({
  at: row.slotAt,
  bytesIn: row.bytesIn,
  bytesOut: row.bytesOut
})

/** `rows` in chunks of {@link SAMPLE_ROWS_PER_INSERT}. */
export const sampleChunks = <Row>(rows: ReadonlyArray<Row>): Array<ReadonlyArray<Row>> => {
  const chunks: Array<ReadonlyArray<Row>> = []
  for (let start = 0; start < rows.length; start += SAMPLE_ROWS_PER_INSERT) {
    chunks.push(rows.slice(start, start + SAMPLE_ROWS_PER_INSERT))
  }
  return chunks
}
