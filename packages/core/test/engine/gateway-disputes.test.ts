/**
 * `DisputeUpdated` webhooks on the in-memory store and SQLite, on an 18.00 order paid by card: with
 * `disputes.suspendService`, an open dispute suspends the service (reason `dispute`, a `provision` job)
 * and a won one lifts it; a lost one is booked as a chargeback (credit note, refund row, invoice
 * `refunded`) and keeps the service per the policy. Each transition once: repeated events, an `open`
 * after the close, a close with no `open` before.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  decodeBillingSettings,
  disputeKeys,
  type GatewayEvent,
  gatewayTemplates,
  type Payment,
  Store
} from "@ezscale/core"
import { Effect, Either } from "effect"
import { settingsInput, stores, tenantId } from "./account-fixtures"
import { deliver, notices, paidOrder, provideGatewayTest } from "./gateway-fixtures"

const dispute = (
  payment: Payment,
  status: "open" | "won" | "lost",
  amount = payment.amount
): GatewayEvent => ({
  _tag: "DisputeUpdated",
  disputeId: "dp_1",
  chargeId: payment.chargeId ?? "",
  amount: { amount, currency: "EUR" },
  status,
  reason: "fraudulent"
})

const suspending = { disputes: { suspendService: true } }

const lifecycleOf = (subscriptionId: string) =>
  Effect.flatMap(Store, (store) =>
    Effect.map(store.subscriptions.get(tenantId, subscriptionId), (row) => row.value.lifecycle)
  )

describe("disputes settings", () => {
  it("default to keeping the service, and are checked", () => {
    const decoded = Either.getOrThrow(decodeBillingSettings(settingsInput()))
    expect(decoded.disputes).toEqual({ suspendService: false })
    const wrong = decodeBillingSettings({ ...settingsInput(), disputes: { suspendService: "yes" } })
    expect(Either.isLeft(wrong) && wrong.left.field).toBe("disputes.suspendService")
    const extra = decodeBillingSettings({ ...settingsInput(), disputes: { suspendService: true, hold: 1 } })
    expect(Either.isLeft(extra) && extra.left.field).toBe("disputes.hold")
  })
})

describe.each(stores)("DisputeUpdated on %s", (_, storeLayer) => {
  const run = provideGatewayTest(storeLayer)

  it.effect("open suspends the service once (policy on); won lifts it; late events change nothing", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, subscriptionId, payment } = yield* paidOrder(suspending)
        const keys = disputeKeys("fake", "dp_1")
        expect(yield* deliver("evt_o", dispute(payment, "open"))).toEqual({
          _tag: "Dispute",
          invoiceId,
          disputeId: "dp_1",
          action: "opened",
          service: "suspended"
        })
        expect(yield* lifecycleOf(subscriptionId)).toMatchObject({
          status: "suspended",
          suspension: { reason: "dispute" }
        })
        expect(yield* deliver("evt_o2", dispute(payment, "open"))).toMatchObject({
          action: "stale",
          service: "unchanged"
        })
        // The invoice keeps its status: the money is held, not returned.
        expect((yield* store.invoices.get(tenantId, invoiceId)).status).toBe("paid")

        expect(yield* deliver("evt_w", dispute(payment, "won"))).toMatchObject({
          action: "won",
          service: "lifted"
        })
        expect((yield* lifecycleOf(subscriptionId)).status).toBe("active")
        // A late `open` and a contradicting `lost` after the close: nothing.
        expect(yield* deliver("evt_o3", dispute(payment, "open"))).toMatchObject({ action: "stale" })
        expect(yield* deliver("evt_l", dispute(payment, "lost"))).toMatchObject({ action: "stale" })
        expect((yield* lifecycleOf(subscriptionId)).status).toBe("active")
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toEqual([])

        const jobs = yield* store.jobs.findByDedupeKeys(tenantId, [keys.suspend, keys.unsuspend])
        expect(jobs.map((job) => [job.kind, job.payload])).toEqual([
          ["provision", { subscriptionId, action: "suspend" }],
          ["unsuspend", { subscriptionId, invoiceId }]
        ])
        const told = yield* notices([
          gatewayTemplates.disputeOpened,
          gatewayTemplates.disputeWon,
          gatewayTemplates.disputeLost
        ])
        expect(told.map((job) => [(job.payload as { template: string }).template, job.dedupeKey])).toEqual([
          [gatewayTemplates.disputeOpened, keys.opened],
          [gatewayTemplates.disputeWon, keys.won]
        ])
        expect(told[0]?.payload).toMatchObject({
          audience: "staff",
          invoiceId,
          disputeId: "dp_1",
          amount: "1800",
          reason: "fraudulent",
          serviceSuspended: true
        })
      })
    )
  )

  it.effect("lost: the chargeback is booked once as a credit note; the service stays suspended", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, subscriptionId, payment } = yield* paidOrder(suspending)
        yield* deliver("evt_o", dispute(payment, "open"))
        expect(yield* deliver("evt_l", dispute(payment, "lost"))).toMatchObject({ action: "lost" })
        expect(yield* deliver("evt_l2", dispute(payment, "lost"))).toMatchObject({ action: "stale" })
        expect(yield* deliver("evt_w", dispute(payment, "won"))).toMatchObject({ action: "stale" })

        expect(yield* store.invoices.get(tenantId, invoiceId)).toMatchObject({
          status: "refunded",
          settlement: { paid: 1800n, refunded: 1800n, credited: 1800n }
        })
        const notes = yield* store.creditNotes.listByInvoice(tenantId, invoiceId)
        expect(notes.map((note) => [note.number, note.note.totals.total, note.note.reason])).toEqual([
          ["CN-2026-00001", 1800n, "Chargeback: dispute dp_1 lost"]
        ])
        const rows = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        expect(rows.map((row) => [row.amount, row.paymentId, row.idempotencyKey])).toEqual([
          [1800n, payment.id, "dispute:fake:dp_1"]
        ])
        // No account credit moves: the bank took the money back to the card.
        expect(yield* store.ledger.entries(tenantId, "cus-1")).toEqual([])
        expect(yield* lifecycleOf(subscriptionId)).toMatchObject({
          status: "suspended",
          suspension: { reason: "dispute" }
        })
        const lost = yield* notices([gatewayTemplates.disputeLost])
        expect(lost.map((job) => job.payload)).toEqual([
          expect.objectContaining({
            lossBooked: true,
            lossAmount: "1800",
            creditNote: "CN-2026-00001",
            invoiceStatus: "refunded",
            serviceSuspended: true
          })
        ])
      })
    )
  )

  it.effect(
    "a close with no open before does the closing transition alone (policy off keeps the service)",
    () =>
      run(
        Effect.gen(function* () {
          const { store, invoiceId, subscriptionId, payment } = yield* paidOrder()
          // A partial dispute lost before its `open` event arrived: 6.00 charged back.
          expect(yield* deliver("evt_l", dispute(payment, "lost", 600n))).toMatchObject({
            action: "lost",
            service: "unchanged"
          })
          expect(yield* deliver("evt_o", dispute(payment, "open", 600n))).toMatchObject({ action: "stale" })
          expect((yield* lifecycleOf(subscriptionId)).status).toBe("active")
          expect(yield* store.invoices.get(tenantId, invoiceId)).toMatchObject({
            status: "partially_refunded",
            settlement: { refunded: 600n }
          })
          expect(yield* notices([gatewayTemplates.disputeOpened, gatewayTemplates.disputeLost])).toHaveLength(
            1
          )
        })
      )
  )

  it.effect("policy off: open tells staff and keeps the service; won after it changes nothing else", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, subscriptionId, payment } = yield* paidOrder()
        expect(yield* deliver("evt_o", dispute(payment, "open"))).toMatchObject({
          action: "opened",
          service: "unchanged"
        })
        expect(yield* deliver("evt_w", dispute(payment, "won"))).toMatchObject({
          action: "won",
          service: "unchanged"
        })
        expect((yield* lifecycleOf(subscriptionId)).status).toBe("active")
        expect((yield* store.invoices.get(tenantId, invoiceId)).status).toBe("paid")
        const keys = disputeKeys("fake", "dp_1")
        expect(yield* store.jobs.findByDedupeKeys(tenantId, [keys.suspend, keys.unsuspend])).toEqual([])
      })
    )
  )

  it.effect("a dispute lifts only its own suspension: a non-payment suspension stays", () =>
    run(
      Effect.gen(function* () {
        const { store, subscriptionId, payment } = yield* paidOrder(suspending)
        const row = yield* store.subscriptions.get(tenantId, subscriptionId)
        const suspended = {
          ...row.value,
          lifecycle: { ...row.value.lifecycle, status: "suspended", suspension: { reason: "abuse", at: 0 } }
        } as const
        yield* store.subscriptions.update(tenantId, suspended, row.version)
        expect(yield* deliver("evt_o", dispute(payment, "open"))).toMatchObject({
          action: "opened",
          service: "unchanged"
        })
        expect(yield* deliver("evt_w", dispute(payment, "won"))).toMatchObject({
          action: "won",
          service: "unchanged"
        })
        expect(yield* lifecycleOf(subscriptionId)).toMatchObject({
          status: "suspended",
          suspension: { reason: "abuse" }
        })
      })
    )
  )
})
