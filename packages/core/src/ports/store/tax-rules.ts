/**
 * A tenant's tax rules as the store keeps them. The store holds the rule set the tenant configured
 * (decoded by `decodeTaxRules`) and gives it back as it was given: same rules, same order, the same
 * optional fields present or absent. A rate is kept as its exact percentage string (`"8.25"`, `"9.975"`),
 * never a float, and reads back as the same exact ratio (in lowest terms).
 */
import { Either, Schema } from "effect"
import { InvalidTaxRule } from "../../invoicing/tax/errors"
import { formatIssues } from "../../invoicing/tax/rate-schema"
import { decodeTaxRules, TaxRule, type TaxRuleInput } from "../../invoicing/tax/rules"
import type { Op } from "./repositories"

/** A tax rule in its stored (input) form: the rate as an exact percentage string. */
export type StoredTaxRule = TaxRuleInput

const encodeRules = Schema.encodeEither(Schema.Array(TaxRule))
const decodeRule = Schema.decodeUnknownSync(TaxRule)

/**
 * The rules in the form the store keeps, checked the way `decodeTaxRules` checks input: unique ids, a
 * locality only with a region, and a rate that has an exact percentage string of at most 12 decimals
 * (a ratio like 1/3 has none). `InvalidTaxRule` names the first problem.
 */
export const storableTaxRules = (
  rules: ReadonlyArray<TaxRule>
): Either.Either<ReadonlyArray<StoredTaxRule>, InvalidTaxRule> =>
  Either.flatMap(
    Either.mapLeft(encodeRules(rules), (error) => new InvalidTaxRule({ issue: formatIssues(error) })),
    (stored) => Either.map(decodeTaxRules(stored), () => stored)
  )

/** A stored rule back as the domain's `TaxRule` (the store wrote it: a corrupt row is a defect). */
export const taxRuleFromStore = (stored: StoredTaxRule): TaxRule => decodeRule(stored)

/**
 * The tenant's tax rules (`determineTax` reads them), kept as one rule set per tenant: `replace` swaps
 * the whole set atomically, so a reader sees the old set or the new one, never a mix.
 *
 * Unique key: (tenant, rule id) — ids are unique within a set.
 */
export interface TaxRuleRepository {
  /** The tenant's rules in the order given to the last `replace`; none before the first. */
  readonly list: (tenantId: string) => Op<ReadonlyArray<TaxRule>>
  /**
   * Replaces the tenant's rule set with `rules` (an empty list removes them all). `InvalidTaxRule` when
   * a rule cannot be kept exactly (see {@link storableTaxRules}); nothing is written then.
   */
  readonly replace: (tenantId: string, rules: ReadonlyArray<TaxRule>) => Op<void, InvalidTaxRule>
}
