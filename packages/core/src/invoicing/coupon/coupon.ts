import { Either, Schema } from "effect"
import { BillingCycles } from "../../catalog/cycle"
import { type CurrencyCode, compareRatios, isCurrencyCode, ratioOne } from "../../money"
import { formatIssues, PercentRate } from "../tax/rate-schema"
import { InvalidCoupon } from "./errors"

const NonEmpty = Schema.String.pipe(Schema.minLength(1))
const Ids = Schema.NonEmptyArray(NonEmpty)

/** Currency -> amount in minor units; input carries the amounts as strings (`{ "EUR": "500" }`). */
const FixedAmounts = Schema.Record({
  key: Schema.String,
  value: Schema.BigInt.pipe(Schema.positiveBigInt())
}).pipe(
  Schema.filter((amounts) => {
    const codes = Object.keys(amounts)
    const unknown = codes.filter((code) => !isCurrencyCode(code))
    if (codes.length === 0) return "at least one currency"
    return unknown.length === 0 || `unknown currency ${unknown.join(", ")}`
  })
)

const common = {
  id: NonEmpty,
  code: NonEmpty,
  /** `once`: the first invoice only; `{ cycles: N }`: the first N invoices; `forever`: every invoice. */
  duration: Schema.Union(
    Schema.Literal("once", "forever"),
    Schema.Struct({ cycles: Schema.Int.pipe(Schema.positive()) })
  ),
  /** Restricts the coupon to these products, plans and billing cycles (each list that is given). */
  appliesTo: Schema.optionalWith(
    Schema.Struct({
      productIds: Schema.optionalWith(Ids, { exact: true }),
      planIds: Schema.optionalWith(Ids, { exact: true }),
      cycles: Schema.optionalWith(Schema.NonEmptyArray(Schema.Literal(...BillingCycles)), { exact: true })
    }),
    { exact: true }
  ),
  /** Also waives the setup fees of the lines it applies to. */
  freeSetup: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** The instant (epoch ms) from which the coupon can no longer be redeemed. */
  expiresAt: Schema.optionalWith(Schema.Int, { exact: true }),
  maxRedemptions: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { exact: true }),
  oncePerCustomer: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** Whether it may be combined with other coupons (all of them must be stackable). */
  stackable: Schema.Boolean,
  /** Order among stackable coupons of the same kind: lower first, none last. */
  priority: Schema.optionalWith(Schema.Int, { exact: true })
}

/** A discount of a percentage (input: `"10"` for 10%), more than 0% and at most 100%. */
const DiscountRate = PercentRate.pipe(
  Schema.filter((rate) => rate.num > 0n && compareRatios(rate, ratioOne) <= 0, {
    message: () => "a percentage above 0 and at most 100"
  })
)

export const Coupon = Schema.Union(
  Schema.Struct({ ...common, kind: Schema.Literal("percent"), rate: DiscountRate }),
  Schema.Struct({ ...common, kind: Schema.Literal("fixed"), amounts: FixedAmounts })
)

export type Coupon = typeof Coupon.Type
export type CouponInput = typeof Coupon.Encoded
export type CouponDuration = Coupon["duration"]

const decode = Schema.decodeUnknownEither(Coupon)

/** Decodes a coupon from input (JSON). */
export const decodeCoupon = (input: unknown): Either.Either<Coupon, InvalidCoupon> =>
  Either.mapLeft(decode(input), (e) => new InvalidCoupon({ issue: formatIssues(e) }))

/** A fixed coupon's amount in `currency` (minor units), if it has one. */
export const fixedAmountIn = (
  coupon: Extract<Coupon, { kind: "fixed" }>,
  currency: CurrencyCode
): bigint | undefined => (Object.hasOwn(coupon.amounts, currency) ? coupon.amounts[currency] : undefined)
