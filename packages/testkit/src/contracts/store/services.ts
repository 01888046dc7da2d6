import { describe, expect } from "@effect/vitest"
import { InvalidService, type Service, VersionConflict } from "@ezscale/core"
import { Effect, Option } from "effect"
import { makeService } from "../../factories"
import { fresh, type StoreIt } from "./support"

export const serviceContract = (it: StoreIt) => {
  describe("services", () => {
    it.effect(
      "a service is read back exactly, by id and by subscription; updates compare-and-set the version",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, otherTenantId, id } = yield* fresh
          const subscriptionId = yield* id("sub")
          const { credentials: _, ...pending } = makeService({
            id: yield* id("svc"),
            tenantId,
            subscriptionId,
            state: "pending",
            externalIds: {}
          })
          const inserted = yield* store.services.insert(tenantId, pending)
          expect(inserted).toEqual({ value: pending, version: 1 })
          expect(yield* store.services.get(tenantId, pending.id)).toEqual(inserted)
          expect(Object.hasOwn((yield* store.services.get(tenantId, pending.id)).value, "credentials")).toBe(
            false
          )
          expect(yield* store.services.getBySubscription(tenantId, subscriptionId)).toEqual(
            Option.some(inserted)
          )
          const active: Service = {
            ...makeService({ id: pending.id, tenantId, subscriptionId }),
            updatedAt: pending.updatedAt + 60_000
          }
          const moved = yield* store.services.update(tenantId, active, 1)
          expect(moved).toEqual({ value: active, version: 2 })
          expect((yield* store.services.get(tenantId, pending.id)).value.externalIds).toEqual({
            serverId: 4711,
            userId: "vf-user-12",
            hypervisor: { id: 3, name: "fra-1" }
          })
          const stale = yield* Effect.flip(
            store.services.update(tenantId, { ...active, state: "suspended" }, 1)
          )
          expect(stale).toBeInstanceOf(VersionConflict)
          expect(stale).toMatchObject({ entity: "service", expected: 1, actual: 2 })
          expect((yield* store.services.get(tenantId, pending.id)).value.state).toBe("active")
          // another tenant sees nothing
          expect((yield* Effect.flip(store.services.get(otherTenantId, pending.id))).reason).toBe("NotFound")
          expect(yield* store.services.getBySubscription(otherTenantId, subscriptionId)).toEqual(
            Option.none()
          )
          expect(yield* store.services.getBySubscription(tenantId, "sub-none")).toEqual(Option.none())
        })
    )

    it.effect("one service per subscription; ids unique; a service never moves to another subscription", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId, id } = yield* fresh
        const subscriptionId = yield* id("sub")
        const service = makeService({ id: yield* id("svc"), tenantId, subscriptionId })
        yield* store.services.insert(tenantId, service)
        const again = yield* Effect.flip(store.services.insert(tenantId, service))
        expect(again).toMatchObject({ _tag: "StoreError", reason: "Conflict" })
        const second = yield* Effect.flip(
          store.services.insert(tenantId, { ...service, id: yield* id("svc") })
        )
        expect(second).toMatchObject({ _tag: "StoreError", reason: "Conflict" })
        yield* store.services.insert(otherTenantId, { ...service, tenantId: otherTenantId })
        const elsewhere = yield* Effect.flip(
          store.services.update(tenantId, { ...service, subscriptionId: yield* id("sub") }, 1)
        )
        expect(elsewhere).toMatchObject({ _tag: "StoreError", reason: "Conflict" })
        const ghost = yield* Effect.flip(
          store.services.update(tenantId, { ...service, id: yield* id("svc") }, 1)
        )
        expect(ghost).toMatchObject({ _tag: "StoreError", reason: "NotFound" })
        expect((yield* store.services.get(tenantId, service.id)).version).toBe(1)
      })
    )

    it.effect("plaintext credentials, an unknown state or bad panel ids are InvalidService", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const service = makeService({ id: yield* id("svc"), tenantId, subscriptionId: yield* id("sub") })
        const refused: ReadonlyArray<Service> = [
          { ...service, credentials: { ciphertext: "hunter2", keyId: "key-1" } },
          {
            ...service,
            credentials: { ciphertext: "correct horse battery staple, not encrypted at all", keyId: "k" }
          },
          { ...service, credentials: { ciphertext: service.credentials?.ciphertext ?? "", keyId: "" } },
          { ...service, state: "deleted" as Service["state"] },
          { ...service, provisioner: "" },
          { ...service, externalIds: [1, 2] as unknown as Service["externalIds"] }
        ]
        for (const bad of refused) {
          expect(yield* Effect.flip(store.services.insert(tenantId, bad))).toBeInstanceOf(InvalidService)
        }
        expect((yield* Effect.flip(store.services.get(tenantId, service.id))).reason).toBe("NotFound")
        yield* store.services.insert(tenantId, service)
        for (const bad of refused) {
          expect(yield* Effect.flip(store.services.update(tenantId, bad, 1))).toBeInstanceOf(InvalidService)
        }
        expect(yield* store.services.get(tenantId, service.id)).toEqual({ value: service, version: 1 })
      })
    )

    it.effect("concurrent updates from one version: exactly one wins", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const service = makeService({ id: yield* id("svc"), tenantId, subscriptionId: yield* id("sub") })
        yield* store.services.insert(tenantId, service)
        const results = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) =>
            Effect.either(
              store.services.update(tenantId, { ...service, updatedAt: service.updatedAt + i }, 1)
            ),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
        expect(results.filter((r) => r._tag === "Left" && r.left instanceof VersionConflict)).toHaveLength(7)
        expect((yield* store.services.get(tenantId, service.id)).version).toBe(2)
      })
    )
  })
}
