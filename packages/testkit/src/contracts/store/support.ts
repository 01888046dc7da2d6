import type { Vitest } from "@effect/vitest"
import { Ids, Store } from "@ezscale/core"
import { Effect } from "effect"

export type StoreIt = Vitest.MethodsNonLive<Store | Ids>

/** What a store adapter can opt out of, each with the reason the skip is honest. */
export interface StoreCapabilities {
  /** Nested `withTransaction` rolls back only its own writes (SQL SAVEPOINT). Default true. */
  readonly savepoints?: boolean
}

/**
 * A test's own tenant and store: the suite shares one store across tests (as a real database would be),
 * so every test writes under a tenant nobody else uses — which also keeps the cross-tenant job queue
 * apart, by giving each test its own job kind.
 */
export const fresh = Effect.gen(function* () {
  const store = yield* Store
  const ids = yield* Ids
  const tenantId = yield* ids.next("tenant")
  const otherTenantId = yield* ids.next("tenant")
  const id = (prefix: string) => ids.next(prefix)
  return { store, tenantId, otherTenantId, id, jobKind: `contract-${tenantId}` }
})
