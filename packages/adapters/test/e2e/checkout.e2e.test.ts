/**
 * On-session payment end to end on Stripe (issue 5: "on-session payments for orders"): the customer pays
 * an open invoice while present, through `payOnSession`, with the real adapter against the Stripe fake.
 *
 * - 3-D Secure: the charge asks for authentication (the invoice stays open, the customer gets the page);
 *   asking again continues the same PaymentIntent; the customer authenticates at the fake's page; the
 *   webhook (twice, out of order) records the payment under the checkout key -> paid once, one charge;
 * - a decline, then another card: two attempts under their own keys, the decline recorded, one charge;
 * - another customer's invoice is not found, and a method id that is not one is refused before any call;
 * - PayPal one-off checkout: the approval link, the payer approves at PayPal, asking again captures the
 *   approved order once; the webhooks change nothing more.
 */
import { checkoutKey, collectionKey, payOnSession, StoreError } from "@ezscale/core"
import { Effect } from "effect"
import { beforeAll, describe, expect, inject, it } from "vitest"
import { loadStripeSpec, type StripeSpec } from "../stripe-openapi"
import { checkBooks, invoices, jobs, payments } from "./support/books"
import { billed, collectOnDueDate, expectKeptOnce } from "./support/flow"
import { customerId, onDay, seedRenewal, tenantId } from "./support/harness"
import { startPayPalHarness } from "./support/paypal"
import { intentsFor, type StripeHarness, startStripeHarness } from "./support/stripe"

let spec: StripeSpec
beforeAll(async () => {
  spec = await loadStripeSpec()
}, 120_000)

const withStripe = (test: (h: StripeHarness) => Promise<void>) => async () => {
  const h = await startStripeHarness("sqlite", inject("mysqlUrl"))
  try {
    await test(h)
    expect(h.rejections).toEqual([])
    expect(spec.violations(h.responses())).toEqual([])
  } finally {
    await h.close()
  }
}

const pay = (invoiceId: string, methodId: string, customer = customerId) =>
  payOnSession({ tenantId, customerId: customer, invoiceId, methodId })

describe("Stripe on-session payment end to end on SQLite", () => {
  it(
    "3-D Secure: the customer authenticates, the webhook records the payment once, the due date charges nothing",
    withStripe(async (h) => {
      await h.run(seedRenewal)
      const invoice = await billed(h)
      h.clock.set(onDay(-3))
      const card = "pm_card_threeDSecure2Required"
      const key = checkoutKey(invoice.id, card, 1)

      const first = await h.run(pay(invoice.id, card))
      expect(first).toMatchObject({ _tag: "RequiresAction" })
      const actionUrl = first._tag === "RequiresAction" ? first.actionUrl : undefined
      expect(actionUrl).toContain("/fake/3ds/")
      // a reload asks again: the same attempt, the same PaymentIntent
      expect(await h.run(pay(invoice.id, card))).toEqual(first)
      const [intent, ...more] = intentsFor(h.fake, key)
      expect(more).toEqual([])
      expect(intent).toMatchObject({ status: "requires_action", amount: 1200, currency: "eur" })
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect(await payments(h.db)).toEqual([])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "open", paid: 0n })

      // the customer authenticates at the page the charge pointed to; Stripe's webhooks follow
      const page = await fetch(`${actionUrl}?outcome=succeed`, { method: "POST", redirect: "manual" })
      expect(page.status).toBeLessThan(400)
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      expectKeptOnce(h)
      expect((await payments(h.db)).map((p) => [p.status, p.amount, p.key, p.chargeId])).toEqual([
        ["succeeded", 1200n, key, intent?.id]
      ])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect(h.fake.succeededCharges()).toHaveLength(1)

      // back from the page: asking again finds the invoice paid; the due date's collect job charges nothing
      expect(await h.run(pay(invoice.id, card))).toEqual({ _tag: "NotOpen" })
      await collectOnDueDate(h)
      expect(intentsFor(h.fake, collectionKey(invoice.id, 1))).toEqual([])
      expect(h.fake.paymentIntents()).toHaveLength(1)
      expect((await jobs(h.db, "collect")).map((job) => job.state)).toEqual(["done"])
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

  it(
    "a declined card, then another: each attempt under its own key, the decline recorded, one charge",
    withStripe(async (h) => {
      await h.run(seedRenewal)
      const invoice = await billed(h)
      h.clock.set(onDay(-2))
      const declining = "pm_card_chargeDeclinedInsufficientFunds"
      expect(await h.run(pay(invoice.id, declining))).toMatchObject({ _tag: "Failed" })
      // trying the same card again is a new attempt (the first one failed for good)
      expect(await h.run(pay(invoice.id, declining))).toMatchObject({ _tag: "Failed" })
      expect(await h.run(pay(invoice.id, "pm_card_visa"))).toMatchObject({ _tag: "Paid", by: "payment" })
      expect((await payments(h.db)).map((p) => [p.status, p.key])).toEqual([
        ["failed", checkoutKey(invoice.id, declining, 1)],
        ["failed", checkoutKey(invoice.id, declining, 2)],
        ["succeeded", checkoutKey(invoice.id, "pm_card_visa", 1)]
      ])
      expect(h.fake.succeededCharges()).toHaveLength(1)
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      // the webhooks of all three attempts change nothing more
      await h.fake.deliverWebhooks({ order: "reverse", times: 2 })
      expect((await h.work()).failures).toEqual([])
      expect(await payments(h.db)).toHaveLength(3)
      expect(await checkBooks(h.db, "stripe")).toEqual([])
    }),
    60_000
  )

  it(
    "another customer's invoice is not found and a method id that is not one is refused, before any call",
    withStripe(async (h) => {
      await h.run(seedRenewal)
      const invoice = await billed(h)
      const stranger = await h.run(Effect.flip(pay(invoice.id, "pm_card_visa", "cus-other")))
      expect(stranger).toBeInstanceOf(StoreError)
      expect(stranger).toMatchObject({ reason: "NotFound" })
      const bad = await h.run(Effect.flip(pay(invoice.id, "pm card:visa")))
      expect(bad).toMatchObject({ _tag: "InvalidPaymentMethod" })
      expect(h.fake.paymentIntents()).toEqual([])
      expect((await invoices(h.db))[0]).toMatchObject({ status: "open" })
    }),
    60_000
  )
})

describe("PayPal on-session payment end to end on SQLite", () => {
  it("one-off checkout: approval link, the payer approves, asking again captures once", async () => {
    const h = await startPayPalHarness("sqlite", inject("mysqlUrl"))
    try {
      await h.run(seedRenewal)
      const invoice = await billed(h)
      h.clock.set(onDay(-3))
      const key = checkoutKey(invoice.id, "paypal", 1)
      const first = await h.run(pay(invoice.id, "paypal"))
      expect(first).toMatchObject({ _tag: "RequiresAction" })
      const link = new URL(first._tag === "RequiresAction" ? (first.actionUrl ?? "") : "")
      const orderId = link.searchParams.get("token") ?? ""
      expect(orderId).not.toBe("")
      // before approval, asking again captures nothing: the same order waits for the payer
      expect(await h.run(pay(invoice.id, "paypal"))).toMatchObject({ _tag: "RequiresAction" })
      expect(await payments(h.db)).toEqual([])

      h.fake.control.approveOrder(orderId)
      expect(await h.run(pay(invoice.id, "paypal"))).toMatchObject({ _tag: "Paid", by: "payment" })
      const recorded = await payments(h.db)
      expect(recorded.map((p) => [p.status, p.amount, p.key])).toEqual([["succeeded", 1200n, key]])
      expect(h.fake.control.capture(recorded[0]?.chargeId ?? "")).toMatchObject({ status: "COMPLETED" })
      expect(await h.run(pay(invoice.id, "paypal"))).toEqual({ _tag: "NotOpen" })

      await h.deliver()
      expect((await h.work()).failures).toEqual([])
      expect(await payments(h.db)).toHaveLength(1)
      expect((await invoices(h.db))[0]).toMatchObject({ status: "paid", paid: 1200n })
      expect(await checkBooks(h.db, "paypal")).toEqual([])
      expect(h.rejections).toEqual([])
      expect(await h.violations()).toEqual([])
    } finally {
      await h.close()
    }
  }, 60_000)
})
