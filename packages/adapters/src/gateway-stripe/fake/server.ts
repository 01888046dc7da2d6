/**
 * The Stripe fake's HTTP side: a `node:http` server on 127.0.0.1 that routes Stripe's v1 paths to the
 * account state, with Stripe's idempotency (docs.stripe.com/api/idempotent_requests), its headers, its
 * error bodies, scripted failures (500, 429, hangs, delays) and signed webhook deliveries.
 */
import { createHmac } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { FakeStripeState } from "./account"
import { authenticationPage } from "./authentication-page"
import { canonicalForm, parseForm } from "./form"
import { errorBody, type Json } from "./objects"
import { type Call, Rejected, type Reply } from "./state"

/** Every answer the fake gives, for validating it against Stripe's OpenAPI document. */
export interface FakeResponse {
  readonly operationId: string | undefined
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: unknown
  readonly replayed: boolean
}

export interface StripeFakeOptions {
  /** The secret key clients must send (`Authorization: Bearer ...`); any `sk_test_` key when absent. */
  readonly apiKey?: string
  /** Milliseconds since the epoch; the fake's clock (idempotency expiry, `created`, signatures). */
  readonly now?: () => number
  /** How long idempotency keys are kept (Stripe: at least 24 hours). */
  readonly idempotencyTtlMs?: number
  /** Where events are delivered, signed with each of `secrets` (several while a secret is rolled). */
  readonly webhook?: WebhookTarget
  /** Deliver each event as it happens (demo mode); otherwise `deliverWebhooks` sends the queue. */
  readonly autoDeliver?: boolean
  readonly onResponse?: (response: FakeResponse) => void
}

export interface WebhookTarget {
  readonly url: string
  readonly secrets: ReadonlyArray<string>
}

export interface Delivery {
  readonly eventId: string
  readonly type: string
  readonly status: number
}

/** A scripted failure for the next matching request (any operation unless one is named). */
export type ScriptedFailure =
  /** Rejected before anything runs (load balancer, rate limiter): nothing stored, a retry executes. */
  | { readonly kind: "status"; readonly status: 429 | 500 | 502 | 503; readonly operationId?: string }
  /** The request ran, then Stripe answered 500: the 500 is stored under the key and replayed (§5.1). */
  | { readonly kind: "error_after_execution"; readonly operationId?: string }
  /** No answer until the client gives up; with `performed` the request ran (and is stored) first. */
  | { readonly kind: "hang"; readonly performed: boolean; readonly operationId?: string }
  /** Held for `ms` while executing: a request with the same key meanwhile gets 409. */
  | { readonly kind: "delay"; readonly ms: number; readonly operationId?: string }

interface Route {
  readonly method: "GET" | "POST" | "DELETE"
  readonly pattern: RegExp
  readonly operationId: string
  readonly run: (state: FakeStripeState, call: Call) => Reply
}

const route = (method: Route["method"], path: string, operationId: string, run: Route["run"]): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  operationId,
  run
})

const routes: ReadonlyArray<Route> = [
  route("POST", "/v1/customers", "PostCustomers", (s, c) => s.createCustomer(c)),
  route("GET", "/v1/customers/search", "GetCustomersSearch", (s, c) => s.searchCustomers(c)),
  route("GET", "/v1/customers/{customer}", "GetCustomersCustomer", (s, c) => s.retrieveCustomer(c)),
  route("POST", "/v1/customers/{customer}", "PostCustomersCustomer", (s, c) => s.updateCustomer(c)),
  route("GET", "/v1/customers/{customer}/payment_methods", "GetCustomersCustomerPaymentMethods", (s, c) =>
    s.listCustomerMethods(c)
  ),
  route("GET", "/v1/payment_methods/{payment_method}", "GetPaymentMethodsPaymentMethod", (s, c) =>
    s.retrieveMethod(c)
  ),
  route(
    "POST",
    "/v1/payment_methods/{payment_method}/attach",
    "PostPaymentMethodsPaymentMethodAttach",
    (s, c) => s.attachMethod(c)
  ),
  route(
    "POST",
    "/v1/payment_methods/{payment_method}/detach",
    "PostPaymentMethodsPaymentMethodDetach",
    (s, c) => s.detachMethod(c)
  ),
  route("POST", "/v1/setup_intents", "PostSetupIntents", (s, c) => s.createSetupIntent(c)),
  route("GET", "/v1/setup_intents/{intent}", "GetSetupIntentsIntent", (s, c) => s.retrieveSetupIntent(c)),
  route("POST", "/v1/setup_intents/{intent}/confirm", "PostSetupIntentsIntentConfirm", (s, c) =>
    s.confirmSetupIntent(c)
  ),
  route("POST", "/v1/payment_intents", "PostPaymentIntents", (s, c) => s.createPaymentIntent(c)),
  route("GET", "/v1/payment_intents/search", "GetPaymentIntentsSearch", (s, c) => s.searchPaymentIntents(c)),
  route("GET", "/v1/payment_intents/{intent}", "GetPaymentIntentsIntent", (s, c) =>
    s.retrievePaymentIntent(c)
  ),
  route("POST", "/v1/payment_intents/{intent}/cancel", "PostPaymentIntentsIntentCancel", (s, c) =>
    s.cancelPaymentIntent(c)
  ),
  route("POST", "/v1/refunds", "PostRefunds", (s, c) => s.createRefund(c)),
  route("GET", "/v1/refunds/{refund}", "GetRefundsRefund", (s, c) => s.retrieveRefund(c)),
  route("GET", "/v1/disputes/{dispute}", "GetDisputesDispute", (s, c) => s.retrieveDispute(c)),
  route("POST", "/v1/disputes/{dispute}", "PostDisputesDispute", (s, c) => s.updateDispute(c)),
  route("POST", "/v1/disputes/{dispute}/close", "PostDisputesDisputeClose", (s, c) => s.acceptDispute(c)),
  route("GET", "/v1/events", "GetEvents", (s, c) => s.listEvents(c)),
  route("GET", "/v1/events/{id}", "GetEventsId", (s, c) => s.retrieveEvent(c))
]

interface StoredResult {
  readonly endpoint: string
  readonly parameters: string
  readonly createdAt: number
  /** Absent while the first request with the key is still executing. */
  reply: Reply | undefined
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]`, HMAC-SHA256 over `<t>.<body>` per secret. */
export const signStripePayload = (body: string, secrets: ReadonlyArray<string>, timestamp: number): string =>
  [
    `t=${timestamp}`,
    ...secrets.map(
      (secret) => `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`
    )
  ].join(",")

export class StripeFake {
  readonly state: FakeStripeState
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly idempotency = new Map<string, StoredResult>()
  private readonly failures: Array<ScriptedFailure> = []
  private readonly queue: Array<Json> = []
  private webhookTarget: WebhookTarget | undefined
  private port = 0
  private requestSerial = 0
  private offsetMs = 0

  constructor(private readonly options: StripeFakeOptions = {}) {
    this.webhookTarget = options.webhook
    this.state = new FakeStripeState({
      now: () => this.now(),
      baseUrl: () => this.url,
      onEvent: (event) => {
        if (this.webhookTarget === undefined) return
        this.queue.push(event)
        if (options.autoDeliver === true) void this.deliverWebhooks()
      }
    })
    this.server = createServer((request, response) => {
      void this.handle(request, response)
    })
    this.server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
  }

  /** Listens on 127.0.0.1, on `port` (0: any free port). */
  listen(port = 0): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(port, "127.0.0.1", () => {
        this.port = (this.server.address() as AddressInfo).port
        resolve(this)
      })
    })
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** What the `stripe` SDK needs to talk to the fake. */
  get connection(): { readonly host: string; readonly port: number; readonly protocol: "http" } {
    return { host: "127.0.0.1", port: this.port, protocol: "http" }
  }

  now(): number {
    return (this.options.now?.() ?? Date.now()) + this.offsetMs
  }

  /** Moves the fake's clock (idempotency keys expire, signatures age). */
  advance(ms: number): void {
    this.offsetMs += ms
  }

  /** Scripts the next matching request's failure; several queue up in order. */
  failNext(failure: ScriptedFailure): void {
    this.failures.push(failure)
  }

  // --- control: the world outside the API ------------------------------------------------------------

  completeAction(intentId: string, succeed = true): Json {
    return this.state.completeAction(intentId, succeed)
  }

  openDispute(paymentIntentId: string, options: { reason?: string; amount?: number } = {}): Json {
    return this.state.openDispute(paymentIntentId, options.reason ?? "fraudulent", options.amount)
  }

  closeDispute(disputeId: string, outcome: "won" | "lost"): Json {
    return this.state.closeDispute(disputeId, outcome)
  }

  /** The next refund is accepted (`pending`), then fails with this `failure_reason` once answered. */
  failNextRefund(reason = "expired_or_canceled_card"): void {
    this.state.failNextRefund = reason
  }

  /** Successful charges made (what a customer's statement would show). */
  succeededCharges(): ReadonlyArray<Json> {
    return [...this.state.charges.values()].filter((charge) => charge.status === "succeeded")
  }

  paymentIntents(): ReadonlyArray<Json> {
    return [...this.state.paymentIntents.values()]
  }

  events(): ReadonlyArray<Json> {
    return this.state.events.map((stored) => stored.event)
  }

  // --- webhooks --------------------------------------------------------------------------------------

  setWebhook(target: WebhookTarget | undefined): void {
    this.webhookTarget = target
  }

  /** Events waiting for delivery. */
  pendingEvents(): ReadonlyArray<Json> {
    return [...this.queue]
  }

  /**
   * Delivers the queued events (or the given ones) to the webhook URL, signed with every current
   * secret. `order: "reverse"` and `times: 2` reproduce Stripe's lack of ordering and repeated deliveries.
   */
  async deliverWebhooks(
    options: {
      readonly order?: "created" | "reverse"
      readonly times?: number
      readonly events?: ReadonlyArray<Json>
    } = {}
  ): Promise<ReadonlyArray<Delivery>> {
    const target = this.webhookTarget
    if (target === undefined) throw new Error("stripe fake: no webhook target")
    const batch = options.events ?? this.queue.splice(0)
    const ordered = options.order === "reverse" ? [...batch].reverse() : batch
    const deliveries: Array<Delivery> = []
    for (let round = 0; round < (options.times ?? 1); round++) {
      for (const event of ordered) deliveries.push(await this.deliver(target, event))
    }
    return deliveries
  }

  private async deliver(target: WebhookTarget, event: Json): Promise<Delivery> {
    const body = JSON.stringify(event, null, 2)
    const signature = signStripePayload(body, target.secrets, Math.floor(this.now() / 1000))
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": signature,
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
      },
      body
    })
    await response.arrayBuffer()
    return { eventId: event.id as string, type: event.type as string, status: response.status }
  }

  // --- HTTP ------------------------------------------------------------------------------------------

  private takeFailure(operationId: string | undefined): ScriptedFailure | undefined {
    const index = this.failures.findIndex(
      (failure) => failure.operationId === undefined || failure.operationId === operationId
    )
    return index < 0 ? undefined : this.failures.splice(index, 1)[0]
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = `req_${String(++this.requestSerial).padStart(14, "0")}`
    const method = request.method ?? "GET"
    const url = new URL(request.url ?? "/", "http://127.0.0.1")
    const raw = await readBody(request)
    if (authenticationPage(this.state, method, url, response)) {
      this.state.runLater()
      return
    }
    const idempotencyKey = request.headers["idempotency-key"] as string | undefined
    const found = routes
      .filter((candidate) => candidate.method === method)
      .map((candidate) => ({ candidate, match: candidate.pattern.exec(url.pathname) }))
      .find(({ match }) => match !== null)
    const operationId = found?.candidate.operationId
    const send = (reply: Reply, replayed = false) => {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "request-id": requestId,
        "stripe-version": (request.headers["stripe-version"] as string | undefined) ?? "2024-04-10"
      }
      if (idempotencyKey !== undefined && method === "POST") headers["idempotency-key"] = idempotencyKey
      if (replayed) headers["idempotent-replayed"] = "true"
      response.writeHead(reply.status, headers)
      response.end(JSON.stringify(reply.body, null, 2))
      this.options.onResponse?.({
        operationId,
        method,
        path: url.pathname,
        status: reply.status,
        body: reply.body,
        replayed
      })
      this.state.runLater()
    }
    const error = (status: number, fields: Parameters<typeof errorBody>[0]): Reply => ({
      status,
      body: errorBody(fields, requestId)
    })

    const authorization = request.headers.authorization ?? ""
    const key = authorization.startsWith("Bearer ") ? authorization.slice(7) : ""
    const authorized =
      this.options.apiKey === undefined ? key.startsWith("sk_test_") : key === this.options.apiKey
    if (!authorized) {
      send(
        error(401, {
          type: "invalid_request_error",
          message: `Invalid API Key provided: ${key.slice(0, 8)}***`
        })
      )
      return
    }
    if (found === undefined) {
      send(
        error(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`
        })
      )
      return
    }
    const call: Call = {
      params: method === "POST" ? parseForm(raw) : {},
      query: url.searchParams,
      path: found.match?.groups ?? {},
      requestId,
      idempotencyKey: method === "POST" ? idempotencyKey : undefined,
      apiVersion: (request.headers["stripe-version"] as string | undefined) ?? "2024-04-10"
    }
    const failure = this.takeFailure(operationId)
    if (failure?.kind === "status") {
      send(
        failure.status === 429
          ? error(429, {
              type: "invalid_request_error",
              code: "rate_limit",
              message:
                "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."
            })
          : error(failure.status, {
              type: "api_error",
              message: "An unknown error occurred while processing your request. Please try again."
            })
      )
      return
    }
    if (failure?.kind === "hang" && !failure.performed) return

    const execute = (): Reply => {
      try {
        return found.candidate.run(this.state, call)
      } catch (cause) {
        if (cause instanceof Rejected) throw cause
        return error(500, { type: "api_error", message: `stripe fake: ${String(cause)}` })
      }
    }
    const stored =
      method === "POST" && idempotencyKey !== undefined ? this.lookup(key, idempotencyKey) : undefined
    const endpoint = `${method} ${url.pathname}`
    const parameters = canonicalForm(raw)
    if (stored !== undefined) {
      if (stored.reply === undefined) {
        send(
          error(409, {
            type: "invalid_request_error",
            code: "idempotency_key_in_use",
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`
          })
        )
      } else if (stored.endpoint !== endpoint || stored.parameters !== parameters) {
        send(
          error(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
          })
        )
      } else {
        send(stored.reply, true)
      }
      return
    }
    const entry: StoredResult | undefined =
      method === "POST" && idempotencyKey !== undefined
        ? { endpoint, parameters, createdAt: this.now(), reply: undefined }
        : undefined
    if (entry !== undefined && idempotencyKey !== undefined)
      this.idempotency.set(`${key}:${idempotencyKey}`, entry)
    if (failure?.kind === "delay") await delay(failure.ms)
    let reply: Reply
    try {
      reply = execute()
    } catch (rejected) {
      // Failed validation: nothing ran, nothing is kept; the same key may be used again.
      if (idempotencyKey !== undefined) this.idempotency.delete(`${key}:${idempotencyKey}`)
      const { status, fields } = rejected as Rejected
      send(error(status, fields))
      return
    }
    if (failure?.kind === "error_after_execution") {
      reply = error(500, {
        type: "api_error",
        message: "An unknown error occurred while processing your request. Please try again."
      })
    }
    if (entry !== undefined) entry.reply = reply
    if (failure?.kind === "hang") {
      this.state.runLater()
      return
    }
    send(reply)
  }

  private lookup(account: string, idempotencyKey: string): StoredResult | undefined {
    const id = `${account}:${idempotencyKey}`
    const stored = this.idempotency.get(id)
    if (stored === undefined) return undefined
    if (this.now() - stored.createdAt >= (this.options.idempotencyTtlMs ?? 24 * 3_600_000)) {
      this.idempotency.delete(id)
      return undefined
    }
    return stored
  }
}
