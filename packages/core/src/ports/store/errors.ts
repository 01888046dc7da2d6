import { Schema } from "effect"

/**
 * The store's boundary error: the database said no, or could not be reached. `reason` is what the engine
 * acts on: `Conflict` (a unique key or a lost race: re-read and decide), `NotFound` (the row is not there
 * for this tenant), `Unavailable` (connection, timeout, deadlock after retries: try again later),
 * `Unknown` (anything else). `retryable` says whether the same call may succeed if repeated as is.
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literal("Conflict", "NotFound", "Unavailable", "Unknown"),
  retryable: Schema.Boolean,
  /** What kind of row: `customer`, `subscription`, `job`... */
  entity: Schema.optionalWith(Schema.String, { exact: true }),
  /** Which row (its id or unique key). */
  key: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    const what = [this.entity, this.key].filter((part) => part !== undefined).join(" ")
    return `Store ${this.reason}${what === "" ? "" : `: ${what}`}${this.detail === undefined ? "" : ` (${this.detail})`}`
  }

  static notFound(entity: string, key: string): StoreError {
    return new StoreError({ reason: "NotFound", retryable: false, entity, key })
  }

  static conflict(entity: string, key: string, detail?: string): StoreError {
    return new StoreError({
      reason: "Conflict",
      retryable: false,
      entity,
      key,
      ...(detail === undefined ? {} : { detail })
    })
  }
}

/**
 * A second invoice for the same (tenant, subscription, period start, period end, reason): the unique key
 * that makes double billing impossible. The engine treats it as "already done", not as a failure.
 */
export class DuplicateInvoice extends Schema.TaggedError<DuplicateInvoice>()("DuplicateInvoice", {
  subscriptionId: Schema.String,
  periodStart: Schema.String,
  periodEnd: Schema.String,
  reason: Schema.String,
  /** The invoice already holding the key. */
  existingInvoiceId: Schema.String
}) {
  override get message() {
    return `Subscription ${this.subscriptionId} already has a ${this.reason} invoice for ${this.periodStart}..${this.periodEnd} (${this.existingInvoiceId})`
  }
}

/** An optimistic write lost: the row changed since it was read (its version is no longer `expected`). */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  entity: Schema.String,
  id: Schema.String,
  expected: Schema.Number,
  actual: Schema.Number
}) {
  override get message() {
    return `${this.entity} ${this.id} is at version ${this.actual}, not ${this.expected}: re-read and retry`
  }
}

/** A ledger entry that would make a customer's credit balance negative. Nothing is written. */
export class InsufficientCredit extends Schema.TaggedError<InsufficientCredit>()("InsufficientCredit", {
  customerId: Schema.String,
  currency: Schema.String,
  balance: Schema.BigIntFromSelf,
  amount: Schema.BigIntFromSelf
}) {
  override get message() {
    return `Customer ${this.customerId} has ${this.balance} ${this.currency} (minor units) of credit; cannot apply ${this.amount}`
  }
}
