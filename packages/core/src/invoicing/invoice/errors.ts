import { Schema } from "effect"

/** The invoice's status does not allow the operation (e.g. paying a void invoice). */
export class IllegalInvoiceTransition extends Schema.TaggedError<IllegalInvoiceTransition>()(
  "IllegalInvoiceTransition",
  { invoiceId: Schema.String, from: Schema.String, to: Schema.String }
) {
  override get message() {
    return `Invoice ${this.invoiceId} cannot go from ${this.from} to ${this.to}`
  }
}

/** A payment larger than what is still owed; the caller decides where the surplus goes. */
export class PaymentExceedsBalance extends Schema.TaggedError<PaymentExceedsBalance>()(
  "PaymentExceedsBalance",
  {
    invoiceId: Schema.String,
    balance: Schema.BigIntFromSelf,
    amount: Schema.BigIntFromSelf
  }
) {}

/** A refund larger than what was paid and not yet refunded. */
export class RefundExceedsPaid extends Schema.TaggedError<RefundExceedsPaid>()("RefundExceedsPaid", {
  invoiceId: Schema.String,
  refundable: Schema.BigIntFromSelf,
  amount: Schema.BigIntFromSelf
}) {}

/** Amounts paid, refunded or applied must be positive. */
export class NonPositiveAmount extends Schema.TaggedError<NonPositiveAmount>()("NonPositiveAmount", {
  amount: Schema.BigIntFromSelf
}) {}
