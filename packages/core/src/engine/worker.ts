/**
 * The outbox worker: claims due jobs in batches with a lease, runs each with the handler for its kind,
 * and completes it or fails it with an exponential backoff (with jitter from Effect's `Random`); the store
 * turns a job that failed `maxAttempts` times into a `dead` one that staff can see and retry. Handlers
 * must be idempotent: a job whose worker died is claimed again once its lease runs out.
 *
 * Any number of workers may run against one store; the store's claim hands each job to one of them.
 */
import { Clock, Duration, Effect, Random } from "effect"
import type { Instant } from "../calendar/zone"
import type { StoreError } from "../ports/store/errors"
import type { Job } from "../ports/store/records"
import { Store } from "../ports/store/store"

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
  /** Jobs claimed at once (default 20). */
  readonly batchSize?: number
  /** How long a claimed job is this worker's (default 5 minutes): longer than any handler runs. */
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

/**
 * One round: claims up to `batchSize` due jobs of the kinds this worker handles and runs them. A job
 * whose kind has no handler is never claimed by this worker.
 */
export const workOnce = <R>(options: WorkerOptions<R>): Effect.Effect<WorkRound, StoreError, Store | R> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now: Instant = yield* Clock.currentTimeMillis
    const jobs = yield* store.jobs.claim({
      now,
      limit: options.batchSize ?? 20,
      leaseMs: options.leaseMs ?? 300_000,
      workerId: options.workerId,
      kinds: Object.keys(options.handlers)
    })
    const failed: Array<{ jobId: string; kind: string; error: string }> = []
    let completed = 0
    yield* Effect.forEach(
      jobs,
      (job) => {
        const handler = options.handlers[job.kind] as JobHandler<R>
        return Effect.exit(handler(job)).pipe(
          Effect.flatMap((exit) => {
            if (exit._tag === "Success") {
              completed++
              return store.jobs.complete(job.id, options.workerId)
            }
            const cause = exit.cause
            const error =
              cause._tag === "Fail"
                ? describe(cause.error)
                : cause._tag === "Die"
                  ? describe(cause.defect)
                  : "interrupted"
            failed.push({ jobId: job.id, kind: job.kind, error })
            return Effect.flatMap(
              Effect.zip(
                retryDelay(options.backoff ?? defaultBackoff, job.attempts),
                Clock.currentTimeMillis
              ),
              ([delay, at]) => store.jobs.fail(job.id, options.workerId, { error, retryAt: at + delay })
            )
          }),
          // A lease taken over by another worker (ours ran out): that worker owns the job now.
          Effect.catchIf(
            (e) => e.reason === "Conflict",
            () => Effect.void
          )
        )
      },
      { concurrency: options.concurrency ?? 4, discard: true }
    )
    return { claimed: jobs.length, completed, failed }
  })

/**
 * Works forever: a round, then (when it claimed nothing) a pause of `idle` before looking again.
 * Interrupt the fiber to stop; a job being run is interrupted too and is claimed again after its lease.
 */
export const runWorker = <R>(
  options: WorkerOptions<R> & { readonly idle?: Duration.DurationInput }
): Effect.Effect<never, StoreError, Store | R> =>
  Effect.forever(
    Effect.flatMap(workOnce(options), (round) =>
      round.claimed === 0 ? Effect.sleep(options.idle ?? Duration.seconds(2)) : Effect.void
    )
  )

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
