/**
 * Every Stripe failure mapped to our `GatewayError`, in one place. The SDK's classes follow the HTTP
 * status (payments.md §3.4): 402 card errors, 400/404 invalid requests (idempotency errors among them),
 * 401/403 auth, 429 rate limits, 409 a request with the same key still running, 5xx and connection
 * failures. `sentAndUnanswered` says when a request may have been executed without us seeing the
 * answer — for a charge that is the `unknown` outcome, never an error.
 */
import { GatewayError } from "@ezscale/core"
import Stripe from "stripe"

export const gatewayName = "stripe"

/** Connection failures that prove the request never reached Stripe. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

const connectionCode = (error: Stripe.errors.StripeConnectionError): string | undefined => {
  const detail = error.detail as { code?: unknown } | undefined
  return typeof detail?.code === "string" ? detail.code : undefined
}

/**
 * True when the request may have run at Stripe although we have no answer: a timeout or a dropped
 * connection after sending, a 5xx (Stripe stores and replays 500s of executed requests), or a 409 (the
 * first request with this key is still executing).
 */
export const sentAndUnanswered = (error: unknown): boolean => {
  if (error instanceof Stripe.errors.StripeConnectionError)
    return !notSentCodes.has(connectionCode(error) ?? "")
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode ?? 0
    return status >= 500 || status === 409
  }
  return false
}

const optional = (name: "vendorCode" | "declineCode" | "detail", value: string | undefined) =>
  value === undefined || value === "" ? {} : { [name]: value }

export const stripeGatewayError = (error: unknown): GatewayError => {
  if (error instanceof GatewayError) return error
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new GatewayError({
      reason: "Unknown",
      retryable: false,
      gateway: gatewayName,
      detail: String(error),
      cause: error
    })
  }
  const status = error.statusCode ?? 0
  const base = {
    gateway: gatewayName,
    ...optional(
      "vendorCode",
      error.code ?? (error instanceof Stripe.errors.StripeIdempotencyError ? "idempotency_error" : undefined)
    ),
    ...optional("declineCode", error.decline_code),
    ...optional("detail", error.message),
    cause: error
  }
  if (error instanceof Stripe.errors.StripeCardError) {
    return new GatewayError({ ...base, reason: "Declined", retryable: false })
  }
  if (error instanceof Stripe.errors.StripeRateLimitError || status === 429) {
    return new GatewayError({ ...base, reason: "RateLimited", retryable: true })
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new GatewayError({ ...base, reason: "Auth", retryable: false })
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new GatewayError({
      ...base,
      reason: "Unavailable",
      retryable: true,
      ...optional("vendorCode", connectionCode(error))
    })
  }
  if (status === 409 || status >= 500) {
    return new GatewayError({ ...base, reason: "Unavailable", retryable: true })
  }
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeIdempotencyError ||
    (status >= 400 && status < 500)
  ) {
    return new GatewayError({ ...base, reason: "InvalidRequest", retryable: false })
  }
  return new GatewayError({ ...base, reason: "Unknown", retryable: false })
}

/** A failure found before any call (capabilities, currency, amount). */
export const invalidRequest = (detail: string, vendorCode?: string): GatewayError =>
  new GatewayError({
    reason: "InvalidRequest",
    retryable: false,
    gateway: gatewayName,
    detail,
    ...optional("vendorCode", vendorCode)
  })
