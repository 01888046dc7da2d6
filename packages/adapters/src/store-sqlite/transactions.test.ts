import { describe, expect, it, layer } from "@effect/vitest"
import { Store } from "@ezscale/core"
import { makeCustomer } from "@ezscale/testkit"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { makeSqliteClient, openSqlite } from "./client"
import { SqliteStore } from "./index"
import { migrateSqlite } from "./migrate"
import { tenants } from "./schema"

class Boom {
  readonly _tag = "Boom"
}

layer(Layer.orDie(SqliteStore.layer({ filename: ":memory:" })))("SQLite transactions", (it) => {
  it.effect("another fiber's write waits for the open transaction and is not rolled back with it", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const inside = yield* Deferred.make<void>()
      const outsideStarted = yield* Deferred.make<void>()
      const transaction = yield* Effect.fork(
        Effect.either(
          store.withTransaction(
            Effect.gen(function* () {
              yield* store.customers.insert("t-1", makeCustomer({ id: "in-tx", tenantId: "t-1" }))
              yield* Deferred.succeed(inside, undefined)
              yield* Deferred.await(outsideStarted)
              for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
              return yield* Effect.fail(new Boom())
            })
          )
        )
      )
      yield* Deferred.await(inside)
      const outside = yield* Effect.fork(
        store.customers.insert("t-1", makeCustomer({ id: "outside", tenantId: "t-1" }))
      )
      yield* Deferred.succeed(outsideStarted, undefined)
      expect((yield* Fiber.join(transaction))._tag).toBe("Left")
      yield* Fiber.join(outside)
      expect((yield* store.customers.get("t-1", "outside")).id).toBe("outside")
      expect((yield* Effect.flip(store.customers.get("t-1", "in-tx"))).reason).toBe("NotFound")
    })
  )

  it.effect("an interrupted transaction rolls back and frees the writer", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const inside = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        store.withTransaction(
          Effect.zipRight(
            store.customers.insert("t-2", makeCustomer({ id: "interrupted", tenantId: "t-2" })),
            Effect.zipRight(Deferred.succeed(inside, undefined), Effect.never)
          )
        )
      )
      yield* Deferred.await(inside)
      yield* Fiber.interrupt(fiber)
      expect((yield* Effect.flip(store.customers.get("t-2", "interrupted"))).reason).toBe("NotFound")
      yield* store.withTransaction(
        store.customers.insert("t-2", makeCustomer({ id: "after", tenantId: "t-2" }))
      )
      expect((yield* store.customers.get("t-2", "after")).id).toBe("after")
    })
  )

  it.effect("savepoints nest: an inner failure recovered by the outer keeps the outer's writes", () =>
    Effect.gen(function* () {
      const store = yield* Store
      yield* store.withTransaction(
        Effect.gen(function* () {
          yield* store.customers.insert("t-3", makeCustomer({ id: "outer", tenantId: "t-3" }))
          yield* store.withTransaction(
            Effect.gen(function* () {
              yield* store.customers.insert("t-3", makeCustomer({ id: "middle", tenantId: "t-3" }))
              const inner = yield* Effect.either(
                store.withTransaction(
                  Effect.zipRight(
                    store.customers.insert("t-3", makeCustomer({ id: "inner", tenantId: "t-3" })),
                    Effect.fail(new Boom())
                  )
                )
              )
              expect(inner._tag).toBe("Left")
            })
          )
        })
      )
      const ids = (yield* store.customers.list("t-3", { limit: 10 })).items.map((c) => c.id)
      expect(ids).toEqual(["middle", "outer"])
    })
  )

  it.effect("a record of another tenant is a defect, and nothing is written", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const exit = yield* Effect.exit(
        store.customers.insert("t-4", makeCustomer({ id: "x", tenantId: "t-5" }))
      )
      expect(exit._tag === "Failure" && exit.cause._tag).toBe("Die")
      expect((yield* store.customers.list("t-4", { limit: 1 })).items).toEqual([])
      expect((yield* store.customers.list("t-5", { limit: 1 })).items).toEqual([])
    })
  )

  it.effect("a malformed page cursor is a StoreError; a bad page limit is a defect", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const cursor = yield* Effect.flip(
        store.subscriptions.dueForRenewal("t-6", 1, { after: "nope", limit: 5 })
      )
      expect(cursor).toMatchObject({ _tag: "StoreError", detail: "malformed page cursor" })
      const limit = yield* Effect.exit(store.customers.list("t-6", { limit: 0 }))
      expect(limit._tag === "Failure" && limit.cause._tag).toBe("Die")
    })
  )
})

describe("SQLite store layer", () => {
  it.effect("fails to open a database it cannot create, as a StoreError saying why", () =>
    Effect.gen(function* () {
      const failure = yield* Effect.flip(
        Effect.scoped(Layer.build(SqliteStore.layer({ filename: "/nonexistent-folder/billing.db" })))
      )
      expect(failure).toMatchObject({ _tag: "StoreError", reason: "Unknown", entity: "database" })
      expect(failure.detail).toContain("directory does not exist")
    })
  )
})

describe("SQLite client", () => {
  it.effect(
    "after SQLite ends a transaction on its own, the rest of it fails instead of autocommitting",
    () =>
      Effect.gen(function* () {
        const connection = openSqlite({ filename: ":memory:" })
        yield* migrateSqlite(connection)
        const client = yield* makeSqliteClient(connection)
        const insert = (id: string) =>
          client.run({ entity: "tenant", key: id }, (db) => {
            db.insert(tenants).values({ tenantId: id, name: id, settings: "{}" }).run()
          })
        const outcome = yield* Effect.either(
          client.withTransaction(
            Effect.gen(function* () {
              yield* insert("first")
              // what SQLite does by itself after SQLITE_FULL or an I/O error
              yield* client.run({}, () => connection.exec("ROLLBACK"))
              yield* insert("second")
            })
          )
        )
        expect(outcome).toMatchObject({ _tag: "Left", left: { _tag: "StoreError", reason: "Unavailable" } })
        expect(connection.prepare("SELECT count(*) AS n FROM tenants").get()).toEqual({ n: 0n })
        connection.close()
      })
  )
})
