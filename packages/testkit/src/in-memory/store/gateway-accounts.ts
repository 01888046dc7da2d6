/** A tenant's gateway accounts: one per (tenant, gateway), replaced by compare-and-set on the version. */
import {
  checkGatewayAccountPut,
  type GatewayAccountRepository,
  StoreError,
  VersionConflict
} from "@ezscale/core"
import { Effect } from "effect"
import type { Db } from "./db"
import { key, rowsOf, sameTenant } from "./state"

export const gatewayAccountRepository = (db: Db): GatewayAccountRepository => ({
  get: (tenantId, gateway) =>
    db.run(({ tables }) => {
      const row = tables.gatewayAccounts.get(key(tenantId, gateway))
      return row === undefined
        ? Effect.fail(StoreError.notFound("gateway_account", gateway))
        : Effect.succeed(row)
    }),
  list: (tenantId) =>
    db.run(({ tables }) =>
      Effect.succeed(
        rowsOf(tables.gatewayAccounts, tenantId).sort((a, b) =>
          a.value.gateway < b.value.gateway ? -1 : a.value.gateway > b.value.gateway ? 1 : 0
        )
      )
    ),
  put: (tenantId, account, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, account, "gateway account"),
      Effect.flatMap(checkGatewayAccountPut(account, expectedVersion), (valid) =>
        db.run(({ tables }) => {
          const k = key(tenantId, valid.gateway)
          const actual = tables.gatewayAccounts.get(k)?.version ?? 0
          if (actual !== expectedVersion) {
            return Effect.fail(
              new VersionConflict({
                entity: "gateway_account",
                id: valid.gateway,
                expected: expectedVersion,
                actual
              })
            )
          }
          const row = { value: valid, version: actual + 1 }
          tables.gatewayAccounts.set(k, row)
          return Effect.succeed(row)
        })
      )
    ),
  remove: (tenantId, gateway) =>
    db.run(({ tables }) =>
      tables.gatewayAccounts.delete(key(tenantId, gateway))
        ? Effect.void
        : Effect.fail(StoreError.notFound("gateway_account", gateway))
    )
})
