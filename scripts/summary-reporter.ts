import type { Reporter, TestModule } from "vitest/node"

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so any
 * tool that reads test output (CI included) can tell how many tests ran without knowing vitest.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
    }
    // Printed as the process ends, so it comes after vitest's own summary and is the last line.
    process.once("exit", () =>
      process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
    )
  }
}
