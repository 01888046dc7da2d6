import { describe, expect } from "@effect/vitest"
import type { Json, WebhookDelivery, WebhookEvent } from "@ezscale/core"
import { Effect } from "effect"
import { collectPages } from "./records"
import { fresh, type StoreIt } from "./support"

const payload: Json = {
  id: "evt_1",
  type: "invoice.paid",
  data: { object: { amount_paid: 1999, currency: "eur", lines: [{ id: "il_1", proration: false }] } },
  livemode: false,
  note: "Grüße — ✓",
  $ref: "kept as data",
  missing: null
}

const delivery = (eventId: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  source: "stripe",
  eventId,
  type: "invoice.paid",
  payload,
  receivedAt: 1_800_000_000_000,
  ...overrides
})

export const webhookInboxContract = (it: StoreIt) => {
  describe("webhook inbox", () => {
    it.effect("the first delivery of (source, event id) is new; a duplicate writes nothing", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const first = yield* store.webhookInbox.receive(tenantId, delivery("evt_1"))
        expect(first.isNew).toBe(true)
        expect(first.event).toMatchObject({ ...delivery("evt_1"), state: "received", failures: 0 })
        expect(Object.hasOwn(first.event, "processedAt")).toBe(false)
        expect(Object.hasOwn(first.event, "lastError")).toBe(false)
        expect(yield* store.webhookInbox.get(tenantId, "stripe", "evt_1")).toEqual(first.event)
        const again = yield* store.webhookInbox.receive(
          tenantId,
          delivery("evt_1", { payload: { changed: true }, receivedAt: 1_800_000_009_000 })
        )
        expect(again).toEqual({ isNew: false, event: first.event })
        // the same event id from another source, or for another tenant, is another event
        expect(
          (yield* store.webhookInbox.receive(tenantId, delivery("evt_1", { source: "paypal" }))).isNew
        ).toBe(true)
        expect((yield* store.webhookInbox.receive(otherTenantId, delivery("evt_1"))).isNew).toBe(true)
        const pending = yield* store.webhookInbox.listUnprocessed(tenantId, { limit: 10 })
        expect(pending.items.map((e) => `${e.source}/${e.eventId}`)).toEqual(["stripe/evt_1", "paypal/evt_1"])
        expect((yield* Effect.flip(store.webhookInbox.get(tenantId, "stripe", "evt_2"))).reason).toBe(
          "NotFound"
        )
      })
    )

    it.effect("racing deliveries of one event: exactly one is new, all see the same event", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const receipts = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, i) => delivery("evt_race", { receivedAt: 1_800_000_000_000 + i })),
          (d) => store.webhookInbox.receive(tenantId, d),
          { concurrency: "unbounded" }
        )
        expect(receipts.filter((r) => r.isNew)).toHaveLength(1)
        expect(new Set(receipts.map((r) => r.event.id)).size).toBe(1)
        expect((yield* store.webhookInbox.listUnprocessed(tenantId, { limit: 10 })).items).toHaveLength(1)
      })
    )

    it.effect("failures are counted and stay unprocessed; processed is final", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.webhookInbox.receive(tenantId, delivery("evt_f"))
        const once = yield* store.webhookInbox.markFailed(tenantId, "stripe", "evt_f", {
          error: "timeout",
          at: 5
        })
        expect(once).toMatchObject({ state: "failed", failures: 1, lastError: "timeout", failedAt: 5 })
        const twice = yield* store.webhookInbox.markFailed(tenantId, "stripe", "evt_f", {
          error: "invoice locked",
          at: 9
        })
        expect(twice).toMatchObject({
          state: "failed",
          failures: 2,
          lastError: "invoice locked",
          failedAt: 9
        })
        expect((yield* store.webhookInbox.listUnprocessed(tenantId, { limit: 10 })).items).toEqual([twice])
        const done = yield* store.webhookInbox.markProcessed(tenantId, "stripe", "evt_f", 20)
        expect(done).toEqual({ ...twice, state: "processed", processedAt: 20 })
        expect(yield* store.webhookInbox.markProcessed(tenantId, "stripe", "evt_f", 30)).toEqual(done)
        const late = yield* Effect.flip(
          store.webhookInbox.markFailed(tenantId, "stripe", "evt_f", { error: "late", at: 40 })
        )
        expect(late.reason).toBe("Conflict")
        expect(yield* store.webhookInbox.get(tenantId, "stripe", "evt_f")).toEqual(done)
        expect((yield* store.webhookInbox.listUnprocessed(tenantId, { limit: 10 })).items).toEqual([])
        for (const call of [
          store.webhookInbox.markProcessed(tenantId, "stripe", "evt_none", 1),
          store.webhookInbox.markFailed(tenantId, "stripe", "evt_none", { error: "x", at: 1 })
        ]) {
          expect((yield* Effect.flip(call)).reason).toBe("NotFound")
        }
      })
    )

    it.effect("listUnprocessed pages through waiting events in arrival order", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const received: Array<WebhookEvent> = []
        for (let i = 0; i < 13; i++) {
          // receivedAt deliberately out of order: arrival order is the store's
          const receipt = yield* store.webhookInbox.receive(
            tenantId,
            delivery(`evt_${i}`, { receivedAt: 1_800_000_000_000 - i * 1000 })
          )
          received.push(receipt.event)
        }
        for (const i of [0, 4, 5, 12]) {
          yield* store.webhookInbox.markProcessed(tenantId, "stripe", `evt_${i}`, 1)
        }
        yield* store.webhookInbox.markFailed(tenantId, "stripe", "evt_7", { error: "x", at: 1 })
        const all = yield* collectPages(
          (after) =>
            store.webhookInbox.listUnprocessed(
              tenantId,
              after === undefined ? { limit: 4 } : { after, limit: 4 }
            ),
          4
        )
        expect(all.map((e) => e.eventId)).toEqual([1, 2, 3, 6, 7, 8, 9, 10, 11].map((i) => `evt_${i}`))
        expect(all.map((e) => e.payload)).toEqual(all.map(() => payload))
      })
    )

    it.effect("a delivery received in a failed transaction is new again afterwards", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const failed = yield* Effect.either(
          store.withTransaction(
            Effect.zipRight(
              store.webhookInbox.receive(tenantId, delivery("evt_tx")),
              Effect.fail("boom" as const)
            )
          )
        )
        expect(failed._tag).toBe("Left")
        expect((yield* store.webhookInbox.receive(tenantId, delivery("evt_tx"))).isNew).toBe(true)
      })
    )
  })
}
