import { Schema } from "effect"

/**
 * A revenue event that does not fit the subscription's revenue state: a start for a subscription that
 * already started, a change, churn or coupon end for one that is not live, a reactivation of one that
 * has not churned. `state` is where the subscription was.
 */
export class IllegalRevenueEvent extends Schema.TaggedError<IllegalRevenueEvent>()("IllegalRevenueEvent", {
  subscriptionId: Schema.String,
  event: Schema.String,
  state: Schema.Literal("unknown", "live", "churned")
}) {
  override get message() {
    return `${this.event} cannot apply to subscription ${this.subscriptionId}: it is ${this.state}`
  }
}

/** A customer's revenue events must be applied in time order; this one is earlier than the last. */
export class RevenueEventOutOfOrder extends Schema.TaggedError<RevenueEventOutOfOrder>()(
  "RevenueEventOutOfOrder",
  { customerId: Schema.String, at: Schema.Number, lastAt: Schema.Number }
) {
  override get message() {
    return `Revenue event at ${this.at} for customer ${this.customerId} comes before the last one applied (${this.lastAt})`
  }
}

/**
 * A snapshot (or churn) names another customer or currency than the subscription started with: a
 * subscription never moves between customers or currencies (that is a churn and a new subscription).
 */
export class RevenueSnapshotMismatch extends Schema.TaggedError<RevenueSnapshotMismatch>()(
  "RevenueSnapshotMismatch",
  {
    subscriptionId: Schema.String,
    field: Schema.Literal("customerId", "currency"),
    expected: Schema.String,
    actual: Schema.String
  }
) {
  override get message() {
    return `Subscription ${this.subscriptionId}: the event's ${this.field} is ${this.actual}, expected ${this.expected}`
  }
}

/** No exchange rate for the day to convert an amount into the reporting currency. */
export class ExchangeRateMissing extends Schema.TaggedError<ExchangeRateMissing>()("ExchangeRateMissing", {
  from: Schema.String,
  to: Schema.String,
  date: Schema.String
}) {
  override get message() {
    return `No ${this.from} -> ${this.to} exchange rate for ${this.date}`
  }
}

/** A credit note in the revenue history whose invoice is not among the history's paid invoices. */
export class CreditNoteInvoiceMissing extends Schema.TaggedError<CreditNoteInvoiceMissing>()(
  "CreditNoteInvoiceMissing",
  { invoiceId: Schema.String }
) {
  override get message() {
    return `A credit note refers to invoice ${this.invoiceId}, which is not a paid invoice of the revenue history`
  }
}

/** A report period that is not a day (`YYYY-MM-DD`) or a month (`YYYY-MM`). */
export class InvalidReportPeriod extends Schema.TaggedError<InvalidReportPeriod>()("InvalidReportPeriod", {
  input: Schema.String
}) {
  override get message() {
    return `"${this.input}" is not a report period: expected a day (YYYY-MM-DD) or a month (YYYY-MM)`
  }
}

/** Why a revenue event could not be applied. */
export type RevenueEventError = IllegalRevenueEvent | RevenueEventOutOfOrder | RevenueSnapshotMismatch
