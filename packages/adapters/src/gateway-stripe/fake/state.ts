/**
 * The fake's in-memory Stripe account: customers, payment methods, setup and payment intents, charges,
 * refunds, disputes and events, with the transitions Stripe makes. Handlers return a `Reply` (stored for
 * idempotent replay, errors included) or throw `Rejected` (a validation failure: nothing executed,
 * nothing stored).
 */
import { createHash } from "node:crypto"
import { type CardBehaviour, type TestCard, testCards } from "./cards"
import type { FormObject, FormValue } from "./form"
import {
  chargeObject,
  customerObject,
  disputeObject,
  errorBody,
  type Json,
  listObject,
  type Metadata,
  paymentIntentObject,
  paymentMethodObject,
  refundObject,
  type StripeErrorFields,
  searchResultObject,
  setupIntentObject
} from "./objects"

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

interface StoredMethod {
  readonly object: Json
  readonly card: TestCard
  /** Authenticated through a SetupIntent (a `setup`-only 3-D Secure card then pays off-session). */
  setUp: boolean
}

interface StoredEvent {
  readonly event: Json
  readonly type: string
}

const string = (value: FormValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined

const metadataOf = (value: FormValue | undefined): Metadata => {
  if (value === undefined || typeof value === "string" || Array.isArray(value)) return {}
  const out: Metadata = {}
  for (const [key, entry] of Object.entries(value))
    if (typeof entry === "string" && entry !== "") out[key] = entry
  return out
}

const invalid = (message: string, param?: string, code?: string): Rejected =>
  new Rejected(400, {
    type: "invalid_request_error",
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code })
  })

/** A resource that does not exist: 404 when it is the URL's, 400 when a parameter names it. */
const missing = (kind: string, id: string, param: string, status: 400 | 404 = 400): Reply => ({
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

export class FakeStripeState {
  private serial = 0
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
  private readonly afterReply: Array<() => void> = []

  constructor(private readonly options: FakeStateOptions) {}

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

  // --- customers -------------------------------------------------------------------------------------

  createCustomer(call: Call): Reply {
    const customer = customerObject({
      id: this.id("cus"),
      created: this.seconds(),
      email: string(call.params.email) ?? null,
      name: string(call.params.name) ?? null,
      description: string(call.params.description) ?? null,
      metadata: metadataOf(call.params.metadata)
    })
    this.customers.set(customer.id as string, customer)
    this.emit("customer.created", customer, call)
    return { status: 200, body: customer }
  }

  retrieveCustomer(call: Call): Reply {
    const customer = this.customers.get(call.path.customer ?? "")
    return customer === undefined
      ? missing("customer", call.path.customer ?? "", "id", 404)
      : { status: 200, body: customer }
  }

  updateCustomer(call: Call): Reply {
    const id = call.path.customer ?? ""
    const customer = this.customers.get(id)
    if (customer === undefined) return missing("customer", id, "id", 404)
    const settings = call.params.invoice_settings
    const defaultMethod =
      typeof settings === "object" && !Array.isArray(settings)
        ? string((settings as FormObject).default_payment_method)
        : undefined
    if (defaultMethod !== undefined && defaultMethod !== "") {
      const method = this.methods.get(defaultMethod)
      if (method === undefined || method.object.customer !== id) {
        return missing("PaymentMethod", defaultMethod, "invoice_settings[default_payment_method]")
      }
    }
    const previous: Json = {}
    if (defaultMethod !== undefined) {
      const invoiceSettings = customer.invoice_settings as Json
      previous.invoice_settings = { default_payment_method: invoiceSettings.default_payment_method }
      invoiceSettings.default_payment_method = defaultMethod === "" ? null : defaultMethod
    }
    for (const field of ["email", "name", "description"] as const) {
      const value = string(call.params[field])
      if (value !== undefined) {
        previous[field] = customer[field]
        customer[field] = value
      }
    }
    if (call.params.metadata !== undefined) {
      previous.metadata = customer.metadata
      customer.metadata = { ...(customer.metadata as Metadata), ...metadataOf(call.params.metadata) }
    }
    this.emit("customer.updated", customer, call, previous)
    return { status: 200, body: customer }
  }

  searchCustomers(call: Call): Reply {
    const matches = this.search(call, [...this.customers.values()])
    return { status: 200, body: searchResultObject("/v1/customers/search", matches) }
  }

  /** Stripe's search language, the part we use: `metadata['key']:'value'` clauses joined by AND. */
  private search(call: Call, objects: ReadonlyArray<Json>): ReadonlyArray<Json> {
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

  // --- payment methods -------------------------------------------------------------------------------

  /** A test token (`pm_card_visa`) becomes a new PaymentMethod; an id is looked up. */
  private resolveMethod(id: string): StoredMethod | undefined {
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

  private attach(method: StoredMethod, customer: string, call: Call): void {
    method.object.customer = customer
    this.emit("payment_method.attached", method.object, call)
  }

  attachMethod(call: Call): Reply {
    const customer = string(call.params.customer)
    if (customer === undefined)
      throw invalid("Missing required param: customer.", "customer", "parameter_missing")
    if (!this.customers.has(customer)) return missing("customer", customer, "customer")
    const method = this.resolveMethod(call.path.payment_method ?? "")
    if (method === undefined)
      return missing("PaymentMethod", call.path.payment_method ?? "", "payment_method", 404)
    if (method.object.customer !== null && method.object.customer !== customer) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            message: "The payment method you provided has already been attached to a customer."
          },
          call.requestId
        )
      }
    }
    if (method.object.customer !== customer) this.attach(method, customer, call)
    return { status: 200, body: method.object }
  }

  detachMethod(call: Call): Reply {
    const id = call.path.payment_method ?? ""
    const method = this.methods.get(id)
    if (method === undefined) return missing("PaymentMethod", id, "payment_method", 404)
    const customer = method.object.customer
    if (customer === null) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            message:
              "The payment method you provided is not attached to a customer so detachment is impossible."
          },
          call.requestId
        )
      }
    }
    method.object.customer = null
    const owner = this.customers.get(customer as string)
    const settings = owner?.invoice_settings as Json | undefined
    if (settings !== undefined && settings.default_payment_method === id)
      settings.default_payment_method = null
    this.emit("payment_method.detached", method.object, call, { customer })
    return { status: 200, body: method.object }
  }

  retrieveMethod(call: Call): Reply {
    const method = this.methods.get(call.path.payment_method ?? "")
    return method === undefined
      ? missing("PaymentMethod", call.path.payment_method ?? "", "payment_method", 404)
      : { status: 200, body: method.object }
  }

  listCustomerMethods(call: Call): Reply {
    const customer = call.path.customer ?? ""
    if (!this.customers.has(customer)) return missing("customer", customer, "customer", 404)
    const type = call.query.get("type")
    const data = [...this.methods.values()]
      .map((method) => method.object)
      .filter((object) => object.customer === customer && (type === null || object.type === type))
      .sort((a, b) => (b.created as number) - (a.created as number))
    return { status: 200, body: listObject(`/v1/customers/${customer}/payment_methods`, data) }
  }

  // --- setup intents ---------------------------------------------------------------------------------

  createSetupIntent(call: Call): Reply {
    const customer = string(call.params.customer) ?? null
    if (customer !== null && !this.customers.has(customer)) return missing("customer", customer, "customer")
    const usage = string(call.params.usage) ?? "off_session"
    if (usage !== "off_session" && usage !== "on_session") throw invalid(`Invalid usage: ${usage}`, "usage")
    const id = this.id("seti")
    const intent = setupIntentObject({
      id,
      created: this.seconds(),
      clientSecret: `${id}_secret_${this.id("s").slice(2)}`,
      customer,
      usage,
      metadata: metadataOf(call.params.metadata),
      description: string(call.params.description) ?? null
    })
    this.setupIntents.set(id, intent)
    this.emit("setup_intent.created", intent, call)
    const method = string(call.params.payment_method)
    if (string(call.params.confirm) === "true" && method !== undefined)
      return this.confirmSetup(intent, method, call)
    return { status: 200, body: intent }
  }

  retrieveSetupIntent(call: Call): Reply {
    const intent = this.setupIntents.get(call.path.intent ?? "")
    return intent === undefined
      ? missing("setupintent", call.path.intent ?? "", "intent", 404)
      : { status: 200, body: intent }
  }

  /** What Stripe.js does in the browser with the client secret: confirm with the card the customer typed. */
  confirmSetupIntent(call: Call): Reply {
    const intent = this.setupIntents.get(call.path.intent ?? "")
    if (intent === undefined) return missing("setupintent", call.path.intent ?? "", "intent", 404)
    const method = string(call.params.payment_method) ?? (intent.payment_method as string | null)
    if (method === null || method === undefined) {
      throw invalid("You must provide a payment method to confirm this SetupIntent.", "payment_method")
    }
    return this.confirmSetup(intent, method, call)
  }

  private confirmSetup(intent: Json, methodId: string, call: Call): Reply {
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
      return this.unexpectedState("setup_intent", intent, call)
    }
    const method = this.resolveMethod(methodId)
    if (method === undefined) return missing("PaymentMethod", methodId, "payment_method")
    intent.payment_method = method.object.id
    const behaviour = method.card.behaviour
    if (behaviour.kind === "decline") {
      intent.status = "requires_payment_method"
      intent.last_setup_error = {
        type: "card_error",
        code: behaviour.code,
        decline_code: behaviour.declineCode,
        message: behaviour.message,
        payment_method: method.object
      }
      this.emit("setup_intent.setup_failed", intent, call)
      return {
        status: 402,
        body: errorBody(
          {
            type: "card_error",
            code: behaviour.code,
            declineCode: behaviour.declineCode,
            message: behaviour.message,
            paymentMethod: method.object
          },
          call.requestId
        )
      }
    }
    if (behaviour.kind === "authenticate") {
      intent.status = "requires_action"
      intent.next_action = this.nextAction(intent.id as string, string(call.params.return_url))
      this.emit("setup_intent.requires_action", intent, call)
      return { status: 200, body: intent }
    }
    this.succeedSetup(intent, method, call)
    return { status: 200, body: intent }
  }

  private succeedSetup(intent: Json, method: StoredMethod, call: Call | undefined): void {
    method.setUp = true
    intent.status = "succeeded"
    intent.next_action = null
    intent.last_setup_error = null
    const customer = intent.customer as string | null
    if (customer !== null && method.object.customer !== customer) this.attach(method, customer, call as Call)
    this.emit("setup_intent.succeeded", intent, call)
  }

  private nextAction(id: string, returnUrl: string | undefined): Json {
    return returnUrl === undefined
      ? {
          type: "use_stripe_sdk",
          use_stripe_sdk: {
            type: "three_d_secure_redirect",
            stripe_js: `${this.options.baseUrl()}/fake/3ds/${id}`
          }
        }
      : {
          type: "redirect_to_url",
          redirect_to_url: { return_url: returnUrl, url: `${this.options.baseUrl()}/fake/3ds/${id}` }
        }
  }

  // --- payment intents -------------------------------------------------------------------------------

  createPaymentIntent(call: Call): Reply {
    const amountText = string(call.params.amount)
    if (amountText === undefined)
      throw invalid("Missing required param: amount.", "amount", "parameter_missing")
    if (!/^\d+$/.test(amountText))
      throw invalid(`Invalid integer: ${amountText}`, "amount", "parameter_invalid_integer")
    const amount = Number(amountText)
    if (amount < 1 || amount > 99_999_999) {
      throw invalid(
        "Amount must be between 1 and 99999999.",
        "amount",
        amount < 1 ? "amount_too_small" : "amount_too_large"
      )
    }
    const currency = string(call.params.currency)
    if (currency === undefined)
      throw invalid("Missing required param: currency.", "currency", "parameter_missing")
    if (!/^[a-z]{3}$/.test(currency))
      throw invalid(`Invalid currency: ${currency}.`, "currency", "parameter_invalid_string")
    const customer = string(call.params.customer) ?? null
    if (customer !== null && !this.customers.has(customer)) return missing("customer", customer, "customer")
    const offSession = ["true", "one_off", "recurring"].includes(string(call.params.off_session) ?? "")
    const id = this.id("pi")
    const intent = paymentIntentObject({
      id,
      created: this.seconds(),
      amount,
      currency,
      customer,
      description: string(call.params.description) ?? null,
      metadata: metadataOf(call.params.metadata),
      clientSecret: `${id}_secret_${this.id("s").slice(2)}`,
      offSession
    })
    const methodId = string(call.params.payment_method)
    let method: StoredMethod | undefined
    if (methodId !== undefined) {
      method = this.resolveMethod(methodId)
      if (method === undefined) return missing("PaymentMethod", methodId, "payment_method")
      if (customer !== null && method.object.customer !== null && method.object.customer !== customer) {
        return {
          status: 400,
          body: errorBody(
            {
              type: "invalid_request_error",
              param: "payment_method",
              message: `The provided PaymentMethod belongs to another Customer (${method.object.customer}).`
            },
            call.requestId
          )
        }
      }
      intent.payment_method = method.object.id
      intent.status = "requires_confirmation"
    }
    this.paymentIntents.set(id, intent)
    this.emit("payment_intent.created", intent, call)
    if (string(call.params.confirm) !== "true") return { status: 200, body: intent }
    if (method === undefined) return this.unexpectedState("payment_intent", intent, call)
    return this.confirmPayment(intent, method, offSession, string(call.params.return_url), call)
  }

  private confirmPayment(
    intent: Json,
    method: StoredMethod,
    offSession: boolean,
    returnUrl: string | undefined,
    call: Call
  ): Reply {
    const behaviour: CardBehaviour = method.card.behaviour
    const authenticate = behaviour.kind === "authenticate" && (behaviour.when === "always" || !method.setUp)
    if (behaviour.kind === "decline") return this.declinePayment(intent, method, behaviour, call)
    if (authenticate && offSession) {
      return this.declinePayment(
        intent,
        method,
        {
          kind: "decline",
          code: "authentication_required",
          declineCode: "authentication_required",
          message: "Your card was declined. This transaction requires authentication."
        },
        call
      )
    }
    if (authenticate) {
      intent.status = "requires_action"
      intent.next_action = this.nextAction(intent.id as string, returnUrl)
      this.emit("payment_intent.requires_action", intent, call)
      return { status: 200, body: intent }
    }
    this.succeedPayment(intent, method, call)
    return { status: 200, body: intent }
  }

  private newCharge(
    intent: Json,
    method: StoredMethod,
    failure: { code: string; message: string; declineCode: string } | null
  ): Json {
    const charge = chargeObject({
      id: this.id("ch"),
      created: this.seconds(),
      amount: intent.amount as number,
      currency: intent.currency as string,
      customer: intent.customer as string | null,
      description: intent.description as string | null,
      metadata: intent.metadata as Metadata,
      paymentIntent: intent.id as string,
      paymentMethod: method.object.id as string,
      card: method.card,
      fingerprint: (method.object.card as Json).fingerprint as string,
      failure
    })
    this.charges.set(charge.id as string, charge)
    intent.latest_charge = charge.id
    return charge
  }

  private succeedPayment(intent: Json, method: StoredMethod, call: Call | undefined): void {
    const charge = this.newCharge(intent, method, null)
    intent.status = "succeeded"
    intent.amount_received = intent.amount
    intent.next_action = null
    intent.last_payment_error = null
    this.emit("charge.succeeded", charge, call)
    this.emit("payment_intent.succeeded", intent, call)
  }

  private declinePayment(
    intent: Json,
    method: StoredMethod,
    decline: Extract<CardBehaviour, { kind: "decline" }>,
    call: Call | undefined
  ): Reply {
    const charge = this.newCharge(intent, method, decline)
    intent.status = "requires_payment_method"
    intent.next_action = null
    intent.last_payment_error = {
      type: "card_error",
      charge: charge.id,
      code: decline.code,
      decline_code: decline.declineCode,
      message: decline.message,
      payment_method: method.object
    }
    this.emit("charge.failed", charge, call)
    this.emit("payment_intent.payment_failed", intent, call)
    return {
      status: 402,
      body: errorBody(
        {
          type: "card_error",
          code: decline.code,
          declineCode: decline.declineCode,
          message: decline.message,
          charge: charge.id as string,
          paymentIntent: intent,
          paymentMethod: method.object
        },
        call?.requestId ?? ""
      )
    }
  }

  private unexpectedState(kind: string, intent: Json, call: Call): Reply {
    return {
      status: 400,
      body: errorBody(
        {
          type: "invalid_request_error",
          code: `${kind}_unexpected_state`,
          message: `This ${kind.replace("_", "")}'s status is ${intent.status}, which does not allow this action.`,
          ...(kind === "payment_intent" ? { paymentIntent: intent } : {})
        },
        call.requestId
      )
    }
  }

  retrievePaymentIntent(call: Call): Reply {
    const intent = this.paymentIntents.get(call.path.intent ?? "")
    return intent === undefined
      ? missing("payment_intent", call.path.intent ?? "", "intent", 404)
      : { status: 200, body: intent }
  }

  searchPaymentIntents(call: Call): Reply {
    const matches = this.search(call, [...this.paymentIntents.values()])
    return { status: 200, body: searchResultObject("/v1/payment_intents/search", matches) }
  }

  cancelPaymentIntent(call: Call): Reply {
    const intent = this.paymentIntents.get(call.path.intent ?? "")
    if (intent === undefined) return missing("payment_intent", call.path.intent ?? "", "intent", 404)
    if (intent.status === "succeeded" || intent.status === "canceled")
      return this.unexpectedState("payment_intent", intent, call)
    intent.status = "canceled"
    intent.canceled_at = this.seconds()
    intent.cancellation_reason = string(call.params.cancellation_reason) ?? null
    intent.next_action = null
    this.emit("payment_intent.canceled", intent, call)
    return { status: 200, body: intent }
  }

  /** The customer finishes (or fails) 3-D Secure on the page `next_action` pointed to. */
  completeAction(intentId: string, succeed: boolean): Json {
    const setup = this.setupIntents.get(intentId)
    const intent = setup ?? this.paymentIntents.get(intentId)
    if (intent === undefined || intent.status !== "requires_action") {
      throw new Error(`stripe fake: ${intentId} is not waiting for an action`)
    }
    const method = this.methods.get(intent.payment_method as string)
    if (method === undefined) throw new Error(`stripe fake: ${intentId} has no payment method`)
    const failure = {
      type: "invalid_request_error",
      code:
        setup === undefined ? "payment_intent_authentication_failure" : "setup_intent_authentication_failure",
      message:
        "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
      payment_method: method.object
    }
    if (setup !== undefined) {
      if (succeed) this.succeedSetup(setup, method, undefined)
      else {
        setup.status = "requires_payment_method"
        setup.next_action = null
        setup.last_setup_error = failure
        this.emit("setup_intent.setup_failed", setup, undefined)
      }
      return setup
    }
    if (succeed) {
      method.setUp = true
      this.succeedPayment(intent, method, undefined)
    } else {
      intent.status = "requires_payment_method"
      intent.next_action = null
      intent.last_payment_error = failure
      this.emit("payment_intent.payment_failed", intent, undefined)
    }
    return intent
  }

  // --- refunds ---------------------------------------------------------------------------------------

  createRefund(call: Call): Reply {
    const intentId = string(call.params.payment_intent)
    const chargeId = string(call.params.charge)
    if (intentId === undefined && chargeId === undefined) {
      throw invalid(
        "One of the following params should be provided for this request: payment_intent or charge.",
        "payment_intent",
        "parameter_missing"
      )
    }
    let charge: Json | undefined
    if (intentId !== undefined) {
      const intent = this.paymentIntents.get(intentId)
      if (intent === undefined) return missing("payment_intent", intentId, "payment_intent")
      charge = intent.status === "succeeded" ? this.charges.get(intent.latest_charge as string) : undefined
      if (charge === undefined) {
        return {
          status: 400,
          body: errorBody(
            {
              type: "invalid_request_error",
              param: "payment_intent",
              message: `This PaymentIntent (${intentId}) does not have a successful charge to refund.`
            },
            call.requestId
          )
        }
      }
    } else {
      charge = this.charges.get(chargeId ?? "")
      if (charge === undefined) return missing("charge", chargeId ?? "", "charge")
    }
    const remaining = (charge.amount as number) - (charge.amount_refunded as number)
    const amountText = string(call.params.amount)
    if (amountText !== undefined && !/^\d+$/.test(amountText)) {
      throw invalid(`Invalid integer: ${amountText}`, "amount", "parameter_invalid_integer")
    }
    const amount = amountText === undefined ? remaining : Number(amountText)
    if (remaining === 0) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            code: "charge_already_refunded",
            message: `Charge ${charge.id} has already been refunded.`
          },
          call.requestId
        )
      }
    }
    if (amount < 1 || amount > remaining) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            param: "amount",
            message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`
          },
          call.requestId
        )
      }
    }
    const failing = this.failNextRefund
    this.failNextRefund = undefined
    const refund = refundObject({
      id: this.id("re"),
      created: this.seconds(),
      amount,
      currency: charge.currency as string,
      charge: charge.id as string,
      paymentIntent: charge.payment_intent as string,
      customer: charge.customer as string | null,
      paymentMethod: charge.payment_method as string | null,
      reason: string(call.params.reason) ?? null,
      metadata: metadataOf(call.params.metadata),
      status: failing === undefined ? "succeeded" : "pending"
    })
    this.refunds.set(refund.id as string, refund)
    this.applyRefund(charge, refund, amount, call)
    if (failing !== undefined) this.later(() => this.failRefund(refund.id as string, failing))
    return { status: 200, body: refund }
  }

  private applyRefund(charge: Json, refund: Json, amount: number, call: Call | undefined): void {
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded }
    charge.amount_refunded = (charge.amount_refunded as number) + amount
    charge.refunded = charge.amount_refunded === charge.amount
    const list = charge.refunds as Json
    list.data = [...(list.data as Array<Json>).filter((entry) => entry.id !== refund.id), refund].sort(
      (a, b) => (b.created as number) - (a.created as number)
    )
    if (amount > 0) {
      this.emit("refund.created", refund, call)
      this.emit("charge.refunded", charge, call, previous)
    }
  }

  /** The bank returns a refund: it ends `failed` and the money is back on the merchant's balance. */
  failRefund(refundId: string, reason: string): Json {
    const refund = this.refunds.get(refundId)
    if (refund === undefined) throw new Error(`stripe fake: no refund ${refundId}`)
    const charge = this.charges.get(refund.charge as string)
    const previous = { status: refund.status }
    refund.status = "failed"
    refund.failure_reason = reason
    if (charge !== undefined) {
      charge.amount_refunded = (charge.amount_refunded as number) - (refund.amount as number)
      charge.refunded = false
    }
    this.emit("refund.failed", refund, undefined, previous)
    this.emit("refund.updated", refund, undefined, previous)
    return refund
  }

  retrieveRefund(call: Call): Reply {
    const refund = this.refunds.get(call.path.refund ?? "")
    return refund === undefined
      ? missing("refund", call.path.refund ?? "", "refund", 404)
      : { status: 200, body: refund }
  }

  // --- disputes --------------------------------------------------------------------------------------

  openDispute(paymentIntentId: string, reason: string, amount?: number): Json {
    const intent = this.paymentIntents.get(paymentIntentId)
    const charge = intent === undefined ? undefined : this.charges.get(intent.latest_charge as string)
    if (intent === undefined || charge === undefined || charge.status !== "succeeded") {
      throw new Error(`stripe fake: ${paymentIntentId} has no successful charge to dispute`)
    }
    const dispute = disputeObject({
      id: this.id("dp"),
      created: this.seconds(),
      amount: amount ?? (charge.amount as number),
      currency: charge.currency as string,
      charge: charge.id as string,
      paymentIntent: paymentIntentId,
      reason,
      dueBy: this.seconds() + 7 * 86_400
    })
    this.disputes.set(dispute.id as string, dispute)
    charge.disputed = true
    this.emit("charge.dispute.created", dispute, undefined)
    this.emit("charge.dispute.funds_withdrawn", dispute, undefined)
    return dispute
  }

  closeDispute(disputeId: string, outcome: "won" | "lost", call?: Call): Json {
    const dispute = this.disputes.get(disputeId)
    if (dispute === undefined) throw new Error(`stripe fake: no dispute ${disputeId}`)
    const previous = { status: dispute.status }
    dispute.status = outcome
    if (outcome === "won") this.emit("charge.dispute.funds_reinstated", dispute, call)
    this.emit("charge.dispute.closed", dispute, call, previous)
    return dispute
  }

  retrieveDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    return dispute === undefined
      ? missing("dispute", call.path.dispute ?? "", "dispute", 404)
      : { status: 200, body: dispute }
  }

  /** Evidence submitted: the dispute goes under review. */
  updateDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    if (dispute === undefined) return missing("dispute", call.path.dispute ?? "", "dispute", 404)
    const previous = { status: dispute.status }
    if (string(call.params.submit) !== "false" && dispute.status === "needs_response") {
      dispute.status = "under_review"
      const details = dispute.evidence_details as Json
      details.has_evidence = true
      details.submission_count = (details.submission_count as number) + 1
    }
    dispute.metadata = { ...(dispute.metadata as Metadata), ...metadataOf(call.params.metadata) }
    this.emit("charge.dispute.updated", dispute, call, previous)
    return { status: 200, body: dispute }
  }

  /** The merchant accepts the dispute: it is lost. */
  acceptDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    if (dispute === undefined) return missing("dispute", call.path.dispute ?? "", "dispute", 404)
    return { status: 200, body: this.closeDispute(dispute.id as string, "lost", call) }
  }

  // --- events ----------------------------------------------------------------------------------------

  listEvents(call: Call): Reply {
    const type = call.query.get("type")
    const limit = Number(call.query.get("limit") ?? "10")
    const after = call.query.get("starting_after")
    const newestFirst = [...this.events].reverse().filter((stored) => type === null || stored.type === type)
    const start = after === null ? 0 : newestFirst.findIndex((stored) => stored.event.id === after) + 1
    const page = newestFirst.slice(start, start + limit)
    return {
      status: 200,
      body: listObject(
        "/v1/events",
        page.map((stored) => stored.event),
        start + limit < newestFirst.length
      )
    }
  }

  retrieveEvent(call: Call): Reply {
    const stored = this.events.find((entry) => entry.event.id === call.path.id)
    return stored === undefined
      ? missing("event", call.path.id ?? "", "id", 404)
      : { status: 200, body: stored.event }
  }
}
