import { describe, expect } from "@effect/vitest"
import type { AuditEntry, AuditEntryInput } from "@ezscale/core"
import { Effect } from "effect"
import { collectPages } from "./records"
import { fresh, type StoreIt } from "./support"

const base = 1_800_000_000_000

const entry = (i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actor: { kind: "staff", id: "usr_1" },
  action: "invoice.voided",
  targetType: "invoice",
  targetId: `inv_${i % 3}`,
  details: { reason: "duplicate", before: { status: "open" }, after: { status: "void" }, n: i },
  at: base + Math.floor(i / 2) * 1000,
  ...overrides
})

export const auditContract = (it: StoreIt) => {
  describe("audit log", () => {
    it.effect("entries list newest first (by instant, then id), in pages, per tenant and per target", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const appended: Array<AuditEntry> = []
        for (let i = 0; i < 11; i++) appended.push(yield* store.audit.append(tenantId, entry(i)))
        yield* store.audit.append(otherTenantId, entry(0))
        expect(appended[4]).toEqual({ ...entry(4), id: appended[4]?.id })
        expect(new Set(appended.map((e) => e.id)).size).toBe(11)
        // two entries share each instant: the later appended comes first
        const newestFirst = [...appended].reverse()
        for (const limit of [1, 3, 11, 20]) {
          const all = yield* collectPages(
            (after) => store.audit.list(tenantId, after === undefined ? { limit } : { after, limit }),
            limit
          )
          expect(all).toEqual(newestFirst)
        }
        const target = { type: "invoice", id: "inv_1" }
        const aboutOne = yield* collectPages(
          (after) =>
            store.audit.list(tenantId, after === undefined ? { limit: 2 } : { after, limit: 2 }, target),
          2
        )
        expect(aboutOne).toEqual(newestFirst.filter((e) => e.targetId === "inv_1"))
        expect((yield* store.audit.list(otherTenantId, { limit: 50 })).items).toHaveLength(1)
      })
    )

    it.effect("the log only grows: no way to change or remove an entry, and a walk is never shifted", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        expect(Object.keys(store.audit).sort()).toEqual(["append", "list"])
        const before: Array<AuditEntry> = []
        for (let i = 0; i < 6; i++) before.push(yield* store.audit.append(tenantId, entry(i)))
        const snapshot = (yield* store.audit.list(tenantId, { limit: 100 })).items
        // walk in pages of 2 while newer entries keep arriving: the walk sees exactly the entries it began with
        const walked: Array<AuditEntry> = []
        let after: string | undefined
        for (let i = 0; ; i++) {
          const page = yield* store.audit.list(
            tenantId,
            after === undefined ? { limit: 2 } : { after, limit: 2 }
          )
          walked.push(...page.items)
          yield* store.audit.append(
            tenantId,
            entry(100 + i, { at: base + 1_000_000 + i, actor: { kind: "system", id: "billing-run" } })
          )
          if (page.next === undefined) break
          after = page.next
        }
        expect(walked).toEqual(snapshot)
        const now = (yield* store.audit.list(tenantId, { limit: 100 })).items
        expect(now.slice(now.length - snapshot.length)).toEqual(snapshot)
        expect(now.length).toBeGreaterThan(snapshot.length)
        expect(now[0]?.actor).toEqual({ kind: "system", id: "billing-run" })
      })
    )

    it.effect("an entry appended in a failed transaction is gone with it", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.audit.append(tenantId, entry(0))
        const failed = yield* Effect.either(
          store.withTransaction(
            Effect.zipRight(store.audit.append(tenantId, entry(1)), Effect.fail("boom" as const))
          )
        )
        expect(failed._tag).toBe("Left")
        const items = (yield* store.audit.list(tenantId, { limit: 10 })).items
        expect(items.map((e) => e.details)).toEqual([entry(0).details])
      })
    )
  })
}
