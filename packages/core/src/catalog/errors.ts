import { Schema } from "effect"

export class CatalogIssue extends Schema.Class<CatalogIssue>("CatalogIssue")({
  /** Where in the input, e.g. `products.0.plans.1.prices.0.amount`. */
  path: Schema.String,
  message: Schema.String
}) {}

/** Catalog input that does not validate; each issue names the field and why. */
export class InvalidCatalog extends Schema.TaggedError<InvalidCatalog>()("InvalidCatalog", {
  issues: Schema.Array(CatalogIssue)
}) {
  override get message() {
    return `Invalid catalog: ${this.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`
  }
}

export class ProductNotFound extends Schema.TaggedError<ProductNotFound>()("ProductNotFound", {
  productId: Schema.String
}) {}

export class PlanNotFound extends Schema.TaggedError<PlanNotFound>()("PlanNotFound", {
  productId: Schema.String,
  planId: Schema.String
}) {}

/** The plan, option or add-on has no price for this (currency, cycle): it is not offered. */
export class CycleNotOffered extends Schema.TaggedError<CycleNotOffered>()("CycleNotOffered", {
  itemId: Schema.String,
  currency: Schema.String,
  cycle: Schema.String
}) {
  override get message() {
    return `${this.itemId} is not offered in ${this.currency} ${this.cycle}`
  }
}

export class OptionNotFound extends Schema.TaggedError<OptionNotFound>()("OptionNotFound", {
  productId: Schema.String,
  optionId: Schema.String
}) {}

export class AddonNotFound extends Schema.TaggedError<AddonNotFound>()("AddonNotFound", {
  productId: Schema.String,
  addonId: Schema.String
}) {}

/** A value that does not fit the option: an unknown choice, a quantity out of range, a wrong kind. */
export class InvalidOptionValue extends Schema.TaggedError<InvalidOptionValue>()("InvalidOptionValue", {
  optionId: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Option ${this.optionId}: ${this.reason}`
  }
}

export class OptionNotUpgradable extends Schema.TaggedError<OptionNotUpgradable>()("OptionNotUpgradable", {
  optionId: Schema.String
}) {}

export type CatalogError =
  | ProductNotFound
  | PlanNotFound
  | CycleNotOffered
  | OptionNotFound
  | AddonNotFound
  | InvalidOptionValue
  | OptionNotUpgradable
