/**
 * Several worker processes on one MariaDB split a billing run (issue 4): 100,000 due subscriptions, one
 * `billing_run` job, three workers (`support/worker.ts`) started at once. Every due subscription gets
 * exactly one invoice for its period (no duplicate, no gap), numbered without gaps, each with its
 * collect job; and every worker process invoiced part of them (what each reports: the invoices it
 * committed). The workers run every engine job but collection (`collect` / `reconcile` stay pending:
 * the crash test covers them), and leases are long, so a worker gets billing work only by claiming it,
 * never by taking over a lease that ran out under a slow worker.
 */
import { Store } from "@ezscale/core"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { mysqlSkipReason } from "../mysql-database"
import { checkInvoicing } from "./support/checks"
import { type CountingGateway, startCountingGateway } from "./support/counting-gateway"
import { type EngineTestDatabase, mysqlTestDatabase } from "./support/database"
import { drainAndStop, startWorker, workerCommand } from "./support/processes"
import { seedDueSubscriptions, tenantId } from "./support/seed"

const subscriptions = 100_000
const workers = 3
const skipKinds = ["collect", "reconcile"]

const title = "3 workers split a billing run of 100,000 subscriptions: no duplicate, no gap, each did part"

if (mysqlSkipReason !== undefined) {
  describe.skip(`multi-worker billing on MariaDB — skipped: ${mysqlSkipReason}`, () => {
    it(title, () => {})
  })
} else {
  describe("multi-worker billing on MariaDB", () => {
    let db: EngineTestDatabase
    let gateway: CountingGateway
    beforeAll(async () => {
      db = await mysqlTestDatabase(inject("mysqlUrl"), "workers")
    })
    afterAll(async () => {
      await gateway?.close()
      await db?.close()
    })

    it(title, async () => {
      await workerCommand()
      const started = Date.now()
      const seeded = await seedDueSubscriptions(db, { count: subscriptions, now: Date.now(), credit: false })
      const seededMs = Date.now() - started
      gateway = await startCountingGateway({ name: "fake", methods: {} })
      await Effect.runPromise(
        Effect.provide(
          Effect.flatMap(Store, (store) =>
            store.jobs.enqueue(tenantId, {
              kind: "billing_run",
              // 50 chunk jobs for the workers to share
              payload: { chunkSize: subscriptions / 50 },
              runAt: Date.now(),
              dedupeKey: "billing_run:workers"
            })
          ),
          db.storeLayer()
        )
      )
      const processes = await Promise.all(
        Array.from({ length: workers }, (_, i) =>
          startWorker(db, gateway.url, { workerId: `w${i + 1}`, leaseMs: 3_600_000, batch: 1, skipKinds })
        )
      )
      const exits = await drainAndStop(db, processes, { deadlineMs: 3_300_000, pollMs: 1_000, skipKinds })
      const billedMs = Date.now() - started - seededMs
      const problems: Array<string> = []
      const invoices = await checkInvoicing(db, seeded, (text) => {
        if (problems.length < 50) problems.push(text)
      })
      const perWorker = Object.fromEntries(exits.map((line) => [line.worker, line.invoiced ?? 0]))
      console.log(
        `WORKERS ${JSON.stringify({ db: db.dialect, subscriptions, workers, seeded_ms: seededMs, billed_ms: billedMs, invoices: invoices.length, per_worker: perWorker, jobs: exits.map((line) => ({ worker: line.worker, completed: line.completed })) })}`
      )
      expect(problems).toEqual([])
      expect(invoices.length).toBe(subscriptions)
      // what the workers report adds up to what the database holds
      expect(Object.values(perWorker).reduce((sum, n) => sum + n, 0)).toBe(subscriptions)
      // the run was split: every worker invoiced part of it (needs the billing run in chunk jobs)
      for (const [worker, invoiced] of Object.entries(perWorker)) {
        expect(invoiced, `invoices committed by ${worker}`).toBeGreaterThan(0)
      }
    }, 3_600_000)
  })
}
