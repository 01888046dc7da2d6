/** The `Provisioner` contract: idempotent create, state changes, typed NotFound, capability flags. */

import { describe, expect, layer } from "@effect/vitest"
import { Provisioner, ProvisionerError, provisionKey } from "@ezscale/core"
import { Effect, type Layer } from "effect"

export interface ProvisionerFixtures {
  /** A package the panel offers. */
  readonly packageId: string
  /** Another one, for changePackage. */
  readonly otherPackageId?: string
}

let run = 0

export const provisionerContract = (
  name: string,
  provisionerLayer: Layer.Layer<Provisioner>,
  fixtures: ProvisionerFixtures
): void => {
  const create = Effect.gen(function* () {
    const provisioner = yield* Provisioner
    const serviceId = `svc-${name}-${++run}`
    const request = {
      serviceId,
      idempotencyKey: provisionKey(serviceId),
      packageId: fixtures.packageId,
      customer: { id: "cus-1", email: "a@example.com", name: "A" }
    }
    return { provisioner, request, service: yield* provisioner.create(request) }
  })

  describe(`Provisioner contract: ${name}`, () => {
    layer(provisionerLayer)((it) => {
      it.effect("create twice with the same key gives one resource", () =>
        Effect.gen(function* () {
          const { provisioner, request, service } = yield* create
          const again = yield* provisioner.create(request)
          expect(again.externalId).toBe(service.externalId)
          const other = yield* provisioner.create({
            ...request,
            serviceId: `${request.serviceId}-b`,
            idempotencyKey: `${request.idempotencyKey}-b`
          })
          expect(other.externalId).not.toBe(service.externalId)
          expect((yield* provisioner.status(service.externalId)).status).toBe("active")
        })
      )

      it.effect("suspend, unsuspend and terminate change the state, idempotently", () =>
        Effect.gen(function* () {
          const { provisioner, service } = yield* create
          const id = service.externalId
          yield* provisioner.suspend(id, "non_payment")
          yield* provisioner.suspend(id)
          expect((yield* provisioner.status(id)).status).toBe("suspended")
          yield* provisioner.unsuspend(id)
          expect((yield* provisioner.status(id)).status).toBe("active")
          yield* provisioner.terminate(id)
          yield* provisioner.terminate(id)
          expect((yield* provisioner.status(id)).status).toBe("terminated")
          const late = yield* Effect.flip(provisioner.unsuspend(id))
          expect(late).toBeInstanceOf(ProvisionerError)
          expect(late.reason).toBe("Conflict")
        })
      )

      it.effect("an unknown id is a typed NotFound", () =>
        Effect.gen(function* () {
          const provisioner = yield* Provisioner
          for (const call of [
            provisioner.status("nope"),
            provisioner.suspend("nope"),
            provisioner.terminate("nope")
          ]) {
            const error = yield* Effect.flip(call)
            expect(error).toBeInstanceOf(ProvisionerError)
            expect(error.reason).toBe("NotFound")
          }
        })
      )

      it.effect("optional operations work when flagged and are Unsupported when not", () =>
        Effect.gen(function* () {
          const { provisioner, service } = yield* create
          const id = service.externalId
          const { capabilities } = provisioner
          const check = <A>(flag: boolean, call: Effect.Effect<A, ProvisionerError>) =>
            flag
              ? Effect.asVoid(call)
              : Effect.map(Effect.flip(call), (error) => expect(error.reason).toBe("Unsupported"))
          yield* check(capabilities.power, provisioner.power(id, "restart"))
          yield* check(capabilities.resetPassword, provisioner.resetPassword(id))
          yield* check(capabilities.loginLink, provisioner.loginLink(id))
          yield* check(capabilities.usage, provisioner.usage(id, { from: 0, to: 300_000 }))
          if (fixtures.otherPackageId !== undefined) {
            yield* check(capabilities.changePackage, provisioner.changePackage(id, fixtures.otherPackageId))
            if (capabilities.changePackage) {
              expect((yield* provisioner.status(id)).packageId).toBe(fixtures.otherPackageId)
            }
          }
          const packages = yield* provisioner.listCatalog()
          expect(packages.map((p) => p.id)).toContain(fixtures.packageId)
        })
      )
    })
  })
}
