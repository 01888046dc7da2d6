/**
 * The counting fake gateway the crash and multi-worker tests run in their own process: the testkit's
 * in-memory gateway (charges kept per idempotency key, a repeated key replays the charge and never
 * charges twice) behind `node:http` on 127.0.0.1, counting every call, so a test can tell what the
 * worker processes asked of the gateway across crashes.
 *
 * Per charge key it counts the calls; per invoice it keeps the keys it was charged with. A worker killed
 * between the charge and the recording of the payment asks again with the same key after its restart (a
 * replay, allowed); a second key for one invoice attempt, or a second successful charge of an invoice,
 * would be a double charge.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { ChargeOutcome, ChargeRequest, GatewayError } from "@ezscale/core"
import { type MethodBehaviour, makeInMemoryGateway } from "@ezscale/testkit"
import { Effect, Either, Option } from "effect"
import { decodeWire, encodeWire, type GatewayOperation, gatewayOperations, type WireReply } from "./wire"

export interface ChargeCount {
  readonly key: string
  readonly invoiceId: string
  readonly amount: bigint
  /** Calls with this key: 1, or more after a worker died between the charge and recording it. */
  readonly calls: number
  /** The outcome the provider keeps for the key (`succeeded`, `failed`...). */
  readonly status: ChargeOutcome["status"]
}

export interface CountingGateway {
  /** Base URL (`http://127.0.0.1:<port>`), for the workers' `--gateway`. */
  readonly url: string
  readonly charges: () => ReadonlyArray<ChargeCount>
  /** Calls per operation (`charge`, `retrieveCharge`...). */
  readonly calls: () => Readonly<Record<string, number>>
  readonly close: () => Promise<void>
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const errorReply = (error: GatewayError): WireReply => ({
  error: {
    reason: error.reason,
    retryable: error.retryable,
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.declineCode === undefined ? {} : { declineCode: error.declineCode }),
    ...(error.detail === undefined ? {} : { detail: error.detail })
  }
})

/** Starts the fake; `methods` says how each saved method id behaves (`succeed`, `decline`...). */
export const startCountingGateway = async (options: {
  readonly name: string
  readonly methods: { readonly [methodId: string]: MethodBehaviour }
}): Promise<CountingGateway> => {
  const { service, control } = makeInMemoryGateway({ name: options.name, methods: options.methods })
  const calls: Record<string, number> = {}

  const run = (operation: GatewayOperation, input: unknown): Effect.Effect<unknown, GatewayError> => {
    // the wire shapes are the port's own request types; the client sends exactly those
    switch (operation) {
      case "ensureCustomer":
        return service.ensureCustomer(input as Parameters<typeof service.ensureCustomer>[0])
      case "createSetup":
        return service.createSetup(input as Parameters<typeof service.createSetup>[0])
      case "listMethods":
        return service.listMethods(input as string)
      case "detachMethod":
        return service.detachMethod(input as string)
      case "charge":
        return service.charge(input as ChargeRequest)
      case "retrieveCharge":
        return Effect.map(
          service.retrieveCharge(input as Parameters<typeof service.retrieveCharge>[0]),
          Option.getOrNull
        )
      case "refund":
        return service.refund(input as Parameters<typeof service.refund>[0])
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const operation = (request.url ?? "").slice(1) as GatewayOperation
    if (request.method !== "POST" || !gatewayOperations.includes(operation)) {
      response.writeHead(404).end()
      return
    }
    const input = decodeWire(await readBody(request))
    calls[operation] = (calls[operation] ?? 0) + 1
    const result = await Effect.runPromise(Effect.either(run(operation, input)))
    const reply: WireReply = Either.isRight(result) ? { ok: result.right } : errorReply(result.left)
    response.writeHead(200, { "content-type": "application/json" }).end(encodeWire(reply))
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error))
    })
  })
  // many short requests from a few workers: keep their connections
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    charges: () =>
      control.charges().map((charge) => ({
        key: charge.request.idempotencyKey,
        invoiceId: charge.request.invoiceId,
        amount: charge.request.amount.amount,
        calls: charge.calls,
        status: charge.outcome.status
      })),
    calls: () => ({ ...calls }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      })
  }
}
