import { defineProject, mergeConfig } from "vitest/config"
import { project } from "../../vitest.shared"

/** One MariaDB server for every MySQL test file (started by the global setup unless MYSQL_URL is set). */
export default mergeConfig(
  project("adapters"),
  defineProject({ test: { globalSetup: ["./test/mysql-server.ts"] } })
)
