import { Schema } from "effect"

export class InvalidNumberFormat extends Schema.TaggedError<InvalidNumberFormat>()("InvalidNumberFormat", {
  format: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Invalid invoice number format "${this.format}": ${this.reason}`
  }
}
