/** Reference data a tenant configures on SQLite: tax rules. */
import { storableTaxRules, type TaxRuleRepository, taxRuleFromStore } from "@ezscale/core"
import { asc, eq } from "drizzle-orm"
import { Effect, Either } from "effect"
import { taxRuleFromRow, taxRuleToRow } from "../../store-sql/reference"
import type { SqliteClient } from "../client"
import { taxRules } from "../schema"

export const taxRuleRepository = (client: SqliteClient): TaxRuleRepository => ({
  list: (tenantId) =>
    client.run({ entity: "tax_rule", key: tenantId }, (db) =>
      db
        .select()
        .from(taxRules)
        .where(eq(taxRules.tenantId, tenantId))
        .orderBy(asc(taxRules.position))
        .all()
        .map((row) => taxRuleFromStore(taxRuleFromRow(row)))
    ),
  replace: (tenantId, rules) =>
    Either.match(storableTaxRules(rules), {
      onLeft: Effect.fail,
      onRight: (stored) =>
        client.run({ entity: "tax_rule", key: tenantId }, (db) =>
          client.atomically(() => {
            db.delete(taxRules).where(eq(taxRules.tenantId, tenantId)).run()
            if (stored.length > 0) {
              db.insert(taxRules)
                .values(stored.map((rule, position) => taxRuleToRow(tenantId, rule, position)))
                .run()
            }
          })
        )
    })
})
