import { describe, expect } from "@effect/vitest"
import type { Invoice, RenewalNumbering, RenewalWrite, Subscription } from "@ezscale/core"
import { Effect } from "effect"
import { date, makeInvoice, makeSubscription } from "../../factories"
import { fresh, type StoreIt } from "./support"

const numbering = (key: string): RenewalNumbering => ({
  key,
  start: 1,
  format: (value) => `R-${String(value).padStart(4, "0")}`
})

/** The renewal of `subscription` (read at `version`) for the period starting `month` 2026, on the 15th. */
const renewal = (
  subscription: Subscription,
  version: number,
  invoiceId: string,
  month: number,
  jobKind: string
): RenewalWrite => {
  const invoice: Invoice = makeInvoice({
    id: invoiceId,
    tenantId: subscription.tenantId,
    customerId: subscription.customerId,
    subscriptionId: subscription.id,
    period: { start: date(2026, month, 15), end: date(2026, month + 1, 15) }
  })
  return {
    invoice,
    subscription: {
      ...subscription,
      invoicedPeriods: subscription.invoicedPeriods + 1,
      nextRenewalAt: Date.UTC(2026, month, 15)
    },
    expectedVersion: version,
    jobs: [{ kind: jobKind, payload: { invoiceId }, runAt: 0, dedupeKey: `${jobKind}:${invoiceId}` }]
  }
}

export const renewalContract = (it: StoreIt) => {
  describe("renewals", () => {
    it.effect("write a page: invoices numbered in order, subscriptions moved on, jobs enqueued", () =>
      Effect.gen(function* () {
        const { store, tenantId, id, jobKind } = yield* fresh
        const subscriptions: Array<Subscription> = []
        for (let i = 0; i < 3; i++) {
          const s = makeSubscription({ id: yield* id("sub"), tenantId, invoicedPeriods: 1 })
          yield* store.subscriptions.insert(tenantId, s)
          subscriptions.push(s)
        }
        const writes: Array<RenewalWrite> = []
        for (const s of subscriptions) writes.push(renewal(s, 1, yield* id("inv"), 2, jobKind))
        const outcomes = yield* store.renewals.commit(tenantId, writes, numbering("renewals"))
        expect(outcomes).toEqual(["written", "written", "written"])
        const numbers: Array<string | undefined> = []
        for (const write of writes) {
          const invoice = yield* store.invoices.get(tenantId, write.invoice?.id ?? "")
          expect(invoice).toEqual({ ...write.invoice, number: invoice.number })
          numbers.push(invoice.number)
          const stored = yield* store.subscriptions.get(tenantId, write.subscription.id)
          expect(stored).toEqual({ value: write.subscription, version: 2 })
        }
        expect(numbers).toEqual(["R-0001", "R-0002", "R-0003"])
        const jobs = yield* store.jobs.claim({
          now: 1,
          limit: 10,
          leaseMs: 1000,
          workerId: "contract",
          kinds: [jobKind]
        })
        expect(jobs.map((job) => (job.payload as { invoiceId: string }).invoiceId).sort()).toEqual(
          writes.map((write) => write.invoice?.id).sort()
        )
        expect(jobs.every((job) => job.tenantId === tenantId)).toBe(true)
      })
    )

    it.effect(
      "refuse a taken renewal key as duplicate and a moved version as conflict, numbers gapless",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, id, jobKind } = yield* fresh
          const make = () => Effect.map(id("sub"), (subId) => makeSubscription({ id: subId, tenantId }))
          const [a, b, c, d] = [yield* make(), yield* make(), yield* make(), yield* make()] as const
          for (const s of [a, b, c]) yield* store.subscriptions.insert(tenantId, s)
          // b's period is invoiced already; c was changed since it was read; d does not exist
          yield* store.invoices.insert(
            tenantId,
            makeInvoice({
              id: yield* id("inv"),
              tenantId,
              subscriptionId: b.id,
              period: { start: date(2026, 2, 15), end: date(2026, 3, 15) }
            })
          )
          yield* store.subscriptions.update(tenantId, { ...c, planId: "other" }, 1)
          const writes = [
            renewal(a, 1, yield* id("inv"), 2, jobKind),
            renewal(b, 1, yield* id("inv"), 2, jobKind),
            renewal(c, 1, yield* id("inv"), 2, jobKind),
            renewal(d, 1, yield* id("inv"), 2, jobKind),
            // the same key twice in one page: the second is a duplicate of the first
            renewal(a, 2, yield* id("inv"), 2, jobKind)
          ]
          const key = yield* id("seq")
          const outcomes = yield* store.renewals.commit(tenantId, writes, numbering(key))
          expect(outcomes).toEqual(["written", "duplicate", "conflict", "conflict", "duplicate"])
          expect((yield* store.invoices.get(tenantId, writes[0]?.invoice?.id ?? "")).number).toBe("R-0001")
          for (const refused of writes.slice(1)) {
            const missing = yield* Effect.flip(store.invoices.get(tenantId, refused.invoice?.id ?? ""))
            expect(missing.reason).toBe("NotFound")
          }
          expect(yield* store.subscriptions.get(tenantId, b.id)).toEqual({ value: b, version: 1 })
          expect((yield* store.subscriptions.get(tenantId, c.id)).value.planId).toBe("other")
          const jobs = yield* store.jobs.claim({
            now: 1,
            limit: 10,
            leaseMs: 1000,
            workerId: "contract",
            kinds: [jobKind]
          })
          expect(jobs.map((job) => job.payload)).toEqual([{ invoiceId: writes[0]?.invoice?.id }])
          // the refused writes took no number: the next page goes on from 2
          const next = renewal(a, 2, yield* id("inv"), 3, jobKind)
          expect(yield* store.renewals.commit(tenantId, [next], numbering(key))).toEqual(["written"])
          expect((yield* store.invoices.get(tenantId, next.invoice?.id ?? "")).number).toBe("R-0002")
          expect(yield* store.sequences.next(tenantId, key, 1)).toBe(3)
        })
    )

    it.effect("keep an existing job of the same dedupe key, and the subscription's stored items", () =>
      Effect.gen(function* () {
        const { store, tenantId, id, jobKind } = yield* fresh
        const s = makeSubscription({ id: yield* id("sub"), tenantId })
        yield* store.subscriptions.insert(tenantId, s)
        const write = renewal(s, 1, yield* id("inv"), 2, jobKind)
        const existing = yield* store.jobs.enqueue(tenantId, {
          ...(write.jobs[0] as RenewalWrite["jobs"][number]),
          payload: "first"
        })
        const items = [{ ...(s.items[0] as Subscription["items"][number]), description: "changed" }]
        const outcomes = yield* store.renewals.commit(tenantId, [
          { ...write, subscription: { ...write.subscription, items } }
        ])
        expect(outcomes).toEqual(["written"])
        // without numbering the invoice keeps its own (here: no) number
        expect((yield* store.invoices.get(tenantId, write.invoice?.id ?? "")).number).toBeUndefined()
        const stored = yield* store.subscriptions.get(tenantId, s.id)
        expect(stored.value.items).toEqual(s.items)
        expect(stored.value.invoicedPeriods).toBe(s.invoicedPeriods + 1)
        const jobs = yield* store.jobs.claim({
          now: 1,
          limit: 10,
          leaseMs: 1000,
          workerId: "contract",
          kinds: [jobKind]
        })
        expect(jobs.map((job) => [job.id, job.payload])).toEqual([[existing.id, "first"]])
      })
    )

    it.effect("move a subscription on without an invoice (it stops renewing)", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const s = makeSubscription({ id: yield* id("sub"), tenantId })
        yield* store.subscriptions.insert(tenantId, s)
        const { nextRenewalAt: _, ...stopped } = s
        const outcomes = yield* store.renewals.commit(tenantId, [
          { subscription: stopped, expectedVersion: 1, jobs: [] },
          { subscription: stopped, expectedVersion: 1, jobs: [] }
        ])
        expect(outcomes).toEqual(["written", "conflict"])
        expect(yield* store.subscriptions.get(tenantId, s.id)).toEqual({ value: stopped, version: 2 })
      })
    )

    it.effect("are part of the caller's transaction: its failure undoes the page and its numbers", () =>
      Effect.gen(function* () {
        const { store, tenantId, id, jobKind } = yield* fresh
        const s = makeSubscription({ id: yield* id("sub"), tenantId })
        yield* store.subscriptions.insert(tenantId, s)
        const write = renewal(s, 1, yield* id("inv"), 2, jobKind)
        const key = yield* id("seq")
        const failed = yield* Effect.flip(
          store.withTransaction(
            Effect.zipRight(store.renewals.commit(tenantId, [write], numbering(key)), Effect.fail("boom"))
          )
        )
        expect(failed).toBe("boom")
        expect((yield* Effect.flip(store.invoices.get(tenantId, write.invoice?.id ?? ""))).reason).toBe(
          "NotFound"
        )
        expect(yield* store.subscriptions.get(tenantId, s.id)).toEqual({ value: s, version: 1 })
        expect(yield* store.sequences.next(tenantId, key, 1)).toBe(1)
        expect(yield* store.renewals.commit(tenantId, [])).toEqual([])
      })
    )

    it.effect(
      "cut the due subscriptions into consecutive ranges of a size, each a dueForRenewal cursor",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, id } = yield* fresh
          const base = Date.UTC(2026, 1, 15)
          const at = [3, 1, 1, 2, 5, 4, 9]
          const due: Array<Subscription> = []
          for (const days of at) {
            const s = makeSubscription({
              id: yield* id("sub"),
              tenantId,
              nextRenewalAt: base + days * 86_400_000
            })
            yield* store.subscriptions.insert(tenantId, s)
            if (days < 9) due.push(s)
          }
          const { nextRenewalAt: _, ...never } = makeSubscription({ id: yield* id("sub"), tenantId })
          yield* store.subscriptions.insert(tenantId, never)
          yield* store.subscriptions.insert(
            otherTenantId,
            makeSubscription({ id: yield* id("sub"), tenantId: otherTenantId, nextRenewalAt: base })
          )
          const before = base + 9 * 86_400_000
          const order = [...due]
            .sort((a, b) => (a.nextRenewalAt ?? 0) - (b.nextRenewalAt ?? 0) || (a.id < b.id ? -1 : 1))
            .map((s) => s.id)
          for (const size of [1, 2, 4, 6, 7]) {
            const ranges = yield* store.renewals.dueRanges(tenantId, before, size)
            expect(ranges.length).toBe(Math.ceil(order.length / size))
            const walked: Array<string> = []
            for (const range of ranges) {
              const page = yield* store.subscriptions.dueForRenewal(
                tenantId,
                before,
                range.after === undefined ? { limit: size } : { limit: size, after: range.after }
              )
              const ids = page.items.map((row) => row.value.id)
              expect(ids[ids.length - 1]).toBe(range.last.id)
              expect(range.last.nextRenewalAt).toBe(page.items[page.items.length - 1]?.value.nextRenewalAt)
              walked.push(...ids)
            }
            expect(walked).toEqual(order)
          }
          expect(yield* store.renewals.dueRanges(tenantId, base, 3)).toEqual([])
        })
    )
  })
}
