import { cpSync } from "node:fs"
import { defineConfig } from "tsup"

/** Each store finds its migrations beside its module at run time, so the SQL folders ship in dist too. */
const dialects = ["store-sqlite", "store-mysql"] as const

export default defineConfig({
  entry: {
    "store-sqlite/index": "src/store-sqlite/index.ts",
    "store-mysql/index": "src/store-mysql/index.ts",
    "testing/index": "src/testing/index.ts",
    "gateway-stripe/index": "src/gateway-stripe/index.ts",
    "gateway-stripe/fake/index": "src/gateway-stripe/fake/index.ts",
    "gateway-paypal/index": "src/gateway-paypal/index.ts",
    "gateway-paypal/fake/index": "src/gateway-paypal/fake/index.ts",
    "secrets/index": "src/secrets/index.ts",
    "gateway-accounts/index": "src/gateway-accounts/index.ts"
  },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  external: [
    "@ezscale/core",
    "effect",
    "better-sqlite3",
    "mysql2",
    "drizzle-orm",
    "stripe",
    "@paypal/paypal-server-sdk"
  ],
  onSuccess: async () => {
    for (const dialect of dialects) {
      cpSync(`src/${dialect}/migrations`, `dist/${dialect}/migrations`, { recursive: true })
    }
  }
})
