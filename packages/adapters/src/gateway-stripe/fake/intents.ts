/** SetupIntents and PaymentIntents: confirmation per test card, declines, 3-D Secure, cancel. */
import type { CardBehaviour } from "./cards"
import { CustomerState } from "./customers"
import {
  chargeObject,
  errorBody,
  type Json,
  type Metadata,
  paymentIntentObject,
  searchResultObject,
  setupIntentObject
} from "./objects"
import { type Call, invalid, metadataOf, missing, type Reply, type StoredMethod, string } from "./state"

export class IntentState extends CustomerState {
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

  protected confirmSetup(intent: Json, methodId: string, call: Call): Reply {
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
      return this.unexpectedState("setup_intent", intent, call)
    }
    const method = this.resolveMethod(methodId)
    if (method === undefined) return missing("PaymentMethod", methodId, "payment_method")
    intent.payment_method = method.object.id
    const behaviour = method.card.behaviour
    if (behaviour.kind === "decline" && behaviour.onSetup) {
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

  protected succeedSetup(intent: Json, method: StoredMethod, call: Call | undefined): void {
    method.setUp = true
    intent.status = "succeeded"
    intent.next_action = null
    intent.last_setup_error = null
    const customer = intent.customer as string | null
    if (customer !== null && method.object.customer !== customer) this.attach(method, customer, call as Call)
    this.emit("setup_intent.succeeded", intent, call)
  }

  protected nextAction(id: string, returnUrl: string | undefined): Json {
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

  protected confirmPayment(
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
          message: "Your card was declined. This transaction requires authentication.",
          onSetup: false
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

  protected newCharge(
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

  protected succeedPayment(intent: Json, method: StoredMethod, call: Call | undefined): void {
    const charge = this.newCharge(intent, method, null)
    intent.status = "succeeded"
    intent.amount_received = intent.amount
    intent.next_action = null
    intent.last_payment_error = null
    this.emit("charge.succeeded", charge, call)
    this.emit("payment_intent.succeeded", intent, call)
  }

  protected declinePayment(
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

  protected unexpectedState(kind: string, intent: Json, call: Call): Reply {
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
}
