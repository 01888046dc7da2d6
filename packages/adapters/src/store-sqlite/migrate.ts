/**
 * Applies the committed SQLite migrations (drizzle's migrator for better-sqlite3). Migrations already
 * applied are skipped, so running it again is a no-op. The folder is found beside this module, in the
 * sources as in the published `dist`.
 */
import { fileURLToPath } from "node:url"
import type { StoreError } from "@ezscale/core"
import type Database from "better-sqlite3"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { migrate as drizzleMigrate } from "drizzle-orm/better-sqlite3/migrator"
import { Effect } from "effect"
import { sqliteStoreError } from "./errors"

/** Where the SQLite migrations ship: `migrations/` next to this module. */
export const sqliteMigrationsFolder: string = fileURLToPath(new URL("./migrations", import.meta.url))

export interface SqliteMigrateOptions {
  /** Another folder of drizzle-kit migrations (default: the ones shipped with the store). */
  readonly migrationsFolder?: string
}

/** Brings the database's schema up to date. */
export const migrateSqlite = (
  connection: Database.Database,
  options: SqliteMigrateOptions = {}
): Effect.Effect<void, StoreError> =>
  Effect.try({
    try: () =>
      drizzleMigrate(drizzle(connection), {
        migrationsFolder: options.migrationsFolder ?? sqliteMigrationsFolder
      }),
    catch: (error) => sqliteStoreError(error, { entity: "migration" })
  })
