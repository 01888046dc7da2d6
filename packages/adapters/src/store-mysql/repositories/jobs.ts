/**
 * The outbox and idempotency records on MySQL / MariaDB. Any number of workers claim at once: each
 * claim is a short transaction that locks its candidates with `FOR UPDATE SKIP LOCKED` (rows another
 * claimer holds are passed over, not waited for), leases them, and commits; deadlocks and lock wait
 * timeouts are retried with jitter.
 */
import { type IdempotencyRepository, type JobRepository, StoreError } from "@ezscale/core"
import { and, asc, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm"
import { Clock, Effect, Option } from "effect"
import { idChunks, inAskedOrder } from "../../store-sql/batch"
import {
  claimedJob,
  failedRow,
  jobFromRow,
  leaseExpiredError,
  newJobRow,
  planClaim
} from "../../store-sql/jobs"
import { decodeJson, encodeJson } from "../../store-sql/json"
import { checkLimit, pageOf } from "../../store-sql/paging"
import type { MysqlClient } from "../client"
import { idempotencyRecords, jobs } from "../schema"
import { affectedRows, unlessDuplicate } from "./support"

/** The job (locked), when running under `workerId`'s lease; `NotFound` / `Conflict` otherwise. */
const leased = (client: MysqlClient, jobId: string, workerId: string) =>
  Effect.gen(function* () {
    const rows = yield* client.run({ entity: "job", key: jobId }, (db) =>
      db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1).for("update")
    )
    const row = rows[0]
    if (row === undefined) return yield* Effect.fail(StoreError.notFound("job", jobId))
    if (row.state !== "running" || row.lockedBy !== workerId) {
      return yield* Effect.fail(StoreError.conflict("job", jobId, `not leased to ${workerId}`))
    }
    return row
  })

export const jobRepository = (client: MysqlClient): JobRepository => ({
  enqueue: (tenantId, spec) =>
    Effect.suspend(() => {
      const row = newJobRow(tenantId, client.ids.next("job"), spec)
      const context = { entity: "job", key: spec.dedupeKey ?? spec.kind }
      return unlessDuplicate(
        Effect.as(
          client.run(context, async (db) => {
            await db.insert(jobs).values(row)
          }),
          jobFromRow(row)
        ),
        (key) =>
          key === "jobs_dedupe_key"
            ? client
                .run(context, (db) =>
                  db
                    .select()
                    .from(jobs)
                    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.dedupeKey, spec.dedupeKey ?? "")))
                    .limit(1)
                )
                .pipe(
                  Effect.flatMap((rows) =>
                    rows[0] === undefined
                      ? Effect.fail(
                          new StoreError({
                            reason: "Unavailable",
                            retryable: true,
                            entity: "job",
                            key: spec.dedupeKey ?? "",
                            detail: "the job holding the dedupe key was rolled back meanwhile"
                          })
                        )
                      : Effect.succeed(jobFromRow(rows[0]))
                  )
                )
            : undefined
      )
    }),
  get: (tenantId, jobId) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        db
          .select()
          .from(jobs)
          .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.fail(StoreError.notFound("job", jobId))
            : Effect.succeed(jobFromRow(rows[0]))
        )
      ),
  findByDedupeKeys: (tenantId, dedupeKeys) =>
    Effect.forEach(idChunks(dedupeKeys), (chunk) =>
      client.run({ entity: "job" }, (db) =>
        db
          .select()
          .from(jobs)
          .where(and(eq(jobs.tenantId, tenantId), inArray(jobs.dedupeKey, chunk)))
      )
    ).pipe(
      Effect.map((chunks) =>
        inAskedOrder(dedupeKeys, chunks.flat(), (row) => row.dedupeKey ?? "").map(jobFromRow)
      )
    ),
  claim: (request) =>
    request.kinds !== undefined && request.kinds.length === 0
      ? Effect.succeed([])
      : client.atomically(
          Effect.gen(function* () {
            const kinds: SQL | undefined =
              request.kinds === undefined ? undefined : inArray(jobs.kind, [...request.kinds])
            const candidates = (state: SQL | undefined) =>
              client.run({ entity: "job" }, (db) =>
                db
                  .select()
                  .from(jobs)
                  .where(and(state, kinds))
                  .orderBy(asc(jobs.runAt), asc(jobs.id))
                  .limit(request.limit)
                  .for("update", { skipLocked: true })
              )
            const pending = yield* candidates(and(eq(jobs.state, "pending"), lte(jobs.runAt, request.now)))
            const expired = yield* candidates(
              and(eq(jobs.state, "running"), lte(jobs.lockedUntil, request.now))
            )
            const plan = planClaim(pending, expired, request.limit)
            if (plan.dead.length > 0) {
              yield* client.run({ entity: "job" }, (db) =>
                db
                  .update(jobs)
                  .set({ state: "dead", lastError: leaseExpiredError, lockedBy: null, lockedUntil: null })
                  .where(
                    inArray(
                      jobs.id,
                      plan.dead.map((row) => row.id)
                    )
                  )
              )
            }
            if (plan.claimed.length > 0) {
              yield* client.run({ entity: "job" }, (db) =>
                db
                  .update(jobs)
                  .set({
                    state: "running",
                    attempts: sql`${jobs.attempts} + 1`,
                    lockedBy: request.workerId,
                    lockedUntil: request.now + request.leaseMs
                  })
                  .where(
                    inArray(
                      jobs.id,
                      plan.claimed.map((row) => row.id)
                    )
                  )
              )
            }
            return plan.claimed.map((row) => claimedJob(row, request))
          })
        ),
  complete: (jobId, workerId) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        db
          .update(jobs)
          .set({ state: "done", lockedBy: null, lockedUntil: null })
          .where(and(eq(jobs.id, jobId), eq(jobs.state, "running"), eq(jobs.lockedBy, workerId)))
      )
      .pipe(
        Effect.flatMap((result) =>
          affectedRows(result) === 1
            ? Effect.void
            : client
                .run({ entity: "job", key: jobId }, (db) =>
                  db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).limit(1)
                )
                .pipe(
                  Effect.flatMap((rows) =>
                    Effect.fail(
                      rows.length === 0
                        ? StoreError.notFound("job", jobId)
                        : StoreError.conflict("job", jobId, `not leased to ${workerId}`)
                    )
                  )
                )
        )
      ),
  renewLeases: (workerId, jobIds, until) =>
    Effect.forEach(
      idChunks([...new Set(jobIds)]),
      (chunk) => {
        const held = and(inArray(jobs.id, chunk), eq(jobs.state, "running"), eq(jobs.lockedBy, workerId))
        // the renewal and the read of what it renewed see the same rows: one transaction
        return client.atomically(
          Effect.zipRight(
            client.run({ entity: "job" }, (db) => db.update(jobs).set({ lockedUntil: until }).where(held)),
            client.run({ entity: "job" }, (db) => db.select({ id: jobs.id }).from(jobs).where(held))
          )
        )
      },
      { discard: false }
    ).pipe(Effect.map((chunks) => chunks.flat().map((row) => row.id))),
  fail: (jobId, workerId, failure) =>
    client.atomically(
      Effect.gen(function* () {
        const row = yield* leased(client, jobId, workerId)
        const next = failedRow(row, failure)
        yield* client.run({ entity: "job", key: jobId }, (db) =>
          db
            .update(jobs)
            .set({
              state: next.state,
              runAt: next.runAt,
              lastError: next.lastError,
              lockedBy: null,
              lockedUntil: null
            })
            .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, jobId)))
        )
        return jobFromRow(next)
      })
    ),
  listDead: (tenantId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client
        .run({ entity: "job" }, (db) =>
          db
            .select()
            .from(jobs)
            .where(
              and(
                eq(jobs.tenantId, tenantId),
                eq(jobs.state, "dead"),
                page.after === undefined ? undefined : gt(jobs.id, page.after)
              )
            )
            .orderBy(asc(jobs.id))
            .limit(page.limit + 1)
        )
        .pipe(Effect.map((rows) => pageOf(rows, page.limit, jobFromRow, (row) => row.id)))
    ),
  retry: (tenantId, jobId) =>
    client.atomically(
      Effect.gen(function* () {
        const context = { entity: "job", key: jobId }
        const where = and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId))
        const rows = yield* client.run(context, (db) =>
          db.select().from(jobs).where(where).limit(1).for("update")
        )
        const row = rows[0]
        if (row === undefined) return yield* Effect.fail(StoreError.notFound("job", jobId))
        if (row.state !== "dead") {
          return yield* Effect.fail(StoreError.conflict("job", jobId, `is ${row.state}, not dead`))
        }
        yield* client.run(context, (db) =>
          db.update(jobs).set({ state: "pending", attempts: 0 }).where(where)
        )
        return jobFromRow({ ...row, state: "pending", attempts: 0 })
      })
    )
})

export const idempotencyRepository = (client: MysqlClient): IdempotencyRepository => {
  const stored = (tenantId: string, key: string) =>
    client
      .run({ entity: "idempotency", key }, (db) =>
        db
          .select({ result: idempotencyRecords.result })
          .from(idempotencyRecords)
          .where(and(eq(idempotencyRecords.tenantId, tenantId), eq(idempotencyRecords.idempotencyKey, key)))
          .limit(1)
      )
      .pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => decodeJson(row.result))))
  return {
    remember: (tenantId, key, result) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        unlessDuplicate(
          Effect.as(
            client.run({ entity: "idempotency", key }, async (db) => {
              await db
                .insert(idempotencyRecords)
                .values({ tenantId, idempotencyKey: key, result: encodeJson(result), createdAt: now })
            }),
            result
          ),
          (duplicate) =>
            duplicate === "primary"
              ? Effect.map(
                  stored(tenantId, key),
                  Option.getOrElse(() => result)
                )
              : undefined
        )
      ),
    recall: stored
  }
}
