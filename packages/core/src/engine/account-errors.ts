/**
 * Typed errors of the account operations (orders, plan changes, cancellations, refunds, manual
 * payments). Each has a stable code in `errors/codes.ts`; nothing is written when one is raised.
 */
import { Schema } from "effect"

/** An order that cannot be placed as asked (a one-off cycle, an add-on on its own cycle...). */
export class InvalidOrder extends Schema.TaggedError<InvalidOrder>()("InvalidOrder", {
  reason: Schema.String
}) {
  override get message() {
    return `Invalid order: ${this.reason}`
  }
}

/** The subscription is not in a state the operation applies to (a pending order, an ended one...). */
export class SubscriptionNotChangeable extends Schema.TaggedError<SubscriptionNotChangeable>()(
  "SubscriptionNotChangeable",
  {
    subscriptionId: Schema.String,
    status: Schema.String,
    reason: Schema.String
  }
) {
  override get message() {
    return `Subscription ${this.subscriptionId} (${this.status}) cannot be changed: ${this.reason}`
  }
}

/** A plan change whose new configuration is what the subscription already has. */
export class NothingToChange extends Schema.TaggedError<NothingToChange>()("NothingToChange", {
  subscriptionId: Schema.String
}) {
  override get message() {
    return `Subscription ${this.subscriptionId} already has this configuration`
  }
}

/** A manual payment whose reference was already recorded for another invoice or amount. */
export class ManualPaymentConflict extends Schema.TaggedError<ManualPaymentConflict>()(
  "ManualPaymentConflict",
  {
    reference: Schema.String,
    invoiceId: Schema.String,
    /** The payment recorded under the reference. */
    existingPaymentId: Schema.String
  }
) {
  override get message() {
    return `Manual payment ${this.reference} was already recorded differently (${this.existingPaymentId})`
  }
}

/** A refund to the payment method that cannot be made: no such gateway payment, or no refunds there. */
export class RefundNotPossible extends Schema.TaggedError<RefundNotPossible>()("RefundNotPossible", {
  invoiceId: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Invoice ${this.invoiceId} cannot be refunded that way: ${this.reason}`
  }
}

/** The gateway refused the refund (its outcome was `failed`): nothing was recorded. */
export class RefundFailed extends Schema.TaggedError<RefundFailed>()("RefundFailed", {
  invoiceId: Schema.String,
  idempotencyKey: Schema.String,
  status: Schema.String
}) {
  override get message() {
    return `The gateway did not refund ${this.idempotencyKey} (${this.status}) for invoice ${this.invoiceId}`
  }
}
