/**
 * Outbox jobs: row <-> record mapping and the decisions of `claim` / `fail` / `retry`, shared by both
 * dialects so their SQL only differs in how rows are locked.
 */
import { type ClaimRequest, defaultMaxAttempts, type Job, type JobSpec, type Json } from "@ezscale/core"
import { decodeJson, encodeJson } from "./json"

export interface JobRow {
  readonly tenantId: string
  readonly id: string
  readonly kind: string
  readonly payload: string
  readonly runAt: number
  readonly dedupeKey: string | null
  readonly state: string
  readonly attempts: number
  readonly maxAttempts: number
  readonly lastError: string | null
  readonly lockedBy: string | null
  readonly lockedUntil: number | null
}

export const newJobRow = (tenantId: string, id: string, spec: JobSpec): JobRow => ({
  tenantId,
  id,
  kind: spec.kind,
  payload: encodeJson(spec.payload),
  runAt: spec.runAt,
  dedupeKey: spec.dedupeKey ?? null,
  state: "pending",
  attempts: 0,
  maxAttempts: spec.maxAttempts ?? defaultMaxAttempts,
  lastError: null,
  lockedBy: null,
  lockedUntil: null
})

export const jobFromRow = (row: JobRow): Job => ({
  id: row.id,
  tenantId: row.tenantId,
  kind: row.kind,
  payload: decodeJson(row.payload) as Json,
  runAt: row.runAt,
  ...(row.dedupeKey === null ? {} : { dedupeKey: row.dedupeKey }),
  state: row.state as Job["state"],
  attempts: row.attempts,
  maxAttempts: row.maxAttempts,
  ...(row.lastError === null ? {} : { lastError: row.lastError }),
  ...(row.lockedBy === null ? {} : { lockedBy: row.lockedBy }),
  ...(row.lockedUntil === null ? {} : { lockedUntil: row.lockedUntil })
})

const byRunAtThenId = (a: JobRow, b: JobRow): number =>
  a.runAt - b.runAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Why a job whose lease expired on its last attempt goes dead. */
export const leaseExpiredError = "lease expired on the last attempt"

export interface ClaimPlan {
  /** Leases that expired on the job's last attempt: these go dead instead of running again. */
  readonly dead: ReadonlyArray<JobRow>
  /** At most `limit` jobs, in (runAt, id) order: these are leased to the worker. */
  readonly claimed: ReadonlyArray<JobRow>
}

/**
 * What a claim does with the candidates it locked: due `pending` jobs and `running` jobs whose lease
 * expired (each list in (runAt, id) order, each at most `limit` long). The first `limit` of the merged
 * lists are claimed; an expired lease with no attempts left goes dead and does not count.
 */
export const planClaim = (
  pending: ReadonlyArray<JobRow>,
  expired: ReadonlyArray<JobRow>,
  limit: number
): ClaimPlan => {
  const dead = expired.filter((row) => row.attempts >= row.maxAttempts)
  const retaken = expired.filter((row) => row.attempts < row.maxAttempts)
  const claimed = [...pending, ...retaken].sort(byRunAtThenId).slice(0, limit)
  return { dead, claimed }
}

/** A claimed job as the worker gets it. */
export const claimedJob = (row: JobRow, request: ClaimRequest): Job =>
  jobFromRow({
    ...row,
    state: "running",
    attempts: row.attempts + 1,
    lockedBy: request.workerId,
    lockedUntil: request.now + request.leaseMs
  })

/** The row after a failure: dead once out of attempts, otherwise pending again at `retryAt`. */
export const failedRow = (
  row: JobRow,
  failure: { readonly error: string; readonly retryAt?: number }
): JobRow => ({
  ...row,
  state: row.attempts >= row.maxAttempts ? "dead" : "pending",
  runAt: row.attempts >= row.maxAttempts ? row.runAt : (failure.retryAt ?? row.runAt),
  lastError: failure.error,
  lockedBy: null,
  lockedUntil: null
})
