import { describe, expect } from "@effect/vitest"
import {
  errorCode,
  type GatewayAccount,
  InvalidGatewayAccount,
  MAX_ACCOUNT_CURRENCIES,
  VersionConflict
} from "@ezscale/core"
import { Effect } from "effect"
import { makeGatewayAccount } from "../../factories"
import { fresh, type StoreIt } from "./support"

export const gatewayAccountContract = (it: StoreIt) => {
  describe("gatewayAccounts", () => {
    it.effect("an account is read back exactly; puts insert at 0 and replace the version read", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const stripe = makeGatewayAccount({ tenantId, currencies: ["EUR", "USD", "JPY", "KWD"] })
        const inserted = yield* store.gatewayAccounts.put(tenantId, stripe, 0)
        expect(inserted).toEqual({ value: stripe, version: 1 })
        expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual(inserted)

        const rotated: GatewayAccount = {
          ...stripe,
          mode: "test",
          enabled: false,
          currencies: ["GBP"],
          credentials: {
            ciphertext: "bW9yZSB0aGFuIHR3ZW50eS1uaW5lIGJ5dGVzIG9mIGFuIGVudmVsb3BlLCByb3RhdGVk",
            keyId: "key-2026-07"
          },
          updatedAt: stripe.updatedAt + 3_600_000
        }
        expect(yield* store.gatewayAccounts.put(tenantId, rotated, 1)).toEqual({ value: rotated, version: 2 })
        expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual({ value: rotated, version: 2 })

        // a stale replace, a second insert, a replace of nothing: VersionConflict, nothing written
        const stale = yield* Effect.flip(store.gatewayAccounts.put(tenantId, { ...stripe, enabled: true }, 1))
        expect(stale).toBeInstanceOf(VersionConflict)
        expect(stale).toMatchObject({ entity: "gateway_account", id: "stripe", expected: 1, actual: 2 })
        expect(yield* Effect.flip(store.gatewayAccounts.put(tenantId, stripe, 0))).toMatchObject({
          _tag: "VersionConflict",
          expected: 0,
          actual: 2
        })
        const paypal = makeGatewayAccount({ tenantId, gateway: "paypal", currencies: ["USD"] })
        expect(yield* Effect.flip(store.gatewayAccounts.put(tenantId, paypal, 3))).toMatchObject({
          _tag: "VersionConflict",
          id: "paypal",
          expected: 3,
          actual: 0
        })
        expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual({ value: rotated, version: 2 })
        expect((yield* Effect.flip(store.gatewayAccounts.get(tenantId, "paypal"))).reason).toBe("NotFound")

        // listed by gateway id
        yield* store.gatewayAccounts.put(tenantId, paypal, 0)
        const adyen = makeGatewayAccount({ tenantId, gateway: "adyen", currencies: ["EUR"] })
        yield* store.gatewayAccounts.put(tenantId, adyen, 0)
        expect(yield* store.gatewayAccounts.list(tenantId)).toEqual([
          { value: adyen, version: 1 },
          { value: paypal, version: 1 },
          { value: rotated, version: 2 }
        ])

        // removed, then put again from 0
        yield* store.gatewayAccounts.remove(tenantId, "adyen")
        expect((yield* Effect.flip(store.gatewayAccounts.get(tenantId, "adyen"))).reason).toBe("NotFound")
        expect((yield* Effect.flip(store.gatewayAccounts.remove(tenantId, "adyen"))).reason).toBe("NotFound")
        expect((yield* store.gatewayAccounts.list(tenantId)).map((row) => row.value.gateway)).toEqual([
          "paypal",
          "stripe"
        ])
        expect(yield* store.gatewayAccounts.put(tenantId, adyen, 0)).toEqual({ value: adyen, version: 1 })
      })
    )

    it.effect("one tenant never sees, replaces or removes another's accounts", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const ours = makeGatewayAccount({ tenantId })
        yield* store.gatewayAccounts.put(tenantId, ours, 0)
        expect((yield* Effect.flip(store.gatewayAccounts.get(otherTenantId, "stripe"))).reason).toBe(
          "NotFound"
        )
        expect(yield* store.gatewayAccounts.list(otherTenantId)).toEqual([])
        expect((yield* Effect.flip(store.gatewayAccounts.remove(otherTenantId, "stripe"))).reason).toBe(
          "NotFound"
        )
        // the other tenant's own account at the same gateway starts at version 1, apart from ours
        const theirs = makeGatewayAccount({ tenantId: otherTenantId, mode: "test", currencies: ["CHF"] })
        expect(yield* Effect.flip(store.gatewayAccounts.put(otherTenantId, theirs, 1))).toBeInstanceOf(
          VersionConflict
        )
        expect(yield* store.gatewayAccounts.put(otherTenantId, theirs, 0)).toEqual({
          value: theirs,
          version: 1
        })
        yield* store.gatewayAccounts.put(otherTenantId, { ...theirs, enabled: false }, 1)
        yield* store.gatewayAccounts.remove(otherTenantId, "stripe")
        expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual({ value: ours, version: 1 })
        expect(yield* store.gatewayAccounts.list(tenantId)).toEqual([{ value: ours, version: 1 }])
      })
    )

    it.effect("bad input is InvalidGatewayAccount (INVALID_GATEWAY_ACCOUNT) and writes nothing", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const account = makeGatewayAccount({ tenantId })
        const refused: ReadonlyArray<GatewayAccount> = [
          { ...account, gateway: "" },
          { ...account, gateway: "Stripe" },
          { ...account, gateway: "stripe live" },
          { ...account, gateway: "g".repeat(33) },
          { ...account, mode: "production" as GatewayAccount["mode"] },
          { ...account, currencies: [] },
          { ...account, currencies: ["USD", "USD"] },
          { ...account, currencies: ["XXY" as GatewayAccount["currencies"][number]] },
          {
            ...account,
            currencies: Array.from({ length: MAX_ACCOUNT_CURRENCIES + 1 }, () => "USD" as const)
          },
          { ...account, credentials: { ciphertext: "sk_live_51Habc", keyId: "key-1" } },
          {
            ...account,
            credentials: {
              ciphertext: '{"secretKey":"sk_live_51HabcdefghijklmnopqrstuvwxyZ"}',
              keyId: "key-1"
            }
          },
          { ...account, credentials: { ciphertext: account.credentials.ciphertext, keyId: "" } },
          { ...account, credentials: { ciphertext: account.credentials.ciphertext, keyId: "k".repeat(65) } },
          { ...account, enabled: "yes" as unknown as boolean },
          { ...account, updatedAt: account.createdAt - 1 },
          { ...account, createdAt: Number.NaN }
        ]
        for (const bad of refused) {
          const error = yield* Effect.flip(store.gatewayAccounts.put(tenantId, bad, 0))
          expect(error).toBeInstanceOf(InvalidGatewayAccount)
          if (error instanceof InvalidGatewayAccount) expect(errorCode(error)).toBe("INVALID_GATEWAY_ACCOUNT")
        }
        for (const version of [-1, 1.5, Number.NaN]) {
          expect(yield* Effect.flip(store.gatewayAccounts.put(tenantId, account, version))).toBeInstanceOf(
            InvalidGatewayAccount
          )
        }
        expect(yield* store.gatewayAccounts.list(tenantId)).toEqual([])
        yield* store.gatewayAccounts.put(tenantId, account, 0)
        for (const bad of refused) {
          if (bad.gateway !== account.gateway) continue
          expect(yield* Effect.flip(store.gatewayAccounts.put(tenantId, bad, 1))).toBeInstanceOf(
            InvalidGatewayAccount
          )
        }
        expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual({ value: account, version: 1 })
      })
    )

    it.effect("racing puts from one version, and racing first puts: exactly one wins each time", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const account = makeGatewayAccount({ tenantId })
        const race = (expectedVersion: number) =>
          Effect.forEach(
            Array.from({ length: 8 }, (_, i) => i),
            (i) =>
              Effect.either(
                store.gatewayAccounts.put(
                  tenantId,
                  { ...account, updatedAt: account.updatedAt + expectedVersion * 100 + i },
                  expectedVersion
                )
              ),
            { concurrency: "unbounded" }
          )
        for (const expectedVersion of [0, 1]) {
          const results = yield* race(expectedVersion)
          const winners = results.flatMap((r) => (r._tag === "Right" ? [r.right] : []))
          expect(winners).toHaveLength(1)
          expect(results.filter((r) => r._tag === "Left" && r.left instanceof VersionConflict)).toHaveLength(
            7
          )
          expect(yield* store.gatewayAccounts.get(tenantId, "stripe")).toEqual(winners[0])
          expect(winners[0]?.version).toBe(expectedVersion + 1)
        }
      })
    )
  })
}
