/**
 * Usage samples laid out on the period's 5-minute slots: the one place that decides which samples
 * count. The rules (the same for transfer and for the 95th percentile):
 *
 * - the period has `ceil(length / 5 minutes)` slots, counted from its first instant;
 * - a sample belongs to the slot its `at` falls in; samples outside `[startsAt, endsAt)` are ignored;
 * - a slot with no sample counts as zero traffic;
 * - several samples for one slot (a source that reported a slot twice) are merged by keeping the larger
 *   count in each direction: a repeated report replaces, it never adds, so a retried export cannot bill
 *   a customer twice. How many slots were merged is reported, for the operator's logs.
 */
import type { Instant } from "../calendar/zone"
import { USAGE_SAMPLE_MS, type UsageSample } from "../ports/usage-source"

/** The instants a usage period covers: `[startsAt, endsAt)` (what `periodInstants` returns). */
export interface MeteringWindow {
  readonly startsAt: Instant
  /** Exclusive. */
  readonly endsAt: Instant
}

/** The period's traffic per slot, after the rules above. */
export interface SlotTraffic {
  /** Bytes in per slot; `length` is the number of slots the period has. */
  readonly bytesIn: ReadonlyArray<bigint>
  readonly bytesOut: ReadonlyArray<bigint>
  /** Slots with at least one sample. */
  readonly slotsReported: number
  /** Slots that had more than one sample (merged by the larger count). */
  readonly slotsMerged: number
  /** Samples outside the window. */
  readonly samplesIgnored: number
}

/** The number of 5-minute slots in the window: 8,640 for 30 days (0 for an empty or inverted window). */
export const slotCount = (window: MeteringWindow): number =>
  window.endsAt <= window.startsAt ? 0 : Math.ceil((window.endsAt - window.startsAt) / USAGE_SAMPLE_MS)

/**
 * Lays the samples on the window's slots. Byte counts must be non-negative (the port guarantees it; a
 * negative count is a defect in the adapter, not something to bill).
 */
export const slotTraffic = (samples: ReadonlyArray<UsageSample>, window: MeteringWindow): SlotTraffic => {
  const count = slotCount(window)
  const bytesIn: Array<bigint> = new Array<bigint>(count).fill(0n)
  const bytesOut: Array<bigint> = new Array<bigint>(count).fill(0n)
  const seen = new Uint8Array(count)
  let slotsReported = 0
  let slotsMerged = 0
  let samplesIgnored = 0
  for (const sample of samples) {
    if (sample.bytesIn < 0n || sample.bytesOut < 0n) {
      throw new RangeError(`usage sample at ${sample.at} has a negative byte count`)
    }
    if (sample.at < window.startsAt || sample.at >= window.endsAt) {
      samplesIgnored++
      continue
    }
    const slot = Math.floor((sample.at - window.startsAt) / USAGE_SAMPLE_MS)
    if (seen[slot] === 0) {
      seen[slot] = 1
      slotsReported++
      bytesIn[slot] = sample.bytesIn
      bytesOut[slot] = sample.bytesOut
    } else {
      if (seen[slot] === 1) slotsMerged++
      seen[slot] = 2
      if (sample.bytesIn > (bytesIn[slot] as bigint)) bytesIn[slot] = sample.bytesIn
      if (sample.bytesOut > (bytesOut[slot] as bigint)) bytesOut[slot] = sample.bytesOut
    }
  }
  return { bytesIn, bytesOut, slotsReported, slotsMerged, samplesIgnored }
}
