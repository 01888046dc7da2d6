/**
 * A billing worker process for the crash and multi-worker tests, run as the bench scripts run:
 *
 *   node --conditions=source --import tsx packages/adapters/test/engine/support/worker.ts \
 *     --store=sqlite:/tmp/billing.db | --store=mysql://root@127.0.0.1:3306/db \
 *     --gateway=http://127.0.0.1:PORT --worker-id=w1 [--lease-ms=2000] [--batch=20] [--concurrency=4]
 *     [--backoff-ms=200] [--skip-kinds=collect,reconcile]
 *
 * It opens the store and runs `runWorker` with the engine's `engineHandlers` against the counting fake
 * gateway over HTTP until SIGTERM (the parent sends it once no job is left in the database), then stops
 * and exits 0. It reports on stdout, one JSON object a line: `ready`; `start` / `end` of each job (kind,
 * id); on SIGTERM `exit` with the renewal invoices this process committed and the jobs it completed per
 * kind. The parent times its kills (SIGKILL) from these lines.
 */
import { MysqlStore } from "@ezscale/adapters/store-mysql"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  type EngineServices,
  engineHandlers,
  Ids,
  type JobHandler,
  runWorker,
  Store,
  type StoreError
} from "@ezscale/core"
import { Deferred, Duration, Effect, Fiber, Layer } from "effect"
import { makeIdGenerator } from "../../../src/store-sql/ids"
import { countingStore } from "./counting-store"
import { HttpGateway } from "./http-gateway"

const argument = (name: string, fallback?: string): string => {
  const prefix = `--${name}=`
  const found = process.argv.find((arg) => arg.startsWith(prefix))
  const value = found === undefined ? fallback : found.slice(prefix.length)
  if (value === undefined) throw new Error(`worker: --${name} is required`)
  return value
}
const numberArgument = (name: string, fallback: number): number => {
  const value = Number(argument(name, String(fallback)))
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`worker: --${name} must be a positive integer`)
  return value
}

const storeUrl = argument("store")
const workerId = argument("worker-id")
const leaseMs = numberArgument("lease-ms", 2_000)
const batchSize = numberArgument("batch", 20)
const concurrency = numberArgument("concurrency", 4)
const backoffMs = numberArgument("backoff-ms", 200)
/** Engine job kinds this worker leaves alone (a billing-only test leaves the collect jobs pending). */
const skipKinds = new Set(
  argument("skip-kinds", "")
    .split(",")
    .filter((kind) => kind !== "")
)

const report = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ worker: workerId, at: Date.now(), ...line })}\n`)
}

const storeLayer: Layer.Layer<Store, StoreError> = storeUrl.startsWith("sqlite:")
  ? SqliteStore.layer({ filename: storeUrl.slice("sqlite:".length), migrate: false })
  : MysqlStore.layer({ url: storeUrl, connectionLimit: concurrency + 2 })

/** Unique across processes (80 random bits per millisecond) and time-ordered: what the `Ids` port asks. */
const idsLayer = Layer.sync(Ids, () => {
  const generator = makeIdGenerator()
  return { next: (prefix?: string) => Effect.sync(() => generator.next(prefix ?? "id")) }
})

const program = Effect.gen(function* () {
  const counting = countingStore(yield* Store)
  const completed: Record<string, number> = {}
  const handlers: { [kind: string]: JobHandler<EngineServices> } = {}
  for (const [kind, handler] of Object.entries(engineHandlers)) {
    if (skipKinds.has(kind)) continue
    handlers[kind] = (job) =>
      Effect.zipRight(
        Effect.sync(() => report({ event: "start", kind, job: job.id })),
        Effect.tap(handler(job), () =>
          Effect.sync(() => {
            completed[kind] = (completed[kind] ?? 0) + 1
            report({ event: "end", kind, job: job.id })
          })
        )
      )
  }
  const terminated = yield* Deferred.make<void>()
  process.once("SIGTERM", () => Deferred.unsafeDone(terminated, Effect.void))
  const worker = yield* Effect.fork(
    runWorker({
      workerId,
      handlers,
      leaseMs,
      batchSize,
      concurrency,
      backoff: { baseMs: backoffMs, maxMs: 10 * backoffMs },
      idle: Duration.millis(100)
    }).pipe(Effect.provideService(Store, counting.store))
  )
  report({ event: "ready", pid: process.pid })
  // runWorker only ends by failing (a store failure): report it; SIGTERM stops it
  const ended = yield* Effect.raceFirst(
    Effect.map(Fiber.await(worker), (exit) => ({ _tag: "failed" as const, cause: exit })),
    Effect.as(Deferred.await(terminated), { _tag: "terminated" as const })
  )
  yield* Fiber.interrupt(worker)
  if (ended._tag === "failed") {
    report({ event: "failed", cause: String(ended.cause) })
    return 1
  }
  report({ event: "exit", invoiced: counting.invoicesCommitted(), completed })
  return 0
})

const code = await Effect.runPromise(
  program.pipe(
    Effect.provide(
      Layer.mergeAll(storeLayer, idsLayer, HttpGateway.layer({ url: argument("gateway"), name: "fake" }))
    ),
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        report({ event: "failed", cause: String(cause) })
        return 1
      })
    )
  )
)
process.exit(code)
