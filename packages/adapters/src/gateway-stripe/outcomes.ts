/**
 * Stripe's objects read into the port's normalized shapes, shared by the gateway (answers) and the
 * webhooks (events). A PaymentIntent is "the charge": its id is our `chargeId` (refunds, disputes and
 * events all name it), its metadata carries our invoice id and idempotency key.
 */
import type { ChargeOutcome, ChargeStatus, PaymentMethod, RefundOutcome } from "@ezscale/core"
import type Stripe from "stripe"
import { fromStripeAmount } from "./amounts"

export const metadataKeys = {
  tenantId: "ezscale_tenant_id",
  customerId: "ezscale_customer_id",
  invoiceId: "ezscale_invoice_id",
  idempotencyKey: "ezscale_idempotency_key"
} as const

const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === "" ? undefined : value

const idOf = (value: string | { readonly id: string } | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === "string" ? value : value.id

/** Decline codes that mean "the customer must authenticate on-session", not "the card was refused". */
const authenticationCodes = new Set(["authentication_required"])

const statusOf = (intent: Stripe.PaymentIntent): ChargeStatus => {
  switch (intent.status) {
    case "succeeded":
      return "succeeded"
    case "processing":
    case "requires_capture":
    case "requires_confirmation":
      return "pending"
    case "requires_action":
      return "requires_action"
    case "canceled":
      return "canceled"
    case "requires_payment_method": {
      const code = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code
      return code !== undefined && authenticationCodes.has(code) ? "requires_action" : "failed"
    }
    default:
      return "unknown"
  }
}

/** The PaymentIntent as a charge outcome; none when its currency is one the engine does not know. */
export const outcomeOfIntent = (
  intent: Stripe.PaymentIntent,
  fallbackKey?: string
): ChargeOutcome | undefined => {
  const amount = fromStripeAmount(intent.amount, intent.currency)
  const idempotencyKey = intent.metadata?.[metadataKeys.idempotencyKey] ?? fallbackKey
  if (amount === undefined || idempotencyKey === undefined) return undefined
  const status = statusOf(intent)
  const error = intent.last_payment_error
  const declineCode =
    status === "failed" || status === "requires_action" ? text(error?.decline_code ?? error?.code) : undefined
  const reason =
    status === "canceled"
      ? (text(intent.cancellation_reason) ?? "canceled")
      : status === "failed" || status === "requires_action"
        ? text(error?.message)
        : undefined
  const actionUrl = text(intent.next_action?.redirect_to_url?.url)
  return {
    status,
    idempotencyKey,
    amount,
    chargeId: intent.id,
    ...(reason === undefined ? {} : { reason }),
    ...(declineCode === undefined ? {} : { declineCode }),
    ...(status === "requires_action" && actionUrl !== undefined ? { actionUrl } : {})
  }
}

export const invoiceIdOf = (object: { readonly metadata?: Stripe.Metadata | null }): string | undefined =>
  text(object.metadata?.[metadataKeys.invoiceId])

const refundStatus = (status: string | null): RefundOutcome["status"] =>
  status === "succeeded" ? "succeeded" : status === "failed" || status === "canceled" ? "failed" : "pending"

export const outcomeOfRefund = (refund: Stripe.Refund): RefundOutcome | undefined => {
  const amount = fromStripeAmount(refund.amount, refund.currency)
  const chargeId = idOf(refund.payment_intent) ?? idOf(refund.charge)
  if (amount === undefined || chargeId === undefined) return undefined
  return { refundId: refund.id, chargeId, status: refundStatus(refund.status), amount }
}

const brandNames: Record<string, string> = {
  amex: "American Express",
  diners: "Diners Club",
  discover: "Discover",
  jcb: "JCB",
  mastercard: "Mastercard",
  unionpay: "UnionPay",
  visa: "Visa"
}

export const methodOf = (method: Stripe.PaymentMethod): PaymentMethod => {
  const card = method.card
  if (method.type === "card" && card !== undefined && card !== null) {
    return {
      id: method.id,
      kind: "card",
      label: `${brandNames[card.brand] ?? card.brand} •••• ${card.last4}`,
      expiresAt: { month: card.exp_month, year: card.exp_year }
    }
  }
  const kind =
    method.type === "us_bank_account" || method.type === "sepa_debit"
      ? "bank_account"
      : method.type === "paypal"
        ? "paypal"
        : "other"
  return { id: method.id, kind, label: method.type }
}
