import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/contracts/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  external: ["@ezscale/core", "effect", "vitest", "@effect/vitest"]
})
