import { describe, expect, it } from "vitest"
import { gatewayError, isRetryable, readFailure } from "./errors"

const answered = (statusCode: number, body: object) => ({ statusCode, body: JSON.stringify(body) })
const paypalError = (name: string, issue?: string) => ({
  name,
  message: "m",
  debug_id: "abc123",
  ...(issue === undefined ? {} : { details: [{ issue, description: "d" }] })
})

describe("PayPal error mapping", () => {
  it("reads PayPal's error body: the first detail's issue, else the name", () => {
    const failure = readFailure(answered(422, paypalError("UNPROCESSABLE_ENTITY", "INSTRUMENT_DECLINED")))
    expect(failure).toMatchObject({
      _tag: "Answered",
      status: 422,
      issue: "INSTRUMENT_DECLINED",
      debugId: "abc123"
    })
    expect(readFailure(answered(404, paypalError("RESOURCE_NOT_FOUND")))).toMatchObject({
      issue: "RESOURCE_NOT_FOUND"
    })
  })

  it("tells a request that never left from one that may have reached PayPal", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })
    expect(readFailure(refused)._tag).toBe("NotSent")
    expect(readFailure(new Error("timeout of 400ms exceeded"))._tag).toBe("MaybeSent")
    expect(readFailure(Object.assign(new Error("x"), { cause: { code: "ECONNRESET" } }))._tag).toBe(
      "MaybeSent"
    )
  })

  it("retries 429, 5xx and transport failures only", () => {
    expect(isRetryable(readFailure(answered(429, paypalError("RATE_LIMIT_REACHED"))))).toBe(true)
    expect(isRetryable(readFailure(answered(503, paypalError("SERVICE_UNAVAILABLE"))))).toBe(true)
    expect(
      isRetryable(readFailure(answered(422, paypalError("UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED"))))
    ).toBe(false)
    expect(isRetryable(readFailure(new Error("socket hang up")))).toBe(true)
  })

  it("maps what is left after the retries to GatewayError reasons", () => {
    const reason = (statusCode: number, name: string, issue?: string) =>
      gatewayError(readFailure(answered(statusCode, paypalError(name, issue))))
    expect(reason(401, "AUTHENTICATION_FAILURE")).toMatchObject({ reason: "Auth", retryable: false })
    expect(reason(429, "RATE_LIMIT_REACHED")).toMatchObject({ reason: "RateLimited", retryable: true })
    expect(reason(500, "INTERNAL_SERVER_ERROR")).toMatchObject({ reason: "Unavailable", retryable: true })
    expect(reason(422, "UNPROCESSABLE_ENTITY", "TRANSACTION_REFUSED")).toMatchObject({
      reason: "Declined",
      declineCode: "TRANSACTION_REFUSED"
    })
    expect(reason(422, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED")).toMatchObject({
      reason: "InvalidRequest",
      vendorCode: "REFUND_AMOUNT_EXCEEDED",
      retryable: false
    })
    expect(gatewayError(readFailure(new Error("timeout")))).toMatchObject({
      reason: "Unknown",
      retryable: true
    })
  })
})
