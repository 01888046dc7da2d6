import { describe, expect } from "@effect/vitest"
import { Effect } from "effect"
import { fresh, type StoreIt } from "./support"

export const jobContract = (it: StoreIt) => {
  describe("outbox jobs", () => {
    it.effect(
      "a dedupe key enqueued twice is one job; claim takes due jobs in runAt order, up to the limit",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, jobKind } = yield* fresh
          const first = yield* store.jobs.enqueue(tenantId, {
            kind: jobKind,
            payload: { invoiceId: "inv-1" },
            runAt: 300,
            dedupeKey: "collect:inv-1"
          })
          const again = yield* store.jobs.enqueue(tenantId, {
            kind: jobKind,
            payload: { other: true },
            runAt: 0,
            dedupeKey: "collect:inv-1"
          })
          expect(again.id).toBe(first.id)
          expect(again.payload).toEqual({ invoiceId: "inv-1" })
          const other = yield* store.jobs.enqueue(otherTenantId, {
            kind: jobKind,
            payload: null,
            runAt: 100,
            dedupeKey: "collect:inv-1"
          })
          expect(other.id).not.toBe(first.id)
          const early = yield* store.jobs.enqueue(tenantId, { kind: jobKind, payload: 1, runAt: 200 })
          yield* store.jobs.enqueue(tenantId, { kind: jobKind, payload: 2, runAt: 10_000 })
          const claimed = yield* store.jobs.claim({
            now: 1000,
            limit: 2,
            leaseMs: 60_000,
            workerId: "w1",
            kinds: [jobKind]
          })
          expect(claimed.map((j) => j.id)).toEqual([other.id, early.id])
          expect(claimed.every((j) => j.state === "running" && j.attempts === 1 && j.lockedBy === "w1")).toBe(
            true
          )
          const rest = yield* store.jobs.claim({
            now: 1000,
            limit: 10,
            leaseMs: 60_000,
            workerId: "w2",
            kinds: [jobKind]
          })
          expect(rest.map((j) => j.id)).toEqual([first.id])
          expect(
            yield* store.jobs.claim({
              now: 1000,
              limit: 10,
              leaseMs: 60_000,
              workerId: "w3",
              kinds: [jobKind]
            })
          ).toEqual([])
          yield* store.jobs.complete(first.id, "w2")
          expect((yield* store.jobs.get(tenantId, first.id)).state).toBe("done")
          const afterDone = yield* store.jobs.enqueue(tenantId, {
            kind: jobKind,
            payload: 3,
            runAt: 0,
            dedupeKey: "collect:inv-1"
          })
          expect(afterDone).toMatchObject({ id: first.id, state: "done" })
          expect((yield* Effect.flip(store.jobs.get(otherTenantId, first.id))).reason).toBe("NotFound")
        })
    )

    it.effect(
      "a live lease is never claimed twice; an expired one is taken over and the old worker loses it",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, jobKind } = yield* fresh
          const job = yield* store.jobs.enqueue(tenantId, { kind: jobKind, payload: {}, runAt: 0 })
          yield* store.jobs.claim({ now: 0, limit: 1, leaseMs: 1000, workerId: "w1", kinds: [jobKind] })
          expect(
            yield* store.jobs.claim({ now: 999, limit: 1, leaseMs: 1000, workerId: "w2", kinds: [jobKind] })
          ).toEqual([])
          const takenOver = yield* store.jobs.claim({
            now: 1000,
            limit: 1,
            leaseMs: 1000,
            workerId: "w2",
            kinds: [jobKind]
          })
          expect(takenOver).toHaveLength(1)
          expect(takenOver[0]).toMatchObject({ id: job.id, lockedBy: "w2", lockedUntil: 2000, attempts: 2 })
          expect((yield* Effect.flip(store.jobs.complete(job.id, "w1"))).reason).toBe("Conflict")
          expect((yield* Effect.flip(store.jobs.fail(job.id, "w1", { error: "late" }))).reason).toBe(
            "Conflict"
          )
          yield* store.jobs.complete(job.id, "w2")
          expect((yield* Effect.flip(store.jobs.complete(job.id, "w2"))).reason).toBe("Conflict")
          expect((yield* Effect.flip(store.jobs.complete("job-unknown", "w2"))).reason).toBe("NotFound")
        })
    )

    it.effect(
      "failures count attempts, retry at retryAt, go dead at maxAttempts, and come back with retry",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, jobKind } = yield* fresh
          const claim = (now: number) =>
            store.jobs.claim({ now, limit: 5, leaseMs: 100, workerId: "w", kinds: [jobKind] })
          const job = yield* store.jobs.enqueue(tenantId, {
            kind: jobKind,
            payload: {},
            runAt: 0,
            maxAttempts: 2
          })
          expect(yield* claim(0)).toHaveLength(1)
          const retried = yield* store.jobs.fail(job.id, "w", { error: "declined", retryAt: 5000 })
          expect(retried).toMatchObject({ state: "pending", attempts: 1, runAt: 5000, lastError: "declined" })
          expect(yield* claim(4999)).toEqual([])
          expect(yield* claim(5000)).toHaveLength(1)
          const dead = yield* store.jobs.fail(job.id, "w", { error: "declined again" })
          expect(dead).toMatchObject({ state: "dead", attempts: 2, lastError: "declined again" })
          expect(yield* claim(1_000_000)).toEqual([])
          const listed = yield* store.jobs.listDead(tenantId, { limit: 10 })
          expect(listed.items.map((j) => j.id)).toEqual([job.id])
          const revived = yield* store.jobs.retry(tenantId, job.id)
          expect(revived).toMatchObject({ state: "pending", attempts: 0 })
          expect((yield* Effect.flip(store.jobs.retry(tenantId, job.id))).reason).toBe("Conflict")
          expect((yield* store.jobs.listDead(tenantId, { limit: 10 })).items).toEqual([])
          expect(yield* claim(1_000_000)).toHaveLength(1)
        })
    )

    it.effect(
      "findByDedupeKeys returns the tenant's jobs for the keys asked, in that order, each once, any state",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, jobKind } = yield* fresh
          const enqueue = (tenant: string, dedupeKey: string | undefined, runAt: number) =>
            store.jobs.enqueue(tenant, {
              kind: jobKind,
              payload: { dedupeKey: dedupeKey ?? null },
              runAt,
              ...(dedupeKey === undefined ? {} : { dedupeKey })
            })
          const retry = yield* enqueue(tenantId, "inv-1:retry:2", 0)
          const reminder = yield* enqueue(tenantId, "inv-1:reminder:on-due", 0)
          yield* enqueue(tenantId, undefined, 0)
          const foreign = yield* enqueue(otherTenantId, "inv-1:suspend", 0)
          yield* store.jobs.claim({ now: 0, limit: 10, leaseMs: 60_000, workerId: "w", kinds: [jobKind] })
          yield* store.jobs.complete(retry.id, "w")
          const found = yield* store.jobs.findByDedupeKeys(tenantId, [
            "inv-1:reminder:on-due",
            "inv-1:suspend",
            "inv-1:retry:2",
            "inv-1:reminder:on-due",
            "inv-1:late-fee"
          ])
          expect(found.map((job) => [job.id, job.dedupeKey, job.state])).toEqual([
            [reminder.id, "inv-1:reminder:on-due", "running"],
            [retry.id, "inv-1:retry:2", "done"]
          ])
          expect(
            (yield* store.jobs.findByDedupeKeys(otherTenantId, ["inv-1:suspend", "inv-1:retry:2"])).map(
              (job) => job.id
            )
          ).toEqual([foreign.id])
          expect(yield* store.jobs.findByDedupeKeys(tenantId, [])).toEqual([])
          // Many keys at once (more than one database round trip's worth), found among them the one held.
          const many = Array.from({ length: 1_200 }, (_, i) => `inv-none:${i}`)
          const held = yield* store.jobs.findByDedupeKeys(tenantId, [...many, "inv-1:retry:2"])
          expect(held.map((job) => job.id)).toEqual([retry.id])
        })
    )

    it.effect(
      "a renewed lease keeps a long job its worker's; a lease lost, completed or unknown is not renewed",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, jobKind } = yield* fresh
          const long = yield* store.jobs.enqueue(tenantId, { kind: jobKind, payload: 1, runAt: 0 })
          const short = yield* store.jobs.enqueue(otherTenantId, { kind: jobKind, payload: 2, runAt: 0 })
          const lost = yield* store.jobs.enqueue(tenantId, { kind: jobKind, payload: 3, runAt: 0 })
          const claim = (workerId: string, now: number, limit = 10) =>
            store.jobs.claim({ now, limit, leaseMs: 1_000, workerId, kinds: [jobKind] })
          expect((yield* claim("w1", 0)).map((job) => job.id).sort()).toEqual(
            [long.id, short.id, lost.id].sort()
          )
          // across tenants, like claim: the worker names its jobs
          expect([...(yield* store.jobs.renewLeases("w1", [long.id, short.id], 5_000))].sort()).toEqual(
            [long.id, short.id].sort()
          )
          expect(yield* store.jobs.get(tenantId, long.id)).toMatchObject({
            state: "running",
            lockedBy: "w1",
            lockedUntil: 5_000,
            attempts: 1
          })
          // `lost` ran out at 1 000 and w2 took it over; the others are still w1's
          expect((yield* claim("w2", 2_000)).map((job) => job.id)).toEqual([lost.id])
          yield* store.jobs.complete(short.id, "w1")
          expect(
            yield* store.jobs.renewLeases("w1", [lost.id, short.id, "job-unknown", long.id], 9_000)
          ).toEqual([long.id])
          expect(yield* store.jobs.get(tenantId, lost.id)).toMatchObject({
            lockedBy: "w2",
            lockedUntil: 3_000
          })
          expect((yield* store.jobs.get(otherTenantId, short.id)).state).toBe("done")
          expect(yield* store.jobs.renewLeases("w1", [], 9_000)).toEqual([])
          // a worker cannot renew what another holds
          expect(yield* store.jobs.renewLeases("w3", [long.id, lost.id], 9_000)).toEqual([])
          expect(yield* claim("w3", 2_500)).toEqual([])
          yield* store.jobs.complete(long.id, "w1")
        })
    )

    it.effect("a job whose last attempt's lease expires goes dead instead of running again", () =>
      Effect.gen(function* () {
        const { store, tenantId, jobKind } = yield* fresh
        const job = yield* store.jobs.enqueue(tenantId, {
          kind: jobKind,
          payload: {},
          runAt: 0,
          maxAttempts: 1
        })
        expect(
          yield* store.jobs.claim({ now: 0, limit: 1, leaseMs: 10, workerId: "w1", kinds: [jobKind] })
        ).toHaveLength(1)
        expect(
          yield* store.jobs.claim({ now: 10, limit: 1, leaseMs: 10, workerId: "w2", kinds: [jobKind] })
        ).toEqual([])
        expect((yield* store.jobs.get(tenantId, job.id)).state).toBe("dead")
      })
    )
  })
}
