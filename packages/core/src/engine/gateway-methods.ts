/**
 * Saved payment methods from the gateway's webhooks (Stripe `setup_intent.succeeded`,
 * `payment_method.attached` / `detached`; PayPal vault tokens). A gateway names its own customer, so
 * billing learns which of its customers that is when it creates the gateway customer:
 * `ensureGatewayCustomer` asks the gateway (`ensureCustomer`, idempotent) and remembers the pair under
 * `gateway_customer:<gateway>:<gateway customer id>`. Hosts call it before starting a setup.
 *
 * - `MethodSaved`: when the gateway still lists the method for its customer (the current state: a
 *   `saved` arriving after the method was detached saves nothing), the method is inserted in
 *   `store.paymentMethods` (once per gateway method id; the customer's first method at the gateway
 *   becomes its default, by the store's rule). A customer billing does not know, or a method the store
 *   refuses, is not saved: staff are told (`gateway.method_not_saved`).
 * - `MethodRemoved`: when the gateway no longer lists it, the method is removed (a default is handed to
 *   the newest method left, by the store's rule); one not stored changes nothing.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { Ids } from "../ports/ids"
import type { GatewayCustomerRequest } from "../ports/payment-gateway"
import { type GatewayError, type GatewayEvent, PaymentGateway } from "../ports/payment-gateway"
import type { StoreError } from "../ports/store/errors"
import { Store, type StoreService } from "../ports/store/store"
import {
  type GatewayEventError,
  type GatewayEventOutcome,
  gatewayTemplates,
  notifyStaff
} from "./gateway-event-support"

/** The idempotency key remembering which customer of ours a gateway customer is. */
export const gatewayCustomerKey = (gateway: string, gatewayCustomerId: string): string =>
  `gateway_customer:${gateway}:${gatewayCustomerId}`

const GatewayCustomer = Schema.Struct({ customerId: Schema.String })

export interface EnsureGatewayCustomerRequest {
  readonly tenantId: string
  readonly customerId: string
}

/**
 * The customer's customer at the tenant's gateway (created there the first time), remembered so that the
 * gateway's webhooks about it (saved and removed methods) find the customer.
 */
export const ensureGatewayCustomer = (
  request: EnsureGatewayCustomerRequest
): Effect.Effect<{ readonly gatewayCustomerId: string }, StoreError | GatewayError, Store | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const gateway = yield* PaymentGateway
    const customer = yield* store.customers.get(request.tenantId, request.customerId)
    const ask: GatewayCustomerRequest = {
      customerId: customer.id,
      email: customer.email,
      name: customer.name
    }
    const { gatewayCustomerId } = yield* gateway.ensureCustomer(ask)
    yield* store.idempotency.remember(request.tenantId, gatewayCustomerKey(gateway.name, gatewayCustomerId), {
      customerId: customer.id
    })
    return { gatewayCustomerId }
  })

/** Our customer for a gateway customer, if `ensureGatewayCustomer` made (or found) it. */
const customerOf = (store: StoreService, tenantId: string, gateway: string, gatewayCustomerId: string) =>
  Effect.map(store.idempotency.recall(tenantId, gatewayCustomerKey(gateway, gatewayCustomerId)), (found) =>
    Option.flatMap(found, (value) =>
      Option.map(Schema.decodeUnknownOption(GatewayCustomer)(value), (known) => known.customerId)
    )
  )

type MethodAction = Extract<GatewayEventOutcome, { readonly _tag: "Method" }>["action"]

const methodOutcome = (gatewayMethodId: string, action: MethodAction): GatewayEventOutcome => ({
  _tag: "Method",
  gatewayMethodId,
  action
})

/** The `gateway_event` work for a `MethodSaved`; `markProcessed` runs in the effect's transaction. */
export const handleMethodSaved = (
  tenantId: string,
  event: Extract<GatewayEvent, { readonly _tag: "MethodSaved" }>,
  markProcessed: Effect.Effect<unknown, GatewayEventError>
): Effect.Effect<GatewayEventOutcome, GatewayEventError, Store | Ids | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const gateway = yield* PaymentGateway
    const { method, gatewayCustomerId } = event
    const done = (action: MethodAction) => Effect.as(markProcessed, methodOutcome(method.id, action))
    const notSaved = (problem: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        notifyStaff(
          store,
          tenantId,
          `notify:method_not_saved:${gateway.name}:${method.id}`,
          gatewayTemplates.methodNotSaved,
          { gateway: gateway.name, gatewayCustomerId, gatewayMethodId: method.id, problem },
          now
        )
      )
    const customerId = yield* customerOf(store, tenantId, gateway.name, gatewayCustomerId)
    if (Option.isNone(customerId)) {
      return yield* store.withTransaction(
        Effect.zipRight(notSaved("no customer of ours is this gateway customer"), done("unknown_customer"))
      )
    }
    // The current state: a method detached since (events out of order) is not saved.
    const listed = yield* gateway.listMethods(gatewayCustomerId)
    if (!listed.some((current) => current.id === method.id)) {
      return yield* store.withTransaction(done("stale"))
    }
    const id = yield* ids.next("spm")
    return yield* store.withTransaction(
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const saved = yield* store.paymentMethods.list(tenantId, customerId.value)
        if (saved.some((known) => known.gateway === gateway.name && known.gatewayMethodId === method.id)) {
          return yield* done("unchanged")
        }
        const inserted = yield* store.paymentMethods
          .insert(tenantId, {
            id,
            customerId: customerId.value,
            gateway: gateway.name,
            gatewayCustomerId,
            gatewayMethodId: method.id,
            kind: method.kind,
            label: method.label,
            ...(method.expiresAt === undefined ? {} : { expiresAt: method.expiresAt }),
            // The store makes the customer's first method at the gateway its default.
            isDefault: false,
            createdAt: now
          })
          .pipe(
            Effect.as(true),
            Effect.catchTag("InvalidPaymentMethod", (refused) => Effect.as(notSaved(refused.issue), false))
          )
        return yield* done(inserted ? "saved" : "refused")
      })
    )
  })

/** The `gateway_event` work for a `MethodRemoved`; `markProcessed` runs in the effect's transaction. */
export const handleMethodRemoved = (
  tenantId: string,
  event: Extract<GatewayEvent, { readonly _tag: "MethodRemoved" }>,
  markProcessed: Effect.Effect<unknown, GatewayEventError>
): Effect.Effect<GatewayEventOutcome, GatewayEventError, Store | PaymentGateway> =>
  Effect.gen(function* () {
    const store = yield* Store
    const gateway = yield* PaymentGateway
    const { methodId, gatewayCustomerId } = event
    const done = (action: MethodAction) => Effect.as(markProcessed, methodOutcome(methodId, action))
    const customerId =
      gatewayCustomerId === undefined
        ? Option.none<string>()
        : yield* customerOf(store, tenantId, gateway.name, gatewayCustomerId)
    if (gatewayCustomerId === undefined || Option.isNone(customerId)) {
      return yield* store.withTransaction(done("unknown_customer"))
    }
    // The current state: a method attached again since is kept.
    const listed = yield* gateway.listMethods(gatewayCustomerId)
    if (listed.some((current) => current.id === methodId)) return yield* store.withTransaction(done("stale"))
    return yield* store.withTransaction(
      Effect.gen(function* () {
        const saved = (yield* store.paymentMethods.list(tenantId, customerId.value)).find(
          (known) => known.gateway === gateway.name && known.gatewayMethodId === methodId
        )
        if (saved === undefined) return yield* done("unchanged")
        yield* store.paymentMethods.remove(tenantId, saved.id)
        return yield* done("removed")
      })
    )
  })
