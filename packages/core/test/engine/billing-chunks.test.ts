/**
 * A billing run split into chunk jobs, on the in-memory store and on SQLite: the `billing_run` job plans
 * one `billing_chunk` job per range of due subscriptions, planning again enqueues nothing, workers that
 * take turns each bill some chunks, and together they invoice every subscription once with gapless
 * numbers; a chunk run twice changes nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  decodeBillingSettings,
  decodeTaxRules,
  encodeBillingSettings,
  engineHandlers,
  type Ids,
  type Invoice,
  type PaymentGateway,
  planBillingRun,
  runBillingChunk,
  Store,
  startOfDayInZone,
  workOnce
} from "@ezscale/core"
import {
  InMemoryGateway,
  InMemoryStore,
  makeCustomer,
  makeSubscription,
  makeTenant,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const zone = "Europe/Paris"
const at = (year: number, month: number, day: number) => startOfDayInZone({ year, month, day }, zone)
const settings = Either.getOrThrow(
  decodeBillingSettings({ timeZone: zone, seller: { country: "FR", euVat: "oss" } })
)
const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

/** 25 monthly subscriptions due on Feb 15 (one customer), and a tenant that numbers immediately. */
const seed = Effect.gen(function* () {
  const store = yield* Store
  yield* store.tenants.put(makeTenant({ settings: { billing: encodeBillingSettings(settings) } }))
  yield* store.taxRules.replace("tenant-1", rules)
  yield* store.customers.insert(
    "tenant-1",
    makeCustomer({ country: "FR", isBusiness: false, timeZone: zone })
  )
  for (let i = 0; i < 25; i++) {
    yield* store.subscriptions.insert(
      "tenant-1",
      makeSubscription({
        id: `sub-${String(i).padStart(2, "0")}`,
        timeZone: zone,
        anchor: { year: 2026, month: 1, day: 15 },
        nextRenewalAt: at(2026, 2, 15),
        invoicedPeriods: 1,
        lifecycle: {
          status: "active",
          suspension: undefined,
          cancellation: undefined,
          trialEndsAt: undefined
        }
      })
    )
  }
  return store
})

const invoices = Effect.flatMap(Store, (store) =>
  Effect.map(store.invoices.listByCustomer("tenant-1", "cus-1", { limit: 100 }), (page) => page.items)
)

/** A worker taking one job at a time (the collect jobs wait for the due date, Feb 15). */
const worker = (workerId: string) => workOnce({ workerId, handlers: engineHandlers, batchSize: 1 })

describe.each(stores)("billing run in chunks on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: {} }))
    )

  it.effect(
    "plans one chunk job per range, once, and workers taking turns bill every subscription once",
    () =>
      run(
        Effect.gen(function* () {
          const store = yield* seed
          yield* TestClock.setTime(at(2026, 2, 10))
          const slot = at(2026, 2, 10)
          yield* store.jobs.enqueue("tenant-1", {
            kind: "billing_run",
            payload: { tenantId: "tenant-1", slot, chunkSize: 10 },
            runAt: slot,
            dedupeKey: `billing_run:${slot}`,
            maxAttempts: 40
          })
          expect(yield* worker("w0")).toMatchObject({ claimed: 1, completed: 1 })
          expect(yield* invoices).toEqual([]) // planned, not billed
          // the chunks are as patient as the run that planned them
          const chunks = yield* store.jobs.findByDedupeKeys(
            "tenant-1",
            [0, 1, 2].map((i) => `billing_chunk:${slot}:${i}`)
          )
          expect(chunks.map((job) => job.maxAttempts)).toEqual([40, 40, 40])
          // planning the slot again (the job retried after a crash) enqueues nothing
          yield* TestClock.adjust("1 minute")
          expect(yield* planBillingRun({ tenantId: "tenant-1", slot, chunkSize: 10 })).toEqual({
            _tag: "Chunked",
            chunks: 0
          })
          const billedBy = new Map<string, number>()
          for (let turn = 0; turn < 10; turn++) {
            const workerId = `w${1 + (turn % 2)}`
            const before = (yield* invoices).length
            const round = yield* worker(workerId)
            if (round.claimed === 0) break
            billedBy.set(workerId, (billedBy.get(workerId) ?? 0) + (yield* invoices).length - before)
          }
          // three chunks (10, 10, 5): the first worker billed two of them, the second one
          expect([...billedBy.entries()].sort()).toEqual([
            ["w1", 15],
            ["w2", 10]
          ])
          const all = yield* invoices
          expect(new Set(all.map((invoice) => invoice.subscriptionId)).size).toBe(25)
          expect(all.map((invoice) => invoice.number).sort()).toEqual(
            Array.from({ length: 25 }, (_, i) => `INV-2026-${String(i + 1).padStart(5, "0")}`)
          )
        })
      )
  )

  it.effect("bills a run that fits one chunk at once, and a chunk run again changes nothing", () =>
    run(
      Effect.gen(function* () {
        yield* seed
        yield* TestClock.setTime(at(2026, 2, 10))
        const started = yield* planBillingRun({ tenantId: "tenant-1", slot: 0, chunkSize: 100 })
        expect(started).toMatchObject({ _tag: "Billed", summary: { invoiced: 25 } })
        const chunk = { slot: 0, index: 0, plannedAt: 0 }
        expect(yield* runBillingChunk("tenant-1", chunk)).toMatchObject({ invoiced: 0 })
        expect(((yield* invoices) as ReadonlyArray<Invoice>).length).toBe(25)
      })
    )
  )
})
