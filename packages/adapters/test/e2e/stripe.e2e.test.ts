/**
 * End to end on Stripe (issue 5): the engine on a real store, the Stripe adapter on the official SDK
 * against the local Stripe fake, webhooks signed by the fake and taken by a local HTTP endpoint (verify,
 * then `receiveWebhook`), every job run by the engine's worker. Each test reads the outcome from the
 * fake's own records (intents, charges, refunds) and from the store's rows, and checks the books
 * (`checkBooks`) and that every answer the fake gave matches Stripe's OpenAPI document.
 *
 * - renewal: card saved with a SetupIntent -> billing run -> collect -> charged once -> the webhooks
 *   delivered twice, newest first, plus a stale `processing` after `succeeded` -> paid once;
 * - decline: declined on the due date and on retry day 1 (dunning), the customer saves a new card, the
 *   retry of day 3 pays -> one successful charge, the declined attempts recorded;
 * - timeout after the charge: the collect job gets no answer, a reconcile job finds the charge -> paid,
 *   no second charge;
 * - partial refund through the gateway, then part to account credit -> credit notes, ledger entry,
 *   `partially_refunded`, one refund at Stripe; the refund webhooks (twice) change nothing more.
 */
import { collectionKey, refundInvoice, Store } from "@ezscale/core"
import { Effect } from "effect"
import { beforeAll, describe, expect, inject, it } from "vitest"
import { mysqlSkipReason } from "../mysql-database"
import { loadStripeSpec, type StripeSpec } from "../stripe-openapi"
import {
  checkBooks,
  creditNotes,
  inbox,
  invoices,
  jobs,
  ledger,
  notices,
  payments,
  refunds
} from "./support/books"
import { billed, collectOnDueDate, dunningOn, expectKeptOnce } from "./support/flow"
import { due, onDay, type StoreKind, seedRenewal, tenantId } from "./support/harness"
import { intentsFor, type StripeHarness, saveCard, startStripeHarness } from "./support/stripe"

let spec: StripeSpec
beforeAll(async () => {
  spec = await loadStripeSpec()
}, 120_000)

/** Runs a test on a fresh harness; afterwards every answer the fake gave must match the document. */
const withStripe = (kind: StoreKind, test: (h: StripeHarness) => Promise<void>) => async () => {
  const h = await startStripeHarness(kind, inject("mysqlUrl"))
  try {
    await test(h)
    expect(h.rejections).toEqual([])
    expect(spec.violations(h.responses())).toEqual([])
  } finally {
    await h.close()
  }
}

const renewal = (kind: StoreKind) =>
  it(
    "renewal: a saved card is charged once by the billing run's collect job; webhooks twice and out of order pay the invoice once",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      const { method, saved, setupId, gatewayCustomerId } = await h.run(saveCard(h, "pm_card_visa"))
      expect(h.fake.state.setupIntents.get(setupId ?? "")).toMatchObject({
        status: "succeeded",
        usage: "off_session",
        payment_method: method.id
      })
      expect(saved).toMatchObject({ gateway: "stripe", gatewayMethodId: method.id, isDefault: true })
      expect(saved.label).toBe("Visa •••• 4242")

      const invoice = await billed(h)
      expect(h.fake.paymentIntents()).toEqual([]) // nothing charged before the due date
      await collectOnDueDate(h)

      // Charged once, off-session, with the deterministic key, for the invoice's total.
      const key = collectionKey(invoice.id, 1)
      const [intent, ...more] = h.fake.paymentIntents()
      expect(more).toEqual([])
      expect(intent).toMatchObject({
        status: "succeeded",
        amount: 1200,
        currency: "eur",
        customer: gatewayCustomerId,
        payment_method: method.id,
        metadata: {
          ezscale_idempotency_key: key,
          ezscale_invoice_id: invoice.id,
          ezscale_tenant_id: tenantId
        }
      })
      expect(h.fake.succeededCharges()).toHaveLength(1)
      expect((await payments(h.db)).map((p) => [p.status, p.amount, p.key, p.chargeId])).toEqual([
        ["succeeded", 1200n, key, intent?.id]
      ])

      // The webhooks: all of them newest first (succeeded before created), then again with a stale
      // `processing` of the same intent arriving after the `succeeded` was processed.
      const events = h.fake.pendingEvents()
      const succeeded = events.find((event) => event.type === "payment_intent.succeeded")
      expect(succeeded).toBeDefined()
      const first = await h.fake.deliverWebhooks({ order: "reverse" })
      expect(first.map((delivery) => delivery.status)).toEqual(events.map(() => 200))
      expect((await h.work()).failures).toEqual([])
      const stale = structuredClone(succeeded) as Record<string, unknown> & {
        data: { object: Record<string, unknown> }
      }
      stale.id = "evt_e2e_stale_processing"
      stale.type = "payment_intent.processing"
      stale.data.object.status = "processing"
      const again = await h.fake.deliverWebhooks({ events: [...events, stale], order: "reverse", times: 2 })
      expect(again.every((delivery) => delivery.status === 200)).toBe(true)
      expect((await h.work()).failures).toEqual([])

      // Paid once, by one payment; each event kept once and its job done; the charge events processed.
      const seen = expectKeptOnce(h)
      expect(h.receipts).toHaveLength(events.length * 3 + 2)
      expect(seen.size).toBe(events.length + 1)
      const [paid] = await invoices(h.db)
      expect(paid).toMatchObject({ status: "paid", paid: 1200n, creditApplied: 0n })
      expect(await payments(h.db)).toHaveLength(1)
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect(h.fake.succeededCharges()).toHaveLength(1)
      const kept = await inbox(h.db, "stripe")
      expect(kept.map((event) => event.eventId).sort()).toEqual([...seen].sort())
      for (const event of kept.filter(
        (e) => e.type.startsWith("payment_intent.") && e.type !== "payment_intent.created"
      ))
        expect(event, event.type).toMatchObject({ state: "processed" })
      expect(kept.find((event) => event.eventId === "evt_e2e_stale_processing")?.state).toBe("processed")
      expect((await jobs(h.db, "gateway_event")).filter((job) => job.state !== "done")).toEqual([])
      const subscription = await h.run(
        Effect.flatMap(Store, (store) => store.subscriptions.get(tenantId, "sub-1"))
      )
      expect(subscription.value.currentPeriod).toEqual({
        start: { year: 2026, month: 3, day: 15 },
        end: { year: 2026, month: 4, day: 15 }
      })
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

const decline = (kind: StoreKind) =>
  it(
    "decline: declined on the due date and on the first dunning retry, paid by the retry of day 3 with the card the customer saved meanwhile",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      // A card that saves fine (the customer's SetupIntent succeeds) and is declined when charged.
      const declining = await h.run(saveCard(h, "pm_card_chargeCustomerFail"))
      const invoice = await billed(h)
      const key = (attempt: number) => collectionKey(invoice.id, attempt)

      await collectOnDueDate(h)
      await dunningOn(h, 0)
      await dunningOn(h, 1)
      expect(intentsFor(h.fake, key(1))).toHaveLength(1)
      expect(intentsFor(h.fake, key(2))).toHaveLength(1)
      expect((await invoices(h.db))[0]).toMatchObject({ status: "open", paid: 0n })

      // Day 2: the customer saves a working card (SetupIntent), the new default; day 3's retry pays.
      h.clock.set(onDay(2))
      const working = await h.run(saveCard(h, "pm_card_visa"))
      await dunningOn(h, 3)

      // At Stripe: three intents, one per attempt key, the first two declined.
      const attempts = [1, 2, 3].map((n) => intentsFor(h.fake, key(n)))
      expect(attempts.map((found) => found.length)).toEqual([1, 1, 1])
      const [one, two, three] = attempts.map((found) => found[0] as Record<string, unknown>)
      for (const declined of [one, two]) {
        expect(declined).toMatchObject({
          status: "requires_payment_method",
          payment_method: declining.method.id,
          last_payment_error: { code: "card_declined", decline_code: "generic_decline" }
        })
      }
      expect(three).toMatchObject({ status: "succeeded", amount: 1200, payment_method: working.method.id })
      expect(h.fake.paymentIntents()).toHaveLength(3)
      expect(h.fake.succeededCharges()).toHaveLength(1)

      // In the store: the declined attempts recorded (failed, their intents, why), then the payment.
      const declinedWhy = ["Your card was declined.", "generic_decline"]
      expect(
        (await payments(h.db)).map((p) => [
          p.status,
          p.amount,
          p.key,
          p.chargeId,
          p.failureReason,
          p.declineCode
        ])
      ).toEqual([
        ["failed", 1200n, key(1), one?.id, ...declinedWhy],
        ["failed", 1200n, key(2), two?.id, ...declinedWhy],
        ["succeeded", 1200n, key(3), three?.id, null, null]
      ])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect((await jobs(h.db, "dunning_retry")).map((job) => [job.dedupeKey, job.state])).toEqual([
        [`${invoice.id}:retry:2`, "done"],
        [`${invoice.id}:retry:3`, "done"]
      ])

      // Every event twice, newest first (the succeeded intent before the failed ones): nothing changes.
      const events = h.fake.pendingEvents()
      expect(events.filter((event) => event.type === "payment_intent.payment_failed")).toHaveLength(2)
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      expect(expectKeptOnce(h).size).toBe(events.length)
      const kept = await inbox(h.db, "stripe")
      expect(kept).toHaveLength(events.length)
      for (const event of kept.filter((e) => /^payment_intent\.(succeeded|payment_failed)$/.test(e.type)))
        expect(event, event.type).toMatchObject({ state: "processed" })
      expect((await payments(h.db)).map((p) => p.status)).toEqual(["failed", "failed", "succeeded"])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect(h.fake.paymentIntents()).toHaveLength(3)
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

const timeout = (kind: StoreKind) =>
  it(
    "timeout after the charge: the collect job gets no answer, the reconcile job finds the charge, no second charge",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      await h.run(saveCard(h, "pm_card_visa"))
      const invoice = await billed(h)
      const key = collectionKey(invoice.id, 1)

      // Stripe charges the card, then the answer never comes (the SDK gives up after its timeout).
      h.fake.failNext({ kind: "hang", performed: true, operationId: "PostPaymentIntents" })
      await collectOnDueDate(h)
      expect(intentsFor(h.fake, key).map((intent) => intent.status)).toEqual(["succeeded"])
      expect(await payments(h.db)).toEqual([])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "open", paid: 0n })
      expect(await jobs(h.db, "reconcile")).toEqual([
        { kind: "reconcile", state: "pending", dedupeKey: `reconcile:${key}`, lastError: null }
      ])

      // Five minutes later the reconcile job asks Stripe (by the key in the intent's metadata).
      h.clock.set(due + 5 * 60_000)
      expect((await h.work()).failures).toEqual([])
      const [intent] = intentsFor(h.fake, key)
      expect((await payments(h.db)).map((p) => [p.status, p.amount, p.key, p.chargeId])).toEqual([
        ["succeeded", 1200n, key, intent?.id]
      ])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect((await jobs(h.db, "reconcile")).map((job) => job.state)).toEqual(["done"])
      expect((await jobs(h.db, "collect")).map((job) => job.state)).toEqual(["done"])

      // No second charge: one intent, one successful charge; the webhooks (twice) change nothing.
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      expectKeptOnce(h)
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect(h.fake.succeededCharges()).toHaveLength(1)
      expect(await payments(h.db)).toHaveLength(1)
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

const refund = (kind: StoreKind) =>
  it(
    "partial refund through Stripe, then part to account credit: credit notes, ledger entry, partially_refunded, one refund at Stripe; the refund webhooks change nothing more",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      await h.run(saveCard(h, "pm_card_visa"))
      const invoice = await billed(h)
      await collectOnDueDate(h)
      const [payment] = await payments(h.db)
      expect(payment).toMatchObject({ status: "succeeded", amount: 1200n })
      h.clock.set(onDay(5))

      const request = {
        tenantId,
        invoiceId: invoice.id,
        amount: 500n,
        destination: "original_method",
        reason: "requested_by_customer",
        requestKey: "staff-refund-1",
        actor: { kind: "staff", id: "staff-1" }
      } as const
      const refunded = await h.run(refundInvoice(request))
      expect(refunded).toMatchObject({ status: "partially_refunded", refunded: 500n })
      // The same staff action again (a double click, a retry): the first refund, nothing new.
      expect(await h.run(refundInvoice(request))).toEqual(refunded)

      const atStripe = [...h.fake.state.refunds.values()]
      expect(atStripe).toHaveLength(1)
      expect(atStripe[0]).toMatchObject({
        amount: 500,
        currency: "eur",
        status: "succeeded",
        payment_intent: payment?.chargeId,
        metadata: { ezscale_idempotency_key: `refund:${invoice.id}:staff-refund-1` }
      })

      // Part of the rest to the customer's account credit: a ledger entry, no gateway call.
      const toCredit = await h.run(
        refundInvoice({
          ...request,
          amount: 200n,
          destination: "account_credit",
          requestKey: "staff-refund-2"
        })
      )
      expect(toCredit).toMatchObject({ status: "partially_refunded", refunded: 700n })
      expect(h.fake.state.refunds.size).toBe(1)

      const expectRows = async () => {
        expect((await invoices(h.db))[0]).toMatchObject({
          status: "partially_refunded",
          paid: 1200n,
          refunded: 700n,
          credited: 700n
        })
        expect(
          (await refunds(h.db)).map((r) => [
            r.amount,
            r.destination,
            r.status,
            r.gatewayRefundId,
            r.paymentId
          ])
        ).toEqual([
          [500n, "original_method", "succeeded", atStripe[0]?.id, payment?.id],
          [200n, "account_credit", "succeeded", null, payment?.id]
        ])
        expect((await creditNotes(h.db)).map((note) => [note.invoiceId, note.total])).toEqual([
          [invoice.id, 500n],
          [invoice.id, 200n]
        ])
        expect(await ledger(h.db)).toEqual([{ kind: "refund_to_credit", amount: 200n, balanceAfter: 200n }])
      }
      await expectRows()

      // The webhooks (charge.refunded, refund.created...) twice, newest first: nothing more happens.
      const events = h.fake.pendingEvents()
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining(["charge.refunded", "refund.created"])
      )
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      expect(expectKeptOnce(h).size).toBe(events.length)
      const kept = await inbox(h.db, "stripe")
      expect(kept).toHaveLength(events.length)
      // The refund's events were processed (the refund row stays in its final status).
      const refundEvents = kept.filter((event) => /^(charge\.refunded|refund\.)/.test(event.type))
      expect(refundEvents.length).toBeGreaterThan(0)
      for (const event of refundEvents) expect(event, event.type).toMatchObject({ state: "processed" })
      await expectRows()
      expect(h.fake.state.refunds.size).toBe(1)
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

const webhookFirst = (kind: StoreKind) =>
  it(
    "timeout after the charge, then the webhook comes before the reconcile job: the gateway_event job records it, reconcile finds it recorded",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      await h.run(saveCard(h, "pm_card_visa"))
      const invoice = await billed(h)
      const key = collectionKey(invoice.id, 1)
      h.fake.failNext({ kind: "hang", performed: true, operationId: "PostPaymentIntents" })
      await collectOnDueDate(h)
      expect(await payments(h.db)).toEqual([])

      // A minute later (before the reconcile job is due) Stripe's webhooks arrive, twice, newest first.
      h.clock.set(due + 60_000)
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      const [intent] = intentsFor(h.fake, key)
      expect((await payments(h.db)).map((p) => [p.status, p.key, p.chargeId])).toEqual([
        ["succeeded", key, intent?.id]
      ])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect((await jobs(h.db, "reconcile")).map((job) => job.state)).toEqual(["pending"])

      // The reconcile job runs on time and finds the attempt recorded: nothing more.
      h.clock.set(due + 5 * 60_000)
      expect((await h.work()).failures).toEqual([])
      expect((await jobs(h.db, "reconcile")).map((job) => job.state)).toEqual(["done"])
      expect(await payments(h.db)).toHaveLength(1)
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect(h.fake.succeededCharges()).toHaveLength(1)
      expectKeptOnce(h)
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

/**
 * A declined attempt keeps why: the payment row of the attempt holds the gateway's reason and the bank's
 * decline code (here insufficient funds), and the dunning notices that follow carry them.
 */
const declineReasonRecorded = (kind: StoreKind) =>
  it(
    "a declined attempt is recorded with its reason and decline code (insufficient_funds); the dunning notice carries them",
    withStripe(kind, async (h) => {
      await h.run(seedRenewal)
      await h.run(saveCard(h, "pm_card_chargeDeclinedInsufficientFunds", "attach"))
      const invoice = await billed(h)
      await collectOnDueDate(h)
      const [intent] = intentsFor(h.fake, collectionKey(invoice.id, 1))
      expect(intent).toMatchObject({ last_payment_error: { decline_code: "insufficient_funds" } })
      const [attempt] = await payments(h.db)
      expect(attempt).toMatchObject({
        status: "failed",
        key: collectionKey(invoice.id, 1),
        failureReason: "Your card has insufficient funds.",
        declineCode: "insufficient_funds"
      })
      // The dunning run's notices (reminders...) say why the last attempt failed.
      await dunningOn(h, 0)
      await dunningOn(h, 1)
      const dunningNotices = (await notices(h.db)).filter((notice) =>
        String(notice.template).startsWith("dunning.")
      )
      expect(dunningNotices.length).toBeGreaterThan(0)
      for (const notice of dunningNotices) {
        expect(notice).toMatchObject({
          invoiceId: invoice.id,
          failureReason: "Your card has insufficient funds.",
          declineCode: "insufficient_funds"
        })
      }
    }),
    60_000
  )

describe("Stripe end to end on SQLite", () => {
  renewal("sqlite")
  decline("sqlite")
  timeout("sqlite")
  webhookFirst("sqlite")
  refund("sqlite")
  declineReasonRecorded("sqlite")
})

describe.skipIf(mysqlSkipReason !== undefined)("Stripe end to end on MariaDB (the renewal)", () => {
  renewal("mysql")
})
