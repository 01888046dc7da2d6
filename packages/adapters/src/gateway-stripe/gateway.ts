/**
 * `PaymentGatewayService` on Stripe: a customer per (tenant, customer), SetupIntents to save cards,
 * off- and on-session PaymentIntents, refunds. Each POST carries a deterministic idempotency key:
 * charges and refunds use the caller's key; the others derive theirs from the request and the state they
 * change (so a retry replays, a new change gets a new key). The PaymentIntent id is our `chargeId`.
 */

import { createHash } from "node:crypto"
import type {
  ChargeOutcome,
  ChargeRequest,
  GatewayCapabilities,
  GatewayError,
  PaymentGatewayService,
  PaymentMethod,
  RefundRequest
} from "@ezscale/core"
import { Effect, Option } from "effect"
import Stripe from "stripe"
import { toStripeAmount } from "./amounts"
import { gatewayName, invalidRequest, sentAndUnanswered, stripeGatewayError } from "./errors"
import { metadataKeys, methodOf, outcomeOfIntent, outcomeOfRefund } from "./outcomes"

export interface StripeGatewayOptions {
  /** The tenant whose Stripe account this is: tags customers and charges, scopes the searches. */
  readonly tenantId: string
  /** Currencies the account can charge (Stripe settles many; list the ones the tenant bills in). */
  readonly currencies: GatewayCapabilities["currencies"]
  /** Where 3-D Secure sends the customer back after an on-session payment (`next_action` redirect). */
  readonly returnUrl?: string
}

/** The port plus what only Stripe has: a customer's default payment method. */
export interface StripeGatewayService extends PaymentGatewayService {
  readonly setDefaultMethod: (
    gatewayCustomerId: string,
    methodId: string
  ) => Effect.Effect<void, GatewayError>
  readonly defaultMethod: (gatewayCustomerId: string) => Effect.Effect<Option.Option<string>, GatewayError>
}

/** Stripe keys are at most 255 characters; longer ones are hashed (still deterministic). */
export const stripeIdempotencyKey = (key: string): string =>
  key.length <= 255 ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`

/** A value quoted for Stripe's search language. */
const quoted = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

const attempt = <A>(run: () => Promise<A>): Effect.Effect<A, unknown> =>
  Effect.tryPromise({ try: run, catch: (error) => error })

const isMissing = (error: unknown) =>
  error instanceof Stripe.errors.StripeError && error.code === "resource_missing"

export const makeStripeGatewayService = (
  stripe: Stripe,
  options: StripeGatewayOptions
): StripeGatewayService => {
  const capabilities: GatewayCapabilities = {
    refunds: true,
    partialRefunds: true,
    offSession: true,
    currencies: options.currencies
  }
  const call = <A>(run: () => Promise<A>): Effect.Effect<A, GatewayError> =>
    Effect.mapError(attempt(run), stripeGatewayError)
  const key = (...parts: ReadonlyArray<string>) => ({ idempotencyKey: stripeIdempotencyKey(parts.join(":")) })
  const tenantClause = `metadata['${metadataKeys.tenantId}']:${quoted(options.tenantId)}`

  const checkMoney = (money: ChargeRequest["amount"]) => {
    if (!capabilities.currencies.includes(money.currency)) {
      return Effect.fail(
        invalidRequest(
          `currency ${money.currency} is not enabled for this Stripe account`,
          "currency_not_supported"
        )
      )
    }
    const stripeAmount = toStripeAmount(money)
    return "problem" in stripeAmount
      ? Effect.fail(invalidRequest(stripeAmount.problem, "amount_invalid"))
      : Effect.succeed(stripeAmount)
  }

  const listMethods = (gatewayCustomerId: string) =>
    call(() => stripe.customers.listPaymentMethods(gatewayCustomerId, { type: "card", limit: 100 })).pipe(
      Effect.map((page) => page.data.map(methodOf))
    )

  const charge = (request: ChargeRequest): Effect.Effect<ChargeOutcome, GatewayError> =>
    Effect.gen(function* () {
      if (request.offSession && !capabilities.offSession) {
        return yield* Effect.fail(invalidRequest("off-session charges are not supported"))
      }
      const amount = yield* checkMoney(request.amount)
      const params: Stripe.PaymentIntentCreateParams = {
        amount: amount.amount,
        currency: amount.currency,
        customer: request.gatewayCustomerId,
        payment_method: request.methodId,
        confirm: true,
        allowed_payment_method_types: ["card"],
        metadata: {
          [metadataKeys.tenantId]: options.tenantId,
          [metadataKeys.invoiceId]: request.invoiceId,
          [metadataKeys.idempotencyKey]: request.idempotencyKey
        },
        ...(request.offSession ? { off_session: true } : {}),
        ...(!request.offSession && options.returnUrl !== undefined ? { return_url: options.returnUrl } : {}),
        ...(request.description === undefined ? {} : { description: request.description })
      }
      const unknown = (reason: string): ChargeOutcome => ({
        status: "unknown",
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        reason
      })
      return yield* attempt(() => stripe.paymentIntents.create(params, key(request.idempotencyKey))).pipe(
        Effect.flatMap((intent) => {
          const outcome = outcomeOfIntent(intent, request.idempotencyKey)
          return outcome === undefined
            ? Effect.fail(invalidRequest(`unexpected currency ${intent.currency} on ${intent.id}`))
            : Effect.succeed(outcome)
        }),
        Effect.catchAll((error) => {
          if (error instanceof Stripe.errors.StripeCardError && error.payment_intent !== undefined) {
            const outcome = outcomeOfIntent(error.payment_intent, request.idempotencyKey)
            if (outcome !== undefined) return Effect.succeed(outcome)
          }
          if (sentAndUnanswered(error)) {
            return Effect.succeed(unknown(error instanceof Error ? error.message : String(error)))
          }
          return Effect.fail(stripeGatewayError(error))
        })
      )
    })

  const retrieveByKey = (idempotencyKey: string) =>
    call(() =>
      stripe.paymentIntents.search({
        query: `metadata['${metadataKeys.idempotencyKey}']:${quoted(idempotencyKey)} AND ${tenantClause}`,
        limit: 10
      })
    ).pipe(
      Effect.map((found) => {
        const outcomes = found.data.flatMap((intent) => outcomeOfIntent(intent, idempotencyKey) ?? [])
        return Option.fromNullable(outcomes.find((o) => o.status === "succeeded") ?? outcomes[0])
      })
    )

  const retrieveById = (chargeId: string) =>
    attempt(() => stripe.paymentIntents.retrieve(chargeId)).pipe(
      Effect.map((intent) => Option.fromNullable(outcomeOfIntent(intent))),
      Effect.catchAll((error) =>
        isMissing(error) ? Effect.succeed(Option.none()) : Effect.fail(stripeGatewayError(error))
      )
    )

  const refund = (request: RefundRequest) =>
    Effect.gen(function* () {
      const amount = yield* checkMoney(request.amount)
      const intent = yield* call(() => stripe.paymentIntents.retrieve(request.chargeId))
      if (intent.currency !== amount.currency) {
        return yield* Effect.fail(
          invalidRequest(
            `refund in ${request.amount.currency}, charge ${intent.id} is in ${intent.currency.toUpperCase()}`
          )
        )
      }
      const reasons: ReadonlyArray<string> = ["duplicate", "fraudulent", "requested_by_customer"]
      const refunded = yield* call(() =>
        stripe.refunds.create(
          {
            payment_intent: request.chargeId,
            amount: amount.amount,
            metadata: {
              [metadataKeys.tenantId]: options.tenantId,
              [metadataKeys.idempotencyKey]: request.idempotencyKey,
              ...(request.reason === undefined ? {} : { ezscale_reason: request.reason.slice(0, 500) })
            },
            ...(request.reason !== undefined && reasons.includes(request.reason)
              ? { reason: request.reason as Stripe.RefundCreateParams.Reason }
              : {})
          },
          key(request.idempotencyKey)
        )
      )
      const outcome = outcomeOfRefund(refunded)
      return outcome === undefined
        ? yield* Effect.fail(invalidRequest(`unreadable refund ${refunded.id}`))
        : outcome
    })

  const ensureCustomer: StripeGatewayService["ensureCustomer"] = (request) =>
    Effect.gen(function* () {
      // Search first (idempotency keys expire after 24 h); the key covers the search index's lag.
      const found = yield* call(() =>
        stripe.customers.search({
          query: `metadata['${metadataKeys.customerId}']:${quoted(request.customerId)} AND ${tenantClause}`,
          limit: 1
        })
      )
      const existing = found.data[0]
      if (existing !== undefined) return { gatewayCustomerId: existing.id }
      const created = yield* call(() =>
        stripe.customers.create(
          {
            email: request.email,
            name: request.name,
            metadata: {
              [metadataKeys.tenantId]: options.tenantId,
              [metadataKeys.customerId]: request.customerId
            }
          },
          key("customer", options.tenantId, request.customerId)
        )
      )
      return { gatewayCustomerId: created.id }
    })

  const createSetup: StripeGatewayService["createSetup"] = (request) =>
    Effect.gen(function* () {
      // Keyed by the methods saved so far: until a card is saved, a repeat gives the same open SetupIntent.
      const methods = yield* listMethods(request.gatewayCustomerId)
      const saved = createHash("sha256")
        .update(
          methods
            .map((method) => method.id)
            .sort()
            .join(",")
        )
        .digest("hex")
        .slice(0, 16)
      let setupKey = ["setup", options.tenantId, request.gatewayCustomerId, saved]
      for (let round = 0; round < 3; round++) {
        const intent = yield* call(() =>
          stripe.setupIntents.create(
            {
              customer: request.gatewayCustomerId,
              usage: "off_session",
              allowed_payment_method_types: ["card"],
              metadata: { [metadataKeys.tenantId]: options.tenantId },
              ...(request.returnUrl === undefined ? {} : { return_url: request.returnUrl })
            },
            key(...setupKey)
          )
        )
        const open = ["requires_payment_method", "requires_confirmation", "requires_action"].includes(
          intent.status
        )
        if (open && intent.client_secret !== null)
          return { setupId: intent.id, clientSecret: intent.client_secret }
        setupKey = [...setupKey, "after", intent.id]
      }
      return yield* Effect.fail(invalidRequest("could not open a SetupIntent"))
    })

  const detachMethod: StripeGatewayService["detachMethod"] = (methodId) =>
    Effect.gen(function* () {
      const method = yield* call(() => stripe.paymentMethods.retrieve(methodId))
      const owner = typeof method.customer === "string" ? method.customer : (method.customer?.id ?? "none")
      yield* call(() => stripe.paymentMethods.detach(methodId, {}, key("detach", methodId, owner)))
    })

  const defaultMethod: StripeGatewayService["defaultMethod"] = (gatewayCustomerId) =>
    call(() => stripe.customers.retrieve(gatewayCustomerId)).pipe(
      Effect.map((customer) => {
        if (customer.deleted === true) return Option.none()
        const current = customer.invoice_settings.default_payment_method
        return Option.fromNullable(typeof current === "string" ? current : current?.id)
      })
    )

  const setDefaultMethod: StripeGatewayService["setDefaultMethod"] = (gatewayCustomerId, methodId) =>
    Effect.gen(function* () {
      const current = yield* defaultMethod(gatewayCustomerId)
      if (Option.contains(current, methodId)) return
      yield* call(() =>
        stripe.customers.update(
          gatewayCustomerId,
          { invoice_settings: { default_payment_method: methodId } },
          key(
            "default",
            gatewayCustomerId,
            methodId,
            Option.getOrElse(current, () => "none")
          )
        )
      )
    })

  return {
    name: gatewayName,
    capabilities,
    ensureCustomer,
    createSetup,
    listMethods: (gatewayCustomerId): Effect.Effect<ReadonlyArray<PaymentMethod>, GatewayError> =>
      listMethods(gatewayCustomerId),
    detachMethod,
    charge,
    retrieveCharge: (reference) =>
      "idempotencyKey" in reference
        ? retrieveByKey(reference.idempotencyKey)
        : retrieveById(reference.chargeId),
    refund,
    setDefaultMethod,
    defaultMethod
  }
}
