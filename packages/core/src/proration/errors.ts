import { Schema } from "effect"

/**
 * The old and new items are billed on different cycles (monthly -> annually). Proration across cycles
 * (credit the old period, start a new one) is not supported yet: the change has to wait for renewal.
 */
export class CycleChangeNotSupported extends Schema.TaggedError<CycleChangeNotSupported>()(
  "CycleChangeNotSupported",
  { from: Schema.String, to: Schema.String }
) {
  override get message() {
    return `A plan change from ${this.from} to ${this.to} billing is not supported: the cycles must match`
  }
}

/** The change date is not a day of the period being prorated (`start <= changeDate < end`). */
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

export type ProrationError = CycleChangeNotSupported | ChangeOutsidePeriod | InvalidChargedAmount
