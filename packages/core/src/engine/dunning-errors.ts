import { Schema } from "effect"

/**
 * An open invoice the dunning run cannot decide about: the customer it bills (whose zone dunning days are
 * counted in) or the subscription it names is gone. Reported in the run's `failures`; the invoice is
 * looked at again on the next run.
 */
export class DunningRecordMissing extends Schema.TaggedError<DunningRecordMissing>()("DunningRecordMissing", {
  invoiceId: Schema.String,
  entity: Schema.Literal("customer", "subscription"),
  id: Schema.String
}) {
  override get message() {
    return `Invoice ${this.invoiceId}: its ${this.entity} ${this.id} no longer exists`
  }
}

/**
 * A fixed late fee was due on an invoice, but the tenant's dunning policy has no amount in the invoice's
 * currency: no fee was charged. Reported in the run's `failures` so staff can complete the policy.
 */
export class LateFeeAmountMissing extends Schema.TaggedError<LateFeeAmountMissing>()("LateFeeAmountMissing", {
  invoiceId: Schema.String,
  currency: Schema.String
}) {
  override get message() {
    return `Invoice ${this.invoiceId}: the late fee policy has no amount in ${this.currency}`
  }
}
