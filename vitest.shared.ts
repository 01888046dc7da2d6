import { defineProject } from "vitest/config"

/** One vitest project per package; the `source` condition lets tests run without a build. */
export const project = (name: string) =>
  defineProject({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      sequence: { concurrent: false },
      // Property tests run thousands of cases; on a busy 2-core CI machine a few take several seconds.
      testTimeout: 60_000
    }
  })
