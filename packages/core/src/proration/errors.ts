import { Schema } from "effect"

/**
 * The moment of the change is not inside the period being prorated: its day in the customer's zone must
 * satisfy `start <= changeDate < end`.
 */
export class ChangeOutsidePeriod extends Schema.TaggedError<ChangeOutsidePeriod>()("ChangeOutsidePeriod", {
  /** ISO dates, `YYYY-MM-DD`; `periodEnd` is exclusive. */
  changeDate: Schema.String,
  periodStart: Schema.String,
  periodEnd: Schema.String
}) {
  override get message() {
    return `The change date ${this.changeDate} is outside the period ${this.periodStart}..${this.periodEnd} (end exclusive)`
  }
}

/** What an item was charged for the period cannot be negative: a credit is never more than was paid. */
export class InvalidChargedAmount extends Schema.TaggedError<InvalidChargedAmount>()("InvalidChargedAmount", {
  itemId: Schema.String,
  charged: Schema.BigIntFromSelf
}) {
  override get message() {
    return `Item ${this.itemId}: the amount charged for the period must not be negative (got ${this.charged})`
  }
}

/** What was paid for the period cannot be negative. */
export class InvalidPaidAmount extends Schema.TaggedError<InvalidPaidAmount>()("InvalidPaidAmount", {
  paid: Schema.BigIntFromSelf
}) {
  override get message() {
    return `The amount paid for the period must not be negative (got ${this.paid})`
  }
}

/**
 * The items on one side of a change are billed on different cycles. The current items were charged
 * together for one period, and the new items start one period together, so each side has one cycle.
 * (An add-on on its own cycle is a subscription of its own: change it on its own.)
 */
export class MixedCycles extends Schema.TaggedError<MixedCycles>()("MixedCycles", {
  side: Schema.Literal("current", "new"),
  cycles: Schema.Array(Schema.String)
}) {
  override get message() {
    return `The ${this.side} items of a change must share one billing cycle (got ${this.cycles.join(", ")})`
  }
}

/**
 * An item billed on a cycle that does not renew (`one_time`, `free`) has no period to prorate and no
 * renewal to move: changes to or from it are not quoted here.
 */
export class CycleNotProratable extends Schema.TaggedError<CycleNotProratable>()("CycleNotProratable", {
  itemId: Schema.String,
  cycle: Schema.String
}) {
  override get message() {
    return `Item ${this.itemId} is billed ${this.cycle}: only recurring cycles can be prorated`
  }
}

/** A change with no items on either side: there is no cycle, no period and nothing to quote. */
export class EmptyChange extends Schema.TaggedError<EmptyChange>()("EmptyChange", {}) {
  override get message() {
    return "A change needs current or new items: both sides are empty"
  }
}

/** Proration settings from input that do not decode; `issue` says which field and why. */
export class InvalidProrationSettings extends Schema.TaggedError<InvalidProrationSettings>()(
  "InvalidProrationSettings",
  { issue: Schema.String }
) {
  override get message() {
    return `Invalid proration settings: ${this.issue}`
  }
}

/** Why a change cannot be quoted. */
export type ProrationError =
  | ChangeOutsidePeriod
  | InvalidChargedAmount
  | InvalidPaidAmount
  | MixedCycles
  | CycleNotProratable
  | EmptyChange
