/**
 * A database of its own on the shared test server, for one test file: created (and migrated) when the
 * layer builds, dropped when it closes.
 */
import { MysqlStore } from "@ezscale/adapters/store-mysql"
import { Context, Effect, Layer } from "effect"
import { createConnection } from "mysql2/promise"
import { inject } from "vitest"

/** Why the MySQL suites are skipped, or undefined when a server is there. */
export const mysqlSkipReason: string | undefined = inject("mysqlSkipReason") || undefined

const serverUrl = inject("mysqlUrl")

const onServer = async <A>(run: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<A>) => {
  const connection = await createConnection({ uri: serverUrl })
  try {
    return await run(connection)
  } finally {
    await connection.end()
  }
}

/** A fresh, empty database's URL for the life of the scope. */
export const testDatabase = (suite: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const name = `ezscale_${suite}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
      await onServer((connection) =>
        connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
      )
      const url = new URL(serverUrl)
      url.pathname = `/${name}`
      return { name, url: url.toString() }
    }),
    ({ name }) =>
      Effect.promise(() => onServer((connection) => connection.query(`DROP DATABASE \`${name}\``)))
  )

/** The database a test's store runs on, for tests that look at its rows directly. */
export class TestDatabase extends Context.Tag("adapters/test/TestDatabase")<
  TestDatabase,
  { readonly name: string; readonly url: string }
>() {}

/** The MySQL store on a fresh, migrated database of its own. */
export const testMysqlStore = (suite: string, options: { readonly connectionLimit?: number } = {}) =>
  Layer.unwrapScoped(
    Effect.map(testDatabase(suite), (database) =>
      Layer.merge(
        Layer.orDie(MysqlStore.layer({ url: database.url, migrate: true, ...options })),
        Layer.succeed(TestDatabase, database)
      )
    )
  )
