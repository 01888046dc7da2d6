import { describe, expect, it } from "@effect/vitest"
import { PaymentGateway } from "@ezscale/core"
import { Effect, Option } from "effect"
import { gatewayContract } from "../contracts"
import { InMemoryGateway, InMemoryGatewayInspector } from "./gateway"

const options = {
  methods: {
    pm_ok: { kind: "succeed" },
    pm_declined: { kind: "decline", declineCode: "insufficient_funds" },
    pm_3ds: { kind: "requires_action" },
    pm_timeout: { kind: "unknown_then_succeeded" }
  }
} as const

gatewayContract("in-memory", InMemoryGateway.layer(options), {
  currency: "EUR",
  succeedingMethod: "pm_ok",
  decliningMethod: "pm_declined",
  requiresActionMethod: "pm_3ds",
  answerLost: { methodId: "pm_timeout" }
})

gatewayContract(
  "in-memory without partial refunds",
  InMemoryGateway.layer({ ...options, capabilities: { partialRefunds: false } }),
  {
    currency: "EUR",
    succeedingMethod: "pm_ok"
  }
)

describe("InMemoryGateway", () => {
  const request = {
    gatewayCustomerId: "cus_1",
    invoiceId: "inv-1",
    amount: { amount: 500n, currency: "EUR" as const },
    methodId: "pm_timeout",
    idempotencyKey: "collect:inv-1:1",
    offSession: true
  }

  it.effect("records one charge per idempotency key, however often it is called", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const inspector = yield* InMemoryGatewayInspector
      yield* gateway.charge({ ...request, methodId: "pm_ok" })
      yield* gateway.charge({ ...request, methodId: "pm_ok" })
      yield* gateway.charge({ ...request, methodId: "pm_ok" })
      expect(inspector.charges()).toHaveLength(1)
      expect(inspector.chargeFor(request.idempotencyKey)?.calls).toBe(3)
      const changed = yield* Effect.flip(
        gateway.charge({ ...request, amount: { amount: 501n, currency: "EUR" } })
      )
      expect(changed.reason).toBe("InvalidRequest")
    }).pipe(Effect.provide(InMemoryGateway.layer(options)))
  )

  it.effect("unknown, then succeeded: the retry and the reconciliation see the real outcome", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const first = yield* gateway.charge(request)
      expect(first.status).toBe("unknown")
      expect(first.chargeId).toBeUndefined()
      const reconciled = yield* gateway.retrieveCharge({ idempotencyKey: request.idempotencyKey })
      expect(Option.map(reconciled, (o) => o.status)).toEqual(Option.some("succeeded"))
      expect((yield* gateway.charge(request)).status).toBe("succeeded")
      expect((yield* InMemoryGatewayInspector).charges()).toHaveLength(1)
    }).pipe(Effect.provide(InMemoryGateway.layer(options)))
  )

  it.effect("refuses what its capabilities rule out", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const offSession = yield* Effect.flip(gateway.charge({ ...request, methodId: "pm_ok" }))
      expect(offSession.reason).toBe("InvalidRequest")
      const currency = yield* Effect.flip(
        gateway.charge({
          ...request,
          offSession: false,
          methodId: "pm_ok",
          amount: { amount: 1n, currency: "CHF" }
        })
      )
      expect(currency.reason).toBe("InvalidRequest")
      const charged = yield* gateway.charge({ ...request, offSession: false, methodId: "pm_ok" })
      const refund = yield* Effect.flip(
        gateway.refund({ chargeId: charged.chargeId ?? "", amount: charged.amount, idempotencyKey: "r1" })
      )
      expect(refund.reason).toBe("InvalidRequest")
    }).pipe(
      Effect.provide(
        InMemoryGateway.layer({
          ...options,
          capabilities: { offSession: false, refunds: false, currencies: ["EUR"] }
        })
      )
    )
  )
})
