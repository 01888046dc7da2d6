import { Schema } from "effect"

/** A tenant's billing settings (`Tenant.settings.billing`) are missing or invalid. */
export class InvalidBillingSettings extends Schema.TaggedError<InvalidBillingSettings>()(
  "InvalidBillingSettings",
  {
    /** Dotted path of the field, e.g. `seller.country`. */
    field: Schema.String,
    reason: Schema.String
  }
) {
  override get message() {
    return `Billing settings${this.field === "" ? "" : ` (${this.field})`}: ${this.reason}`
  }
}
