/**
 * The fake's in-memory Stripe account, in layers: `AccountState` (records, ids, events, search; here),
 * `CustomerState` (customers, payment methods), `IntentState` (setup and payment intents) and
 * `FakeStripeState` (refunds, disputes, events), each adding one group of Stripe resources with the
 * transitions Stripe makes. Handlers return a `Reply` (stored for
 * idempotent replay, errors included) or throw `Rejected` (a validation failure: nothing executed,
 * nothing stored).
 */
import { createHash } from "node:crypto"
import { type TestCard, testCards } from "./cards"
import type { FormObject, FormValue } from "./form"
import { errorBody, type Json, type Metadata, paymentMethodObject, type StripeErrorFields } from "./objects"

export interface Call {
  readonly params: FormObject
  readonly query: URLSearchParams
  readonly path: { readonly [name: string]: string }
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  readonly apiVersion: string
}

export interface Reply {
  readonly status: number
  readonly body: Json
}

export class Rejected extends Error {
  constructor(
    readonly status: number,
    readonly fields: StripeErrorFields
  ) {
    super(fields.message)
  }
}

export interface StoredMethod {
  readonly object: Json
  readonly card: TestCard
  /** Authenticated through a SetupIntent (a `setup`-only 3-D Secure card then pays off-session). */
  setUp: boolean
}

export interface StoredEvent {
  readonly event: Json
  readonly type: string
}

export const string = (value: FormValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined

export const metadataOf = (value: FormValue | undefined): Metadata => {
  if (value === undefined || typeof value === "string" || Array.isArray(value)) return {}
  const out: Metadata = {}
  for (const [key, entry] of Object.entries(value))
    if (typeof entry === "string" && entry !== "") out[key] = entry
  return out
}

export const invalid = (message: string, param?: string, code?: string): Rejected =>
  new Rejected(400, {
    type: "invalid_request_error",
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code })
  })

/** A resource that does not exist: 404 when it is the URL's, 400 when a parameter names it. */
export const missing = (kind: string, id: string, param: string, status: 400 | 404 = 400): Reply => ({
  status,
  body: errorBody(
    { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${kind}: '${id}'` },
    ""
  )
})

export interface FakeStateOptions {
  readonly now: () => number
  readonly baseUrl: () => string
  readonly onEvent: (event: Json) => void
}

/** The account's records and what every resource needs: ids, the clock, events, search. */
export class AccountState {
  protected serial = 0
  readonly customers = new Map<string, Json>()
  readonly methods = new Map<string, StoredMethod>()
  readonly setupIntents = new Map<string, Json>()
  readonly paymentIntents = new Map<string, Json>()
  readonly charges = new Map<string, Json>()
  readonly refunds = new Map<string, Json>()
  readonly disputes = new Map<string, Json>()
  readonly events: Array<StoredEvent> = []
  /** A refund that will fail after it is made (the bank returns it), with Stripe's `failure_reason`. */
  failNextRefund: string | undefined
  protected readonly afterReply: Array<() => void> = []

  constructor(protected readonly options: FakeStateOptions) {}

  seconds(): number {
    return Math.floor(this.options.now() / 1000)
  }

  id(prefix: string): string {
    this.serial += 1
    return `${prefix}_${createHash("sha256")
      .update(`${prefix}:${this.serial}:${this.options.now()}`)
      .digest("base64url")
      .replace(/[-_]/g, "")
      .slice(0, 10)}${String(this.serial).padStart(8, "0")}`
  }

  /** Work that happens after the reply left (an asynchronous transition such as a refund failing). */
  later(work: () => void): void {
    this.afterReply.push(work)
  }

  runLater(): void {
    for (const work of this.afterReply.splice(0)) work()
  }

  emit(type: string, object: Json, call: Call | undefined, previous?: Json): Json {
    const event: Json = {
      id: this.id("evt"),
      object: "event",
      api_version: call?.apiVersion ?? "2024-04-10",
      created: this.seconds(),
      data: {
        object: structuredClone(object),
        ...(previous === undefined ? {} : { previous_attributes: previous })
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: call?.requestId ?? null, idempotency_key: call?.idempotencyKey ?? null },
      type
    }
    this.events.push({ event, type })
    this.options.onEvent(event)
    return event
  }

  protected search(call: Call, objects: ReadonlyArray<Json>): ReadonlyArray<Json> {
    const query = call.query.get("query") ?? ""
    const clauses = query.split(/\s+AND\s+/).map((clause) => clause.trim())
    const parsed = clauses.map((clause) => /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(clause))
    if (query === "" || parsed.some((match) => match === null)) {
      throw invalid(`Invalid search query: ${query}`, "query")
    }
    const limit = Number(call.query.get("limit") ?? "10")
    return objects
      .filter((object) =>
        parsed.every(
          (match) => (object.metadata as Metadata)[match?.[1] ?? ""] === match?.[2]?.replace(/\\'/g, "'")
        )
      )
      .sort((a, b) => (b.created as number) - (a.created as number))
      .slice(0, limit)
  }

  /** A test token (`pm_card_visa`) becomes a new PaymentMethod; an id is looked up. */
  protected resolveMethod(id: string): StoredMethod | undefined {
    const card = testCards[id]
    if (card === undefined) return this.methods.get(id)
    const object = paymentMethodObject({
      id: this.id("pm"),
      created: this.seconds(),
      card,
      fingerprint: createHash("sha256").update(id).digest("base64url").slice(0, 16),
      customer: null
    })
    const method: StoredMethod = { object, card, setUp: false }
    this.methods.set(object.id as string, method)
    return method
  }

  protected attach(method: StoredMethod, customer: string, call: Call): void {
    method.object.customer = customer
    this.emit("payment_method.attached", method.object, call)
  }
}
