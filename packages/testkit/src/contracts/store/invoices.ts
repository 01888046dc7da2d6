import { describe, expect } from "@effect/vitest"
import { DuplicateInvoice, StoreError } from "@ezscale/core"
import { Effect, Option } from "effect"
import { date, makeInvoice, makePayment } from "../../factories"
import { collectPages } from "./records"
import { fresh, type StoreIt } from "./support"

export const invoiceContract = (it: StoreIt) => {
  describe("invoices", () => {
    it.effect(
      "a second renewal invoice for the same subscription and period is refused with DuplicateInvoice",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, id } = yield* fresh
          const first = makeInvoice({ id: yield* id("inv"), tenantId })
          yield* store.invoices.insert(tenantId, first)
          const second = makeInvoice({ id: yield* id("inv"), tenantId })
          const refused = yield* Effect.flip(store.invoices.insert(tenantId, second))
          expect(refused).toBeInstanceOf(DuplicateInvoice)
          expect(refused).toMatchObject({
            subscriptionId: "sub-1",
            existingInvoiceId: first.id,
            reason: "renewal"
          })
          expect((yield* Effect.flip(store.invoices.get(tenantId, second.id))).reason).toBe("NotFound")
          // other period, other reason, other tenant: all allowed
          yield* store.invoices.insert(
            tenantId,
            makeInvoice({
              id: yield* id("inv"),
              tenantId,
              period: { start: date(2026, 2, 15), end: date(2026, 3, 15) }
            })
          )
          yield* store.invoices.insert(
            tenantId,
            makeInvoice({ id: yield* id("inv"), tenantId, kind: "order" })
          )
          yield* store.invoices.insert(
            tenantId,
            makeInvoice({ id: yield* id("inv"), tenantId, kind: "manual" })
          )
          yield* store.invoices.insert(
            tenantId,
            makeInvoice({ id: yield* id("inv"), tenantId, kind: "manual" })
          )
          // Two plan changes on one day cover the same rest of the period: both are real invoices.
          for (let i = 0; i < 2; i++) {
            yield* store.invoices.insert(
              tenantId,
              makeInvoice({ id: yield* id("inv"), tenantId, kind: "plan_change" })
            )
          }
          yield* store.invoices.insert(
            otherTenantId,
            makeInvoice({ id: yield* id("inv"), tenantId: otherTenantId })
          )
          const found = yield* store.invoices.findByPeriod(
            tenantId,
            "sub-1",
            first.period ?? { start: date(1, 1, 1), end: date(1, 1, 1) },
            "renewal"
          )
          expect(Option.map(found, (invoice) => invoice.id)).toEqual(Option.some(first.id))
          const none = yield* store.invoices.findByPeriod(
            tenantId,
            "sub-1",
            { start: date(2027, 1, 1), end: date(2027, 2, 1) },
            "renewal"
          )
          expect(Option.isNone(none)).toBe(true)
        })
    )

    it.effect("list the open invoices due before an instant, by due date then id, page by page", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const day = 86_400_000
        const due = Date.UTC(2026, 2, 1)
        const make = (dueAt: number, status: "open" | "paid" | "void" | "draft" = "open") =>
          Effect.gen(function* () {
            const invoice = makeInvoice({
              id: yield* id("inv"),
              tenantId,
              kind: "manual",
              subscriptionId: undefined,
              period: undefined,
              dueAt,
              status
            })
            yield* store.invoices.insert(tenantId, invoice)
            return invoice.id
          })
        const late = yield* make(due - 3 * day)
        const sameDayA = yield* make(due)
        const sameDayB = yield* make(due)
        const early = yield* make(due - 10 * day)
        yield* make(due - 5 * day, "paid")
        yield* make(due - 5 * day, "void")
        yield* make(due - 5 * day, "draft")
        yield* make(due + day) // not due before the instant
        yield* store.invoices.insert(
          otherTenantId,
          makeInvoice({ id: yield* id("inv"), tenantId: otherTenantId, dueAt: due - day })
        )
        const listed = yield* collectPages(
          (after) =>
            store.invoices.listOpen(
              tenantId,
              due + 1,
              after === undefined ? { limit: 2 } : { limit: 2, after }
            ),
          2
        )
        expect(listed.map((invoice) => invoice.id)).toEqual([early, late, ...[sameDayA, sameDayB].sort()])
        expect(listed[0]?.lines.length).toBeGreaterThan(0)
        const before = yield* store.invoices.listOpen(tenantId, due, { limit: 10 })
        expect(before.items.map((invoice) => invoice.id)).toEqual([early, late])
      })
    )

    it.effect("invoices update, keep numbers unique per tenant, and list by customer in pages", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const ids: Array<string> = []
        for (let i = 0; i < 7; i++) {
          const invoice = makeInvoice({ id: yield* id("inv"), tenantId, kind: "manual", number: `INV-${i}` })
          ids.push(invoice.id)
          yield* store.invoices.insert(tenantId, invoice)
        }
        const clash = makeInvoice({ id: yield* id("inv"), tenantId, kind: "manual", number: "INV-3" })
        expect((yield* Effect.flip(store.invoices.insert(tenantId, clash))).reason).toBe("Conflict")
        yield* store.invoices.insert(otherTenantId, { ...clash, tenantId: otherTenantId })
        const first = yield* store.invoices.get(tenantId, ids[0] ?? "")
        yield* store.invoices.update(tenantId, { ...first, status: "paid", paidAt: 1 })
        expect((yield* store.invoices.get(tenantId, first.id)).status).toBe("paid")
        const renumbered = yield* Effect.flip(store.invoices.update(tenantId, { ...first, number: "INV-4" }))
        expect(renumbered.reason).toBe("Conflict")
        const missing = yield* Effect.flip(
          store.invoices.update(tenantId, { ...clash, id: yield* id("inv") })
        )
        expect(missing.reason).toBe("NotFound")
        const all = yield* collectPages(
          (after) =>
            store.invoices.listByCustomer(
              tenantId,
              "cus-1",
              after === undefined ? { limit: 3 } : { after, limit: 3 }
            ),
          3
        )
        expect(all.map((invoice) => invoice.id)).toEqual(ids)
      })
    )
  })

  describe("credit notes, payments and refunds", () => {
    it.effect("are listed per invoice and tenant; idempotency keys are unique", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const invoiceId = yield* id("inv")
        const payment = makePayment({
          id: yield* id("pay"),
          invoiceId,
          idempotencyKey: `collect:${invoiceId}:1`
        })
        yield* store.payments.insert(tenantId, payment)
        const again = yield* Effect.flip(
          store.payments.insert(tenantId, { ...payment, id: yield* id("pay") })
        )
        expect(again).toBeInstanceOf(StoreError)
        expect(again.reason).toBe("Conflict")
        yield* store.payments.insert(otherTenantId, payment)
        expect(yield* store.payments.listByInvoice(tenantId, invoiceId)).toEqual([payment])
        const refund = {
          id: yield* id("re"),
          paymentId: payment.id,
          invoiceId,
          customerId: "cus-1",
          currency: "EUR" as const,
          amount: 400n,
          destination: "original_method" as const,
          status: "pending" as const,
          idempotencyKey: `refund:${invoiceId}:1`,
          at: 5
        }
        yield* store.refunds.insert(tenantId, refund)
        expect(
          (yield* Effect.flip(store.refunds.insert(tenantId, { ...refund, id: yield* id("re") }))).reason
        ).toBe("Conflict")
        expect(yield* store.refunds.listByInvoice(tenantId, invoiceId)).toEqual([refund])
        expect(yield* store.refunds.listByInvoice(otherTenantId, invoiceId)).toEqual([])
        const note = {
          invoiceId,
          tenantId,
          customerId: "cus-1",
          currency: "EUR" as const,
          issuedAt: 5,
          reason: "refund",
          lines: [{ invoiceLine: 0, description: "VPS Small", net: 400n, tax: 0n, gross: 400n }],
          totals: { net: 400n, tax: 0n, total: 400n }
        }
        const notes = [
          { id: yield* id("cn"), number: `CN-${tenantId}-1`, note },
          { id: yield* id("cn"), note: { ...note, reason: "goodwill" } }
        ]
        for (const creditNote of notes) yield* store.creditNotes.insert(tenantId, creditNote)
        const clash = { id: yield* id("cn"), number: `CN-${tenantId}-1`, note }
        expect((yield* Effect.flip(store.creditNotes.insert(tenantId, clash))).reason).toBe("Conflict")
        expect(yield* store.creditNotes.listByInvoice(tenantId, invoiceId)).toEqual(notes)
        expect(yield* store.creditNotes.listByInvoice(otherTenantId, invoiceId)).toEqual([])
      })
    )

    it.effect("a failed payment keeps its failure reason and decline code; a succeeded one has none", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const invoiceId = yield* id("inv")
        const failed = makePayment({
          id: yield* id("pay"),
          invoiceId,
          status: "failed",
          failureReason: "Your card has insufficient funds.",
          declineCode: "insufficient_funds",
          idempotencyKey: `collect:${invoiceId}:1`
        })
        // A gateway's reason can be long: it is kept whole.
        const canceled = makePayment({
          id: yield* id("pay"),
          invoiceId,
          status: "failed",
          failureReason: `canceled: ${"the payer's bank did not answer in time; ".repeat(20)}`,
          idempotencyKey: `collect:${invoiceId}:2`
        })
        const paid = makePayment({
          id: yield* id("pay"),
          invoiceId,
          idempotencyKey: `collect:${invoiceId}:3`
        })
        for (const payment of [failed, canceled, paid]) yield* store.payments.insert(tenantId, payment)
        const listed = yield* store.payments.listByInvoice(tenantId, invoiceId)
        expect(listed).toEqual([failed, canceled, paid])
        expect(listed[1]).not.toHaveProperty("declineCode")
        expect(listed[2]).not.toHaveProperty("failureReason")
      })
    )

    it.effect("a refund's status is stored and set (per tenant); setting an unknown refund is NotFound", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const invoiceId = yield* id("inv")
        const refund = {
          id: yield* id("re"),
          paymentId: yield* id("pay"),
          invoiceId,
          customerId: "cus-1",
          currency: "EUR" as const,
          amount: 400n,
          destination: "original_method" as const,
          status: "pending" as const,
          gatewayRefundId: "re_123",
          idempotencyKey: `refund:${invoiceId}:1`,
          at: 5
        }
        yield* store.refunds.insert(tenantId, refund)
        yield* store.refunds.insert(otherTenantId, refund)
        yield* store.refunds.setStatus(tenantId, refund.id, "succeeded")
        // The same status again is no error.
        yield* store.refunds.setStatus(tenantId, refund.id, "succeeded")
        expect(yield* store.refunds.listByInvoice(tenantId, invoiceId)).toEqual([
          { ...refund, status: "succeeded" }
        ])
        expect(yield* store.refunds.listByInvoice(otherTenantId, invoiceId)).toEqual([refund])
        yield* store.refunds.setStatus(tenantId, refund.id, "failed")
        expect((yield* store.refunds.listByInvoice(tenantId, invoiceId)).map((row) => row.status)).toEqual([
          "failed"
        ])
        const missing = yield* Effect.flip(store.refunds.setStatus(tenantId, yield* id("re"), "failed"))
        expect(missing).toBeInstanceOf(StoreError)
        expect(missing.reason).toBe("NotFound")
      })
    )
  })
}
