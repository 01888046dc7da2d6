import { Schema } from "effect"

/** The coupon's `expiresAt` instant has been reached. */
export class CouponExpired extends Schema.TaggedError<CouponExpired>()("CouponExpired", {
  code: Schema.String,
  expiresAt: Schema.Number,
  now: Schema.Number
}) {
  override get message() {
    return `Coupon ${this.code} expired at ${this.expiresAt} (epoch ms); now is ${this.now}`
  }
}

/** The coupon has been redeemed `maxRedemptions` times. */
export class CouponExhausted extends Schema.TaggedError<CouponExhausted>()("CouponExhausted", {
  code: Schema.String,
  maxRedemptions: Schema.Number
}) {
  override get message() {
    return `Coupon ${this.code} has reached its limit of ${this.maxRedemptions} redemptions`
  }
}

/** A once-per-customer coupon this customer has already redeemed. */
export class CouponAlreadyRedeemed extends Schema.TaggedError<CouponAlreadyRedeemed>()(
  "CouponAlreadyRedeemed",
  {
    code: Schema.String,
    customerId: Schema.String
  }
) {
  override get message() {
    return `Coupon ${this.code} has already been redeemed by customer ${this.customerId}`
  }
}

/** The coupon is restricted to other products, plans or billing cycles. */
export class CouponNotApplicable extends Schema.TaggedError<CouponNotApplicable>()("CouponNotApplicable", {
  code: Schema.String,
  reason: Schema.Literal("product", "plan", "cycle")
}) {
  override get message() {
    return `Coupon ${this.code} does not apply to this ${this.reason}`
  }
}

/** A fixed-amount coupon with no amount in the invoice's currency. */
export class CouponCurrencyUnsupported extends Schema.TaggedError<CouponCurrencyUnsupported>()(
  "CouponCurrencyUnsupported",
  { code: Schema.String, currency: Schema.String }
) {
  override get message() {
    return `Coupon ${this.code} has no amount in ${this.currency}`
  }
}

/** A coupon that is not stackable, given together with other coupons. */
export class CouponNotStackable extends Schema.TaggedError<CouponNotStackable>()("CouponNotStackable", {
  code: Schema.String
}) {
  override get message() {
    return `Coupon ${this.code} cannot be combined with other coupons`
  }
}

/** A coupon from input that does not decode. */
export class InvalidCoupon extends Schema.TaggedError<InvalidCoupon>()("InvalidCoupon", {
  issue: Schema.String
}) {
  override get message() {
    return `Invalid coupon: ${this.issue}`
  }
}

export type RedemptionError =
  | CouponExpired
  | CouponExhausted
  | CouponAlreadyRedeemed
  | CouponNotApplicable
  | CouponCurrencyUnsupported
