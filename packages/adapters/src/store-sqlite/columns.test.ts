import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Store } from "@ezscale/core"
import { makeInvoice, makeLine } from "@ezscale/testkit"
import Database from "better-sqlite3"
import { Effect, Layer } from "effect"
import { afterAll } from "vitest"
import { INT64_MAX, INT64_MIN } from "../store-sql/integers"
import { SqliteStore } from "./index"

const folder = mkdtempSync(join(tmpdir(), "ezscale-sqlite-columns-"))
const filename = join(folder, "billing.db")
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const edges = [INT64_MAX, INT64_MIN, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 53n - 1n, 0n, -1n]

describe("SQLite money and instants", () => {
  it.effect("amounts round-trip exactly at the safe-range and 64-bit edges", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const lines = edges.map((amount) =>
        makeLine({ amount, net: amount, gross: amount, unitAmount: amount })
      )
      const invoice = makeInvoice({
        id: "inv-edges",
        kind: "manual",
        lines,
        totals: { subtotal: INT64_MAX, tax: INT64_MIN, total: -1n, discount: 2n ** 53n + 1n },
        dueAt: Number.MAX_SAFE_INTEGER
      })
      yield* store.invoices.insert("tenant-1", invoice)
      const back = yield* store.invoices.get("tenant-1", invoice.id)
      expect(back.lines.map((line) => line.amount)).toEqual(edges)
      expect(back.totals).toEqual(invoice.totals)
      expect(back.dueAt).toBe(Number.MAX_SAFE_INTEGER)
      expect(back).toEqual(invoice)
    }).pipe(Effect.provide(Layer.orDie(SqliteStore.layer({ filename }))))
  )

  it.effect("an amount beyond 64 bits is refused and writes nothing", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const line = makeLine({ amount: INT64_MAX + 1n })
      const refused = yield* Effect.flip(
        store.invoices.insert("tenant-1", makeInvoice({ id: "inv-too-big", kind: "manual", lines: [line] }))
      )
      expect(refused).toMatchObject({ _tag: "StoreError", reason: "Unknown" })
      expect(refused._tag === "StoreError" && refused.detail).toContain("64-bit")
      expect((yield* Effect.flip(store.invoices.get("tenant-1", "inv-too-big"))).reason).toBe("NotFound")
    }).pipe(Effect.provide(Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))))
  )

  it.effect("an instant stored beyond the safe range is refused on read, never rounded", () =>
    Effect.gen(function* () {
      const store = yield* Store
      const raw = new Database(filename)
      raw.prepare("UPDATE invoices SET due_at = ? WHERE id = 'inv-edges'").run(2n ** 53n + 1n)
      raw.close()
      const refused = yield* Effect.flip(store.invoices.get("tenant-1", "inv-edges"))
      expect(refused).toMatchObject({ _tag: "StoreError", reason: "Unknown" })
      expect(refused.detail).toContain("safe-integer")
    }).pipe(Effect.provide(Layer.orDie(SqliteStore.layer({ filename }))))
  )
})
