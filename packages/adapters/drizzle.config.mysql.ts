import { defineConfig } from "drizzle-kit"

/** `npm run db:generate`: writes the next MySQL / MariaDB migration from the schema (committed, shipped). */
export default defineConfig({
  dialect: "mysql",
  schema: "./src/store-mysql/schema.ts",
  out: "./src/store-mysql/migrations"
})
