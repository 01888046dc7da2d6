/**
 * A fake `PaymentGateway` with provider-like state: customers, saved methods, charges recorded per
 * idempotency key (a repeated key replays the charge, it never charges twice), refunds bounded by the
 * charge. Each method id behaves as configured; methods made by `createSetup` succeed.
 */
import {
  type ChargeOutcome,
  type ChargeRequest,
  type CurrencyCode,
  type GatewayCapabilities,
  GatewayError,
  PaymentGateway,
  type PaymentGatewayService,
  type PaymentMethod,
  type RefundOutcome
} from "@ezscale/core"
import { Context, Effect, Layer, Option } from "effect"

export type MethodBehaviour =
  | { readonly kind: "succeed" }
  | { readonly kind: "decline"; readonly declineCode: string }
  | { readonly kind: "requires_action" }
  /** The first call's outcome is `unknown` (a timeout after the charge was made); the charge succeeded. */
  | { readonly kind: "unknown_then_succeeded" }
  /**
   * The first `times` calls with a key never reach the provider (a timeout before the request left): the
   * outcome is `unknown` and nothing is charged or recorded; the next call with the key succeeds.
   */
  | { readonly kind: "unreachable"; readonly times: number }

export interface InMemoryGatewayOptions {
  readonly name?: string
  readonly capabilities?: Partial<GatewayCapabilities>
  /** Methods usable by any customer (like a provider's test tokens), and how each behaves. */
  readonly methods?: { readonly [methodId: string]: MethodBehaviour }
}

export interface RecordedCharge {
  readonly request: ChargeRequest
  /** The provider-side truth. */
  readonly outcome: ChargeOutcome
  /** How many times `charge` was called with the key. */
  readonly calls: number
}

/** Inspection of the fake, for adapter-specific tests. */
export interface InMemoryGatewayControl {
  readonly charges: () => ReadonlyArray<RecordedCharge>
  readonly chargeFor: (idempotencyKey: string) => RecordedCharge | undefined
}

export class InMemoryGatewayInspector extends Context.Tag("@ezscale/testkit/InMemoryGatewayInspector")<
  InMemoryGatewayInspector,
  InMemoryGatewayControl
>() {}

const defaultCurrencies: ReadonlyArray<CurrencyCode> = [
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "KWD"
] as ReadonlyArray<CurrencyCode>

export const makeInMemoryGateway = (
  options: InMemoryGatewayOptions = {}
): { readonly service: PaymentGatewayService; readonly control: InMemoryGatewayControl } => {
  const name = options.name ?? "fake"
  const capabilities: GatewayCapabilities = {
    refunds: true,
    partialRefunds: true,
    offSession: true,
    currencies: defaultCurrencies,
    ...options.capabilities
  }
  const fail = (reason: GatewayError["reason"], detail: string, vendorCode?: string) =>
    Effect.fail(
      new GatewayError({
        reason,
        retryable: reason === "RateLimited" || reason === "Unavailable",
        gateway: name,
        detail,
        ...(vendorCode === undefined ? {} : { vendorCode })
      })
    )
  let serial = 0
  const nextId = (prefix: string) => `${prefix}_${String(++serial).padStart(8, "0")}`
  const customers = new Map<string, string>()
  const methods = new Map<string, { readonly method: PaymentMethod; readonly customer: string }>()
  const detached = new Set<string>()
  const charges = new Map<string, RecordedCharge>()
  const refunds = new Map<string, RefundOutcome>()
  const lost = new Map<string, number>()

  const behaviourOf = (methodId: string): MethodBehaviour | undefined =>
    detached.has(methodId)
      ? undefined
      : (options.methods?.[methodId] ?? (methods.has(methodId) ? { kind: "succeed" } : undefined))

  const newCharge = (
    request: ChargeRequest,
    behaviour: MethodBehaviour
  ): { truth: ChargeOutcome; first: ChargeOutcome } => {
    const base = { idempotencyKey: request.idempotencyKey, amount: request.amount, chargeId: nextId("ch") }
    switch (behaviour.kind) {
      case "succeed":
      case "unreachable":
        return { truth: { ...base, status: "succeeded" }, first: { ...base, status: "succeeded" } }
      case "decline": {
        const declined: ChargeOutcome = {
          ...base,
          status: "failed",
          reason: "card declined",
          declineCode: behaviour.declineCode
        }
        return { truth: declined, first: declined }
      }
      case "requires_action": {
        const action: ChargeOutcome = {
          ...base,
          status: "requires_action",
          actionUrl: `https://fake.test/3ds/${base.chargeId}`
        }
        return { truth: action, first: action }
      }
      case "unknown_then_succeeded":
        return {
          truth: { ...base, status: "succeeded" },
          first: {
            idempotencyKey: request.idempotencyKey,
            amount: request.amount,
            status: "unknown",
            reason: "timeout"
          }
        }
    }
  }

  const service: PaymentGatewayService = {
    name,
    capabilities,
    ensureCustomer: (request) =>
      Effect.sync(() => {
        const existing = customers.get(request.customerId)
        if (existing !== undefined) return { gatewayCustomerId: existing }
        const id = nextId("cus")
        customers.set(request.customerId, id)
        return { gatewayCustomerId: id }
      }),
    createSetup: (request) =>
      Effect.suspend(() => {
        if (![...customers.values()].includes(request.gatewayCustomerId)) {
          return fail("InvalidRequest", `no customer ${request.gatewayCustomerId}`, "resource_missing")
        }
        const id = nextId("pm")
        methods.set(id, {
          customer: request.gatewayCustomerId,
          method: { id, kind: "card", label: "Visa •••• 4242" }
        })
        const setupId = nextId("seti")
        return Effect.succeed({ setupId, clientSecret: `${setupId}_secret` })
      }),
    listMethods: (gatewayCustomerId) =>
      Effect.sync(() =>
        [...methods.values()]
          .filter(({ customer }) => customer === gatewayCustomerId)
          .filter(({ method }) => !detached.has(method.id))
          .map(({ method }) => method)
      ),
    detachMethod: (methodId) =>
      Effect.suspend(() => {
        if (behaviourOf(methodId) === undefined)
          return fail("InvalidRequest", `no method ${methodId}`, "resource_missing")
        detached.add(methodId)
        return Effect.void
      }),
    charge: (request) =>
      Effect.suspend(() => {
        const recorded = charges.get(request.idempotencyKey)
        if (recorded !== undefined) {
          if (
            recorded.request.amount.amount !== request.amount.amount ||
            recorded.request.amount.currency !== request.amount.currency
          ) {
            return fail("InvalidRequest", "idempotency key reused with other parameters", "idempotency_error")
          }
          charges.set(request.idempotencyKey, { ...recorded, calls: recorded.calls + 1 })
          return Effect.succeed(recorded.outcome)
        }
        if (request.amount.amount <= 0n)
          return fail("InvalidRequest", "amount must be positive", "amount_too_small")
        if (!capabilities.currencies.includes(request.amount.currency)) {
          return fail(
            "InvalidRequest",
            `currency ${request.amount.currency} not supported`,
            "currency_not_supported"
          )
        }
        if (request.offSession && !capabilities.offSession) {
          return fail("InvalidRequest", "off-session charges not supported", "off_session_unsupported")
        }
        const behaviour = behaviourOf(request.methodId)
        if (behaviour === undefined)
          return fail("InvalidRequest", `no method ${request.methodId}`, "resource_missing")
        if (behaviour.kind === "unreachable" && (lost.get(request.idempotencyKey) ?? 0) < behaviour.times) {
          lost.set(request.idempotencyKey, (lost.get(request.idempotencyKey) ?? 0) + 1)
          return Effect.succeed<ChargeOutcome>({
            idempotencyKey: request.idempotencyKey,
            amount: request.amount,
            status: "unknown",
            reason: "timeout before the request reached the provider"
          })
        }
        const { truth, first } = newCharge(request, behaviour)
        charges.set(request.idempotencyKey, { request, outcome: truth, calls: 1 })
        return Effect.succeed(first)
      }),
    retrieveCharge: (reference) =>
      Effect.sync(() => {
        if ("idempotencyKey" in reference)
          return Option.fromNullable(charges.get(reference.idempotencyKey)?.outcome)
        return Option.fromNullable(
          [...charges.values()].find((c) => c.outcome.chargeId === reference.chargeId)?.outcome
        )
      }),
    refund: (request) =>
      Effect.suspend(() => {
        const replay = refunds.get(request.idempotencyKey)
        if (replay !== undefined) return Effect.succeed(replay)
        if (!capabilities.refunds)
          return fail("InvalidRequest", "refunds not supported", "refunds_unsupported")
        const charge = [...charges.values()].find((c) => c.outcome.chargeId === request.chargeId)?.outcome
        if (charge === undefined || charge.status !== "succeeded") {
          return fail("InvalidRequest", `no succeeded charge ${request.chargeId}`, "resource_missing")
        }
        if (request.amount.currency !== charge.amount.currency || request.amount.amount <= 0n) {
          return fail(
            "InvalidRequest",
            "refund amount must be positive and in the charge's currency",
            "amount_invalid"
          )
        }
        if (!capabilities.partialRefunds && request.amount.amount !== charge.amount.amount) {
          return fail("InvalidRequest", "partial refunds not supported", "partial_refunds_unsupported")
        }
        const refunded = [...refunds.values()]
          .filter((r) => r.chargeId === request.chargeId)
          .reduce((sum, r) => sum + r.amount.amount, 0n)
        if (refunded + request.amount.amount > charge.amount.amount) {
          return fail("InvalidRequest", "refunds would exceed the charge", "charge_already_refunded")
        }
        const outcome: RefundOutcome = {
          refundId: nextId("re"),
          chargeId: request.chargeId,
          status: "succeeded",
          amount: request.amount
        }
        refunds.set(request.idempotencyKey, outcome)
        return Effect.succeed(outcome)
      })
  }
  const control: InMemoryGatewayControl = {
    charges: () => [...charges.values()],
    chargeFor: (idempotencyKey) => charges.get(idempotencyKey)
  }
  return { service, control }
}

export const InMemoryGateway = {
  make: makeInMemoryGateway,
  /** Provides `PaymentGateway` and its `InMemoryGatewayInspector`; a fresh fake per build. */
  layer: (options: InMemoryGatewayOptions = {}) =>
    Layer.effectContext(
      Effect.sync(() => {
        const { service, control } = makeInMemoryGateway(options)
        return Context.make(PaymentGateway, service).pipe(Context.add(InMemoryGatewayInspector, control))
      })
    )
} as const
