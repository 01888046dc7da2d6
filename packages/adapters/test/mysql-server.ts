/**
 * Global setup of the adapters' tests: one MySQL-compatible server for every MySQL test file.
 *
 * - `MYSQL_URL` set: that server is used as it is (each suite creates and drops its own database).
 * - otherwise, when `mariadbd` is installed: a private MariaDB is started for the run — own data
 *   directory in a temp folder, 127.0.0.1 on a free port, its own socket, no grant tables — and stopped
 *   and deleted afterwards.
 * - neither: the MySQL suites are skipped, and their titles say why.
 */
import type { TestProject } from "vitest/node"
import { findMariadb, startPrivateMariadb } from "../src/testing/mariadb"

declare module "vitest" {
  export interface ProvidedContext {
    /** The server's URL without a database ("" when there is none). */
    mysqlUrl: string
    /** Why the MySQL suites cannot run ("" when they can). */
    mysqlSkipReason: string
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.MYSQL_URL
  if (given !== undefined && given !== "") {
    project.provide("mysqlUrl", given)
    project.provide("mysqlSkipReason", "")
    return undefined
  }
  const programs = findMariadb()
  if (programs === undefined) {
    project.provide("mysqlUrl", "")
    project.provide("mysqlSkipReason", "no MYSQL_URL set and no mariadbd installed")
    return undefined
  }
  const server = await startPrivateMariadb(programs)
  project.provide("mysqlUrl", server.url)
  project.provide("mysqlSkipReason", "")
  return server.stop
}
