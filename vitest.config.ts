import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    reporters: ["default", "./scripts/summary-reporter.ts"],
    projects: ["packages/*/vitest.config.ts", "examples/*/vitest.config.ts"]
  }
})
