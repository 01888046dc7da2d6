/**
 * The `PaymentGateway` contract. The adapter's test names methods that behave a known way on its fake
 * (or sandbox): one that succeeds, and optionally one that declines and one that needs 3-D Secure.
 */

import { describe, expect, layer } from "@effect/vitest"
import { type CurrencyCode, currencyCodes, GatewayError, PaymentGateway } from "@ezscale/core"
import { Effect, type Layer, Option } from "effect"

export interface GatewayFixtures {
  readonly currency: CurrencyCode
  readonly succeedingMethod: string
  readonly decliningMethod?: string
  readonly requiresActionMethod?: string
  /**
   * A charge the provider makes but whose answer is lost (a timeout after the charge): the next charge
   * with `methodId` after `arrange` (scripting the fake, if the method alone does not) is made at the
   * provider and the adapter reports `unknown` (or, if its own retry recovered it, the real outcome).
   */
  readonly answerLost?: { readonly methodId: string; readonly arrange?: Effect.Effect<void> }
}

let run = 0

export const gatewayContract = (
  name: string,
  gatewayLayer: Layer.Layer<PaymentGateway>,
  fixtures: GatewayFixtures
): void => {
  const key = (label: string) => `contract:${name}:${++run}:${label}`
  const setup = Effect.gen(function* () {
    const gateway = yield* PaymentGateway
    const prefix = key("case")
    const { gatewayCustomerId } = yield* gateway.ensureCustomer({
      customerId: prefix,
      email: "a@example.com",
      name: "A"
    })
    const charge = (label: string, amount: bigint, methodId = fixtures.succeedingMethod) =>
      gateway.charge({
        gatewayCustomerId,
        invoiceId: label,
        amount: { amount, currency: fixtures.currency },
        methodId,
        idempotencyKey: `${prefix}:${label}`,
        offSession: false
      })
    return { gateway, gatewayCustomerId, charge }
  })

  describe(`PaymentGateway contract: ${name}`, () => {
    layer(gatewayLayer)((it) => {
      it.effect("ensureCustomer is idempotent per customer", () =>
        Effect.gen(function* () {
          const gateway = yield* PaymentGateway
          const request = { customerId: key("same"), email: "b@example.com", name: "B" }
          const a = yield* gateway.ensureCustomer(request)
          const b = yield* gateway.ensureCustomer(request)
          expect(a.gatewayCustomerId).toBe(b.gatewayCustomerId)
        })
      )

      it.effect("the same idempotency key gives the same charge, once", () =>
        Effect.gen(function* () {
          const { gateway, gatewayCustomerId } = yield* setup
          const request = {
            gatewayCustomerId,
            invoiceId: "inv",
            amount: { amount: 1999n, currency: fixtures.currency },
            methodId: fixtures.succeedingMethod,
            idempotencyKey: key("charge"),
            offSession: false
          }
          const first = yield* gateway.charge(request)
          const second = yield* gateway.charge(request)
          expect(first.status).toBe("succeeded")
          expect(first.chargeId).toBeDefined()
          expect(second).toEqual(first)
          const seen = yield* gateway.retrieveCharge({ idempotencyKey: request.idempotencyKey })
          expect(Option.map(seen, (o) => [o.chargeId, o.status])).toEqual(
            Option.some([first.chargeId, "succeeded"])
          )
          const byId = yield* gateway.retrieveCharge({ chargeId: first.chargeId ?? "" })
          expect(Option.map(byId, (o) => o.amount)).toEqual(Option.some(request.amount))
          expect(Option.isNone(yield* gateway.retrieveCharge({ idempotencyKey: key("never") }))).toBe(true)
        })
      )

      it.effect("refunds are bounded by the charge and idempotent", () =>
        Effect.gen(function* () {
          const { gateway, charge } = yield* setup
          const charged = yield* charge("refundable", 1000n)
          const chargeId = charged.chargeId ?? ""
          if (!gateway.capabilities.refunds) return
          const amount = (minor: bigint) => ({ amount: minor, currency: fixtures.currency })
          const whole = gateway.capabilities.partialRefunds ? 600n : 1000n
          const refundKey = key("refund-1")
          const first = yield* gateway.refund({ chargeId, amount: amount(whole), idempotencyKey: refundKey })
          expect(first.status).not.toBe("failed")
          expect(
            yield* gateway.refund({ chargeId, amount: amount(whole), idempotencyKey: refundKey })
          ).toEqual(first)
          const over = yield* Effect.flip(
            gateway.refund({ chargeId, amount: amount(1000n - whole + 1n), idempotencyKey: key("refund-2") })
          )
          expect(over).toBeInstanceOf(GatewayError)
          expect(over.reason).toBe("InvalidRequest")
          if (gateway.capabilities.partialRefunds) {
            const rest = yield* gateway.refund({
              chargeId,
              amount: amount(400n),
              idempotencyKey: key("refund-3")
            })
            expect(rest.amount.amount).toBe(400n)
          }
        })
      )

      it.effect("an unknown payment method is a typed InvalidRequest", () =>
        Effect.gen(function* () {
          const { charge } = yield* setup
          const error = yield* Effect.flip(charge("no-method", 500n, "pm_does_not_exist"))
          expect(error).toBeInstanceOf(GatewayError)
          expect(error.reason).toBe("InvalidRequest")
          expect(error.retryable).toBe(false)
        })
      )

      it.effect.skipIf(fixtures.decliningMethod === undefined)(
        `a decline is a failed outcome with its code${fixtures.decliningMethod === undefined ? " (skipped: the fixtures name no declining method)" : ""}`,
        () =>
          Effect.gen(function* () {
            const { charge } = yield* setup
            const outcome = yield* charge("declined", 500n, fixtures.decliningMethod)
            expect(outcome.status).toBe("failed")
            expect(outcome.declineCode).toBeDefined()
            expect(yield* charge("declined", 500n, fixtures.decliningMethod)).toEqual(outcome)
          })
      )

      it.effect.skipIf(fixtures.requiresActionMethod === undefined)(
        `3-D Secure is requires_action${fixtures.requiresActionMethod === undefined ? " (skipped: the fixtures name no 3-D Secure method)" : ""}`,
        () =>
          Effect.gen(function* () {
            const { charge } = yield* setup
            const outcome = yield* charge("3ds", 500n, fixtures.requiresActionMethod)
            expect(outcome.status).toBe("requires_action")
          })
      )

      it.effect("a currency the account cannot take is refused before any call", () =>
        Effect.gen(function* () {
          const { gateway, gatewayCustomerId } = yield* setup
          const other = currencyCodes.find((code) => !gateway.capabilities.currencies.includes(code))
          if (other === undefined) return
          const error = yield* Effect.flip(
            gateway.charge({
              gatewayCustomerId,
              invoiceId: "other-currency",
              amount: { amount: 1000n, currency: other },
              methodId: fixtures.succeedingMethod,
              idempotencyKey: key("other-currency"),
              offSession: false
            })
          )
          expect([error.reason, error.retryable]).toEqual(["InvalidRequest", false])
          expect(
            Option.isNone(yield* gateway.retrieveCharge({ idempotencyKey: key("other-currency") }))
          ).toBe(true)
        })
      )

      it.effect.skipIf(fixtures.answerLost === undefined)(
        `a lost answer is reconciled by retrieveCharge, never charged twice${fixtures.answerLost === undefined ? " (skipped: the fixtures cannot lose a charge's answer)" : ""}`,
        () =>
          Effect.gen(function* () {
            const { gateway, charge } = yield* setup
            const lost = fixtures.answerLost
            if (lost === undefined) return
            if (lost.arrange !== undefined) yield* lost.arrange
            const first = yield* charge("answer-lost", 700n, lost.methodId)
            if (first.status === "unknown") expect(first.chargeId).toBeUndefined()
            expect(["unknown", "succeeded"]).toContain(first.status)
            const seen = yield* gateway.retrieveCharge({ idempotencyKey: first.idempotencyKey })
            expect(Option.map(seen, (o) => [o.status, o.amount.amount])).toEqual(
              Option.some(["succeeded", 700n])
            )
            const chargeId = Option.getOrThrow(seen).chargeId
            expect(chargeId).toBeDefined()
            if (first.status === "succeeded") expect(first.chargeId).toBe(chargeId)
            const again = yield* charge("answer-lost", 700n, lost.methodId)
            expect([again.status, again.chargeId]).toEqual(["succeeded", chargeId])
            const byId = yield* gateway.retrieveCharge({ chargeId: chargeId ?? "" })
            expect(Option.map(byId, (o) => o.status)).toEqual(Option.some("succeeded"))
          })
      )

      it.effect("a saved method is listed until it is detached", () =>
        Effect.gen(function* () {
          const { gateway, gatewayCustomerId } = yield* setup
          const session = yield* gateway.createSetup({ gatewayCustomerId })
          expect(session.clientSecret ?? session.approvalUrl).toBeDefined()
          const methods = yield* gateway.listMethods(gatewayCustomerId)
          for (const method of methods) yield* gateway.detachMethod(method.id)
          expect(yield* gateway.listMethods(gatewayCustomerId)).toEqual([])
        })
      )
    })
  })
}
