/**
 * Manual payments on the in-memory store and SQLite: a bank transfer and a cheque pay an order invoice
 * in two parts; the second settles it and activates the subscription like a gateway payment would. The
 * reference makes the recording idempotent; an overpayment writes nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Ids, placeOrder, recordManualPayment, type Store } from "@ezscale/core"
import { SequentialIds } from "@ezscale/testkit"
import { Effect, Layer, TestClock } from "effect"
import { at, claimJobs, seedAccount, staff, stores, tenantId, vps2g } from "./account-fixtures"

const now = at(2026, 3, 10, 10)
const receivedOn = { year: 2026, month: 3, day: 12 }

describe.each(stores)("recordManualPayment on %s", (_, storeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Store | Ids>) =>
    Effect.provide(effect, Layer.merge(storeLayer(), SequentialIds.layer))

  /** An order of 18.00 (15.00 + 20% TVA), unpaid. */
  const ordered = Effect.gen(function* () {
    const store = yield* seedAccount({}, undefined)
    yield* TestClock.setTime(now)
    const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
    return { store, placed }
  })

  it.effect("records part payments; the one that settles the invoice activates the order", () =>
    run(
      Effect.gen(function* () {
        const { store, placed } = yield* ordered
        const base = { tenantId, invoiceId: placed.invoiceId, receivedOn, actor: staff }
        const transfer = yield* recordManualPayment({
          ...base,
          amount: 1000n,
          method: "bank_transfer",
          reference: "SEPA-2026-0311-77"
        })
        expect(transfer).toMatchObject({ recorded: true, status: "open", balance: 800n })
        expect((yield* store.subscriptions.get(tenantId, placed.subscriptionId)).value.lifecycle.status).toBe(
          "pending"
        )
        const cheque = yield* recordManualPayment({
          ...base,
          amount: 800n,
          method: "cheque",
          reference: "CHQ-1042"
        })
        expect(cheque).toMatchObject({ recorded: true, status: "paid", balance: 0n })
        const invoice = yield* store.invoices.get(tenantId, placed.invoiceId)
        expect(invoice.settlement).toMatchObject({ paid: 1800n })
        const payments = yield* store.payments.listByInvoice(tenantId, placed.invoiceId)
        expect(payments.map((p) => [p.gateway, p.amount, p.chargeId, p.idempotencyKey, p.at])).toEqual([
          ["bank_transfer", 1000n, "SEPA-2026-0311-77", "manual:SEPA-2026-0311-77", at(2026, 3, 12)],
          ["cheque", 800n, "CHQ-1042", "manual:CHQ-1042", at(2026, 3, 12)]
        ])
        const subscription = (yield* store.subscriptions.get(tenantId, placed.subscriptionId)).value
        expect(subscription.lifecycle.status).toBe("active")
        expect((yield* claimJobs(["provision"])).map((job) => job.payload)).toEqual([
          { subscriptionId: placed.subscriptionId, action: "create" }
        ])
        const log = yield* store.audit.list(
          tenantId,
          { limit: 10 },
          { type: "invoice", id: placed.invoiceId }
        )
        expect(log.items.map((entry) => entry.action)).toEqual(["payment.recorded", "payment.recorded"])
      })
    )
  )

  it.effect("is idempotent on the reference, and refuses the reference for anything else", () =>
    run(
      Effect.gen(function* () {
        const { store, placed } = yield* ordered
        const payment = {
          tenantId,
          invoiceId: placed.invoiceId,
          amount: 500n,
          method: "bank_transfer",
          reference: "SEPA-1",
          receivedOn,
          actor: staff
        } as const
        const first = yield* recordManualPayment(payment)
        const again = yield* recordManualPayment(payment)
        expect(again).toEqual({ ...first, recorded: false })
        const other = yield* Effect.flip(recordManualPayment({ ...payment, amount: 600n }))
        expect(other).toMatchObject({ _tag: "ManualPaymentConflict", existingPaymentId: first.paymentId })
        expect((yield* store.payments.listByInvoice(tenantId, placed.invoiceId)).length).toBe(1)
        expect((yield* store.invoices.get(tenantId, placed.invoiceId)).settlement.paid).toBe(500n)
      })
    )
  )

  it.effect("refuses more than the invoice owes, writing nothing", () =>
    run(
      Effect.gen(function* () {
        const { store, placed } = yield* ordered
        const error = yield* Effect.flip(
          recordManualPayment({
            tenantId,
            invoiceId: placed.invoiceId,
            amount: 1801n,
            method: "cheque",
            reference: "CHQ-9",
            receivedOn,
            actor: staff
          })
        )
        expect(error).toMatchObject({ _tag: "PaymentExceedsBalance", balance: 1800n, amount: 1801n })
        expect(yield* store.payments.listByInvoice(tenantId, placed.invoiceId)).toEqual([])
        // The reference is still free: recording it right succeeds.
        const ok = yield* recordManualPayment({
          tenantId,
          invoiceId: placed.invoiceId,
          amount: 1800n,
          method: "cheque",
          reference: "CHQ-9",
          receivedOn,
          actor: staff
        })
        expect(ok.status).toBe("paid")
      })
    )
  )
})
