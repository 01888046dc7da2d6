/**
 * Everything that can go wrong on a PayPal call, read once: PayPal's answer with its error body
 * ({name, message, debug_id, details[{issue, description}], links}), or a transport failure that either
 * never left (connection refused: safe to send again) or may have reached PayPal (timeout, reset: the
 * outcome is unknown). `gatewayError` maps what is left after our retries to `GatewayError`.
 */
import { GatewayError } from "@ezscale/core"

export type PayPalCallFailure =
  | {
      readonly _tag: "Answered"
      readonly status: number
      readonly name: string | undefined
      /** The first detail's issue (INSTRUMENT_DECLINED, REFUND_AMOUNT_EXCEEDED, ...), else the name. */
      readonly issue: string | undefined
      readonly message: string
      readonly debugId: string | undefined
      readonly links: ReadonlyArray<{ readonly href: string; readonly rel: string }>
    }
  | { readonly _tag: "NotSent"; readonly message: string }
  | { readonly _tag: "MaybeSent"; readonly message: string }

const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

const codeOf = (error: unknown): string | undefined => {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

const parseBody = (error: { result?: unknown; body?: unknown }): Record<string, unknown> | undefined => {
  if (typeof error.result === "object" && error.result !== null)
    return error.result as Record<string, unknown>
  if (typeof error.body !== "string" || error.body === "") return undefined
  try {
    const parsed: unknown = JSON.parse(error.body)
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Reads whatever the SDK threw. */
export const readFailure = (error: unknown): PayPalCallFailure => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode
  if (typeof status === "number") {
    const body = parseBody(error as { result?: unknown; body?: unknown }) ?? {}
    const details = Array.isArray(body.details) ? (body.details as ReadonlyArray<{ issue?: unknown }>) : []
    const issue = details.map((detail) => detail.issue).find((value) => typeof value === "string")
    const name =
      typeof body.name === "string" ? body.name : typeof body.error === "string" ? body.error : undefined
    return {
      _tag: "Answered",
      status,
      name,
      issue: (issue as string | undefined) ?? name,
      message: typeof body.message === "string" ? body.message : `HTTP ${status}`,
      debugId: typeof body.debug_id === "string" ? body.debug_id : undefined,
      links: Array.isArray(body.links)
        ? (body.links as ReadonlyArray<{ href: string; rel: string }>).filter(
            (link) => typeof link?.href === "string" && typeof link.rel === "string"
          )
        : []
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return notSentCodes.has(codeOf(error) ?? "") ? { _tag: "NotSent", message } : { _tag: "MaybeSent", message }
}

/** Worth sending again with the same PayPal-Request-Id. */
export const isRetryable = (failure: PayPalCallFailure): boolean =>
  failure._tag !== "Answered" || failure.status === 429 || failure.status >= 500

/** Issues that mean the payer's instrument refused the payment: an outcome (`failed`), not an error. */
export const declineIssues: ReadonlySet<string> = new Set([
  "INSTRUMENT_DECLINED",
  "TRANSACTION_REFUSED",
  "PAYER_CANNOT_PAY",
  "PAYER_ACCOUNT_RESTRICTED",
  "PAYER_ACCOUNT_LOCKED_OR_CLOSED",
  "REFERENCED_CARD_EXPIRED",
  "TRANSACTION_LIMIT_EXCEEDED",
  "MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED",
  "AGREEMENT_ALREADY_CANCELLED",
  "BILLING_AGREEMENT_NOT_FOUND",
  "DECLINED_DUE_TO_RELATED_TXN"
])

/** Issues that need the payer back at PayPal: `requires_action`. */
export const payerActionIssues: ReadonlySet<string> = new Set([
  "PAYER_ACTION_REQUIRED",
  "ORDER_NOT_APPROVED",
  "REDIRECT_PAYER_FOR_ALTERNATE_FUNDING"
])

/** All vendor-error mapping in one place. */
export const gatewayError = (failure: PayPalCallFailure, detail?: string): GatewayError => {
  const gateway = "paypal"
  if (failure._tag !== "Answered") {
    return new GatewayError({
      reason: failure._tag === "NotSent" ? "Unavailable" : "Unknown",
      retryable: true,
      gateway,
      detail: detail ?? failure.message
    })
  }
  const base = {
    gateway,
    detail:
      detail ?? `${failure.message}${failure.debugId === undefined ? "" : ` (debug_id ${failure.debugId})`}`,
    ...(failure.issue === undefined ? {} : { vendorCode: failure.issue })
  }
  if (failure.status === 401 || failure.status === 403)
    return new GatewayError({ ...base, reason: "Auth", retryable: false })
  if (failure.status === 429) return new GatewayError({ ...base, reason: "RateLimited", retryable: true })
  if (failure.status >= 500) return new GatewayError({ ...base, reason: "Unavailable", retryable: true })
  if (failure.issue !== undefined && declineIssues.has(failure.issue))
    return new GatewayError({ ...base, reason: "Declined", retryable: false, declineCode: failure.issue })
  return new GatewayError({ ...base, reason: "InvalidRequest", retryable: false })
}
