/**
 * End to end on PayPal vault charges (issue 5): the engine on a real store, the PayPal adapter on the
 * official SDK against the local PayPal fake, webhooks signed by the fake (RSA, CRC32 of the body) and
 * verified by the adapter at a local endpoint, every job run by the engine's worker. Outcomes are read
 * from the fake's orders, captures and refunds and from the store's rows; every exchange with the fake
 * must match PayPal's OpenAPI documents.
 *
 * - renewal: setup token -> approval -> payment token, then the billing run's merchant-initiated charge,
 *   once; the webhooks twice and newest first, plus a stale PENDING after COMPLETED -> paid once;
 * - decline: the payer's funding declines the capture on the due date and on retry day 1, the retry of
 *   day 3 goes through -> one completed capture, the declined attempts recorded;
 * - timeout after the charge: the create and the adapter's retry go unanswered -> a reconcile job finds
 *   the order by the create's request id -> paid, one order and one capture;
 * - partial refund -> credit note, `partially_refunded`, one refund at PayPal; its webhook (twice) changes
 *   nothing more.
 */
import { collectionKey, refundInvoice } from "@ezscale/core"
import { describe, expect, inject, it } from "vitest"
import { mysqlSkipReason } from "../mysql-database"
import { checkBooks, creditNotes, inbox, invoices, jobs, payments, refunds } from "./support/books"
import { billed, collectOnDueDate, dunningOn, expectKeptOnce } from "./support/flow"
import { due, onDay, type StoreKind, seedRenewal, tenantId } from "./support/harness"
import { type PayPalHarness, savePayPal, startPayPalHarness } from "./support/paypal"

const withPayPal =
  (
    kind: StoreKind,
    test: (h: PayPalHarness) => Promise<void>,
    options: { readonly timeoutMs?: number } = {}
  ) =>
  async () => {
    const h = await startPayPalHarness(kind, inject("mysqlUrl"), options)
    try {
      await test(h)
      expect(h.rejections).toEqual([])
      expect(await h.violations()).toEqual([])
    } finally {
      await h.close()
    }
  }

/** The capture a payment row names, as the fake has it. */
const captureOf = (h: PayPalHarness, chargeId: string | null) => h.fake.control.capture(chargeId ?? "")

const renewal = (kind: StoreKind) =>
  it(
    "renewal: a vaulted PayPal token is charged once, merchant-initiated; webhooks twice and out of order pay the invoice once",
    withPayPal(kind, async (h) => {
      await h.run(seedRenewal)
      const { method, listed, saved, gatewayCustomerId } = await h.run(savePayPal(h))
      expect(listed.map((m) => m.id)).toEqual([method.id])
      expect(saved).toMatchObject({
        gateway: "paypal",
        gatewayCustomerId,
        gatewayMethodId: method.id,
        kind: "paypal",
        isDefault: true
      })

      const invoice = await billed(h)
      expect(h.fake.control.stats()).toMatchObject({ orders: 0, captures: 0 })
      await collectOnDueDate(h)

      const key = collectionKey(invoice.id, 1)
      const [payment, ...more] = await payments(h.db)
      expect(more).toEqual([])
      expect(payment).toMatchObject({ status: "succeeded", amount: 1200n, gateway: "paypal", key })
      const capture = captureOf(h, payment?.chargeId ?? null)
      expect(capture).toMatchObject({
        status: "COMPLETED",
        amount: { amount: 1200n, currency: "EUR" },
        invoiceId: key,
        customId: invoice.id
      })
      expect(h.fake.control.order(capture?.orderId ?? "")).toMatchObject({
        vaultId: method.id,
        status: "COMPLETED"
      })
      expect(h.fake.control.stats()).toMatchObject({ orders: 1, captures: 1, refunds: 0 })

      // Every event twice, newest first; then a stale PENDING of the same capture after the COMPLETED.
      const events = h.fake.control.events()
      const completed = events.find((event) => event.event_type === "PAYMENT.CAPTURE.COMPLETED")
      expect(completed).toBeDefined()
      const statuses = await h.deliver()
      expect(statuses).toEqual(events.flatMap(() => [200, 200]))
      expect((await h.work()).failures).toEqual([])
      const stale = structuredClone(completed) as NonNullable<typeof completed>
      const resource = { ...stale.resource, status: "PENDING", status_details: { reason: "PENDING_REVIEW" } }
      expect(
        await h.deliverEvent({
          ...stale,
          id: "WH-E2E-STALE-PENDING",
          event_type: "PAYMENT.CAPTURE.PENDING",
          resource
        })
      ).toBe(200)
      expect((await h.work()).failures).toEqual([])

      const seen = expectKeptOnce(h)
      expect(seen.size).toBe(events.length + 1)
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect(await payments(h.db)).toHaveLength(1)
      expect(h.fake.control.stats()).toMatchObject({ orders: 1, captures: 1 })
      const kept = await inbox(h.db, "paypal")
      expect(kept.map((event) => event.eventId).sort()).toEqual([...seen].sort())
      for (const event of kept.filter((e) => e.type.startsWith("PAYMENT.CAPTURE.")))
        expect(event, event.type).toMatchObject({ state: "processed" })
      expect((await jobs(h.db, "gateway_event")).filter((job) => job.state !== "done")).toEqual([])
      expect(await checkBooks(h.db, "paypal")).toEqual([])
    }),
    60_000
  )

const decline = (kind: StoreKind) =>
  it(
    "decline: captures declined on the due date and on the first dunning retry, the retry of day 3 goes through",
    withPayPal(kind, async (h) => {
      await h.run(seedRenewal)
      const { method } = await h.run(savePayPal(h))
      // The payer's funding source declines (5120: insufficient funds) until day 2.
      h.fake.control.scriptToken(method.id, { kind: "capture_declined", responseCode: "5120" })
      const invoice = await billed(h)
      const key = (attempt: number) => collectionKey(invoice.id, attempt)

      await collectOnDueDate(h)
      await dunningOn(h, 0)
      await dunningOn(h, 1)
      expect((await invoices(h.db))[0]).toMatchObject({ status: "open", paid: 0n })
      h.clock.set(onDay(2))
      h.fake.control.scriptToken(method.id, { kind: "complete" })
      await dunningOn(h, 3)

      const rows = await payments(h.db)
      // The declined attempts keep why: PayPal's capture status and the processor's response code.
      expect(rows.map((p) => [p.status, p.amount, p.key, p.failureReason, p.declineCode])).toEqual([
        ["failed", 1200n, key(1), "capture declined", "5120"],
        ["failed", 1200n, key(2), "capture declined", "5120"],
        ["succeeded", 1200n, key(3), null, null]
      ])
      // At PayPal: one order and capture per attempt, under its key; two declined (5120), one completed.
      expect(rows.map((p) => captureOf(h, p.chargeId))).toEqual([
        expect.objectContaining({ status: "DECLINED", responseCode: "5120", invoiceId: key(1) }),
        expect.objectContaining({ status: "DECLINED", responseCode: "5120", invoiceId: key(2) }),
        expect.objectContaining({ status: "COMPLETED", invoiceId: key(3) })
      ])
      expect(h.fake.control.stats()).toMatchObject({ orders: 3, captures: 3 })
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect((await jobs(h.db, "dunning_retry")).map((job) => [job.dedupeKey, job.state])).toEqual([
        [`${invoice.id}:retry:2`, "done"],
        [`${invoice.id}:retry:3`, "done"]
      ])

      // The webhooks twice, newest first (the completed capture before the declined ones): nothing changes.
      const events = h.fake.control.events()
      expect(events.filter((event) => event.event_type === "PAYMENT.CAPTURE.DECLINED")).toHaveLength(2)
      await h.deliver()
      expect((await h.work()).failures).toEqual([])
      expect(expectKeptOnce(h).size).toBe(events.length)
      for (const event of (await inbox(h.db, "paypal")).filter((e) => e.type.startsWith("PAYMENT.CAPTURE.")))
        expect(event, event.type).toMatchObject({ state: "processed" })
      expect((await payments(h.db)).map((p) => p.status)).toEqual(["failed", "failed", "succeeded"])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect(h.fake.control.stats()).toMatchObject({ orders: 3, captures: 3 })
      expect(await checkBooks(h.db, "paypal")).toEqual([])
    }),
    60_000
  )

const refund = (kind: StoreKind) =>
  it(
    "partial refund through PayPal: credit note, partially_refunded, one refund at PayPal; its webhook twice changes nothing more",
    withPayPal(kind, async (h) => {
      await h.run(seedRenewal)
      await h.run(savePayPal(h))
      const invoice = await billed(h)
      await collectOnDueDate(h)
      const [payment] = await payments(h.db)
      h.clock.set(onDay(5))

      const request = {
        tenantId,
        invoiceId: invoice.id,
        amount: 500n,
        destination: "original_method",
        reason: "goodwill",
        requestKey: "staff-refund-1",
        actor: { kind: "staff", id: "staff-1" }
      } as const
      const refunded = await h.run(refundInvoice(request))
      expect(refunded).toMatchObject({ status: "partially_refunded", refunded: 500n })
      expect(await h.run(refundInvoice(request))).toEqual(refunded)

      const capture = captureOf(h, payment?.chargeId ?? null)
      expect(capture?.status).toBe("PARTIALLY_REFUNDED")
      expect(capture?.refunds.map((r) => r.amount)).toEqual([{ amount: 500n, currency: "EUR" }])
      expect(h.fake.control.stats()).toMatchObject({ refunds: 1, captures: 1 })

      const expectRows = async () => {
        expect((await invoices(h.db))[0]).toMatchObject({
          status: "partially_refunded",
          paid: 1200n,
          refunded: 500n,
          credited: 500n
        })
        expect(
          (await refunds(h.db)).map((r) => [
            r.amount,
            r.destination,
            r.status,
            r.gatewayRefundId,
            r.paymentId
          ])
        ).toEqual([[500n, "original_method", "succeeded", capture?.refunds[0]?.id, payment?.id]])
        expect((await creditNotes(h.db)).map((note) => [note.invoiceId, note.total])).toEqual([
          [invoice.id, 500n]
        ])
      }
      await expectRows()

      const events = h.fake.control.events()
      expect(events.map((event) => event.event_type)).toContain("PAYMENT.CAPTURE.REFUNDED")
      await h.deliver()
      expect((await h.work()).failures).toEqual([])
      expect(expectKeptOnce(h).size).toBe(events.length)
      // The refund's event was processed (the refund row stays in its final status).
      const refundEvents = (await inbox(h.db, "paypal")).filter((e) => e.type === "PAYMENT.CAPTURE.REFUNDED")
      expect(refundEvents.length).toBeGreaterThan(0)
      for (const event of refundEvents) expect(event, event.type).toMatchObject({ state: "processed" })
      await expectRows()
      expect(h.fake.control.stats()).toMatchObject({ refunds: 1, captures: 1, orders: 1 })
      expect(await checkBooks(h.db, "paypal")).toEqual([])
    }),
    60_000
  )

const timeout = (kind: StoreKind) =>
  it(
    "timeout after the charge: PayPal completes the order, the create and its retry go unanswered; the reconcile job finds it, no second charge",
    withPayPal(
      kind,
      async (h) => {
        await h.run(seedRenewal)
        await h.run(savePayPal(h))
        const invoice = await billed(h)
        const key = collectionKey(invoice.id, 1)
        // The order is made and captured, then no answer; the adapter's retry of the create gets none either.
        h.fake.control.fault("orders.create", { kind: "hang", when: "after" })
        h.fake.control.fault("orders.create", { kind: "hang", when: "before" })
        await collectOnDueDate(h)
        expect(h.fake.control.stats()).toMatchObject({ orders: 1, captures: 1 })
        expect(await payments(h.db)).toEqual([])
        expect((await invoices(h.db))[0]).toMatchObject({ status: "open", paid: 0n })
        expect(await jobs(h.db, "reconcile")).toEqual([
          { kind: "reconcile", state: "pending", dedupeKey: `reconcile:${key}`, lastError: null }
        ])

        // Five minutes later the reconcile job asks PayPal (the create's request id again, no payment source).
        h.clock.set(due + 5 * 60_000)
        expect((await h.work()).failures).toEqual([])
        const [payment, ...more] = await payments(h.db)
        expect(more).toEqual([])
        expect(payment).toMatchObject({ status: "succeeded", amount: 1200n, key })
        expect(captureOf(h, payment?.chargeId ?? null)).toMatchObject({ status: "COMPLETED", invoiceId: key })
        expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
        expect((await jobs(h.db, "reconcile")).map((job) => job.state)).toEqual(["done"])
        // No second charge: still one order and one capture; the webhooks twice change nothing.
        expect(h.fake.control.stats()).toMatchObject({ orders: 1, captures: 1 })
        await h.deliver()
        expect((await h.work()).failures).toEqual([])
        expectKeptOnce(h)
        expect(await payments(h.db)).toHaveLength(1)
        expect(h.fake.control.stats()).toMatchObject({ orders: 1, captures: 1 })
        expect(await checkBooks(h.db, "paypal")).toEqual([])
      },
      { timeoutMs: 2_000 }
    ),
    60_000
  )

describe("PayPal end to end on SQLite", () => {
  renewal("sqlite")
  decline("sqlite")
  timeout("sqlite")
  refund("sqlite")
})

describe.skipIf(mysqlSkipReason !== undefined)("PayPal end to end on MariaDB (the renewal)", () => {
  renewal("mysql")
})
