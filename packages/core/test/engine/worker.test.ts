/**
 * The outbox worker and the recurring-job scheduler over the in-memory store, with a frozen clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { retryDelay, runWorker, Store, scheduleRecurring, workOnce } from "@ezscale/core"
import { InMemoryStore } from "@ezscale/testkit"
import { Deferred, Effect, Fiber, TestClock } from "effect"

const start = Date.UTC(2026, 2, 1, 10, 0)
const handled: Array<string> = []

const setup = Effect.gen(function* () {
  handled.length = 0
  yield* TestClock.setTime(start)
  return yield* Store
})

describe("workOnce", () => {
  it.effect("runs each due job with the handler of its kind and completes it", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const a = yield* store.jobs.enqueue("t1", { kind: "mail", payload: { to: "a" }, runAt: start })
      yield* store.jobs.enqueue("t1", { kind: "mail", payload: { to: "later" }, runAt: start + 60_000 })
      yield* store.jobs.enqueue("t2", { kind: "other", payload: null, runAt: start })
      const round = yield* workOnce({
        workerId: "w1",
        handlers: {
          mail: (job) => Effect.sync(() => handled.push(`${job.tenantId}:${JSON.stringify(job.payload)}`))
        }
      })
      expect(round).toEqual({ claimed: 1, completed: 1, failed: [] })
      expect(handled).toEqual(['t1:{"to":"a"}'])
      expect((yield* store.jobs.get("t1", a.id)).state).toBe("done")
      // The job of a kind this worker has no handler for is left for another worker.
      expect((yield* workOnce({ workerId: "w1", handlers: { mail: () => Effect.void } })).claimed).toBe(0)
    }).pipe(Effect.provide(InMemoryStore.layer))
  )

  it.effect("retries a failing job with a growing, jittered delay, then leaves it dead for staff", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const job = yield* store.jobs.enqueue("t1", {
        kind: "flaky",
        payload: null,
        runAt: start,
        maxAttempts: 3
      })
      const backoff = { baseMs: 1_000, maxMs: 60_000 }
      const options = {
        workerId: "w1",
        backoff,
        handlers: { flaky: () => Effect.fail(new Error("panel answered 500")) }
      }
      const first = yield* workOnce(options)
      expect(first.failed).toEqual([{ jobId: job.id, kind: "flaky", error: "Error: panel answered 500" }])
      const afterFirst = yield* store.jobs.get("t1", job.id)
      expect(afterFirst.state).toBe("pending")
      // attempt 1 failed: the retry comes 0.5 to 1 s later
      expect(afterFirst.runAt - start).toBeGreaterThanOrEqual(500)
      expect(afterFirst.runAt - start).toBeLessThanOrEqual(1_000)
      expect((yield* workOnce(options)).claimed).toBe(0) // not yet
      yield* TestClock.setTime(afterFirst.runAt)
      yield* workOnce(options)
      const afterSecond = yield* store.jobs.get("t1", job.id)
      expect(afterSecond.runAt - afterFirst.runAt).toBeGreaterThanOrEqual(1_000)
      expect(afterSecond.runAt - afterFirst.runAt).toBeLessThanOrEqual(2_000)
      yield* TestClock.setTime(afterSecond.runAt)
      yield* workOnce(options)
      const dead = yield* store.jobs.get("t1", job.id)
      expect(dead).toMatchObject({ state: "dead", attempts: 3, lastError: "Error: panel answered 500" })
      expect((yield* store.jobs.listDead("t1", { limit: 10 })).items.map((j) => j.id)).toEqual([job.id])
    }).pipe(Effect.provide(InMemoryStore.layer))
  )

  it.effect("treats a defect in a handler like a failure: the job is retried, the worker goes on", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const job = yield* store.jobs.enqueue("t1", { kind: "buggy", payload: null, runAt: start })
      yield* store.jobs.enqueue("t1", { kind: "fine", payload: null, runAt: start })
      const round = yield* workOnce({
        workerId: "w1",
        handlers: { buggy: () => Effect.die(new TypeError("boom")), fine: () => Effect.void }
      })
      expect(round.completed).toBe(1)
      expect(round.failed.map((f) => f.error)).toEqual(["TypeError: boom"])
      expect((yield* store.jobs.get("t1", job.id)).state).toBe("pending")
    }).pipe(Effect.provide(InMemoryStore.layer))
  )
})

describe("retryDelay", () => {
  it.effect("doubles from the base up to the cap, and stays within [delay / 2, delay]", () =>
    Effect.gen(function* () {
      const backoff = { baseMs: 1_000, maxMs: 10_000 }
      for (const [attempts, delay] of [
        [1, 1_000],
        [2, 2_000],
        [4, 8_000],
        [5, 10_000],
        [40, 10_000]
      ] as const) {
        for (let i = 0; i < 20; i++) {
          const ms = yield* retryDelay(backoff, attempts)
          expect(ms).toBeGreaterThanOrEqual(delay / 2)
          expect(ms).toBeLessThanOrEqual(delay)
        }
      }
    })
  )
})

describe("runWorker", () => {
  it.effect("keeps working until interrupted, pausing when there is nothing to do", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const fiber = yield* Effect.fork(
        runWorker({
          workerId: "w1",
          idle: "1 second",
          handlers: { tick: (job) => Effect.sync(() => handled.push(job.id)) }
        })
      )
      const first = yield* store.jobs.enqueue("t1", { kind: "tick", payload: null, runAt: start })
      yield* TestClock.adjust("1 second")
      const second = yield* store.jobs.enqueue("t1", { kind: "tick", payload: null, runAt: start + 1_000 })
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.interrupt(fiber)
      expect(handled).toEqual([first.id, second.id])
    }).pipe(Effect.provide(InMemoryStore.layer))
  )
})

describe("runWorker leases", () => {
  it.effect("claims only as many jobs as it has free slots: the rest stay pending for other workers", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const gate = yield* Deferred.make<void>()
      const jobs = yield* Effect.forEach([1, 2, 3, 4, 5], (n) =>
        store.jobs.enqueue("t1", { kind: "slow", payload: n, runAt: start })
      )
      const fiber = yield* Effect.fork(
        runWorker({
          workerId: "w1",
          concurrency: 2,
          idle: "1 second",
          handlers: {
            slow: (job) =>
              Effect.zipRight(
                Deferred.await(gate),
                Effect.sync(() => handled.push(job.id))
              )
          }
        })
      )
      yield* TestClock.adjust("10 millis")
      const states = yield* Effect.forEach(jobs, (job) =>
        Effect.map(store.jobs.get("t1", job.id), (j) => j.state)
      )
      expect(states).toEqual(["running", "running", "pending", "pending", "pending"])
      // another worker takes what the first cannot run yet
      const other = yield* store.jobs.claim({ now: start, limit: 10, leaseMs: 1_000, workerId: "w2" })
      expect(other.map((job) => job.id)).toEqual(jobs.slice(2).map((job) => job.id))
      yield* Deferred.succeed(gate, undefined)
      yield* TestClock.adjust("10 millis")
      yield* Fiber.interrupt(fiber)
      expect(handled).toEqual(jobs.slice(0, 2).map((job) => job.id))
    }).pipe(Effect.provide(InMemoryStore.layer))
  )

  it.effect("a job running longer than its lease stays its worker's: renewed, never taken over", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const job = yield* store.jobs.enqueue("t1", { kind: "long", payload: null, runAt: start })
      const fiber = yield* Effect.fork(
        runWorker({
          workerId: "w1",
          leaseMs: 1_000,
          handlers: {
            long: () =>
              Effect.zipRight(
                Effect.sleep("10 seconds"),
                Effect.sync(() => handled.push("done"))
              )
          }
        })
      )
      for (let second = 1; second <= 9; second++) {
        yield* TestClock.adjust("1 second")
        const now = start + second * 1_000
        expect(yield* store.jobs.claim({ now, limit: 1, leaseMs: 1_000, workerId: "w2" })).toEqual([])
      }
      yield* TestClock.adjust("2 seconds")
      expect(handled).toEqual(["done"])
      expect(yield* store.jobs.get("t1", job.id)).toMatchObject({ state: "done", attempts: 1 })
      yield* Fiber.interrupt(fiber)
    }).pipe(Effect.provide(InMemoryStore.layer))
  )

  it.effect("a worker that lost a job's lease (paused past it, taken over) stops running it", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const job = yield* store.jobs.enqueue("t1", { kind: "long", payload: null, runAt: start })
      const fiber = yield* Effect.fork(
        runWorker({
          workerId: "w1",
          leaseMs: 3_000,
          handlers: {
            long: () =>
              Effect.zipRight(
                Effect.sleep("10 seconds"),
                Effect.sync(() => handled.push("w1"))
              )
          }
        })
      )
      yield* TestClock.adjust("10 millis")
      // as if w1's heartbeat had stalled past the lease: w2 takes the job over
      const [taken] = yield* store.jobs.claim({
        now: start + 3_000,
        limit: 1,
        leaseMs: 60_000,
        workerId: "w2"
      })
      expect(taken?.id).toBe(job.id)
      yield* TestClock.adjust("15 seconds")
      expect(handled).toEqual([])
      expect(yield* store.jobs.get("t1", job.id)).toMatchObject({
        state: "running",
        lockedBy: "w2",
        attempts: 2
      })
      yield* Fiber.interrupt(fiber)
    }).pipe(Effect.provide(InMemoryStore.layer))
  )
})

describe("scheduleRecurring", () => {
  it.effect("enqueues one job per slot, however often and by however many processes it is called", () =>
    Effect.gen(function* () {
      const store = yield* setup
      const hourly = { kind: "billing_run", everyMs: 3_600_000 }
      const a = yield* scheduleRecurring("t1", hourly)
      yield* TestClock.adjust("20 minutes")
      const b = yield* Effect.all([scheduleRecurring("t1", hourly), scheduleRecurring("t1", hourly)], {
        concurrency: "unbounded"
      })
      expect(b.map((job) => job.id)).toEqual([a.id, a.id])
      expect(a).toMatchObject({
        runAt: start,
        dedupeKey: `billing_run:${start}`,
        payload: { tenantId: "t1", slot: start }
      })
      yield* TestClock.adjust("40 minutes") // the next hour
      const next = yield* scheduleRecurring("t1", hourly)
      expect(next.id).not.toBe(a.id)
      expect(next.runAt).toBe(start + 3_600_000)
      expect((yield* scheduleRecurring("t2", hourly)).id).not.toBe(next.id) // per tenant
      yield* store.jobs.get("t1", next.id)
    }).pipe(Effect.provide(InMemoryStore.layer))
  )
})
