/**
 * The outbox worker: claims due jobs in batches with a lease, runs each with the handler for its kind,
 * and completes it or fails it with an exponential backoff (with jitter from Effect's `Random`); the store
 * turns a job that failed `maxAttempts` times into a `dead` one that staff can see and retry. Handlers
 * must be idempotent: a job whose worker died is claimed again once its lease runs out.
 *
 * Any number of workers may run against one store; the store's claim hands each job to one of them.
 */
import { Clock, Deferred, Duration, Effect, Fiber, Queue, Random, Schedule } from "effect"
import type { Instant } from "../calendar/zone"
import type { StoreError } from "../ports/store/errors"
import type { Job } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"

/** What runs a job of one kind. Failing (with any error) or dying schedules a retry. */
export type JobHandler<R> = (job: Job) => Effect.Effect<void, unknown, R>

export interface Backoff {
  /** Delay before the second attempt. */
  readonly baseMs: number
  /** The delay never grows past this. */
  readonly maxMs: number
}

export const defaultBackoff: Backoff = { baseMs: 30_000, maxMs: 6 * 3_600_000 }

/**
 * The delay before attempt `attempts + 1`: `base x 2^(attempts - 1)`, capped, then "full jitter" — a
 * uniformly random point between half the delay and the delay, so failed jobs do not all come back at once.
 */
export const retryDelay = (backoff: Backoff, attempts: number): Effect.Effect<number> => {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30)
  const delay = Math.min(backoff.baseMs * 2 ** exponent, backoff.maxMs)
  return Effect.map(Random.nextIntBetween(Math.ceil(delay / 2), delay + 1), (ms) => ms)
}

export interface WorkerOptions<R> {
  readonly workerId: string
  readonly handlers: { readonly [kind: string]: JobHandler<R> }
  /** Jobs claimed at once (default 20 for `workOnce`; `runWorker` claims at most its free slots). */
  readonly batchSize?: number
  /**
   * How long a claimed job stays this worker's without a renewal (default 5 minutes). The worker renews
   * the leases of its running jobs every third of it, so this is how long a dead worker's jobs wait.
   */
  readonly leaseMs?: number
  /** Jobs of one batch run at once (default 4). */
  readonly concurrency?: number
  readonly backoff?: Backoff
}

/** What one claim-and-run round did. */
export interface WorkRound {
  readonly claimed: number
  readonly completed: number
  readonly failed: ReadonlyArray<{ readonly jobId: string; readonly kind: string; readonly error: string }>
}

const describe = (error: unknown): string =>
  error instanceof Error
    ? `${error.name}: ${error.message}`
    : typeof error === "object" && error !== null && "_tag" in error
      ? String((error as { _tag: unknown })._tag)
      : String(error)

type Held = Map<string, Fiber.RuntimeFiber<unknown, unknown> | undefined>

/**
 * The worker's heartbeat: every third of the lease, renews the leases of the jobs it holds, so a job
 * that runs longer than the lease stays this worker's while the worker lives (a dead worker's jobs come
 * back one lease later). A job the store no longer counts as ours (taken over after a pause longer than
 * the lease) is interrupted: its new owner runs it. A failed renewal is tried again on the next beat.
 */
const keepLeases = (
  store: StoreService,
  workerId: string,
  leaseMs: number,
  held: Held
): Effect.Effect<never> =>
  Effect.gen(function* () {
    if (held.size === 0) return
    const ids = [...held.keys()]
    const now = yield* Clock.currentTimeMillis
    const renewed = new Set(yield* store.jobs.renewLeases(workerId, ids, now + leaseMs))
    for (const id of ids) {
      const fiber = held.get(id)
      if (!renewed.has(id) && held.has(id) && fiber !== undefined) yield* Fiber.interrupt(fiber)
    }
  }).pipe(
    Effect.catchAll(() => Effect.void),
    Effect.repeat(Schedule.spaced(Duration.millis(Math.max(1, Math.floor(leaseMs / 3))))),
    Effect.zipRight(Effect.never)
  )

/**
 * Runs one claimed job with the handler of its kind, then completes it, or fails it with the backoff.
 * A lease taken over by another worker meanwhile (`Conflict`) is that worker's job now: nothing to do.
 */
const runJob = <R>(
  store: StoreService,
  options: WorkerOptions<R>,
  job: Job
): Effect.Effect<{ readonly error?: string }, StoreError, R> => {
  const handler = options.handlers[job.kind] as JobHandler<R>
  return Effect.exit(handler(job)).pipe(
    Effect.flatMap((exit) => {
      if (exit._tag === "Success") return Effect.as(store.jobs.complete(job.id, options.workerId), {})
      const cause = exit.cause
      const error =
        cause._tag === "Fail"
          ? describe(cause.error)
          : cause._tag === "Die"
            ? describe(cause.defect)
            : "interrupted"
      return Effect.zip(
        retryDelay(options.backoff ?? defaultBackoff, job.attempts),
        Clock.currentTimeMillis
      ).pipe(
        Effect.flatMap(([delay, at]) =>
          store.jobs.fail(job.id, options.workerId, { error, retryAt: at + delay })
        ),
        Effect.as({ error })
      )
    }),
    Effect.catchIf(
      (e) => e.reason === "Conflict",
      () => Effect.succeed({})
    )
  )
}

/**
 * One round: claims up to `batchSize` due jobs of the kinds this worker handles and runs them,
 * `concurrency` at a time, keeping their leases alive meanwhile. A job whose kind has no handler is
 * never claimed by this worker.
 */
export const workOnce = <R>(options: WorkerOptions<R>): Effect.Effect<WorkRound, StoreError, Store | R> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now: Instant = yield* Clock.currentTimeMillis
    const leaseMs = options.leaseMs ?? 300_000
    const jobs = yield* store.jobs.claim({
      now,
      limit: options.batchSize ?? 20,
      leaseMs,
      workerId: options.workerId,
      kinds: Object.keys(options.handlers)
    })
    const held: Held = new Map(jobs.map((job) => [job.id, undefined]))
    yield* Effect.forkScoped(keepLeases(store, options.workerId, leaseMs, held))
    const failed: Array<{ jobId: string; kind: string; error: string }> = []
    let completed = 0
    yield* Effect.forEach(
      jobs,
      (job) =>
        runJob(store, options, job).pipe(
          Effect.tap(({ error }) =>
            Effect.sync(() => {
              if (error === undefined) completed++
              else failed.push({ jobId: job.id, kind: job.kind, error })
            })
          ),
          Effect.ensuring(Effect.sync(() => held.delete(job.id)))
        ),
      { concurrency: options.concurrency ?? 4, discard: true }
    )
    return { claimed: jobs.length, completed, failed }
  }).pipe(Effect.scoped)

/**
 * Works forever with `concurrency` slots: claims only as many jobs as it has free slots (a job waiting
 * in a worker's queue would hold a lease it cannot use, and lose an attempt when the worker dies), runs
 * each as soon as it is claimed, and claims again when one ends; pauses for `idle` when nothing is due.
 * Leases are renewed while jobs run (see `renewLeases`), so `leaseMs` only bounds how long a dead
 * worker's jobs wait. A store failure ends the worker. Interrupt the fiber to stop; the jobs being run
 * are interrupted too and are claimed again after their lease.
 */
export const runWorker = <R>(
  options: WorkerOptions<R> & { readonly idle?: Duration.DurationInput }
): Effect.Effect<never, StoreError, Store | R> =>
  Effect.gen(function* () {
    const store = yield* Store
    const leaseMs = options.leaseMs ?? 300_000
    const slots = Math.max(1, options.concurrency ?? 4)
    const kinds = Object.keys(options.handlers)
    const held: Held = new Map()
    const ended = yield* Queue.unbounded<void>()
    const broken = yield* Deferred.make<never, StoreError>()
    yield* Effect.forkScoped(keepLeases(store, options.workerId, leaseMs, held))
    const start = (job: Job) =>
      Effect.gen(function* () {
        const fiber = yield* Effect.forkScoped(
          runJob(store, options, job).pipe(
            Effect.catchAll((error) => Deferred.fail(broken, error)),
            Effect.ensuring(
              Effect.zipRight(
                Effect.sync(() => held.delete(job.id)),
                Queue.offer(ended, undefined)
              )
            )
          )
        )
        if (held.has(job.id)) held.set(job.id, fiber)
      })
    const loop = Effect.gen(function* () {
      for (;;) {
        const free = slots - held.size
        if (free > 0) {
          const now = yield* Clock.currentTimeMillis
          const jobs = yield* store.jobs.claim({
            now,
            limit: Math.min(free, options.batchSize ?? free),
            leaseMs,
            workerId: options.workerId,
            kinds
          })
          for (const job of jobs) held.set(job.id, undefined)
          for (const job of jobs) yield* start(job)
          if (jobs.length > 0) continue
        }
        // full: wait for a job to end; nothing due: the idle pause, cut short when a job ends
        yield* free > 0
          ? Effect.raceFirst(Queue.take(ended), Effect.sleep(options.idle ?? Duration.seconds(2)))
          : Queue.take(ended)
        yield* Queue.takeAll(ended)
      }
    })
    return yield* Effect.raceFirst(loop, Deferred.await(broken))
  }).pipe(Effect.scoped)

/** A job enqueued once per time slot per tenant, however many processes schedule it. */
export interface RecurringJob {
  readonly kind: string
  /** Slot length: one job per slot (e.g. an hour for the billing run). */
  readonly everyMs: number
}

/**
 * Enqueues the job of the slot containing the clock's now (run at the slot's start), with the dedupe key
 * `<kind>:<slot start>`: the store keeps the first, so every process may call this on every tick.
 */
export const scheduleRecurring = (
  tenantId: string,
  recurring: RecurringJob
): Effect.Effect<Job, StoreError, Store> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const slot = now - (now % recurring.everyMs)
    return yield* store.jobs.enqueue(tenantId, {
      kind: recurring.kind,
      payload: { tenantId, slot },
      runAt: slot,
      dedupeKey: `${recurring.kind}:${slot}`
    })
  })
