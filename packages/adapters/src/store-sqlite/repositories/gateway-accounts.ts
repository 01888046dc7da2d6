/** A tenant's gateway accounts on SQLite: inserts at version 0, compare-and-set replaces after. */
import { checkGatewayAccountPut, type GatewayAccountRepository, StoreError } from "@ezscale/core"
import { and, asc, eq, sql } from "drizzle-orm"
import { Effect, Either } from "effect"
import {
  gatewayAccountConflict,
  gatewayAccountFromRow,
  gatewayAccountToRow
} from "../../store-sql/gateway-accounts"
import { sameTenant } from "../../store-sql/tenant"
import type { SqliteClient } from "../client"
import { gatewayAccounts } from "../schema"

export const gatewayAccountRepository = (client: SqliteClient): GatewayAccountRepository => ({
  get: (tenantId, gateway) =>
    client
      .run({ entity: "gateway_account", key: gateway }, (db) =>
        db
          .select()
          .from(gatewayAccounts)
          .where(and(eq(gatewayAccounts.tenantId, tenantId), eq(gatewayAccounts.gateway, gateway)))
          .get()
      )
      .pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.fail(StoreError.notFound("gateway_account", gateway))
            : Effect.succeed({ value: gatewayAccountFromRow(row), version: row.version })
        )
      ),
  list: (tenantId) =>
    client.run({ entity: "gateway_account" }, (db) =>
      db
        .select()
        .from(gatewayAccounts)
        .where(eq(gatewayAccounts.tenantId, tenantId))
        .orderBy(asc(gatewayAccounts.gateway))
        .all()
        .map((row) => ({ value: gatewayAccountFromRow(row), version: row.version }))
    ),
  put: (tenantId, account, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, account, "gateway account"),
      Effect.flatMap(checkGatewayAccountPut(account, expectedVersion), (valid) =>
        client
          .run({ entity: "gateway_account", key: valid.gateway }, (db) =>
            client.atomically(() => {
              const where = and(
                eq(gatewayAccounts.tenantId, tenantId),
                eq(gatewayAccounts.gateway, valid.gateway)
              )
              const current = db
                .select({ version: gatewayAccounts.version })
                .from(gatewayAccounts)
                .where(where)
                .get()
              const actual = current?.version ?? 0
              if (actual !== expectedVersion) {
                return Either.left(gatewayAccountConflict(valid.gateway, expectedVersion, actual))
              }
              const row = gatewayAccountToRow(valid)
              if (expectedVersion === 0) {
                db.insert(gatewayAccounts)
                  .values({ ...row, version: 1 })
                  .run()
              } else {
                const { tenantId: _tenant, gateway: _gateway, ...columns } = row
                db.update(gatewayAccounts)
                  .set({ ...columns, version: sql`${gatewayAccounts.version} + 1` })
                  .where(and(where, eq(gatewayAccounts.version, expectedVersion)))
                  .run()
              }
              return Either.right({ value: valid, version: expectedVersion + 1 })
            })
          )
          .pipe(Effect.flatten)
      )
    ),
  remove: (tenantId, gateway) =>
    client
      .run({ entity: "gateway_account", key: gateway }, (db) =>
        db
          .delete(gatewayAccounts)
          .where(and(eq(gatewayAccounts.tenantId, tenantId), eq(gatewayAccounts.gateway, gateway)))
          .run()
      )
      .pipe(
        Effect.flatMap(({ changes }) =>
          changes > 0 ? Effect.void : Effect.fail(StoreError.notFound("gateway_account", gateway))
        )
      )
})
