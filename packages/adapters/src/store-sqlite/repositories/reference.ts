/** Reference data a tenant configures on SQLite: tax rules and exchange rates. */
import {
  checkExchangeRate,
  type ExchangeRateRepository,
  parseIsoDate,
  storableTaxRules,
  type TaxRuleRepository,
  taxRuleFromStore
} from "@ezscale/core"
import { and, asc, desc, eq, lte } from "drizzle-orm"
import { Effect, Either, Option } from "effect"
import {
  exchangeRateFromRow,
  exchangeRateToRow,
  taxRuleFromRow,
  taxRuleToRow
} from "../../store-sql/reference"
import type { SqliteClient } from "../client"
import { exchangeRates, taxRules } from "../schema"

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

export const exchangeRateRepository = (client: SqliteClient): ExchangeRateRepository => ({
  put: (tenantId, rate) =>
    Either.match(checkExchangeRate(rate), {
      onLeft: Effect.fail,
      onRight: (valid) =>
        client.run({ entity: "exchange_rate", key: `${valid.from}/${valid.to}/${valid.date}` }, (db) => {
          const row = exchangeRateToRow(tenantId, valid)
          db.insert(exchangeRates)
            .values(row)
            .onConflictDoUpdate({
              target: [
                exchangeRates.tenantId,
                exchangeRates.fromCurrency,
                exchangeRates.toCurrency,
                exchangeRates.rateDate
              ],
              set: { rateNum: row.rateNum, rateDen: row.rateDen, source: row.source }
            })
            .run()
        })
    }),
  latest: (tenantId, from, to, date) =>
    Either.match(parseIsoDate(date), {
      onLeft: Effect.fail,
      onRight: () =>
        client.run({ entity: "exchange_rate", key: `${from}/${to}/${date}` }, (db) => {
          const row = db
            .select()
            .from(exchangeRates)
            .where(
              and(
                eq(exchangeRates.tenantId, tenantId),
                eq(exchangeRates.fromCurrency, from),
                eq(exchangeRates.toCurrency, to),
                lte(exchangeRates.rateDate, date)
              )
            )
            .orderBy(desc(exchangeRates.rateDate))
            .limit(1)
            .get()
          return Option.map(Option.fromNullable(row), exchangeRateFromRow)
        })
    })
})
