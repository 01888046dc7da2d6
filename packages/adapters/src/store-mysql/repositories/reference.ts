/** Reference data a tenant configures on MySQL / MariaDB: tax rules. */
import { storableTaxRules, type TaxRuleRepository, taxRuleFromStore } from "@ezscale/core"
import { asc, eq } from "drizzle-orm"
import { Effect, Either } from "effect"
import { taxRuleFromRow, taxRuleToRow } from "../../store-sql/reference"
import type { MysqlClient } from "../client"
import { taxRules } from "../schema"

export const taxRuleRepository = (client: MysqlClient): TaxRuleRepository => ({
  list: (tenantId) =>
    client
      .run({ entity: "tax_rule", key: tenantId }, (db) =>
        db.select().from(taxRules).where(eq(taxRules.tenantId, tenantId)).orderBy(asc(taxRules.position))
      )
      .pipe(Effect.map((rows) => rows.map((row) => taxRuleFromStore(taxRuleFromRow(row))))),
  replace: (tenantId, rules) =>
    Either.match(storableTaxRules(rules), {
      onLeft: Effect.fail,
      onRight: (stored) => {
        const context = { entity: "tax_rule", key: tenantId }
        return client.atomically(
          Effect.gen(function* () {
            yield* client.run(context, (db) => db.delete(taxRules).where(eq(taxRules.tenantId, tenantId)))
            if (stored.length > 0) {
              yield* client.run(context, (db) =>
                db
                  .insert(taxRules)
                  .values(stored.map((rule, position) => taxRuleToRow(tenantId, rule, position)))
              )
            }
          })
        )
      }
    })
})
