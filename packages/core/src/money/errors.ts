import { Schema } from "effect"

export class CurrencyMismatch extends Schema.TaggedError<CurrencyMismatch>()("CurrencyMismatch", {
  expected: Schema.String,
  actual: Schema.String
}) {
  override get message() {
    return `Cannot combine ${this.actual} with ${this.expected}`
  }
}

export class UnknownCurrency extends Schema.TaggedError<UnknownCurrency>()("UnknownCurrency", {
  code: Schema.String
}) {
  override get message() {
    return `Unknown currency code "${this.code}" (expected an ISO 4217 code such as USD)`
  }
}

export class InvalidAmount extends Schema.TaggedError<InvalidAmount>()("InvalidAmount", {
  input: Schema.String,
  currency: Schema.String,
  reason: Schema.Literal("syntax", "too_many_decimals")
}) {
  override get message() {
    return this.reason === "too_many_decimals"
      ? `"${this.input}" has more decimals than ${this.currency} allows`
      : `"${this.input}" is not a decimal amount`
  }
}

export class InvalidRatio extends Schema.TaggedError<InvalidRatio>()("InvalidRatio", {
  input: Schema.String,
  reason: Schema.Literal("syntax", "zero_denominator", "negative")
}) {
  override get message() {
    return `"${this.input}" is not a valid rate (${this.reason})`
  }
}

export class InvalidAllocation extends Schema.TaggedError<InvalidAllocation>()("InvalidAllocation", {
  reason: Schema.Literal("no_weights", "negative_weight", "zero_total_weight")
}) {
  override get message() {
    return `Cannot allocate: ${this.reason.replaceAll("_", " ")}`
  }
}
