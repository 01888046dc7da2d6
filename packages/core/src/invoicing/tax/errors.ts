import { Schema } from "effect"

/** A customer VAT id that does not have the format of the customer's EU member state. */
export class InvalidVatId extends Schema.TaggedError<InvalidVatId>()("InvalidVatId", {
  country: Schema.String,
  vatId: Schema.String
}) {
  override get message() {
    return `"${this.vatId}" is not a valid VAT id for ${this.country}`
  }
}

/** VAT must be charged in `country`, but the tenant's rule set has no rule for it. */
export class TaxRuleMissing extends Schema.TaggedError<TaxRuleMissing>()("TaxRuleMissing", {
  country: Schema.String,
  region: Schema.optional(Schema.String)
}) {
  override get message() {
    const where = this.region === undefined ? this.country : `${this.country}-${this.region}`
    return `No tax rule for ${where}, where tax must be charged`
  }
}

/** Two rules claim the same tax component (same name and jurisdiction) for one sale. */
export class TaxRuleConflict extends Schema.TaggedError<TaxRuleConflict>()("TaxRuleConflict", {
  country: Schema.String,
  ruleIds: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Tax rules ${this.ruleIds.join(", ")} in ${this.country} apply to the same component`
  }
}

/** A tax rule from input that does not decode (bad country, rate, ...). */
export class InvalidTaxRule extends Schema.TaggedError<InvalidTaxRule>()("InvalidTaxRule", {
  issue: Schema.String
}) {
  override get message() {
    return `Invalid tax rule: ${this.issue}`
  }
}

/** Everything {@link determineTax} can fail with. */
export type TaxError = InvalidVatId | TaxRuleMissing | TaxRuleConflict
