import {
  defaultMaxAttempts,
  type IdempotencyRepository,
  type Job,
  type JobRepository,
  StoreError
} from "@ezscale/core"
import { Effect, Option } from "effect"
import type { Db } from "./db"
import type { State } from "./state"
import { key, nextSerial, paginate, rowsOf } from "./state"

const unlocked = (job: Job): Job => {
  const { lockedBy: _by, lockedUntil: _until, ...rest } = job
  return rest
}

const findJob = (state: State, jobId: string) => {
  for (const [k, job] of state.tables.jobs) if (job.id === jobId) return { k, job }
  return undefined
}

/** The job, when it is running under this worker's lease; `Conflict` when the lease is gone. */
const leased = (state: State, jobId: string, workerId: string) => {
  const found = findJob(state, jobId)
  if (found === undefined) return Effect.fail(StoreError.notFound("job", jobId))
  if (found.job.state !== "running" || found.job.lockedBy !== workerId) {
    return Effect.fail(StoreError.conflict("job", jobId, `not leased to ${workerId}`))
  }
  return Effect.succeed(found)
}

export const jobRepository = (db: Db): JobRepository => ({
  enqueue: (tenantId, spec) =>
    db.run((state) => {
      const dedupe = spec.dedupeKey === undefined ? undefined : key(tenantId, "job-dedupe", spec.dedupeKey)
      const existing = dedupe === undefined ? undefined : state.tables.uniques.get(dedupe)
      const found = existing === undefined ? undefined : state.tables.jobs.get(key(tenantId, existing))
      if (found !== undefined) return Effect.succeed(found)
      const job: Job = {
        id: nextSerial(state, "job"),
        tenantId,
        kind: spec.kind,
        payload: spec.payload,
        runAt: spec.runAt,
        ...(spec.dedupeKey === undefined ? {} : { dedupeKey: spec.dedupeKey }),
        state: "pending",
        attempts: 0,
        maxAttempts: spec.maxAttempts ?? defaultMaxAttempts
      }
      state.tables.jobs.set(key(tenantId, job.id), job)
      if (dedupe !== undefined) state.tables.uniques.set(dedupe, job.id)
      return Effect.succeed(job)
    }),
  get: (tenantId, jobId) =>
    db.run(({ tables }) => {
      const job = tables.jobs.get(key(tenantId, jobId))
      return job === undefined ? Effect.fail(StoreError.notFound("job", jobId)) : Effect.succeed(job)
    }),
  findByDedupeKeys: (tenantId, dedupeKeys) =>
    db.run(({ tables }) => {
      const found: Array<Job> = []
      for (const dedupeKey of new Set(dedupeKeys)) {
        const jobId = tables.uniques.get(key(tenantId, "job-dedupe", dedupeKey))
        const job = jobId === undefined ? undefined : tables.jobs.get(key(tenantId, jobId))
        if (job !== undefined) found.push(job)
      }
      return Effect.succeed(found)
    }),
  claim: ({ now, limit, leaseMs, workerId, kinds }) =>
    db.run(({ tables }) => {
      const candidates = [...tables.jobs.entries()]
        .filter(
          ([, job]) =>
            (kinds === undefined || kinds.includes(job.kind)) &&
            ((job.state === "pending" && job.runAt <= now) ||
              (job.state === "running" && (job.lockedUntil ?? 0) <= now))
        )
        .sort(([, a], [, b]) => a.runAt - b.runAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const claimed: Array<Job> = []
      for (const [k, job] of candidates) {
        if (claimed.length >= limit) break
        if (job.state === "running" && job.attempts >= job.maxAttempts) {
          tables.jobs.set(k, {
            ...unlocked(job),
            state: "dead",
            lastError: "lease expired on the last attempt"
          })
          continue
        }
        const next: Job = {
          ...job,
          state: "running",
          attempts: job.attempts + 1,
          lockedBy: workerId,
          lockedUntil: now + leaseMs
        }
        tables.jobs.set(k, next)
        claimed.push(next)
      }
      return Effect.succeed(claimed)
    }),
  complete: (jobId, workerId) =>
    db.run((state) =>
      Effect.map(leased(state, jobId, workerId), ({ k, job }) => {
        state.tables.jobs.set(k, { ...unlocked(job), state: "done" })
      })
    ),
  renewLeases: (workerId, jobIds, until) =>
    db.run((state) => {
      const renewed: Array<string> = []
      for (const jobId of new Set(jobIds)) {
        const found = findJob(state, jobId)
        if (found === undefined || found.job.state !== "running" || found.job.lockedBy !== workerId) continue
        state.tables.jobs.set(found.k, { ...found.job, lockedUntil: until })
        renewed.push(jobId)
      }
      return Effect.succeed(renewed)
    }),
  fail: (jobId, workerId, failure) =>
    db.run((state) =>
      Effect.map(leased(state, jobId, workerId), ({ k, job }) => {
        const next: Job =
          job.attempts >= job.maxAttempts
            ? { ...unlocked(job), state: "dead", lastError: failure.error }
            : {
                ...unlocked(job),
                state: "pending",
                lastError: failure.error,
                runAt: failure.retryAt ?? job.runAt
              }
        state.tables.jobs.set(k, next)
        return next
      })
    ),
  listDead: (tenantId, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(tables.jobs, tenantId, (job) => job.state === "dead"),
        (j) => j.id,
        page
      )
    ),
  retry: (tenantId, jobId) =>
    db.run(({ tables }) => {
      const k = key(tenantId, jobId)
      const job = tables.jobs.get(k)
      if (job === undefined) return Effect.fail(StoreError.notFound("job", jobId))
      if (job.state !== "dead")
        return Effect.fail(StoreError.conflict("job", jobId, `is ${job.state}, not dead`))
      const next: Job = { ...job, state: "pending", attempts: 0 }
      tables.jobs.set(k, next)
      return Effect.succeed(next)
    })
})

export const idempotencyRepository = (db: Db): IdempotencyRepository => ({
  remember: (tenantId, idempotencyKey, result) =>
    db.run(({ tables }) => {
      const k = key(tenantId, idempotencyKey)
      if (tables.idempotency.has(k)) return Effect.succeed(tables.idempotency.get(k) ?? null)
      tables.idempotency.set(k, result)
      return Effect.succeed(result)
    }),
  recall: (tenantId, idempotencyKey) =>
    db.run(({ tables }) => {
      const k = key(tenantId, idempotencyKey)
      return Effect.succeed(
        tables.idempotency.has(k) ? Option.some(tables.idempotency.get(k) ?? null) : Option.none()
      )
    })
})
