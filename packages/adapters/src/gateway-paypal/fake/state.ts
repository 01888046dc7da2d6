/**
 * The fake's records (orders with their captures and refunds, vault setup and payment tokens, disputes),
 * how charges with a token are scripted, and PayPal's errors: thrown as `PayPalFailure` (status + PayPal's
 * error body, with the descriptions the OpenAPI documents pin) and rendered by the server. Money is
 * compared exactly in minor units.
 */
import { randomBytes } from "node:crypto"
import type { Money } from "@ezscale/core"
import { fromPayPalAmount, type PayPalAmount, toPayPalValue } from "../money"

/** How a merchant-initiated charge with a vault token goes. */
export type ChargeScript =
  /** The order comes back COMPLETED from create, with a COMPLETED capture. */
  | { readonly kind: "complete" }
  /** The order comes back APPROVED from create; the merchant captures it. */
  | { readonly kind: "needs_capture" }
  /** COMPLETED order, capture PENDING (e.g. `PENDING_REVIEW`) until settled by a control call. */
  | { readonly kind: "pending"; readonly reason?: string }
  /** COMPLETED order whose capture is DECLINED by the processor (response code, e.g. "5120" = NSF). */
  | { readonly kind: "capture_declined"; readonly responseCode?: string }
  /** The create call fails 422 with this issue (INSTRUMENT_DECLINED, TRANSACTION_REFUSED, ...). */
  | { readonly kind: "refused"; readonly issue: string }
  /** Completed at create like `complete`, but the create's answer never comes (a timeout after the charge). */
  | { readonly kind: "answer_lost" }
  /** The order waits in PAYER_ACTION_REQUIRED with a `payer-action` link (the buyer must act). */
  | { readonly kind: "payer_action" }

export class PayPalFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: {
      readonly name: string
      readonly message: string
      readonly debug_id: string
      readonly details?: ReadonlyArray<{ issue: string; description: string; field?: string }>
      readonly links?: ReadonlyArray<{ href: string; rel: string; method?: string }>
    }
  ) {
    super(`${status} ${body.name}`)
  }
}

const names: Record<number, { name: string; message: string }> = {
  400: {
    name: "INVALID_REQUEST",
    message: "Request is not well-formed, syntactically incorrect, or violates schema."
  },
  401: {
    name: "AUTHENTICATION_FAILURE",
    message:
      "Authentication failed due to missing authorization header, or invalid authentication credentials."
  },
  404: { name: "RESOURCE_NOT_FOUND", message: "The specified resource does not exist." },
  409: {
    name: "RESOURCE_CONFLICT",
    message: "The server has detected a conflict while processing this request."
  },
  422: {
    name: "UNPROCESSABLE_ENTITY",
    message:
      "The requested action could not be performed, semantically incorrect, or failed business validation."
  },
  429: { name: "RATE_LIMIT_REACHED", message: "Too many requests. Blocked due to rate limiting." },
  500: { name: "INTERNAL_SERVER_ERROR", message: "An internal server error occurred." },
  503: { name: "SERVICE_UNAVAILABLE", message: "Service Unavailable." }
}

/** PayPal's exact descriptions (the OpenAPI documents pin them as enums). */
const descriptions: Record<string, string> = {
  INVALID_PARAMETER_VALUE: "A parameter value is not valid.",
  MISSING_REQUIRED_PARAMETER: "A required parameter is missing.",
  PAYPAL_REQUEST_ID_REQUIRED:
    "A PayPal-Request-Id is required if you are trying to process payment for an Order. Please specify a PayPal-Request-Id or Create the Order without a 'payment_source' specified.",
  MALFORMED_REQUEST_JSON: "The request JSON is not well formed.",
  CANNOT_BE_ZERO_OR_NEGATIVE:
    "Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.",
  DECIMAL_PRECISION: "If the currency supports decimals, only two decimal place precision is supported.",
  UNSUPPORTED_INTENT:
    "`intent=AUTHORIZE` is not supported for multiple purchase units. Only `intent=CAPTURE` is supported.",
  DUPLICATE_INVOICE_ID:
    "Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request.",
  TRANSACTION_REFUSED: "The request was refused.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  PAYER_ACTION_REQUIRED: "Transaction cannot complete successfully, instruct the buyer to return to PayPal.",
  INVALID_RESOURCE_ID: "Specified resource ID does not exist. Please check the resource ID and try again.",
  CAPTURE_FULLY_REFUNDED: "The capture has already been fully refunded",
  REFUND_CAPTURE_CURRENCY_MISMATCH: "Refund must be in the same currency as the capture",
  REFUND_AMOUNT_EXCEEDED:
    "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
  PENDING_CAPTURE:
    "Cannot initiate a refund as the capture is pending. Capture is typically pending when the payer has funded the transaction using e-check/bank funded.",
  REFUND_NOT_ALLOWED: "Capture cannot be refunded."
}

let debugSerial = 0
export const failure = (
  status: number,
  issue?: string,
  description?: string,
  field?: string
): PayPalFailure => {
  const known = names[status] ?? {
    name: "INTERNAL_SERVER_ERROR",
    message: "An internal server error occurred."
  }
  const detail =
    issue === undefined
      ? undefined
      : [
          {
            issue,
            description: description ?? descriptions[issue] ?? issue,
            ...(field === undefined ? {} : { field })
          }
        ]
  return new PayPalFailure(status, {
    ...known,
    debug_id: `f${(++debugSerial).toString(16).padStart(12, "0")}`,
    ...(detail === undefined ? {} : { details: detail })
  })
}

export interface Link {
  readonly href: string
  readonly rel: string
  readonly method: string
}

export interface RefundRecord {
  readonly id: string
  readonly captureId: string
  readonly amount: Money
  readonly invoiceId: string | undefined
  readonly createdAt: string
}

export interface CaptureRecord {
  readonly id: string
  readonly orderId: string
  status: "COMPLETED" | "PENDING" | "DECLINED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "FAILED"
  pendingReason: string | undefined
  readonly responseCode: string | undefined
  readonly amount: Money
  readonly invoiceId: string | undefined
  readonly customId: string | undefined
  readonly createdAt: string
  updatedAt: string
  readonly refunds: Array<RefundRecord>
}

export interface OrderRecord {
  readonly id: string
  status: "CREATED" | "APPROVED" | "COMPLETED" | "PAYER_ACTION_REQUIRED" | "VOIDED"
  readonly amount: Money
  readonly referenceId: string
  readonly invoiceId: string | undefined
  readonly customId: string | undefined
  readonly description: string | undefined
  readonly vaultId: string | undefined
  readonly payerEmail: string
  readonly createdAt: string
  updatedAt: string
  capture: CaptureRecord | undefined
  /** What capturing does (a vault order scripted `needs_capture`, or a buyer-approved checkout). */
  readonly onCapture: ChargeScript
}

export interface SetupTokenRecord {
  readonly id: string
  readonly customerId: string
  status: "PAYER_ACTION_REQUIRED" | "APPROVED" | "VAULTED"
  readonly returnUrl: string | undefined
  readonly cancelUrl: string | undefined
  paymentTokenId: string | undefined
}

export interface PaymentTokenRecord {
  readonly id: string
  /** `undefined` for preset tokens any customer may use (the fake's test vocabulary). */
  readonly customerId: string | undefined
  readonly email: string
  script: ChargeScript
}

export interface DisputeRecord {
  readonly id: string
  readonly captureId: string
  readonly amount: Money
  readonly reason: string
  status: "OPEN" | "WAITING_FOR_SELLER_RESPONSE" | "UNDER_REVIEW" | "RESOLVED"
  outcome: "RESOLVED_BUYER_FAVOUR" | "RESOLVED_SELLER_FAVOUR" | undefined
  readonly createdAt: string
  updatedAt: string
}

export const parseMoney = (amount: unknown, field: string): Money => {
  const value = amount as PayPalAmount | undefined
  const money = value === undefined || typeof value.value !== "string" ? undefined : fromPayPalAmount(value)
  if (money === undefined) throw failure(422, "DECIMAL_PRECISION", undefined, field)
  if (money.amount <= 0n) throw failure(422, "CANNOT_BE_ZERO_OR_NEGATIVE", undefined, field)
  return money
}

export const amountJson = (money: Money) => ({ currency_code: money.currency, value: toPayPalValue(money) })

export const refundedOf = (capture: CaptureRecord): bigint =>
  capture.refunds.reduce((total, refund) => total + refund.amount.amount, 0n)

/** A PayPal-looking id: upper-case letters and digits. */
export const id = (length: number) =>
  randomBytes(length)
    .toString("base64")
    .replace(/[^A-Z0-9]/gi, "")
    .toUpperCase()
    .padEnd(length, "X")
    .slice(0, length)
