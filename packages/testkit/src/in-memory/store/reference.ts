/** Reference data a tenant configures: tax rules (one rule set per tenant). */
import { storableTaxRules, type TaxRuleRepository, taxRuleFromStore } from "@ezscale/core"
import { Effect, Either } from "effect"
import type { Db } from "./db"
import { key } from "./state"

export const taxRuleRepository = (db: Db): TaxRuleRepository => ({
  list: (tenantId) => db.run(({ tables }) => Effect.succeed(tables.taxRules.get(key(tenantId)) ?? [])),
  replace: (tenantId, rules) =>
    db.run(({ tables }) =>
      Either.match(storableTaxRules(rules), {
        onLeft: Effect.fail,
        onRight: (stored) =>
          Effect.sync(() => {
            tables.taxRules.set(key(tenantId), stored.map(taxRuleFromStore))
          })
      })
    )
})
