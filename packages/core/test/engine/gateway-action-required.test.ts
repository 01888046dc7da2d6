/**
 * A renewal charge that needs the customer (3-D Secure), on the in-memory store and SQLite: the invoice
 * stays open and the customer gets one `payment.action_required` notice with the gateway's link, whether
 * the collection's answer or the gateway's webhooks (twice) say so.
 */
import { describe, expect, it } from "@effect/vitest"
import { actionRequiredKey, collectInvoice, collectionKey, paymentTemplates, placeOrder } from "@ezscale/core"
import { Effect, TestClock } from "effect"
import { seedAccount, staff, stores, tenantId, vps2g } from "./account-fixtures"
import { deliver, notices, now, provideGatewayTest } from "./gateway-fixtures"

describe.each(stores)("requires_action on %s", (_, storeLayer) => {
  const run = provideGatewayTest(storeLayer, { pm_3ds: { kind: "requires_action" } })

  it.effect("the invoice stays open; the customer is told once, with the gateway's link", () =>
    run(
      Effect.gen(function* () {
        const store = yield* seedAccount({}, "pm_3ds")
        yield* TestClock.setTime(now)
        const { invoiceId } = yield* placeOrder({
          tenantId,
          customerId: "cus-1",
          selection: vps2g,
          actor: staff
        })
        const collected = yield* collectInvoice({ tenantId, invoiceId, attempt: 1 })
        expect(collected).toMatchObject({ _tag: "RequiresAction" })
        const key = collectionKey(invoiceId, 1)
        const event = {
          _tag: "ChargeUpdated",
          outcome: {
            status: "requires_action",
            idempotencyKey: key,
            amount: { amount: 1800n, currency: "EUR" }
          },
          invoiceId
        } as const
        expect(yield* deliver("evt_1", event)).toMatchObject({
          _tag: "Collection",
          invoiceId,
          outcome: { _tag: "RequiresAction", actionUrl: expect.stringContaining("3ds") }
        })
        yield* deliver("evt_2", event)
        expect((yield* store.invoices.get(tenantId, invoiceId)).status).toBe("open")
        expect(yield* store.payments.listByInvoice(tenantId, invoiceId)).toEqual([])
        const told = yield* notices([paymentTemplates.actionRequired])
        expect(told.map((job) => [job.dedupeKey, job.payload])).toEqual([
          [
            actionRequiredKey(key),
            {
              template: paymentTemplates.actionRequired,
              audience: "customer",
              invoiceId,
              customerId: "cus-1",
              actionUrl: collected._tag === "RequiresAction" ? collected.actionUrl : undefined
            }
          ]
        ])
        for (const id of ["evt_1", "evt_2"]) {
          expect((yield* store.webhookInbox.get(tenantId, "fake", id)).state).toBe("processed")
        }
      })
    )
  )
})
