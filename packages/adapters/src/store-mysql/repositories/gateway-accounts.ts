/**
 * A tenant's gateway accounts on MySQL / MariaDB: version 0 is an INSERT (the primary key refuses a
 * second), a version n a compare-and-set UPDATE; a refused put reads the version now for its
 * `VersionConflict`.
 */
import { checkGatewayAccountPut, type GatewayAccountRepository, StoreError } from "@ezscale/core"
import { and, asc, eq, sql } from "drizzle-orm"
import { Effect } from "effect"
import {
  gatewayAccountConflict,
  gatewayAccountFromRow,
  gatewayAccountToRow
} from "../../store-sql/gateway-accounts"
import { sameTenant } from "../../store-sql/tenant"
import type { MysqlClient } from "../client"
import { gatewayAccounts } from "../schema"
import { affectedRows, found, unlessDuplicate } from "./support"

const accountWhere = (tenantId: string, gateway: string) =>
  and(eq(gatewayAccounts.tenantId, tenantId), eq(gatewayAccounts.gateway, gateway))

export const gatewayAccountRepository = (client: MysqlClient): GatewayAccountRepository => {
  const versionNow = (tenantId: string, gateway: string) =>
    client
      .run({ entity: "gateway_account", key: gateway }, (db) =>
        db
          .select({ version: gatewayAccounts.version })
          .from(gatewayAccounts)
          .where(accountWhere(tenantId, gateway))
          .limit(1)
      )
      .pipe(Effect.map((rows) => rows[0]?.version))

  return {
    get: (tenantId, gateway) =>
      client
        .run({ entity: "gateway_account", key: gateway }, (db) =>
          db.select().from(gatewayAccounts).where(accountWhere(tenantId, gateway)).limit(1)
        )
        .pipe(
          Effect.flatMap((rows) => found("gateway_account", gateway)(rows[0])),
          Effect.map((row) => ({ value: gatewayAccountFromRow(row), version: row.version }))
        ),
    list: (tenantId) =>
      client
        .run({ entity: "gateway_account" }, (db) =>
          db
            .select()
            .from(gatewayAccounts)
            .where(eq(gatewayAccounts.tenantId, tenantId))
            .orderBy(asc(gatewayAccounts.gateway))
        )
        .pipe(
          Effect.map((rows) =>
            rows.map((row) => ({ value: gatewayAccountFromRow(row), version: row.version }))
          )
        ),
    put: (tenantId, account, expectedVersion) =>
      Effect.zipRight(
        sameTenant(tenantId, account, "gateway account"),
        Effect.flatMap(checkGatewayAccountPut(account, expectedVersion), (valid) =>
          Effect.gen(function* () {
            const context = { entity: "gateway_account", key: valid.gateway }
            const refused = Effect.flatMap(versionNow(tenantId, valid.gateway), (actual) =>
              Effect.fail(gatewayAccountConflict(valid.gateway, expectedVersion, actual))
            )
            const row = gatewayAccountToRow(valid)
            if (expectedVersion === 0) {
              yield* unlessDuplicate(
                client.run(context, async (db) => {
                  await db.insert(gatewayAccounts).values({ ...row, version: 1 })
                }),
                (key) => (key === "primary" ? refused : undefined)
              )
              return { value: valid, version: 1 }
            }
            const { tenantId: _tenant, gateway: _gateway, ...columns } = row
            const result = yield* client.run(context, (db) =>
              db
                .update(gatewayAccounts)
                .set({ ...columns, version: sql`${gatewayAccounts.version} + 1` })
                .where(
                  and(accountWhere(tenantId, valid.gateway), eq(gatewayAccounts.version, expectedVersion))
                )
            )
            if (affectedRows(result) === 0) return yield* refused
            return { value: valid, version: expectedVersion + 1 }
          })
        )
      ),
    remove: (tenantId, gateway) =>
      client
        .run({ entity: "gateway_account", key: gateway }, (db) =>
          db.delete(gatewayAccounts).where(accountWhere(tenantId, gateway))
        )
        .pipe(
          Effect.flatMap((result) =>
            affectedRows(result) > 0
              ? Effect.void
              : Effect.fail(StoreError.notFound("gateway_account", gateway))
          )
        )
  }
}
