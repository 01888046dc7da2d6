import { describe, expect, layer } from "@effect/vitest"
import { Store } from "@ezscale/core"
import { makeInvoice, makeLedgerEntry, makeLine } from "@ezscale/testkit"
import { Effect } from "effect"
import { createConnection } from "mysql2/promise"
import { it as plain } from "vitest"
import { mysqlSkipReason, TestDatabase, testMysqlStore } from "../../test/mysql-database"
import { INT64_MAX, INT64_MIN } from "../store-sql/integers"

const edges = [INT64_MAX, INT64_MIN, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 53n - 1n, 0n, -1n]

if (mysqlSkipReason !== undefined) {
  describe.skip(`MySQL money and instants — skipped: ${mysqlSkipReason}`, () => {
    plain("round-trips amounts beyond 2^53", () => {})
  })
} else {
  layer(testMysqlStore("columns"))("MySQL money and instants", (it) => {
    it.effect("amounts round-trip exactly beyond 2^53 and at the 64-bit edges", () =>
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
        expect(back).toEqual(invoice)
        const credit = yield* store.ledger.append("tenant-1", makeLedgerEntry({ amount: INT64_MAX }))
        expect(credit.balanceAfter).toBe(INT64_MAX)
        expect(yield* store.ledger.balance("tenant-1", "cus-1", "EUR")).toBe(INT64_MAX)
        expect((yield* store.ledger.entries("tenant-1", "cus-1")).map((entry) => entry.amount)).toEqual([
          INT64_MAX
        ])
      })
    )

    it.effect("an amount beyond 64 bits is refused and writes nothing", () =>
      Effect.gen(function* () {
        const store = yield* Store
        const refused = yield* Effect.flip(
          store.invoices.insert(
            "tenant-1",
            makeInvoice({ id: "inv-too-big", kind: "manual", lines: [makeLine({ amount: INT64_MIN - 1n })] })
          )
        )
        expect(refused).toMatchObject({ _tag: "StoreError", reason: "Unknown" })
        expect((yield* Effect.flip(store.invoices.get("tenant-1", "inv-too-big"))).reason).toBe("NotFound")
        // the credit balance is at 2^63 - 1: one more minor unit cannot be stored, and is not
        const overflow = yield* Effect.flip(store.ledger.append("tenant-1", makeLedgerEntry({ amount: 1n })))
        expect(overflow).toMatchObject({ _tag: "StoreError", reason: "Unknown" })
        expect(yield* store.ledger.balance("tenant-1", "cus-1", "EUR")).toBe(INT64_MAX)
      })
    )

    it.effect("an instant stored beyond the safe range is refused on read, never rounded", () =>
      Effect.gen(function* () {
        const store = yield* Store
        const { url } = yield* TestDatabase
        yield* Effect.promise(async () => {
          const connection = await createConnection({ uri: url })
          await connection.query("UPDATE invoices SET due_at = 9007199254740993 WHERE id = 'inv-edges'")
          await connection.end()
        })
        const refused = yield* Effect.flip(store.invoices.get("tenant-1", "inv-edges"))
        expect(refused).toMatchObject({ _tag: "StoreError", reason: "Unknown" })
        expect(refused.detail).toContain("safe-integer")
      })
    )
  })
}
