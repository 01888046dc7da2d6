/**
 * The worker processes' `PaymentGateway`: every operation is one POST to the counting fake gateway of
 * the test process (`counting-gateway.ts`), which answers as the in-memory gateway does. Test-only: the
 * real Stripe / PayPal adapters speak their vendors' APIs.
 *
 * A request that gets no answer is a `GatewayError` `Unavailable` (retryable): the worker's job fails
 * and is retried with the same idempotency key, which the gateway replays.
 */
import { request as httpRequest } from "node:http"
import {
  type ChargeOutcome,
  GatewayError,
  PaymentGateway,
  type PaymentGatewayService,
  type PaymentMethod,
  type RefundOutcome,
  type SetupSession
} from "@ezscale/core"
import { Effect, Layer, Option } from "effect"
import { decodeWire, encodeWire, type GatewayOperation, type WireReply } from "./wire"

const post = (base: URL, operation: GatewayOperation, body: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(`/${operation}`, base),
      { method: "POST", headers: { "content-type": "application/json" } },
      (response) => {
        const chunks: Array<Buffer> = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          if (response.statusCode === 200) resolve(text)
          else reject(new Error(`HTTP ${response.statusCode}: ${text}`))
        })
        response.on("error", reject)
      }
    )
    outgoing.on("error", reject)
    outgoing.end(body)
  })

export const makeHttpGateway = (options: { readonly url: string; readonly name: string }) => {
  const base = new URL(options.url)
  const { name } = options
  const call = <A>(operation: GatewayOperation, input: unknown): Effect.Effect<A, GatewayError> =>
    Effect.flatMap(
      Effect.tryPromise({
        try: () => post(base, operation, encodeWire(input)),
        catch: (cause) =>
          new GatewayError({ reason: "Unavailable", retryable: true, gateway: name, detail: String(cause) })
      }),
      (text) => {
        const reply = decodeWire(text) as WireReply
        return "ok" in reply
          ? Effect.succeed(reply.ok as A)
          : Effect.fail(new GatewayError({ ...reply.error, gateway: name }))
      }
    )
  const service: PaymentGatewayService = {
    name,
    capabilities: { refunds: true, partialRefunds: true, offSession: true, currencies: ["EUR", "USD"] },
    ensureCustomer: (request) => call<{ readonly gatewayCustomerId: string }>("ensureCustomer", request),
    createSetup: (request) => call<SetupSession>("createSetup", request),
    listMethods: (gatewayCustomerId) => call<ReadonlyArray<PaymentMethod>>("listMethods", gatewayCustomerId),
    detachMethod: (methodId) => call<void>("detachMethod", methodId),
    charge: (request) => call<ChargeOutcome>("charge", request),
    retrieveCharge: (reference) =>
      Effect.map(call<ChargeOutcome | null>("retrieveCharge", reference), Option.fromNullable),
    refund: (request) => call<RefundOutcome>("refund", request)
  }
  return service
}

export const HttpGateway = {
  layer: (options: { readonly url: string; readonly name: string }) =>
    Layer.succeed(PaymentGateway, makeHttpGateway(options))
} as const
