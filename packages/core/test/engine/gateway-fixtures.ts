/**
 * What the gateway-event tests share: a `GatewayEvents` whose stored payload is the normalized event
 * itself (as JSON, bigints as `{ "$bigint": "600" }`), `deliver` (receive a delivery, then run its
 * `gateway_event` work), a paid order to refund or dispute, and the layers (a store, sequential ids, the
 * in-memory gateway, the webhooks).
 */
import {
  type BillingSettingsInput,
  collectInvoice,
  type GatewayEvent,
  GatewayEvents,
  type Ids,
  type Job,
  type Json,
  type PaymentGateway,
  placeOrder,
  processGatewayEvent,
  receiveWebhook,
  Store
} from "@ezscale/core"
import {
  InMemoryGateway,
  type InMemoryGatewayInspector,
  type MethodBehaviour,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Layer, TestClock } from "effect"
import { at, gatewayMethods, seedAccount, staff, tenantId, vps2g } from "./account-fixtures"

export const now = at(2026, 3, 10, 10)

const toJson = (_key: string, value: unknown) =>
  typeof value === "bigint" ? { $bigint: value.toString() } : value
const fromJson = (_key: string, value: unknown) =>
  value !== null && typeof value === "object" && typeof (value as { $bigint?: unknown }).$bigint === "string"
    ? BigInt((value as { $bigint: string }).$bigint)
    : value

/** The stored payload of an event: the event as plain JSON. */
export const eventPayload = (event: GatewayEvent): Json => JSON.parse(JSON.stringify({ event }, toJson))

export const testWebhooks = Layer.succeed(GatewayEvents, {
  gateway: "fake",
  verify: () => Effect.die("not used: deliveries are verified by the adapters"),
  interpret: (payload): GatewayEvent =>
    (JSON.parse(JSON.stringify(payload), fromJson) as { event?: GatewayEvent }).event ?? { _tag: "Ignored" }
})

/** Receives a delivery of `event` under `eventId` and processes it (as the `gateway_event` job would). */
export const deliver = (eventId: string, event: GatewayEvent) =>
  Effect.gen(function* () {
    yield* receiveWebhook({
      tenantId,
      gateway: "fake",
      verified: { eventId, type: event._tag, payload: eventPayload(event), event }
    })
    return yield* processGatewayEvent({ tenantId, source: "fake", eventId })
  })

export type GatewayTestServices = Store | Ids | PaymentGateway | GatewayEvents | InMemoryGatewayInspector

export const provideGatewayTest =
  (storeLayer: () => Layer.Layer<Store>, methods: { readonly [id: string]: MethodBehaviour } = {}) =>
  <A, E>(effect: Effect.Effect<A, E, GatewayTestServices>) =>
    Effect.provide(
      effect,
      Layer.mergeAll(
        storeLayer(),
        SequentialIds.layer,
        InMemoryGateway.layer({ methods: { ...gatewayMethods, ...methods } }),
        testWebhooks
      )
    )

/** An order of 18.00 (15.00 + 20% TVA) paid by card (`pm_ok`): its subscription active. */
export const paidOrder = (extra: Partial<BillingSettingsInput> = {}) =>
  Effect.gen(function* () {
    const store = yield* seedAccount(extra)
    yield* TestClock.setTime(now)
    const placed = yield* placeOrder({ tenantId, customerId: "cus-1", selection: vps2g, actor: staff })
    yield* collectInvoice({ tenantId, invoiceId: placed.invoiceId, attempt: 1 })
    const [payment] = yield* store.payments.listByInvoice(tenantId, placed.invoiceId)
    if (payment?.chargeId === undefined) return yield* Effect.die("the order was not paid by card")
    return { store, invoiceId: placed.invoiceId, subscriptionId: placed.subscriptionId, payment }
  })

/** The tenant's `notify` jobs whose template is one of `templates`, oldest first. */
export const notices = (templates: ReadonlyArray<string>) =>
  Effect.flatMap(Store, (store) =>
    store.jobs.claim({
      now: at(2030, 1, 1),
      limit: 100,
      leaseMs: 60_000,
      workerId: "test",
      kinds: ["notify"]
    })
  ).pipe(
    Effect.map((jobs: ReadonlyArray<Job>) =>
      jobs.filter((job) => templates.includes((job.payload as { template?: string }).template ?? ""))
    )
  )
