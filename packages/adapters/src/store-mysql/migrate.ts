/**
 * Applies the committed MySQL / MariaDB migrations (drizzle's migrator for mysql2). Migrations already
 * applied are skipped, so running it again is a no-op. Several processes starting at once take turns
 * (a named server lock, `GET_LOCK`), since MySQL commits DDL as it goes. The folder is found beside this
 * module, in the sources as in the published `dist`.
 */
import { fileURLToPath } from "node:url"
import { StoreError } from "@ezscale/core"
import { drizzle } from "drizzle-orm/mysql2"
import { migrate as drizzleMigrate } from "drizzle-orm/mysql2/migrator"
import { Effect } from "effect"
import type { Pool, PoolConnection, RowDataPacket } from "mysql2/promise"
import { mysqlStoreError } from "./errors"

/** Where the MySQL migrations ship: `migrations/` next to this module. */
export const mysqlMigrationsFolder: string = fileURLToPath(new URL("./migrations", import.meta.url))

export interface MysqlMigrateOptions {
  /** Another folder of drizzle-kit migrations (default: the ones shipped with the store). */
  readonly migrationsFolder?: string
  /** Seconds to wait for another process's migration to finish (default 60). */
  readonly lockTimeoutSeconds?: number
}

const lockName = "ezscale_billing_migrations"

/** Brings the database's schema up to date. */
export const migrateMysql = (
  pool: Pool,
  options: MysqlMigrateOptions = {}
): Effect.Effect<void, StoreError> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () => pool.getConnection(),
      catch: (error) => mysqlStoreError(error, { entity: "migration" })
    }),
    (connection: PoolConnection) =>
      Effect.tryPromise({
        try: async () => {
          const [rows] = await connection.query<Array<RowDataPacket>>("SELECT GET_LOCK(?, ?) AS locked", [
            lockName,
            options.lockTimeoutSeconds ?? 60
          ])
          if (Number(rows[0]?.locked) !== 1) throw new MigrationLockTimeout()
          try {
            await drizzleMigrate(drizzle(connection), {
              migrationsFolder: options.migrationsFolder ?? mysqlMigrationsFolder
            })
          } finally {
            await connection.query("SELECT RELEASE_LOCK(?)", [lockName])
          }
        },
        catch: (error) =>
          error instanceof MigrationLockTimeout
            ? new StoreError({
                reason: "Unavailable",
                retryable: true,
                entity: "migration",
                detail: "another process holds the migration lock"
              })
            : mysqlStoreError(error, { entity: "migration" })
      }),
    (connection) => Effect.sync(() => connection.release())
  )

class MigrationLockTimeout extends Error {}
