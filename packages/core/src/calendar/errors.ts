import { Schema } from "effect"

/** A calendar date that does not exist or a string that is not a strict `YYYY-MM-DD` date. */
export class InvalidDate extends Schema.TaggedError<InvalidDate>()("InvalidDate", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Invalid date "${this.input}": ${this.reason}`
  }
}

/** A name that is not an IANA time zone known to the runtime (offsets like "+05:30" are refused too). */
export class InvalidTimeZone extends Schema.TaggedError<InvalidTimeZone>()("InvalidTimeZone", {
  zone: Schema.String
}) {
  override get message() {
    return `Unknown IANA time zone "${this.zone}"`
  }
}

/** A prorata policy whose renewal day or cutoff day is out of range. */
export class InvalidProrataPolicy extends Schema.TaggedError<InvalidProrataPolicy>()("InvalidProrataPolicy", {
  field: Schema.Literal("day", "cutoffDay"),
  value: Schema.Number,
  reason: Schema.String
}) {
  override get message() {
    return `Invalid prorata policy ${this.field}=${this.value}: ${this.reason}`
  }
}
