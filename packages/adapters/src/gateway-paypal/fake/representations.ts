/**
 * How the fake's records look on the wire: PayPal's JSON for refunds, captures, orders, vault tokens and
 * disputes, with HATEOAS links under the fake's own URL.
 */
import {
  amountJson,
  type CaptureRecord,
  type DisputeRecord,
  type Link,
  type OrderRecord,
  type PaymentTokenRecord,
  type RefundRecord,
  type SetupTokenRecord
} from "./state"

export const makeRepresentations = (
  url: string,
  captureById: (captureId: string) => CaptureRecord | undefined
) => {
  const link = (href: string, rel: string, method = "GET"): Link => ({ href: `${url}${href}`, rel, method })

  const refundJson = (refund: RefundRecord) => ({
    id: refund.id,
    status: "COMPLETED",
    amount: amountJson(refund.amount),
    ...(refund.invoiceId === undefined ? {} : { invoice_id: refund.invoiceId }),
    create_time: refund.createdAt,
    update_time: refund.createdAt,
    links: [
      link(`/v2/payments/refunds/${refund.id}`, "self"),
      link(`/v2/payments/captures/${refund.captureId}`, "up")
    ]
  })

  const captureJson = (capture: CaptureRecord) => ({
    id: capture.id,
    status: capture.status,
    ...(capture.pendingReason === undefined ? {} : { status_details: { reason: capture.pendingReason } }),
    amount: amountJson(capture.amount),
    final_capture: true,
    ...(capture.invoiceId === undefined ? {} : { invoice_id: capture.invoiceId }),
    ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
    ...(capture.responseCode === undefined
      ? {}
      : { processor_response: { response_code: capture.responseCode } }),
    create_time: capture.createdAt,
    update_time: capture.updatedAt,
    links: [
      link(`/v2/payments/captures/${capture.id}`, "self"),
      link(`/v2/payments/captures/${capture.id}/refund`, "refund", "POST"),
      link(`/v2/checkout/orders/${capture.orderId}`, "up")
    ]
  })

  const orderJson = (order: OrderRecord) => {
    const links: Array<Link> = [link(`/v2/checkout/orders/${order.id}`, "self")]
    if (order.status === "CREATED") links.push(link(`/checkoutnow?token=${order.id}`, "approve"))
    if (order.status === "PAYER_ACTION_REQUIRED")
      links.push(link(`/checkoutnow?token=${order.id}`, "payer-action"))
    if (order.status === "APPROVED")
      links.push(link(`/v2/checkout/orders/${order.id}/capture`, "capture", "POST"))
    return {
      id: order.id,
      intent: "CAPTURE",
      status: order.status,
      payment_source: {
        paypal: {
          email_address: order.payerEmail,
          ...(order.vaultId === undefined
            ? {}
            : { attributes: { vault: { id: order.vaultId, status: "VAULTED" } } })
        }
      },
      purchase_units: [
        {
          reference_id: order.referenceId,
          amount: amountJson(order.amount),
          ...(order.invoiceId === undefined ? {} : { invoice_id: order.invoiceId }),
          ...(order.customId === undefined ? {} : { custom_id: order.customId }),
          ...(order.description === undefined ? {} : { description: order.description }),
          ...(order.capture === undefined ? {} : { payments: { captures: [captureJson(order.capture)] } })
        }
      ],
      create_time: order.createdAt,
      update_time: order.updatedAt,
      links
    }
  }

  const setupTokenJson = (setup: SetupTokenRecord) => ({
    id: setup.id,
    customer: { id: setup.customerId },
    status: setup.status,
    payment_source: { paypal: {} },
    links:
      setup.status === "PAYER_ACTION_REQUIRED"
        ? [
            link(`/agreements/approve?approval_session_id=${setup.id}`, "approve"),
            link(`/v3/vault/setup-tokens/${setup.id}`, "self")
          ]
        : [link(`/v3/vault/setup-tokens/${setup.id}`, "self")]
  })

  const paymentTokenJson = (token: PaymentTokenRecord) => ({
    id: token.id,
    ...(token.customerId === undefined ? {} : { customer: { id: token.customerId } }),
    payment_source: { paypal: { email_address: token.email } },
    links: [link(`/v3/vault/payment-tokens/${token.id}`, "self")]
  })

  const disputeJson = (dispute: DisputeRecord) => {
    const capture = captureById(dispute.captureId)
    return {
      dispute_id: dispute.id,
      create_time: dispute.createdAt,
      update_time: dispute.updatedAt,
      disputed_transactions: [
        {
          seller_transaction_id: dispute.captureId,
          ...(capture?.invoiceId === undefined ? {} : { invoice_number: capture.invoiceId }),
          ...(capture?.customId === undefined ? {} : { custom: capture.customId })
        }
      ],
      reason: dispute.reason,
      status: dispute.status,
      dispute_amount: amountJson(dispute.amount),
      ...(dispute.outcome === undefined ? {} : { dispute_outcome: { outcome_code: dispute.outcome } }),
      dispute_life_cycle_stage: "CHARGEBACK",
      dispute_channel: "INTERNAL"
    }
  }

  return { link, refundJson, captureJson, orderJson, setupTokenJson, paymentTokenJson, disputeJson }
}
