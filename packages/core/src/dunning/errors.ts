import { Schema } from "effect"

/**
 * A tenant's dunning policy from input (JSON, the admin panel) that does not decode: `field` is the path
 * of the offending field (`"retryDays.2"`, `"lateFee.rate"`, `"terminateAfterDays"`), `reason` says why.
 */
export class InvalidDunningPolicy extends Schema.TaggedError<InvalidDunningPolicy>()("InvalidDunningPolicy", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return this.field === ""
      ? `Invalid dunning policy: ${this.reason}`
      : `Invalid dunning policy: ${this.field}: ${this.reason}`
  }
}
