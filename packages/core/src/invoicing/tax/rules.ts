import { Either, Schema } from "effect"
import { InvalidTaxRule } from "./errors"
import { formatIssues, PercentRate } from "./rate-schema"

const CountryCode = Schema.String.pipe(Schema.pattern(/^[A-Z]{2}$/))
const Name = Schema.String.pipe(Schema.minLength(1))

/**
 * One tax a tenant charges: a rate in a country, optionally only in one region (US state `TX`, Canadian
 * province `QC`) and one locality inside it (a US county or city), optionally only for some product
 * kinds. Every rule that matches a sale becomes one tax component of each line, so Canadian GST + PST
 * or a US state + county rate are two rules.
 *
 * - `priority` orders the components of a line (ascending, default 0; ties by `id`).
 * - `compound` taxes the net amount plus the components before it (Quebec QST before 2013), instead of
 *   the net amount alone.
 * - `productKinds`: the rule applies only to those kinds, and then replaces the unrestricted rule of the
 *   same name and jurisdiction (a reduced rate for e-books beside the standard VAT rate).
 *
 * Input carries the rate as a percentage string: `{ rate: "8.25" }` decodes to 33/400.
 */
export const TaxRule = Schema.Struct({
  id: Name,
  country: CountryCode,
  region: Schema.optionalWith(Name, { exact: true }),
  locality: Schema.optionalWith(Name, { exact: true }),
  name: Name,
  rate: PercentRate,
  priority: Schema.optionalWith(Schema.Int, { exact: true }),
  compound: Schema.optionalWith(Schema.Boolean, { exact: true }),
  productKinds: Schema.optionalWith(Schema.NonEmptyArray(Name), { exact: true })
}).pipe(
  Schema.filter((rule) => rule.locality === undefined || rule.region !== undefined, {
    message: () => "a rule with a locality needs a region"
  })
)

export type TaxRule = typeof TaxRule.Type
export type TaxRuleInput = typeof TaxRule.Encoded

const decodeRules = Schema.decodeUnknownEither(Schema.Array(TaxRule))

/** Decodes a tenant's rule set from input (JSON); ids must be unique. */
export const decodeTaxRules = (input: unknown): Either.Either<ReadonlyArray<TaxRule>, InvalidTaxRule> =>
  Either.flatMap(
    Either.mapLeft(decodeRules(input), (e) => new InvalidTaxRule({ issue: formatIssues(e) })),
    (rules) => {
      const seen = new Set<string>()
      for (const rule of rules) {
        if (seen.has(rule.id))
          return Either.left(new InvalidTaxRule({ issue: `duplicate rule id "${rule.id}"` }))
        seen.add(rule.id)
      }
      return Either.right(rules)
    }
  )

/** Where a sale is taxed: a country and, for sub-national taxes, region and locality. */
export interface TaxPlace {
  readonly country: string
  readonly region?: string
  readonly locality?: string
}

/**
 * The rules that apply at `place` to `productKind`: a rule without region covers the whole country; a
 * rule with a region (and locality) only that region (and locality). A rule restricted to product kinds
 * applies only to a sale of one of them.
 */
export const rulesAt = (
  rules: ReadonlyArray<TaxRule>,
  place: TaxPlace,
  productKind: string | undefined
): ReadonlyArray<TaxRule> =>
  rules.filter(
    (rule) =>
      rule.country === place.country &&
      (rule.region === undefined || rule.region === place.region) &&
      (rule.locality === undefined || rule.locality === place.locality) &&
      (rule.productKinds === undefined ||
        (productKind !== undefined && rule.productKinds.includes(productKind)))
  )
