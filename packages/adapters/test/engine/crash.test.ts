/**
 * Crash safety of the billing run and collection (issue 4), on SQLite and on MariaDB: 10,000 due
 * subscriptions, a `billing_run` job, and a worker process (`support/worker.ts`) killed with SIGKILL at
 * seeded random points — while billing, then while collecting — at least 20 times and restarted each
 * time, then left to finish. Afterwards every due subscription has exactly one invoice for its period,
 * numbered without gaps; the counting gateway saw one key per invoice attempt and never charged twice
 * (a key repeated after a crash is replayed by the gateway, and such replays are bounded by the kills);
 * every charge is recorded once; each invoice is paid (by one payment and/or credit) or open after a
 * declined card; the credit ledger adds up; no job is left pending, running or dead (leases are short,
 * so a dead worker's jobs come back quickly).
 */
import { Store } from "@ezscale/core"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { mysqlSkipReason } from "../mysql-database"
import { checkRun } from "./support/checks"
import { type CountingGateway, startCountingGateway } from "./support/counting-gateway"
import { type EngineTestDatabase, mysqlTestDatabase, sqliteTestDatabase } from "./support/database"
import { drainAndStop, sleep, startWorker, unfinishedJobs, workerCommand } from "./support/processes"
import { seedDueSubscriptions, tenantId } from "./support/seed"

const subscriptions = 10_000
const kills = 20
const leaseMs = 1_500
const concurrency = 4

/** Seeded, so a failing run can be repeated: mulberry32. */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

type Phase = "billing" | "collecting" | "between jobs"

const crashRun = async (db: EngineTestDatabase, seed: number) => {
  await workerCommand()
  const started = Date.now()
  const seeded = await seedDueSubscriptions(db, { count: subscriptions, now: Date.now() })
  const seededMs = Date.now() - started
  let gateway: CountingGateway | undefined
  try {
    gateway = await startCountingGateway({ name: "fake", methods: seeded.methods })
    await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(Store, (store) =>
          // many kills land in the one billing job: more attempts than the default 10 before it is dead
          store.jobs.enqueue(tenantId, {
            kind: "billing_run",
            payload: {},
            runAt: Date.now(),
            dedupeKey: "billing_run:crash",
            maxAttempts: 100
          })
        ),
        db.storeLayer()
      )
    )
    const next = random(seed)
    const done: Array<{ readonly phase: Phase; readonly afterMs: number }> = []
    for (let incarnation = 1; done.length < kills; incarnation++) {
      const worker = await startWorker(db, gateway.url, {
        workerId: `crash-${incarnation}`,
        leaseMs,
        concurrency
      })
      // first half: kill while billing; then once collection runs and this worker bills no more (a worker
      // runs collect jobs beside its billing chunks as soon as the chunks write invoices)
      const aimAtCollection = done.length >= kills / 2
      const billing = () => [...worker.running.values()].some((kind) => kind.startsWith("billing"))
      const first = await Promise.race([
        worker.waitFor(
          (line) => line.event === "start" && (!aimAtCollection || (line.kind === "collect" && !billing()))
        ),
        sleep(240_000).then(() => undefined)
      ])
      if (first === undefined) {
        worker.child.kill("SIGKILL")
        await worker.exited
        if ((await unfinishedJobs(db)) === 0) break // finished before every kill was spent
        throw new Error(`worker ${worker.workerId} started no job: ${worker.stderr()}`)
      }
      const afterMs = Math.round(20 + next() * (aimAtCollection ? 1_500 : 600))
      await Promise.race([sleep(afterMs), worker.exited])
      const kinds = [...worker.running.values()]
      const phase: Phase = kinds.some((kind) => kind.startsWith("billing"))
        ? "billing"
        : kinds.includes("collect")
          ? "collecting"
          : "between jobs"
      worker.child.kill("SIGKILL")
      const { signal } = await worker.exited
      if (signal !== "SIGKILL")
        throw new Error(`worker ${worker.workerId} ended before the kill: ${worker.stderr()}`)
      done.push({ phase, afterMs })
    }
    const killedMs = Date.now() - started - seededMs
    const last = await startWorker(db, gateway.url, { workerId: "crash-final", leaseMs, concurrency })
    await drainAndStop(db, [last], { deadlineMs: 600_000 })
    const { problems, figures } = await checkRun(db, seeded, gateway.charges(), {
      replaysAllowed: done.length * concurrency
    })
    const phases = {
      billing: done.filter((kill) => kill.phase === "billing").length,
      collecting: done.filter((kill) => kill.phase === "collecting").length,
      between: done.filter((kill) => kill.phase === "between jobs").length
    }
    console.log(
      `CRASH ${JSON.stringify({ db: db.dialect, subscriptions, kills: done.length, phases, seed, seeded_ms: seededMs, kills_ms: killedMs, total_ms: Date.now() - started, ...figures, gateway_calls: gateway.calls() })}`
    )
    expect(problems).toEqual([])
    expect(done.length).toBeGreaterThanOrEqual(kills)
    expect(phases.billing).toBeGreaterThanOrEqual(3)
    expect(phases.collecting).toBeGreaterThanOrEqual(3)
    expect(figures.invoices).toBe(subscriptions)
  } finally {
    await gateway?.close()
  }
}

describe("crash safety on SQLite", () => {
  let db: EngineTestDatabase
  beforeAll(async () => {
    db = await sqliteTestDatabase()
  })
  afterAll(async () => {
    await db?.close()
  })
  it("a billing run killed 20 times bills each due subscription once and never charges twice", async () => {
    await crashRun(db, 20261122)
  }, 900_000)
})

if (mysqlSkipReason !== undefined) {
  describe.skip(`crash safety on MariaDB — skipped: ${mysqlSkipReason}`, () => {
    it("a billing run killed 20 times bills each due subscription once and never charges twice", () => {})
  })
} else {
  describe("crash safety on MariaDB", () => {
    let db: EngineTestDatabase
    beforeAll(async () => {
      db = await mysqlTestDatabase(inject("mysqlUrl"), "crash")
    })
    afterAll(async () => {
      await db?.close()
    })
    it("a billing run killed 20 times bills each due subscription once and never charges twice", async () => {
      await crashRun(db, 4_2026)
    }, 900_000)
  })
}
