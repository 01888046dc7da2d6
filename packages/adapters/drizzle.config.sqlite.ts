import { defineConfig } from "drizzle-kit"

/** `npm run db:generate`: writes the next SQLite migration from the schema (committed, shipped). */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store-sqlite/schema.ts",
  out: "./src/store-sqlite/migrations"
})
