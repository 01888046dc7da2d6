/** Reference data a tenant configures on MySQL / MariaDB: tax rules and exchange rates. */
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
import type { MysqlClient } from "../client"
import { exchangeRates, taxRules } from "../schema"

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

export const exchangeRateRepository = (client: MysqlClient): ExchangeRateRepository => ({
  put: (tenantId, rate) =>
    Either.match(checkExchangeRate(rate), {
      onLeft: Effect.fail,
      onRight: (valid) =>
        client.run(
          { entity: "exchange_rate", key: `${valid.from}/${valid.to}/${valid.date}` },
          async (db) => {
            const row = exchangeRateToRow(tenantId, valid)
            await db
              .insert(exchangeRates)
              .values(row)
              .onDuplicateKeyUpdate({
                set: { rateNum: row.rateNum, rateDen: row.rateDen, source: row.source }
              })
          }
        )
    }),
  latest: (tenantId, from, to, date) =>
    Either.match(parseIsoDate(date), {
      onLeft: Effect.fail,
      onRight: () =>
        client
          .run({ entity: "exchange_rate", key: `${from}/${to}/${date}` }, (db) =>
            db
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
          )
          .pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), exchangeRateFromRow)))
    })
})
