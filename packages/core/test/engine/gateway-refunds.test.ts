/**
 * `RefundUpdated` webhooks on the in-memory store and SQLite, on an 18.00 order paid by card: events for
 * a refund we made move its row's status on (pending -> succeeded / failed, never back; a failed one
 * tells staff once) and change nothing else; a refund made at the gateway's
 * dashboard is booked once (credit note, refund row, settlement) however often and in whatever order its
 * events come, also when `refundInvoice` replays the same gateway refund; a failed one is never booked;
 * one that cannot be booked tells staff.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  collectInvoice,
  collectionKey,
  gatewayEventHandlers,
  gatewayTemplates,
  nextRefundStatus,
  PaymentGateway,
  placeOrder,
  type RefundOutcome,
  refundInvoice,
  workOnce
} from "@ezscale/core"
import { InMemoryGatewayInspector } from "@ezscale/testkit"
import { Effect, TestClock } from "effect"
import { seedAccount, staff, stores, tenantId, vps2g } from "./account-fixtures"
import { deliver, notices, now, paidOrder, provideGatewayTest } from "./gateway-fixtures"

const refunded = (refund: RefundOutcome, status: RefundOutcome["status"], invoiceId?: string) =>
  ({
    _tag: "RefundUpdated",
    refund: { ...refund, status },
    ...(invoiceId === undefined ? {} : { invoiceId })
  }) as const

/** A refund made at the gateway (its dashboard), not through billing. */
const dashboardRefund = (chargeId: string, amount: bigint, key = "dashboard-1") =>
  Effect.flatMap(PaymentGateway, (gateway) =>
    gateway.refund({ chargeId, amount: { amount, currency: "EUR" }, idempotencyKey: key })
  )

describe("nextRefundStatus", () => {
  it("moves pending on, succeeded only to failed, never out of failed or back to pending", () => {
    const statuses = ["pending", "succeeded", "failed"] as const
    const table = statuses.map((current) => statuses.map((reported) => nextRefundStatus(current, reported)))
    expect(table).toEqual([
      [undefined, "succeeded", "failed"],
      [undefined, undefined, "failed"],
      [undefined, undefined, undefined]
    ])
  })
})

describe.each(stores)("RefundUpdated on %s", (_, storeLayer) => {
  const run = provideGatewayTest(storeLayer, { pm_timeout: { kind: "unknown_then_succeeded" } })

  it.effect("a refund we made: its events change nothing but its status; a failed one tells staff once", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId } = yield* paidOrder()
        const made = yield* refundInvoice({
          tenantId,
          invoiceId,
          amount: 600n,
          destination: "original_method",
          reason: "Goodwill",
          requestKey: "rq-1",
          actor: staff
        })
        const [row] = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        expect(row?.status).toBe("succeeded")
        const gatewayRefundId = row?.gatewayRefundId ?? ""
        const statusOfRow = Effect.map(store.refunds.listByInvoice(tenantId, invoiceId), (rows) =>
          rows.map((stored) => stored.status)
        )
        const refund: RefundOutcome = {
          refundId: gatewayRefundId,
          chargeId: (yield* store.payments.listByInvoice(tenantId, invoiceId))[0]?.chargeId ?? "",
          status: "succeeded",
          amount: { amount: 600n, currency: "EUR" }
        }
        expect(yield* deliver("evt_1", refunded(refund, "succeeded"))).toEqual({
          _tag: "Refund",
          invoiceId,
          gatewayRefundId,
          action: "unchanged"
        })
        expect(yield* statusOfRow).toEqual(["succeeded"])
        // The bank sent it back (Stripe: succeeded -> failed).
        expect(yield* deliver("evt_2", refunded(refund, "failed"))).toMatchObject({
          action: "failure_alerted"
        })
        expect(yield* statusOfRow).toEqual(["failed"])
        expect(yield* deliver("evt_3", refunded(refund, "failed"))).toMatchObject({
          action: "failure_alerted"
        })
        // A late `pending` or `succeeded` after the failure: `failed` is final.
        expect(yield* deliver("evt_4", refunded(refund, "pending"))).toMatchObject({ action: "unchanged" })
        expect(yield* deliver("evt_5", refunded(refund, "succeeded"))).toMatchObject({ action: "unchanged" })
        expect(yield* statusOfRow).toEqual(["failed"])
        for (const id of ["evt_1", "evt_2", "evt_3", "evt_4", "evt_5"]) {
          expect((yield* store.webhookInbox.get(tenantId, "fake", id)).state).toBe("processed")
        }

        const invoice = yield* store.invoices.get(tenantId, invoiceId)
        expect(invoice).toMatchObject({ status: "partially_refunded", settlement: { refunded: 600n } })
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toHaveLength(1)
        expect(yield* store.refunds.listByInvoice(tenantId, invoiceId)).toHaveLength(1)
        const alerts = yield* notices([gatewayTemplates.refundFailed])
        expect(alerts.map((job) => job.payload)).toEqual([
          expect.objectContaining({
            template: gatewayTemplates.refundFailed,
            audience: "staff",
            invoiceId,
            refundId: made.refundId,
            gatewayRefundId,
            amount: "600",
            currency: "EUR"
          })
        ])
      })
    )
  )

  it.effect("a dashboard refund is booked once, whatever the order and number of its events", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, payment } = yield* paidOrder()
        const refund = yield* dashboardRefund(payment.chargeId ?? "", 600n)
        // pending, succeeded twice, then a late pending: one booking.
        expect(yield* deliver("evt_p", refunded(refund, "pending"))).toEqual({
          _tag: "Refund",
          invoiceId,
          gatewayRefundId: refund.refundId,
          action: "booked"
        })
        expect((yield* store.refunds.listByInvoice(tenantId, invoiceId)).map((row) => row.status)).toEqual([
          "pending"
        ])
        expect(yield* deliver("evt_s", refunded(refund, "succeeded"))).toMatchObject({
          action: "status_updated"
        })
        expect(yield* deliver("evt_s2", refunded(refund, "succeeded"))).toMatchObject({ action: "unchanged" })
        expect(yield* deliver("evt_p2", refunded(refund, "pending"))).toMatchObject({ action: "unchanged" })

        const rows = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        expect(
          rows.map((row) => [
            row.amount,
            row.destination,
            row.status,
            row.gatewayRefundId,
            row.idempotencyKey
          ])
        ).toEqual([
          [
            600n,
            "original_method",
            "succeeded",
            refund.refundId,
            `refund:${invoiceId}:gateway:fake:${refund.refundId}`
          ]
        ])
        const notes = yield* store.creditNotes.listByInvoice(tenantId, invoiceId)
        expect(notes.map((note) => [note.number, note.note.totals.net, note.note.totals.tax])).toEqual([
          ["CN-2026-00001", 500n, 100n]
        ])
        expect(yield* store.invoices.get(tenantId, invoiceId)).toMatchObject({
          status: "partially_refunded",
          settlement: { paid: 1800n, refunded: 600n, credited: 600n }
        })
        const log = yield* store.audit.list(tenantId, { limit: 10 }, { type: "invoice", id: invoiceId })
        expect(log.items.map((entry) => [entry.action, entry.actor])).toEqual([
          ["invoice.refunded", { kind: "system", id: "gateway:fake" }]
        ])
        // The rest can still be refunded through billing; the whole then is `refunded`.
        const rest = yield* refundInvoice({
          tenantId,
          invoiceId,
          amount: 1200n,
          destination: "original_method",
          reason: "Cancelled",
          requestKey: "rq-rest",
          actor: staff
        })
        expect(rest).toMatchObject({ status: "refunded", refunded: 1800n })
        const booked = yield* notices([gatewayTemplates.refundBooked])
        expect(booked.map((job) => job.payload)).toEqual([
          expect.objectContaining({
            invoiceId,
            gatewayRefundId: refund.refundId,
            creditNote: "CN-2026-00001"
          })
        ])
      })
    )
  )

  it.effect("refundInvoice replaying a refund its webhook booked first answers with that booking", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, payment } = yield* paidOrder()
        // The gateway refunded under the request's key, and its webhook came before the answer was written.
        const refund = yield* dashboardRefund(payment.chargeId ?? "", 600n, `refund:${invoiceId}:rq-1`)
        expect(yield* deliver("evt_1", refunded(refund, "succeeded"))).toMatchObject({ action: "booked" })
        const request = {
          tenantId,
          invoiceId,
          amount: 600n,
          destination: "original_method",
          reason: "Goodwill",
          requestKey: "rq-1",
          actor: staff
        } as const
        const answer = yield* refundInvoice(request)
        expect(answer).toMatchObject({
          creditNoteNumber: "CN-2026-00001",
          status: "partially_refunded",
          refunded: 600n
        })
        expect(yield* refundInvoice(request)).toEqual(answer)
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toHaveLength(1)
        const rows = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        expect(rows.map((row) => row.id)).toEqual([answer.refundId])
      })
    )
  )

  it.effect(
    "a booked refund that was pending and then failed: its row says failed for good, staff told once",
    () =>
      run(
        Effect.gen(function* () {
          const { store, invoiceId, payment } = yield* paidOrder()
          const refund = yield* dashboardRefund(payment.chargeId ?? "", 600n)
          const statuses = Effect.map(store.refunds.listByInvoice(tenantId, invoiceId), (rows) =>
            rows.map((row) => row.status)
          )
          expect(yield* deliver("evt_p", refunded(refund, "pending"))).toMatchObject({ action: "booked" })
          expect(yield* statuses).toEqual(["pending"])
          expect(yield* deliver("evt_f", refunded(refund, "failed"))).toMatchObject({
            action: "failure_alerted"
          })
          expect(yield* statuses).toEqual(["failed"])
          // Repeated, and a late success: the row stays failed; staff were told once.
          expect(yield* deliver("evt_f2", refunded(refund, "failed"))).toMatchObject({
            action: "failure_alerted"
          })
          expect(yield* deliver("evt_s", refunded(refund, "succeeded"))).toMatchObject({
            action: "unchanged"
          })
          expect(yield* statuses).toEqual(["failed"])
          expect(yield* notices([gatewayTemplates.refundFailed])).toHaveLength(1)
          for (const id of ["evt_p", "evt_f", "evt_f2", "evt_s"]) {
            expect((yield* store.webhookInbox.get(tenantId, "fake", id)).state).toBe("processed")
          }
        })
      )
  )

  it.effect("a dashboard refund that failed is never booked, even when a pending event comes late", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId, payment } = yield* paidOrder()
        const refund = yield* dashboardRefund(payment.chargeId ?? "", 600n)
        expect(yield* deliver("evt_f", refunded(refund, "failed"))).toMatchObject({
          action: "failure_alerted"
        })
        expect(yield* deliver("evt_p", refunded(refund, "pending"))).toMatchObject({ action: "unchanged" })
        expect(yield* store.refunds.listByInvoice(tenantId, invoiceId)).toEqual([])
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toEqual([])
        expect((yield* store.invoices.get(tenantId, invoiceId)).status).toBe("paid")
        expect(yield* notices([gatewayTemplates.refundFailed])).toHaveLength(1)
      })
    )
  )

  it.effect(
    "a dashboard refund of money already refunded to account credit is not booked: staff are told",
    () =>
      run(
        Effect.gen(function* () {
          const { store, invoiceId, payment } = yield* paidOrder()
          yield* refundInvoice({
            tenantId,
            invoiceId,
            amount: 1800n,
            destination: "account_credit",
            reason: "Cancelled",
            requestKey: "rq-credit",
            actor: staff
          })
          const refund = yield* dashboardRefund(payment.chargeId ?? "", 600n)
          expect(yield* deliver("evt_1", refunded(refund, "succeeded"))).toMatchObject({
            action: "not_booked"
          })
          expect(yield* deliver("evt_2", refunded(refund, "succeeded"))).toMatchObject({
            action: "not_booked"
          })
          expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toHaveLength(1)
          expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(1800n)
          const alerts = yield* notices([gatewayTemplates.refundNotBooked])
          expect(alerts.map((job) => job.payload)).toEqual([
            expect.objectContaining({
              gatewayRefundId: refund.refundId,
              problem: "the refund (600) is more than the payment has left (0)"
            })
          ])
        })
      )
  )

  it.effect(
    "a refund of a charge the gateway does not show is retried; one of a charge not ours is ignored",
    () =>
      run(
        Effect.gen(function* () {
          const { store } = yield* paidOrder()
          const unseen: RefundOutcome = {
            refundId: "re_x",
            chargeId: "ch_unknown",
            status: "succeeded",
            amount: { amount: 100n, currency: "EUR" }
          }
          expect(yield* deliver("evt_u", refunded(unseen, "succeeded"))).toEqual({
            _tag: "ChargeUnseen",
            chargeId: "ch_unknown"
          })
          // Through the worker the job fails (it is tried again later) and the event stays unprocessed.
          const round = yield* workOnce({ workerId: "w1", handlers: gatewayEventHandlers })
          expect(round.failed.map((failure) => failure.error)).toEqual([
            expect.stringContaining("ChargeNotYetVisible")
          ])
          expect((yield* store.webhookInbox.get(tenantId, "fake", "evt_u")).state).toBe("received")

          // A charge at the gateway that is no collection attempt of ours (another system's).
          const gateway = yield* PaymentGateway
          const foreign = yield* gateway.charge({
            gatewayCustomerId: "gcus-1",
            invoiceId: "elsewhere",
            amount: { amount: 500n, currency: "EUR" },
            methodId: "pm_ok",
            idempotencyKey: "other-system-1",
            offSession: true
          })
          const refund = yield* dashboardRefund(foreign.chargeId ?? "", 500n)
          expect(yield* deliver("evt_f", refunded(refund, "succeeded"))).toEqual({ _tag: "Ignored" })
          expect((yield* store.webhookInbox.get(tenantId, "fake", "evt_f")).state).toBe("processed")
        })
      )
  )

  it.effect(
    "a refund event before the charge's own outcome was recorded records the payment, then the refund",
    () =>
      run(
        Effect.gen(function* () {
          const store = yield* seedAccount({}, "pm_timeout")
          yield* TestClock.setTime(now)
          const { invoiceId } = yield* placeOrder({
            tenantId,
            customerId: "cus-1",
            selection: vps2g,
            actor: staff
          })
          // The charge timed out for us, but the gateway made it; then it was partly refunded at the dashboard.
          expect(yield* collectInvoice({ tenantId, invoiceId, attempt: 1 })).toMatchObject({
            _tag: "Reconciling"
          })
          const inspector = yield* InMemoryGatewayInspector
          const chargeId = inspector.chargeFor(collectionKey(invoiceId, 1))?.outcome.chargeId ?? ""
          const refund = yield* dashboardRefund(chargeId, 600n)
          expect(yield* deliver("evt_r", refunded(refund, "succeeded"))).toMatchObject({ action: "booked" })
          const payments = yield* store.payments.listByInvoice(tenantId, invoiceId)
          expect(payments.map((p) => [p.status, p.amount, p.chargeId])).toEqual([
            ["succeeded", 1800n, chargeId]
          ])
          expect(yield* store.invoices.get(tenantId, invoiceId)).toMatchObject({
            status: "partially_refunded",
            settlement: { paid: 1800n, refunded: 600n, credited: 600n }
          })
          // The charge's own event, late: the payment is there already.
          const late = yield* deliver("evt_c", {
            _tag: "ChargeUpdated",
            outcome: {
              status: "succeeded",
              idempotencyKey: collectionKey(invoiceId, 1),
              amount: { amount: 1800n, currency: "EUR" }
            }
          })
          expect(late).toMatchObject({ _tag: "Collection", outcome: { _tag: "NotOpen" } })
          expect(yield* store.payments.listByInvoice(tenantId, invoiceId)).toHaveLength(1)
        })
      )
  )
})
