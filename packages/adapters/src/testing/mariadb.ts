/**
 * A private MariaDB server for tests and benchmarks: its own data directory in a temp folder, 127.0.0.1
 * on a free port, its own socket, no grant tables, durability traded for speed. The adapters' test
 * setup and `npm run bench:billing` both start theirs with this, so they measure and test the same server.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { createConnection } from "mysql2/promise"

/** A program on PATH, or in the sbin folders Debian installs daemons to. */
const which = (program: string): string | undefined =>
  [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"]
    .filter((dir) => dir !== "")
    .map((dir) => join(dir, program))
    .find((path) => existsSync(path))

/** `mariadbd` and `mariadb-install-db`, when both are installed. */
export const findMariadb = (): { readonly mariadbd: string; readonly installDb: string } | undefined => {
  const mariadbd = which("mariadbd")
  const installDb = which("mariadb-install-db")
  return mariadbd === undefined || installDb === undefined ? undefined : { mariadbd, installDb }
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))
      )
    })
  })

const answers = async (url: string): Promise<boolean> => {
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 1000 })
    await connection.end()
    return true
  } catch {
    return false
  }
}

const waitUntilAnswering = async (url: string, server: ChildProcess, log: string): Promise<void> => {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`mariadbd exited with ${server.exitCode}; see ${log}`)
    if (await answers(url)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`mariadbd did not answer within 60 s; see ${log}`)
}

export interface PrivateMariadb {
  /** `mysql://root@127.0.0.1:<port>`, no database. */
  readonly url: string
  /** Stops the server and deletes its folder. */
  readonly stop: () => Promise<void>
  /** Kills the server at once and deletes its folder (Ctrl-C). */
  readonly kill: () => void
}

export interface PrivateMariadbOptions {
  /** The temp folder's name prefix. */
  readonly prefix?: string
  /** InnoDB buffer pool (default `128M`). */
  readonly bufferPool?: string
}

/** Starts a private MariaDB and waits until it answers. */
export const startPrivateMariadb = async (
  programs: { readonly mariadbd: string; readonly installDb: string },
  options: PrivateMariadbOptions = {}
): Promise<PrivateMariadb> => {
  const folder = mkdtempSync(join(tmpdir(), options.prefix ?? "ezscale-mariadb-"))
  const datadir = join(folder, "data")
  const log = join(folder, "error.log")
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : []
  try {
    execFileSync(
      programs.installDb,
      [
        "--no-defaults",
        `--datadir=${datadir}`,
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
        ...asRoot
      ],
      { stdio: "ignore" }
    )
  } catch (error) {
    rmSync(folder, { recursive: true, force: true })
    throw error
  }
  const port = await freePort()
  const server = spawn(
    programs.mariadbd,
    [
      "--no-defaults",
      `--datadir=${datadir}`,
      "--bind-address=127.0.0.1",
      `--port=${port}`,
      `--socket=${join(folder, "mysqld.sock")}`,
      `--pid-file=${join(folder, "mysqld.pid")}`,
      `--log-error=${log}`,
      "--skip-grant-tables",
      "--skip-name-resolve",
      "--skip-log-bin",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci",
      // a throwaway server: durability traded for speed
      `--innodb-buffer-pool-size=${options.bufferPool ?? "128M"}`,
      "--innodb-flush-log-at-trx-commit=0",
      "--innodb-doublewrite=0",
      "--innodb-flush-method=nosync",
      "--innodb-file-per-table=0",
      "--max-connections=500",
      ...asRoot
    ],
    { stdio: "ignore" }
  )
  const kill = () => {
    server.kill("SIGKILL")
    rmSync(folder, { recursive: true, force: true })
  }
  const stop = async () => {
    const exited = new Promise<void>((resolve) => {
      if (server.exitCode !== null) resolve()
      else server.once("exit", () => resolve())
    })
    server.kill("SIGTERM")
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000)
    await exited
    clearTimeout(timer)
    rmSync(folder, { recursive: true, force: true })
  }
  const url = `mysql://root@127.0.0.1:${port}`
  try {
    await waitUntilAnswering(url, server, log)
  } catch (error) {
    kill()
    throw error
  }
  return { url, stop, kill }
}
