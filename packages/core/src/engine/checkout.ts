/**
 * On-session payment: the customer pays an open invoice while present (an order at checkout, an invoice
 * from the dashboard, the link of a `payment.action_required` notice), with the method they choose — a
 * saved one, one their browser just created (Stripe `pm_…`), or the gateway's one-off checkout (PayPal
 * `paypal`: the payer approves at PayPal). Account credit is applied first, as in collection.
 *
 * Each attempt has its own key, `checkout:<invoice>:<method>:<n>`, apart from the off-session attempts of
 * collection and dunning: n counts the failed attempts of this method on the invoice. So asking again
 * during an attempt — a reload, a double click, the return from 3-D Secure or from PayPal's approval —
 * continues that attempt (the gateway replays it, or captures the approved order), never charging twice;
 * paying again after a decline is a new attempt. `requires_action` answers with the page the customer
 * goes to (`actionUrl`); the outcome then comes by the gateway's webhook (`processGatewayEvent` knows
 * these keys) or by asking again on return. A pending or unknown outcome gets a `reconcile` job, as in
 * collection.
 */
import { Effect } from "effect"
import type { Ids } from "../ports/ids"
import { type GatewayError, PaymentGateway } from "../ports/payment-gateway"
import { StoreError, type VersionConflict } from "../ports/store/errors"
import { InvalidPaymentMethod } from "../ports/store/payment-methods"
import { Store } from "../ports/store/store"
import { type CollectOutcome, collectInvoice } from "./collection"
import type { InvalidBillingSettings } from "./errors"

export interface OnSessionPaymentRequest {
  readonly tenantId: string
  /** The customer paying: an invoice of another customer is `NotFound`, as if it did not exist. */
  readonly customerId: string
  readonly invoiceId: string
  /** The gateway's method id: saved, just created by the browser, or the gateway's one-off checkout. */
  readonly methodId: string
}

/** A method id that cannot name a gateway method (it must be one token: no spaces or colons). */
const methodIdPattern = /^[A-Za-z0-9_\-.]{1,255}$/

/** The customer pays the invoice on-session; see the module's comment for keys and outcomes. */
export const payOnSession = (
  request: OnSessionPaymentRequest
): Effect.Effect<
  CollectOutcome,
  StoreError | VersionConflict | InvalidBillingSettings | GatewayError | InvalidPaymentMethod,
  Store | Ids | PaymentGateway
> =>
  Effect.gen(function* () {
    const store = yield* Store
    const { tenantId, invoiceId, methodId } = request
    if (!methodIdPattern.test(methodId)) {
      return yield* new InvalidPaymentMethod({ methodId, issue: "not a gateway method id" })
    }
    const invoice = yield* store.invoices.get(tenantId, invoiceId)
    if (invoice.customerId !== request.customerId) return yield* StoreError.notFound("invoice", invoiceId)
    if (invoice.status !== "open") return { _tag: "NotOpen" } as const
    const gateway = yield* PaymentGateway
    const prefix = `checkout:${invoiceId}:${methodId}:`
    const failed = (yield* store.payments.listByInvoice(tenantId, invoiceId)).filter(
      (payment) =>
        payment.status === "failed" &&
        payment.gateway === gateway.name &&
        payment.idempotencyKey.startsWith(prefix)
    ).length
    return yield* collectInvoice({ tenantId, invoiceId, attempt: failed + 1, checkout: { methodId } })
  })
