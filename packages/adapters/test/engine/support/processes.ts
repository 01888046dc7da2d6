/**
 * Worker processes for the engine tests: `worker.ts` bundled once per test process, their JSON lines
 * followed, killed with SIGKILL, or stopped with SIGTERM once the database has no job left.
 *
 * Why bundled: run as the bench scripts run TypeScript (`node --conditions=source --import tsx`), a
 * worker takes 7-12 s to start on the CI machine (tsx transpiles every module of core and the adapters
 * on each start), which 20+ restarts cannot afford; the esbuild bundle of the same sources (the `source`
 * condition, drivers left external) starts in about a second. `ENGINE_TEST_TSX=1` runs the TypeScript
 * through tsx instead.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, renameSync } from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import type { EngineTestDatabase } from "./database"

const script = fileURLToPath(new URL("./worker.ts", import.meta.url))
/** The repository root: `tsx`, the drivers and the `source` condition resolve from there. */
const root = fileURLToPath(new URL("../../../../../", import.meta.url))

let bundled: Promise<ReadonlyArray<string>> | undefined

/** The node arguments that run the worker script: its bundle (built on first use), or tsx. */
export const workerCommand = (): Promise<ReadonlyArray<string>> => {
  if (process.env.ENGINE_TEST_TSX === "1") {
    return Promise.resolve(["--conditions=source", "--import", "tsx", script])
  }
  bundled ??= (async () => {
    // inside the repository, so the external drivers resolve from its node_modules
    const folder = join(root, "node_modules", ".cache", "ezscale-engine-tests")
    mkdirSync(folder, { recursive: true })
    // every test process builds the same bundle: each writes its own file, then renames it over the one
    // name (atomic), so a worker never starts from a half-written file and only one file stays behind
    const outfile = join(folder, "worker.mjs")
    const building = join(folder, `worker-${process.pid}.mjs`)
    await build({
      entryPoints: [script],
      outfile: building,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["source"],
      external: ["better-sqlite3", "mysql2", "mysql2/*"],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
      },
      logLevel: "warning"
    })
    renameSync(building, outfile)
    return [outfile]
  })()
  return bundled
}

export interface WorkerLine {
  readonly event: "ready" | "start" | "end" | "exit" | "failed"
  readonly worker: string
  readonly at: number
  readonly kind?: string
  readonly job?: string
  readonly invoiced?: number
  readonly completed?: Record<string, number>
  readonly cause?: string
}

export interface WorkerOptions {
  readonly workerId: string
  readonly leaseMs: number
  readonly batch?: number
  readonly concurrency?: number
  /** Engine job kinds the worker does not run. */
  readonly skipKinds?: ReadonlyArray<string>
}

export interface WorkerProcess {
  readonly workerId: string
  readonly child: ChildProcess
  readonly lines: ReadonlyArray<WorkerLine>
  /** Jobs started and not ended, by id: their kinds. */
  readonly running: ReadonlyMap<string, string>
  /** Resolves with the first line that matches (or undefined when the process exits first). */
  readonly waitFor: (match: (line: WorkerLine) => boolean) => Promise<WorkerLine | undefined>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly stderr: () => string
}

/** Starts a worker process; call `workerCommand()` once before, so starting it is not timed. */
export const startWorker = async (
  db: EngineTestDatabase,
  gatewayUrl: string,
  options: WorkerOptions
): Promise<WorkerProcess> => {
  const child = spawn(
    process.execPath,
    [
      ...(await workerCommand()),
      `--store=${db.storeUrl}`,
      `--gateway=${gatewayUrl}`,
      `--worker-id=${options.workerId}`,
      `--lease-ms=${options.leaseMs}`,
      `--batch=${options.batch ?? 20}`,
      `--concurrency=${options.concurrency ?? 4}`,
      `--skip-kinds=${(options.skipKinds ?? []).join(",")}`
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] }
  )
  const lines: Array<WorkerLine> = []
  const running = new Map<string, string>()
  const waiters: Array<{ match: (line: WorkerLine) => boolean; resolve: (line?: WorkerLine) => void }> = []
  let errors = ""
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString("utf8")
  })
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    let line: WorkerLine
    try {
      line = JSON.parse(text) as WorkerLine
    } catch {
      errors += `${text}\n`
      return
    }
    lines.push(line)
    if (line.event === "start" && line.job !== undefined) running.set(line.job, line.kind ?? "")
    if (line.event === "end" && line.job !== undefined) running.delete(line.job)
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(undefined)
      resolve({ code, signal })
    })
  })
  return {
    workerId: options.workerId,
    child,
    lines,
    running,
    waitFor: (match) => {
      const seen = lines.find(match)
      if (seen !== undefined) return Promise.resolve(seen)
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(undefined)
      return new Promise((resolve) => waiters.push({ match, resolve }))
    },
    exited,
    stderr: () => errors
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Jobs not finished yet (pending, or running under a lease), but those of the kinds left alone. */
export const unfinishedJobs = async (
  db: EngineTestDatabase,
  skipKinds: ReadonlyArray<string> = []
): Promise<number> => {
  const kinds = skipKinds.map((kind) => `'${kind}'`).join(", ")
  const [row] = await db.query(
    `SELECT COUNT(*) AS c FROM jobs WHERE state IN ('pending', 'running')${kinds === "" ? "" : ` AND kind NOT IN (${kinds})`}`
  )
  return Number(row?.c ?? 0)
}

/**
 * Waits until the database has no unfinished job (checked every `pollMs`), then stops the workers with
 * SIGTERM and returns their exit lines. Fails when a worker exits on its own (crash, store failure) or
 * the deadline passes.
 */
export const drainAndStop = async (
  db: EngineTestDatabase,
  workers: ReadonlyArray<WorkerProcess>,
  options: {
    readonly deadlineMs: number
    readonly pollMs?: number
    /** Kinds no worker runs: their jobs stay pending. */
    readonly skipKinds?: ReadonlyArray<string>
  }
): Promise<Array<WorkerLine>> => {
  const deadline = Date.now() + options.deadlineMs
  let exitedEarly: string | undefined
  for (const worker of workers) {
    void worker.exited.then(({ code, signal }) => {
      exitedEarly ??= `${worker.workerId} exited (code ${code}, signal ${signal}): ${worker.stderr()}`
    })
  }
  while ((await unfinishedJobs(db, options.skipKinds)) > 0) {
    if (exitedEarly !== undefined) throw new Error(exitedEarly)
    if (Date.now() > deadline) throw new Error(`jobs still unfinished after ${options.deadlineMs} ms`)
    await sleep(options.pollMs ?? 250)
  }
  exitedEarly = "stopping"
  const exits: Array<WorkerLine> = []
  for (const worker of workers) {
    // a worker stops on SIGTERM once it listens for it (it says `ready`); before that, SIGTERM kills it
    await worker.waitFor((line) => line.event === "ready")
    worker.child.kill("SIGTERM")
    const { code } = await worker.exited
    const line = worker.lines.find((l) => l.event === "exit")
    if (code !== 0 || line === undefined) {
      throw new Error(`${worker.workerId} did not stop cleanly (code ${code}): ${worker.stderr()}`)
    }
    exits.push(line)
  }
  return exits
}
