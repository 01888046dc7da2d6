/** Reference data a tenant configures: tax rules (one rule set per tenant) and exchange rates. */
import {
  checkExchangeRate,
  type ExchangeRate,
  type ExchangeRateRepository,
  parseIsoDate,
  storableTaxRules,
  type TaxRuleRepository,
  taxRuleFromStore
} from "@ezscale/core"
import { Effect, Either, Option } from "effect"
import type { Db } from "./db"
import { key, rowsOf } from "./state"

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

export const exchangeRateRepository = (db: Db): ExchangeRateRepository => ({
  put: (tenantId, rate) =>
    Either.match(checkExchangeRate(rate), {
      onLeft: Effect.fail,
      onRight: (valid) =>
        db.run(({ tables }) =>
          Effect.sync(() => {
            tables.exchangeRates.set(key(tenantId, valid.from, valid.to, valid.date), valid)
          })
        )
    }),
  latest: (tenantId, from, to, date) =>
    Either.match(parseIsoDate(date), {
      onLeft: Effect.fail,
      onRight: () =>
        db.run(({ tables }) => {
          let best: ExchangeRate | undefined
          for (const rate of rowsOf(tables.exchangeRates, tenantId)) {
            if (rate.from === from && rate.to === to && rate.date <= date) {
              if (best === undefined || rate.date > best.date) best = rate
            }
          }
          return Effect.succeed(Option.fromNullable(best))
        })
    })
})
