/**
 * The JSON the counting gateway and its HTTP client exchange: plain JSON, with `bigint` amounts carried
 * as `{ "$bigint": "1200" }` so minor units cross the wire exactly.
 */

export const encodeWire = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v))

export const decodeWire = (text: string): unknown =>
  JSON.parse(text, (_, v: unknown) =>
    typeof v === "object" && v !== null && "$bigint" in v && typeof v.$bigint === "string"
      ? BigInt(v.$bigint)
      : v
  )

/** The gateway operations the client calls, by name (the path is `/<operation>`). */
export const gatewayOperations = [
  "ensureCustomer",
  "createSetup",
  "listMethods",
  "detachMethod",
  "charge",
  "retrieveCharge",
  "refund"
] as const

export type GatewayOperation = (typeof gatewayOperations)[number]

/** A reply: the operation's value, or the fields of the `GatewayError` it failed with. */
export type WireReply =
  | { readonly ok: unknown }
  | {
      readonly error: {
        readonly reason: "Declined" | "RateLimited" | "Auth" | "InvalidRequest" | "Unavailable" | "Unknown"
        readonly retryable: boolean
        readonly vendorCode?: string
        readonly declineCode?: string
        readonly detail?: string
      }
    }
