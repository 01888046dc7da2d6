import { Schema } from "effect"

/** One problem in a usage configuration: where (`transfer.overage.step`) and why. */
export class UsageConfigIssue extends Schema.Class<UsageConfigIssue>("UsageConfigIssue")({
  path: Schema.String,
  message: Schema.String
}) {}

/** A plan's usage configuration (from staff input or JSON) that does not decode; each issue names the field. */
export class InvalidUsagePlan extends Schema.TaggedError<InvalidUsagePlan>()("InvalidUsagePlan", {
  issues: Schema.Array(UsageConfigIssue)
}) {
  override get message() {
    return `Invalid usage configuration: ${this.issues
      .map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`))
      .join("; ")}`
  }
}

/**
 * Usage went over what the plan includes, but the plan has no overage price in the invoice's currency:
 * the overage cannot be billed until staff add one (nothing is billed at a guessed price).
 */
export class UsagePriceMissing extends Schema.TaggedError<UsagePriceMissing>()("UsagePriceMissing", {
  metric: Schema.Literal("transfer", "percentile95"),
  currency: Schema.String
}) {
  override get message() {
    return `No ${this.metric === "transfer" ? "transfer" : "95th percentile"} overage price in ${this.currency}`
  }
}

/** What rating a period's usage can fail with. */
export type UsageRatingError = UsagePriceMissing
