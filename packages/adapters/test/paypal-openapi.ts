/**
 * Validates the PayPal fake's answers against PayPal's OpenAPI documents (shared/specs/paypal) with
 * openapi-backend: every exchange the fake reports is matched to its operation and its response body
 * checked against the document's schema for that status (the request too, where the document has one).
 *
 * Tolerances, each a known gap between the documents and PayPal's live behaviour (payments.md):
 * - the OAuth token call and the certificate download are in none of the documents: not validated;
 * - `payment_source.token.type: SETUP_TOKEN` on POST /v3/vault/payment-tokens: the document's enum has only
 *   BILLING_AGREEMENT, while PayPal's SDK and docs use SETUP_TOKEN (request side only);
 * - 422 DUPLICATE_INVOICE_ID from POST /v2/checkout/orders: PayPal checks invoice ids when the payment
 *   happens, which for a single-step vault order is the create call; the create operation's 422 schema
 *   lists no payment issues (capture's does);
 * - 429 and 5xx scripted faults: the documents list no 429 and not every 5xx; their bodies are checked
 *   against the common error shape ({name, message, debug_id}) instead.
 * PayPal's patterns are not valid as unicode regular expressions, so Ajv runs with `unicodeRegExp: false`.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Exchange } from "@ezscale/adapters/gateway-paypal/fake"
import { OpenAPIBackend } from "openapi-backend"

const specs = fileURLToPath(new URL("../../../../shared/specs/paypal/", import.meta.url))
const documents = ["checkout_orders_v2", "payments_payment_v2", "vault_payment_tokens_v3"] as const

let backends: Promise<ReadonlyArray<OpenAPIBackend>> | undefined

const load = () => {
  backends ??= Promise.all(
    documents.map(async (name) => {
      const definition = JSON.parse(readFileSync(`${specs}${name}.json`, "utf8"))
      const api = new OpenAPIBackend({
        definition,
        quick: true,
        validate: true,
        ajvOpts: { strict: false, unicodeRegExp: false, logger: false }
      })
      await api.init()
      return api
    })
  )
  return backends
}

export interface SpecViolation {
  readonly operation: string
  readonly status: number
  readonly side: "request" | "response"
  readonly errors: unknown
  readonly body?: unknown
}

const tolerated = (exchange: Exchange): boolean => {
  const issue = (exchange.responseBody as { details?: ReadonlyArray<{ issue?: string }> } | undefined)
    ?.details?.[0]?.issue
  return exchange.operation === "orders.create" && exchange.status === 422 && issue === "DUPLICATE_INVOICE_ID"
}

/** Ajv's errors, short: an issue not in an `anyOf` of enums reads as one line, not one per branch. */
const summarize = (
  errors: ReadonlyArray<{ instancePath: string; message?: string; keyword: string; params: unknown }>
) => {
  const anyOf = new Set(
    errors.filter((error) => error.keyword === "anyOf").map((error) => error.instancePath)
  )
  return errors
    .filter(
      (error) => !(error.keyword === "enum" && [...anyOf].some((path) => error.instancePath.startsWith(path)))
    )
    .map((error) => `${error.instancePath} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`)
}

const isErrorShape = (body: unknown) =>
  typeof body === "object" &&
  body !== null &&
  ["name", "message", "debug_id"].every(
    (field) => typeof (body as Record<string, unknown>)[field] === "string"
  )

/** Collects exchanges; `check()` validates them all and returns the violations (an empty list is a pass). */
export const paypalSpecRecorder = () => {
  const exchanges: Array<Exchange> = []
  return {
    onExchange: (exchange: Exchange) => {
      exchanges.push(exchange)
    },
    exchanges: () => [...exchanges],
    check: async (): Promise<ReadonlyArray<SpecViolation>> => {
      const apis = await load()
      const violations: Array<SpecViolation> = []
      for (const exchange of exchanges.splice(0, exchanges.length)) {
        if (exchange.operation === "oauth.token" || exchange.operation === "certs.get") continue
        if (exchange.status === 429 || exchange.status >= 500) {
          if (!isErrorShape(exchange.responseBody))
            violations.push({
              operation: exchange.operation,
              status: exchange.status,
              side: "response",
              errors: "not a PayPal error body"
            })
          continue
        }
        const request = {
          method: exchange.method,
          path: exchange.path,
          query: exchange.query,
          headers: exchange.requestHeaders,
          body: exchange.requestBody
        }
        const api = apis.find((candidate) => candidate.matchOperation(request) !== undefined)
        const operation = api?.matchOperation(request)
        if (api === undefined || operation === undefined) {
          violations.push({
            operation: exchange.operation,
            status: exchange.status,
            side: "response",
            errors: "no operation in the documents"
          })
          continue
        }
        const documented = operation.responses?.[String(exchange.status)] as { content?: unknown } | undefined
        if (exchange.responseBody === undefined) {
          if (documented === undefined || documented.content !== undefined)
            violations.push({
              operation: exchange.operation,
              status: exchange.status,
              side: "response",
              errors: "an empty answer the document does not describe"
            })
        } else if (!tolerated(exchange)) {
          const result = api.validateResponse(exchange.responseBody, operation, exchange.status)
          if ((result.errors?.length ?? 0) > 0)
            violations.push({
              operation: exchange.operation,
              status: exchange.status,
              side: "response",
              errors: summarize(result.errors ?? []),
              body: exchange.responseBody
            })
          if (documented === undefined)
            violations.push({
              operation: exchange.operation,
              status: exchange.status,
              side: "response",
              errors: "status not in the document"
            })
        }
        const token = (exchange.requestBody as { payment_source?: { token?: { type?: string } } } | undefined)
          ?.payment_source?.token
        const checkedRequest =
          exchange.operation === "payment-tokens.create" && token?.type === "SETUP_TOKEN"
            ? {
                ...request,
                body: {
                  ...(request.body as object),
                  payment_source: { token: { ...token, type: "BILLING_AGREEMENT" } }
                }
              }
            : request
        const requestResult = api.validateRequest(checkedRequest, operation)
        if ((requestResult.errors?.length ?? 0) > 0)
          violations.push({
            operation: exchange.operation,
            status: exchange.status,
            side: "request",
            errors: summarize(requestResult.errors ?? [])
          })
      }
      return violations
    }
  }
}
