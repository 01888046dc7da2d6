/**
 * Refunds on the in-memory store and SQLite: an 18.00 order paid by card is refunded 6.00 to the card
 * (credit note CN-2026-00001: 5.00 + 1.00 TVA) and the remaining 12.00 to account credit; each request
 * key refunds once; what cannot be refunded is refused before the gateway is asked.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  collectInvoice,
  type Ids,
  type PaymentGateway,
  placeOrder,
  recordManualPayment,
  refundInvoice,
  type Store
} from "@ezscale/core"
import { InMemoryGateway, SequentialIds } from "@ezscale/testkit"
import { Effect, Layer, TestClock } from "effect"
import { at, gatewayMethods, seedAccount, staff, stores, tenantId, vps2g } from "./account-fixtures"

const now = at(2026, 3, 10, 10)

describe.each(stores)("refundInvoice on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids | PaymentGateway>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods: gatewayMethods }))
    )

  /** An order of 18.00 (15.00 + 20% TVA) paid by card. */
  const paidOrder = Effect.gen(function* () {
    const store = yield* seedAccount()
    yield* TestClock.setTime(now)
    const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
    yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 })
    return { store, invoiceId: placed.invoiceId }
  })

  it.effect("refunds part to the card and the rest to account credit, each with a credit note", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId } = yield* paidOrder
        const toCard = {
          tenantId,
          invoiceId,
          amount: 600n,
          destination: "original_method",
          reason: "Goodwill",
          requestKey: "rq-1",
          actor: staff
        } as const
        const first = yield* refundInvoice(toCard)
        expect(first).toMatchObject({
          creditNoteNumber: "CN-2026-00001",
          status: "partially_refunded",
          refunded: 600n
        })
        // The same request again: the same refund, nothing more.
        expect(yield* refundInvoice(toCard)).toEqual(first)
        const [refund, ...more] = yield* store.refunds.listByInvoice(tenantId, invoiceId)
        expect(more).toEqual([])
        expect(refund).toMatchObject({
          id: first.refundId,
          amount: 600n,
          destination: "original_method",
          idempotencyKey: `refund:${invoiceId}:rq-1`
        })
        expect(refund?.gatewayRefundId).toBeDefined()

        const rest = yield* refundInvoice({
          ...toCard,
          amount: 1200n,
          destination: "account_credit",
          requestKey: "rq-2"
        })
        expect(rest).toMatchObject({ creditNoteNumber: "CN-2026-00002", status: "refunded", refunded: 1800n })
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(1200n)

        const notes = yield* store.creditNotes.listByInvoice(tenantId, invoiceId)
        expect(
          notes.map((n) => [n.number, n.note.totals.net, n.note.totals.tax, n.note.totals.total])
        ).toEqual([
          ["CN-2026-00001", 500n, 100n, 600n],
          ["CN-2026-00002", 1000n, 200n, 1200n]
        ])
        const invoice = yield* store.invoices.get(tenantId, invoiceId)
        expect(invoice.settlement).toEqual({
          creditApplied: 0n,
          paid: 1800n,
          refunded: 1800n,
          credited: 1800n
        })
        const log = yield* store.audit.list(tenantId, { limit: 10 }, { type: "invoice", id: invoiceId })
        expect(log.items.map((entry) => entry.action)).toEqual(["invoice.refunded", "invoice.refunded"])
      })
    )
  )

  it.effect("refuses more than was paid, an unpaid invoice, and a card refund of a bank transfer", () =>
    run(
      Effect.gen(function* () {
        const { store, invoiceId } = yield* paidOrder
        const request = {
          tenantId,
          invoiceId,
          amount: 1801n,
          destination: "original_method",
          reason: "Too much",
          requestKey: "rq-x",
          actor: staff
        } as const
        expect((yield* Effect.flip(refundInvoice(request)))._tag).toBe("RefundExceedsPaid")
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toEqual([])

        const unpaid = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
        const open = yield* Effect.flip(
          refundInvoice({ ...request, invoiceId: unpaid.invoiceId, amount: 100n })
        )
        expect(open._tag).toBe("IllegalInvoiceTransition")

        yield* recordManualPayment({
          tenantId,
          invoiceId: unpaid.invoiceId,
          amount: 1800n,
          method: "bank_transfer",
          reference: "SEPA-9",
          receivedOn: { year: 2026, month: 3, day: 10 },
          actor: staff
        })
        const byTransfer = yield* Effect.flip(
          refundInvoice({ ...request, invoiceId: unpaid.invoiceId, amount: 100n })
        )
        expect(byTransfer._tag).toBe("RefundNotPossible")
        // To account credit it can be refunded.
        const credited = yield* refundInvoice({
          ...request,
          invoiceId: unpaid.invoiceId,
          amount: 100n,
          destination: "account_credit"
        })
        expect(credited).toMatchObject({ creditNoteNumber: "CN-2026-00001", status: "partially_refunded" })
      })
    )
  )
})
