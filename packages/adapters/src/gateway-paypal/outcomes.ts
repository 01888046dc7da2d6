/**
 * PayPal's states read into our normalized outcomes — shared by the gateway (SDK models, camelCase) and
 * the webhooks (raw JSON, snake_case), which both go through the small views here.
 *
 *   order COMPLETED + capture COMPLETED / PARTIALLY_REFUNDED / REFUNDED -> succeeded
 *   capture PENDING -> pending (status_details.reason)
 *   capture DECLINED / FAILED -> failed (processor response code as the decline code)
 *   order PAYER_ACTION_REQUIRED / CREATED -> requires_action (the payer-action / approve link)
 *   order APPROVED, not captured -> pending (charging again with the same key captures it)
 *   order VOIDED -> canceled
 */
import type { ChargeOutcome, Money, RefundOutcome } from "@ezscale/core"
import { fromPayPalAmount } from "./money"

export interface CaptureView {
  readonly id: string
  readonly status: string
  readonly reason: string | undefined
  readonly amount: Money | undefined
  readonly invoiceId: string | undefined
  readonly customId: string | undefined
  readonly responseCode: string | undefined
}

export interface OrderView {
  readonly id: string
  readonly status: string
  readonly capture: CaptureView | undefined
  readonly links: ReadonlyArray<{ readonly href: string; readonly rel: string }>
  readonly customId: string | undefined
  readonly amount: Money | undefined
}

type Loose = Record<string, unknown> | undefined

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
const record = (value: unknown): Loose =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined

const amountOf = (value: unknown): Money | undefined => {
  const amount = record(value)
  const figure = text(amount?.value)
  if (figure === undefined) return undefined
  return fromPayPalAmount({
    currency_code: text(amount?.currency_code ?? amount?.currencyCode),
    value: figure
  })
}

/** Reads a capture from either the SDK model or webhook JSON. */
export const captureView = (value: unknown): CaptureView | undefined => {
  const capture = record(value)
  const id = text(capture?.id)
  const status = text(capture?.status)
  if (id === undefined || status === undefined) return undefined
  const details = record(capture?.status_details ?? capture?.statusDetails)
  const processor = record(capture?.processor_response ?? capture?.processorResponse)
  return {
    id,
    status,
    reason: text(details?.reason),
    amount: amountOf(capture?.amount),
    invoiceId: text(capture?.invoice_id ?? capture?.invoiceId),
    customId: text(capture?.custom_id ?? capture?.customId),
    responseCode: text(processor?.response_code ?? processor?.responseCode)
  }
}

export const linksOf = (value: unknown): ReadonlyArray<{ href: string; rel: string }> =>
  Array.isArray(value)
    ? value.flatMap((link) => {
        const href = text(record(link)?.href)
        const rel = text(record(link)?.rel)
        return href === undefined || rel === undefined ? [] : [{ href, rel }]
      })
    : []

export const orderView = (value: unknown): OrderView | undefined => {
  const order = record(value)
  const id = text(order?.id)
  const status = text(order?.status)
  if (id === undefined || status === undefined) return undefined
  const units = order?.purchase_units ?? order?.purchaseUnits
  const unit = record(Array.isArray(units) ? units[0] : undefined)
  const captures = record(unit?.payments)?.captures
  return {
    id,
    status,
    capture: captureView(Array.isArray(captures) ? captures[0] : undefined),
    links: linksOf(order?.links),
    customId: text(unit?.custom_id ?? unit?.customId),
    amount: amountOf(unit?.amount)
  }
}

export const captureOutcome = (
  capture: CaptureView,
  idempotencyKey: string,
  requested: Money
): ChargeOutcome => {
  const base = { idempotencyKey, amount: capture.amount ?? requested, chargeId: capture.id }
  switch (capture.status) {
    case "COMPLETED":
    case "PARTIALLY_REFUNDED":
    case "REFUNDED":
      return { ...base, status: "succeeded" }
    case "PENDING":
      return {
        ...base,
        status: "pending",
        ...(capture.reason === undefined ? {} : { reason: capture.reason })
      }
    default:
      return {
        ...base,
        status: "failed",
        reason: `capture ${capture.status.toLowerCase()}`,
        declineCode: capture.responseCode ?? capture.status
      }
  }
}

const actionLink = (order: OrderView) =>
  order.links.find((link) => link.rel === "payer-action")?.href ??
  order.links.find((link) => link.rel === "approve")?.href

/** The outcome an order shows, without acting on it. */
export const orderOutcome = (order: OrderView, idempotencyKey: string, requested: Money): ChargeOutcome => {
  if (order.capture !== undefined) return captureOutcome(order.capture, idempotencyKey, requested)
  const base = { idempotencyKey, amount: order.amount ?? requested }
  switch (order.status) {
    case "PAYER_ACTION_REQUIRED":
    case "CREATED": {
      const url = actionLink(order)
      return {
        ...base,
        status: "requires_action",
        reason: "the payer must approve at PayPal",
        ...(url === undefined ? {} : { actionUrl: url })
      }
    }
    case "APPROVED":
      return { ...base, status: "pending", reason: "approved, not yet captured" }
    case "VOIDED":
      return { ...base, status: "canceled", reason: "order voided" }
    default:
      return { ...base, status: "unknown", reason: `order ${order.status.toLowerCase()} without a capture` }
  }
}

export const refundOutcome = (
  value: unknown,
  chargeId: string,
  requested?: Money
): RefundOutcome | undefined => {
  const refund = record(value)
  const id = text(refund?.id)
  const status = text(refund?.status)
  const amount = amountOf(refund?.amount) ?? requested
  if (id === undefined || status === undefined || amount === undefined) return undefined
  return {
    refundId: id,
    chargeId,
    amount,
    status: status === "COMPLETED" ? "succeeded" : status === "PENDING" ? "pending" : "failed"
  }
}
