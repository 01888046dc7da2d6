import { describe, expect, it } from "vitest"
import { periodInstants } from "../calendar/period"
import { slotCount, slotTraffic } from "./slots"

const start = Date.UTC(2026, 3, 1)
const MIN5 = 300_000
/** One hour: 12 slots. */
const hour = { startsAt: start, endsAt: start + 12 * MIN5 }
const at = (slot: number) => start + slot * MIN5

describe("slotCount", () => {
  it("is the period's length / 5 minutes: 8,640 for 30 days, 12 for an hour", () => {
    expect(slotCount({ startsAt: start, endsAt: start + 30 * 86_400_000 })).toBe(8640)
    expect(slotCount(hour)).toBe(12)
  })

  it("follows the real length across a DST change: March 2026 in Paris is 743 hours", () => {
    const march = periodInstants(
      { start: { year: 2026, month: 3, day: 1 }, end: { year: 2026, month: 4, day: 1 } },
      "Europe/Paris"
    )
    expect(slotCount(march)).toBe(743 * 12)
  })

  it("counts a partial last slot, and nothing for an empty or inverted window", () => {
    expect(slotCount({ startsAt: start, endsAt: start + MIN5 + 1 })).toBe(2)
    expect(slotCount({ startsAt: start, endsAt: start })).toBe(0)
    expect(slotCount({ startsAt: start, endsAt: start - MIN5 })).toBe(0)
  })
})

describe("slotTraffic", () => {
  it("puts each sample in its slot and counts missing slots as zero", () => {
    const traffic = slotTraffic(
      [
        { at: at(0), bytesIn: 1n, bytesOut: 2n },
        { at: at(5) + 1000, bytesIn: 3n, bytesOut: 4n }
      ],
      hour
    )
    expect(traffic.bytesIn).toEqual([1n, 0n, 0n, 0n, 0n, 3n, 0n, 0n, 0n, 0n, 0n, 0n])
    expect(traffic.bytesOut).toEqual([2n, 0n, 0n, 0n, 0n, 4n, 0n, 0n, 0n, 0n, 0n, 0n])
    expect(traffic.slotsReported).toBe(2)
  })

  it("ignores samples before the start and at or after the exclusive end", () => {
    const traffic = slotTraffic(
      [
        { at: start - MIN5, bytesIn: 100n, bytesOut: 100n },
        { at: at(11), bytesIn: 7n, bytesOut: 8n },
        { at: at(12), bytesIn: 100n, bytesOut: 100n }
      ],
      hour
    )
    expect(traffic.samplesIgnored).toBe(2)
    expect(traffic.bytesIn[11]).toBe(7n)
    expect(traffic.bytesIn.reduce((a, b) => a + b, 0n)).toBe(7n)
  })

  it("merges repeated reports of a slot by the larger count in each direction (never adds them)", () => {
    const traffic = slotTraffic(
      [
        { at: at(3), bytesIn: 10n, bytesOut: 1n },
        { at: at(3), bytesIn: 4n, bytesOut: 9n },
        { at: at(3), bytesIn: 6n, bytesOut: 2n },
        { at: at(4), bytesIn: 5n, bytesOut: 5n },
        { at: at(4), bytesIn: 5n, bytesOut: 5n }
      ],
      hour
    )
    expect([traffic.bytesIn[3], traffic.bytesOut[3]]).toEqual([10n, 9n])
    expect([traffic.bytesIn[4], traffic.bytesOut[4]]).toEqual([5n, 5n])
    expect(traffic.slotsReported).toBe(2)
    expect(traffic.slotsMerged).toBe(2)
  })

  it("treats a negative byte count as a defect of the source", () => {
    expect(() => slotTraffic([{ at: at(0), bytesIn: -1n, bytesOut: 0n }], hour)).toThrow(RangeError)
  })
})
