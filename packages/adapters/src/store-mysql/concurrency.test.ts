import { describe, expect, layer } from "@effect/vitest"
import { type Job, Store, StoreError } from "@ezscale/core"
import { makeCustomer, makeLedgerEntry } from "@ezscale/testkit"
import { Deferred, Effect, Either, Fiber } from "effect"
import { it as plain } from "vitest"
import { mysqlSkipReason, TestDatabase, testMysqlStore } from "../../test/mysql-database"
import { makeMysqlClient, openMysqlPool } from "./client"

if (mysqlSkipReason !== undefined) {
  describe.skip(`MySQL concurrency — skipped: ${mysqlSkipReason}`, () => {
    plain("two claimers never get the same job", () => {})
  })
} else {
  layer(testMysqlStore("concurrency", { connectionLimit: 12 }))("MySQL concurrency", (it) => {
    it.effect("claimers in parallel never get the same job, and together get every due job", () =>
      Effect.gen(function* () {
        const store = yield* Store
        const kind = "parallel-claims"
        for (const tenantId of ["tenant-a", "tenant-b"]) {
          for (let i = 0; i < 40; i++) {
            yield* store.jobs.enqueue(tenantId, { kind, payload: { i }, runAt: i })
          }
        }
        const worker = (workerId: string) =>
          Effect.gen(function* () {
            const mine: Array<Job> = []
            for (;;) {
              const batch = yield* store.jobs.claim({
                now: 1000,
                limit: 3,
                leaseMs: 60_000,
                workerId,
                kinds: [kind]
              })
              if (batch.length === 0) return mine
              mine.push(...batch)
            }
          })
        const workers = ["w1", "w2", "w3", "w4", "w5", "w6"]
        const claimed = yield* Effect.forEach(workers, worker, { concurrency: "unbounded" })
        const ids = claimed.flat().map((job) => job.id)
        expect(ids).toHaveLength(80)
        expect(new Set(ids).size).toBe(80)
        // the work really was shared: more than one claimer got jobs
        expect(claimed.filter((jobs) => jobs.length > 0).length).toBeGreaterThan(1)
        for (const [index, jobs] of claimed.entries()) {
          for (const job of jobs) {
            const stored = yield* store.jobs.get(job.tenantId, job.id)
            expect(stored).toMatchObject({ state: "running", attempts: 1, lockedBy: workers[index] })
          }
        }
      })
    )

    it.effect("first credits for a new customer, in parallel, all land and sum up (no deadlock)", () =>
      Effect.gen(function* () {
        const store = yield* Store
        const entries = yield* Effect.forEach(
          Array.from({ length: 12 }, () => makeLedgerEntry({ customerId: "cus-parallel", amount: 100n })),
          (entry) => store.ledger.append("tenant-a", entry),
          { concurrency: "unbounded" }
        )
        expect(yield* store.ledger.balance("tenant-a", "cus-parallel", "EUR")).toBe(1200n)
        expect(entries.map((entry) => entry.balanceAfter).sort((a, b) => Number(a - b))).toEqual(
          Array.from({ length: 12 }, (_, i) => BigInt((i + 1) * 100))
        )
      })
    )

    it.effect(
      "a real deadlock between two transactions: one commits, the other fails Unavailable and writes nothing",
      () =>
        Effect.gen(function* () {
          const store = yield* Store
          for (const id of ["cus-a", "cus-b"]) {
            yield* store.customers.insert(
              "tenant-d",
              makeCustomer({ id, tenantId: "tenant-d", name: "before" })
            )
          }
          const bothLocked = yield* Deferred.make<void>()
          let locked = 0
          const rename = (first: string, second: string, name: string) =>
            store.withTransaction(
              Effect.gen(function* () {
                yield* store.customers.update(
                  "tenant-d",
                  makeCustomer({ id: first, tenantId: "tenant-d", name })
                )
                locked += 1
                if (locked === 2) yield* Deferred.succeed(bothLocked, undefined)
                yield* Deferred.await(bothLocked)
                const moved = yield* Effect.either(
                  store.customers.update("tenant-d", makeCustomer({ id: second, tenantId: "tenant-d", name }))
                )
                if (Either.isLeft(moved)) {
                  // the server rolled this transaction back: nothing may be written in it any more
                  const after = yield* Effect.either(
                    store.customers.insert(
                      "tenant-d",
                      makeCustomer({ id: `late-${name}`, tenantId: "tenant-d" })
                    )
                  )
                  expect(Either.isLeft(after)).toBe(true)
                }
                return yield* moved
              })
            )
          const [one, two] = yield* Effect.all(
            [Effect.either(rename("cus-a", "cus-b", "one")), Effect.either(rename("cus-b", "cus-a", "two"))],
            { concurrency: 2 }
          )
          const outcomes = [one, two]
          const failed = outcomes.filter(Either.isLeft)
          expect(failed).toHaveLength(1)
          const failure = failed[0]?.left
          expect(failure).toBeInstanceOf(StoreError)
          expect(failure).toMatchObject({ reason: "Unavailable", retryable: true })
          const winner = Either.isRight(one) ? "one" : "two"
          expect((yield* store.customers.get("tenant-d", "cus-a")).name).toBe(winner)
          expect((yield* store.customers.get("tenant-d", "cus-b")).name).toBe(winner)
          expect((yield* store.customers.list("tenant-d", { limit: 10 })).items.map((c) => c.id)).toEqual([
            "cus-a",
            "cus-b"
          ])
        })
    )

    it.effect(
      "a transaction keeps its connection: another fiber's write is neither blocked nor rolled back",
      () =>
        Effect.gen(function* () {
          const store = yield* Store
          const inside = yield* Deferred.make<void>()
          const outsideDone = yield* Deferred.make<void>()
          const transaction = yield* Effect.fork(
            Effect.either(
              store.withTransaction(
                Effect.gen(function* () {
                  yield* store.customers.insert(
                    "tenant-i",
                    makeCustomer({ id: "in-tx", tenantId: "tenant-i" })
                  )
                  yield* Deferred.succeed(inside, undefined)
                  yield* Deferred.await(outsideDone)
                  return yield* Effect.fail("rolled back" as const)
                })
              )
            )
          )
          yield* Deferred.await(inside)
          yield* store.customers.insert("tenant-i", makeCustomer({ id: "outside", tenantId: "tenant-i" }))
          yield* Deferred.succeed(outsideDone, undefined)
          expect(yield* Fiber.join(transaction)).toEqual(Either.left("rolled back"))
          expect((yield* store.customers.get("tenant-i", "outside")).id).toBe("outside")
          expect((yield* Effect.flip(store.customers.get("tenant-i", "in-tx"))).reason).toBe("NotFound")
        })
    )

    it.scoped("the store's own transactions are retried on deadlock, a bounded number of times", () =>
      Effect.gen(function* () {
        const { url } = yield* TestDatabase
        const pool = yield* Effect.acquireRelease(
          Effect.sync(() => openMysqlPool({ url })),
          (opened) => Effect.promise(() => opened.end())
        )
        const client = makeMysqlClient(pool, { url, lockRetries: 2 })
        const deadlock = new StoreError({
          reason: "Unavailable",
          retryable: true,
          cause: Object.assign(new Error("Deadlock found"), { errno: 1213, code: "ER_LOCK_DEADLOCK" })
        })
        let attempts = 0
        const flaky = (failures: number) =>
          Effect.suspend(() => {
            attempts += 1
            return attempts <= failures ? Effect.fail(deadlock) : Effect.succeed("done")
          })
        expect(yield* client.atomically(flaky(2))).toBe("done")
        expect(attempts).toBe(3)
        attempts = 0
        expect(yield* Effect.flip(client.atomically(flaky(3)))).toBe(deadlock)
        expect(attempts).toBe(3)
        attempts = 0
        // a caller's transaction is never re-run by the store
        expect(yield* Effect.flip(client.withTransaction(flaky(1)))).toBe(deadlock)
        expect(attempts).toBe(1)
      })
    )
  })
}
