/**
 * The outbox and idempotency records on SQLite. Claims need no row locks here: the single writer permit
 * makes each claim one uninterrupted read-then-lease.
 */
import { type IdempotencyRepository, type JobRepository, StoreError } from "@ezscale/core"
import { and, asc, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm"
import { Clock, Effect, Either, Option } from "effect"
import { idChunks, inAskedOrder } from "../../store-sql/batch"
import {
  claimedJob,
  failedRow,
  type JobRow,
  jobFromRow,
  leaseExpiredError,
  newJobRow,
  planClaim
} from "../../store-sql/jobs"
import { decodeJson, encodeJson } from "../../store-sql/json"
import { checkLimit, pageOf } from "../../store-sql/paging"
import type { SqliteClient, SqliteDb } from "../client"
import { idempotencyRecords, jobs } from "../schema"
import { unlessDuplicate } from "./support"

const byDedupeKey = (db: SqliteDb, tenantId: string, dedupeKey: string): JobRow | undefined =>
  db
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.dedupeKey, dedupeKey)))
    .get()

/** The job, when running under `workerId`'s lease; `NotFound` / `Conflict` otherwise. */
const leased = (db: SqliteDb, jobId: string, workerId: string): Either.Either<JobRow, StoreError> => {
  const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get()
  if (row === undefined) return Either.left(StoreError.notFound("job", jobId))
  if (row.state !== "running" || row.lockedBy !== workerId) {
    return Either.left(StoreError.conflict("job", jobId, `not leased to ${workerId}`))
  }
  return Either.right(row)
}

export const jobRepository = (client: SqliteClient): JobRepository => ({
  enqueue: (tenantId, spec) =>
    client
      .run({ entity: "job", key: spec.dedupeKey ?? spec.kind }, (db) => {
        const row = newJobRow(tenantId, client.ids.next("job"), spec)
        const inserted = unlessDuplicate(
          () => db.insert(jobs).values(row).run(),
          (key) => (key === "jobs_dedupe_key" ? key : undefined)
        )
        const stored = Either.isRight(inserted) ? row : byDedupeKey(db, tenantId, spec.dedupeKey ?? "")
        return stored === undefined
          ? Either.left(StoreError.conflict("job", spec.dedupeKey ?? "", "dedupe key vanished"))
          : Either.right(jobFromRow(stored))
      })
      .pipe(Effect.flatten),
  get: (tenantId, jobId) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        db
          .select()
          .from(jobs)
          .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)))
          .get()
      )
      .pipe(
        Effect.flatMap((row) =>
          row === undefined ? Effect.fail(StoreError.notFound("job", jobId)) : Effect.succeed(jobFromRow(row))
        )
      ),
  findByDedupeKeys: (tenantId, dedupeKeys) =>
    client.run({ entity: "job" }, (db) => {
      const rows = idChunks(dedupeKeys).flatMap((chunk) =>
        db
          .select()
          .from(jobs)
          .where(and(eq(jobs.tenantId, tenantId), inArray(jobs.dedupeKey, chunk)))
          .all()
      )
      return inAskedOrder(dedupeKeys, rows, (row) => row.dedupeKey ?? "").map(jobFromRow)
    }),
  claim: (request) =>
    request.kinds !== undefined && request.kinds.length === 0
      ? Effect.succeed([])
      : client.run({ entity: "job" }, (db) =>
          client.atomically(() => {
            const kinds: SQL | undefined =
              request.kinds === undefined ? undefined : inArray(jobs.kind, [...request.kinds])
            const due = (state: SQL) =>
              db
                .select()
                .from(jobs)
                .where(and(state, kinds))
                .orderBy(asc(jobs.runAt), asc(jobs.id))
                .limit(request.limit)
                .all()
            const plan = planClaim(
              due(and(eq(jobs.state, "pending"), lte(jobs.runAt, request.now)) as SQL),
              due(and(eq(jobs.state, "running"), lte(jobs.lockedUntil, request.now)) as SQL),
              request.limit
            )
            if (plan.dead.length > 0) {
              db.update(jobs)
                .set({ state: "dead", lastError: leaseExpiredError, lockedBy: null, lockedUntil: null })
                .where(
                  inArray(
                    jobs.id,
                    plan.dead.map((row) => row.id)
                  )
                )
                .run()
            }
            if (plan.claimed.length > 0) {
              db.update(jobs)
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
                .run()
            }
            return plan.claimed.map((row) => claimedJob(row, request))
          })
        ),
  complete: (jobId, workerId) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        client.atomically(() =>
          Either.map(leased(db, jobId, workerId), (row) => {
            db.update(jobs)
              .set({ state: "done", lockedBy: null, lockedUntil: null })
              .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, jobId)))
              .run()
          })
        )
      )
      .pipe(Effect.flatten),
  renewLeases: (workerId, jobIds, until) =>
    client.run({ entity: "job" }, (db) =>
      client.atomically(() =>
        idChunks([...new Set(jobIds)]).flatMap((chunk) => {
          const held = and(inArray(jobs.id, chunk), eq(jobs.state, "running"), eq(jobs.lockedBy, workerId))
          db.update(jobs).set({ lockedUntil: until }).where(held).run()
          return db
            .select({ id: jobs.id })
            .from(jobs)
            .where(held)
            .all()
            .map((row) => row.id)
        })
      )
    ),
  fail: (jobId, workerId, failure) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        client.atomically(() =>
          Either.map(leased(db, jobId, workerId), (row) => {
            const next = failedRow(row, failure)
            db.update(jobs)
              .set({
                state: next.state,
                runAt: next.runAt,
                lastError: next.lastError,
                lockedBy: null,
                lockedUntil: null
              })
              .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, jobId)))
              .run()
            return jobFromRow(next)
          })
        )
      )
      .pipe(Effect.flatten),
  listDead: (tenantId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client.run({ entity: "job" }, (db) => {
        const rows = db
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
          .all()
        return pageOf(rows, page.limit, jobFromRow, (row) => row.id)
      })
    ),
  retry: (tenantId, jobId) =>
    client
      .run({ entity: "job", key: jobId }, (db) =>
        client.atomically(() => {
          const where = and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId))
          const row = db.select().from(jobs).where(where).get()
          if (row === undefined) return Either.left(StoreError.notFound("job", jobId))
          if (row.state !== "dead")
            return Either.left(StoreError.conflict("job", jobId, `is ${row.state}, not dead`))
          db.update(jobs).set({ state: "pending", attempts: 0 }).where(where).run()
          return Either.right(jobFromRow({ ...row, state: "pending", attempts: 0 }))
        })
      )
      .pipe(Effect.flatten)
})

export const idempotencyRepository = (client: SqliteClient): IdempotencyRepository => ({
  remember: (tenantId, key, result) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      client.run({ entity: "idempotency", key }, (db) => {
        db.insert(idempotencyRecords)
          .values({ tenantId, idempotencyKey: key, result: encodeJson(result), createdAt: now })
          .onConflictDoNothing({ target: [idempotencyRecords.tenantId, idempotencyRecords.idempotencyKey] })
          .run()
        const row = db
          .select({ result: idempotencyRecords.result })
          .from(idempotencyRecords)
          .where(and(eq(idempotencyRecords.tenantId, tenantId), eq(idempotencyRecords.idempotencyKey, key)))
          .get()
        return row === undefined ? result : decodeJson(row.result)
      })
    ),
  recall: (tenantId, key) =>
    client.run({ entity: "idempotency", key }, (db) => {
      const row = db
        .select({ result: idempotencyRecords.result })
        .from(idempotencyRecords)
        .where(and(eq(idempotencyRecords.tenantId, tenantId), eq(idempotencyRecords.idempotencyKey, key)))
        .get()
      return row === undefined ? Option.none() : Option.some(decodeJson(row.result))
    })
})
