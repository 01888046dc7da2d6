import { describe, expect } from "@effect/vitest"
import { InvalidUsageSample, slotTraffic, USAGE_SAMPLE_MS, type UsageSample } from "@ezscale/core"
import { Effect } from "effect"
import { fresh, type StoreIt } from "./support"

/** 2026-03-01T00:00:00Z, on the 5-minute grid. */
const t0 = Date.UTC(2026, 2, 1)
const slot = (i: number) => t0 + i * USAGE_SAMPLE_MS
const sample = (i: number, bytesIn: bigint, bytesOut: bigint): UsageSample => ({
  at: slot(i),
  bytesIn,
  bytesOut
})

export const usageSampleContract = (it: StoreIt) => {
  describe("usage samples", () => {
    it.effect("a window returns the service's samples in [from, to), ascending, per tenant and service", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const serviceId = yield* id("svc")
        yield* store.usageSamples.record(tenantId, serviceId, [
          sample(3, 30n, 3n),
          sample(0, 10n, 1n),
          sample(1, 20n, 2n)
        ])
        yield* store.usageSamples.record(tenantId, "svc-other", [sample(0, 999n, 999n)])
        yield* store.usageSamples.record(otherTenantId, serviceId, [sample(0, 777n, 777n)])
        const window = (from: number, to: number) =>
          store.usageSamples.window(tenantId, { serviceId, from, to })
        expect(yield* window(slot(0), slot(3))).toEqual([sample(0, 10n, 1n), sample(1, 20n, 2n)])
        expect(yield* window(slot(0), slot(4))).toEqual([
          sample(0, 10n, 1n),
          sample(1, 20n, 2n),
          sample(3, 30n, 3n)
        ])
        expect(yield* window(slot(1), slot(1) + 1)).toEqual([sample(1, 20n, 2n)])
        expect(yield* window(slot(3), slot(3))).toEqual([])
        expect(yield* window(slot(4), slot(0))).toEqual([])
        expect(
          yield* store.usageSamples.window(otherTenantId, { serviceId, from: slot(0), to: slot(9) })
        ).toEqual([sample(0, 777n, 777n)])
      })
    )

    it.effect("recording again never adds: each slot keeps the larger count in each direction", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const serviceId = yield* id("svc")
        const batch = [sample(0, 100n, 50n), sample(1, 5n, 5n)]
        yield* store.usageSamples.record(tenantId, serviceId, batch)
        yield* store.usageSamples.record(tenantId, serviceId, batch)
        const read = () => store.usageSamples.window(tenantId, { serviceId, from: slot(0), to: slot(10) })
        expect(yield* read()).toEqual(batch)
        yield* store.usageSamples.record(tenantId, serviceId, [sample(0, 80n, 70n), sample(2, 1n, 0n)])
        expect(yield* read()).toEqual([sample(0, 100n, 70n), sample(1, 5n, 5n), sample(2, 1n, 0n)])
        // one batch holding a slot twice is merged the same way
        yield* store.usageSamples.record(tenantId, serviceId, [sample(4, 9n, 1n), sample(4, 2n, 8n)])
        expect((yield* read()).at(-1)).toEqual(sample(4, 9n, 8n))
        // racing batches for the same slots end at the maxima
        yield* Effect.forEach(
          Array.from({ length: 8 }, (_, k) => k),
          (k) =>
            store.usageSamples.record(tenantId, serviceId, [
              sample(6, BigInt(k * 10), BigInt(70 - k * 10)),
              sample(5, BigInt(k), 0n)
            ]),
          { concurrency: "unbounded" }
        )
        const raced = (yield* read()).slice(-2)
        expect(raced).toEqual([sample(5, 7n, 0n), sample(6, 70n, 70n)])
      })
    )

    it.effect("a month of samples round-trips exactly, 64-bit counts included, and rates as recorded", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const serviceId = yield* id("svc")
        const month = Array.from({ length: 8640 }, (_, i) => sample(i, BigInt(i) * 1_000_000n, BigInt(i % 7)))
        month[17] = sample(17, 2n ** 63n - 1n, 2n ** 62n)
        yield* store.usageSamples.record(tenantId, serviceId, month)
        yield* store.usageSamples.record(
          tenantId,
          serviceId,
          month.map((s) => ({ ...s, bytesIn: s.bytesIn / 2n }))
        )
        const read = yield* store.usageSamples.window(tenantId, { serviceId, from: slot(0), to: slot(8640) })
        expect(read).toHaveLength(8640)
        expect(read).toEqual(month)
        const traffic = slotTraffic(read, { startsAt: slot(0), endsAt: slot(8640) })
        expect(traffic.bytesIn.reduce((a, b) => a + b, 0n)).toBe(month.reduce((a, s) => a + s.bytesIn, 0n))
        expect(traffic.slotsMerged).toBe(0)
      })
    )

    it.effect(
      "a sample off the 5-minute grid or with a bad count is InvalidUsageSample; its batch is not written",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, id } = yield* fresh
          const serviceId = yield* id("svc")
          const refused: ReadonlyArray<UsageSample> = [
            { at: slot(1) + 1, bytesIn: 1n, bytesOut: 1n },
            { at: slot(1) + 0.5, bytesIn: 1n, bytesOut: 1n },
            sample(1, -1n, 0n),
            sample(1, 0n, 2n ** 63n)
          ]
          for (const bad of refused) {
            const error = yield* Effect.flip(
              store.usageSamples.record(tenantId, serviceId, [sample(0, 5n, 5n), bad])
            )
            expect(error).toBeInstanceOf(InvalidUsageSample)
          }
          expect(
            yield* store.usageSamples.window(tenantId, { serviceId, from: slot(0), to: slot(9) })
          ).toEqual([])
        })
    )
  })
}
