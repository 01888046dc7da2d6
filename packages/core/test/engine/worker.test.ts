/**
 * The outbox worker and the recurring-job scheduler over the in-memory store, with a frozen clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { retryDelay, runWorker, Store, scheduleRecurring, workOnce } from "@ezscale/core"
import { InMemoryStore } from "@ezscale/testkit"
import { Effect, Fiber, TestClock } from "effect"

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
