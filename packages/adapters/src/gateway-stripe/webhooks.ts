/**
 * Stripe webhooks: the signature check (`Stripe-Signature: t=<seconds>,v1=<hex>[,v1=...]`, HMAC-SHA256
 * of `<t>.<raw body>` with the endpoint secret; any v1 entry may match any configured secret, so a rolled
 * secret works from both sides), the tolerance on `t` (too old is refused, as Stripe's libraries do), and
 * the event read into a `GatewayEvent`. Handled: payment_intent.succeeded / payment_failed /
 * requires_action / canceled / processing, charge.refunded, refund.created / updated / failed,
 * charge.dispute.created / updated / closed, setup_intent.succeeded, payment_method.attached / detached;
 * every other type is `Ignored` (still stored in the inbox by the engine).
 */

import { createHmac, timingSafeEqual } from "node:crypto"
import {
  type GatewayEvent,
  type GatewayWebhooks,
  type VerifiedWebhook,
  WebhookRejected,
  type WebhookRequest
} from "@ezscale/core"
import { Clock, Effect, Redacted } from "effect"
import type Stripe from "stripe"
import { fromStripeAmount } from "./amounts"
import { gatewayName } from "./errors"
import { invoiceIdOf, methodOf, outcomeOfIntent, outcomeOfRefund } from "./outcomes"

export interface StripeWebhookConfig {
  /** The endpoint's signing secrets (`whsec_...`): the current one, and the previous while rolling. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string> | string>
  /** How old a signature may be, seconds; default 300 (Stripe's). */
  readonly toleranceSeconds?: number
}

const reject = (reason: WebhookRejected["reason"], detail: string) =>
  Effect.fail(new WebhookRejected({ gateway: gatewayName, reason, detail }))

const parseHeader = (header: string) => {
  let timestamp: number | undefined
  const signatures: Array<string> = []
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2)
    if (name === "t" && value !== undefined && /^\d+$/.test(value)) timestamp = Number(value)
    if (name === "v1" && value !== undefined && /^[0-9a-f]{64}$/i.test(value))
      signatures.push(value.toLowerCase())
  }
  return { timestamp, signatures }
}

const idOf = (value: string | { readonly id: string } | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === "string" ? value : value.id

const chargeEvent = (intent: Stripe.PaymentIntent): GatewayEvent => {
  const outcome = outcomeOfIntent(intent, `stripe:${intent.id}`)
  if (outcome === undefined) return { _tag: "Ignored" }
  const invoiceId = invoiceIdOf(intent)
  return { _tag: "ChargeUpdated", outcome, ...(invoiceId === undefined ? {} : { invoiceId }) }
}

const disputeStatus = (status: Stripe.Dispute.Status): "open" | "won" | "lost" => {
  switch (status) {
    case "won":
    case "warning_closed":
    case "prevented":
      return "won"
    case "lost":
      return "lost"
    default:
      return "open"
  }
}

/** What a Stripe event means for billing (the payload is the event JSON as Stripe sent it). */
export const interpretStripeEvent = (payload: unknown): GatewayEvent => {
  const event = payload as Stripe.Event
  const object = (event as { data?: { object?: unknown } }).data?.object
  if (typeof event?.type !== "string" || object === null || typeof object !== "object")
    return { _tag: "Ignored" }
  switch (event.type) {
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed":
    case "payment_intent.requires_action":
    case "payment_intent.canceled":
    case "payment_intent.processing":
      return chargeEvent(object as Stripe.PaymentIntent)
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const refund = outcomeOfRefund(object as Stripe.Refund)
      return refund === undefined ? { _tag: "Ignored" } : { _tag: "RefundUpdated", refund }
    }
    case "charge.refunded": {
      // The charge lists its refunds (newest first) when Stripe includes them; refund.* events carry each.
      const charge = object as Stripe.Charge
      const latest = charge.refunds?.data[0]
      const refund = latest === undefined ? undefined : outcomeOfRefund(latest)
      const invoiceId = invoiceIdOf(charge)
      return refund === undefined
        ? { _tag: "Ignored" }
        : { _tag: "RefundUpdated", refund, ...(invoiceId === undefined ? {} : { invoiceId }) }
    }
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed": {
      const dispute = object as Stripe.Dispute
      const amount = fromStripeAmount(dispute.amount, dispute.currency)
      const chargeId = idOf(dispute.payment_intent) ?? idOf(dispute.charge)
      if (amount === undefined || chargeId === undefined) return { _tag: "Ignored" }
      return {
        _tag: "DisputeUpdated",
        disputeId: dispute.id,
        chargeId,
        amount,
        status: disputeStatus(dispute.status),
        ...(dispute.reason === "" ? {} : { reason: dispute.reason })
      }
    }
    case "setup_intent.succeeded": {
      const intent = object as Stripe.SetupIntent
      const customer = idOf(intent.customer)
      const method = intent.payment_method
      if (customer === undefined || method === null) return { _tag: "Ignored" }
      return {
        _tag: "MethodSaved",
        gatewayCustomerId: customer,
        method: typeof method === "string" ? { id: method, kind: "card", label: "card" } : methodOf(method)
      }
    }
    case "payment_method.attached": {
      const method = object as Stripe.PaymentMethod
      const customer = idOf(method.customer)
      return customer === undefined
        ? { _tag: "Ignored" }
        : { _tag: "MethodSaved", gatewayCustomerId: customer, method: methodOf(method) }
    }
    case "payment_method.detached": {
      const method = object as Stripe.PaymentMethod
      const previous = (event.data as { previous_attributes?: { customer?: unknown } }).previous_attributes
      const customer = typeof previous?.customer === "string" ? previous.customer : undefined
      return {
        _tag: "MethodRemoved",
        methodId: method.id,
        ...(customer === undefined ? {} : { gatewayCustomerId: customer })
      }
    }
    default:
      return { _tag: "Ignored" }
  }
}

export const makeStripeWebhooks = (config: StripeWebhookConfig): GatewayWebhooks => {
  const secrets = config.secrets.map((secret) =>
    typeof secret === "string" ? secret : Redacted.value(secret)
  )
  const tolerance = config.toleranceSeconds ?? 300
  const verify = (request: WebhookRequest): Effect.Effect<VerifiedWebhook, WebhookRejected> =>
    Effect.gen(function* () {
      const header = request.headers["stripe-signature"]
      if (header === undefined || header === "")
        return yield* reject("Signature", "no Stripe-Signature header")
      const { timestamp, signatures } = parseHeader(header)
      if (timestamp === undefined) return yield* reject("Signature", "no timestamp in Stripe-Signature")
      if (signatures.length === 0) return yield* reject("Signature", "no v1 signature in Stripe-Signature")
      const body = Buffer.from(request.rawBody)
      const signed = Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), body])
      const expected = secrets.map((secret) => createHmac("sha256", secret).update(signed).digest())
      const matches = signatures.some((signature) => {
        const given = Buffer.from(signature, "hex")
        return expected.some((digest) => digest.length === given.length && timingSafeEqual(digest, given))
      })
      if (!matches) return yield* reject("Signature", "no signature matches the endpoint secret")
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      if (tolerance > 0 && now - timestamp > tolerance) {
        return yield* reject("Expired", `signed ${now - timestamp} s ago, tolerance ${tolerance} s`)
      }
      let payload: unknown
      try {
        payload = JSON.parse(body.toString("utf8"))
      } catch (error) {
        return yield* reject("Malformed", `body is not JSON: ${String(error)}`)
      }
      const { id, type } = (payload ?? {}) as { id?: unknown; type?: unknown }
      if (typeof id !== "string" || typeof type !== "string") {
        return yield* reject("Malformed", "event without id or type")
      }
      return { eventId: id, type, payload, event: interpretStripeEvent(payload) }
    })
  return { gateway: gatewayName, verify, interpret: interpretStripeEvent }
}
