/** Row <-> record mapping for tax rules and exchange rates, identical for both dialects. */
import type { CurrencyCode, ExchangeRate, StoredTaxRule } from "@ezscale/core"
import { bigintFromDriver } from "./integers"
import { decodeJson, encodeJson } from "./json"

export interface TaxRuleRow {
  readonly tenantId: string
  readonly id: string
  /** The rule's place in the set (0-based), so the set reads back in the order it was given. */
  readonly position: number
  readonly country: string
  readonly region: string | null
  readonly locality: string | null
  readonly name: string
  /** The exact percentage string ("8.25"). */
  readonly ratePercent: string
  readonly priority: number | null
  readonly compound: boolean | null
  /** JSON array of product kinds, or NULL for a rule that applies to every kind. */
  readonly productKinds: string | null
}

export const taxRuleToRow = (tenantId: string, rule: StoredTaxRule, position: number): TaxRuleRow => ({
  tenantId,
  id: rule.id,
  position,
  country: rule.country,
  region: rule.region ?? null,
  locality: rule.locality ?? null,
  name: rule.name,
  ratePercent: rule.rate,
  priority: rule.priority ?? null,
  compound: rule.compound ?? null,
  productKinds: rule.productKinds === undefined ? null : encodeJson(rule.productKinds)
})

export const taxRuleFromRow = (row: TaxRuleRow): StoredTaxRule => ({
  id: row.id,
  country: row.country,
  ...(row.region === null ? {} : { region: row.region }),
  ...(row.locality === null ? {} : { locality: row.locality }),
  name: row.name,
  rate: row.ratePercent,
  ...(row.priority === null ? {} : { priority: row.priority }),
  ...(row.compound === null ? {} : { compound: row.compound }),
  ...(row.productKinds === null
    ? {}
    : { productKinds: decodeJson(row.productKinds) as unknown as NonNullable<StoredTaxRule["productKinds"]> })
})

export interface ExchangeRateRow {
  readonly tenantId: string
  readonly fromCurrency: string
  readonly toCurrency: string
  /** `YYYY-MM-DD`: orders like the days. */
  readonly rateDate: string
  /** The exact rate's numerator and denominator, in decimal digits. */
  readonly rateNum: string
  readonly rateDen: string
  readonly source: string
}

export const exchangeRateToRow = (tenantId: string, rate: ExchangeRate): ExchangeRateRow => ({
  tenantId,
  fromCurrency: rate.from,
  toCurrency: rate.to,
  rateDate: rate.date,
  rateNum: rate.rate.num.toString(),
  rateDen: rate.rate.den.toString(),
  source: rate.source
})

export const exchangeRateFromRow = (row: ExchangeRateRow): ExchangeRate => ({
  from: row.fromCurrency as CurrencyCode,
  to: row.toCurrency as CurrencyCode,
  rate: { num: bigintFromDriver(row.rateNum), den: bigintFromDriver(row.rateDen) },
  source: row.source,
  date: row.rateDate
})
