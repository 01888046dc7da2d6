/**
 * A plan's usage configuration as staff define it, validated with `effect/Schema`: how its monthly
 * transfer and/or its 95th percentile bandwidth are billed. Quantities that need decimals (billing
 * steps, prices in fractions of a minor unit) travel as decimal strings and decode to exact ratios.
 */
import { Either, ParseResult, Schema } from "effect"
import { isCurrencyCode } from "../money/currency"
import { type Ratio, ratioFromDecimal, ratioToDecimalString } from "../money/ratio"
import { RoundingModes } from "../money/rounding"
import { InvalidUsagePlan, UsageConfigIssue } from "./errors"

const RatioSelf = Schema.Struct({ num: Schema.BigIntFromSelf, den: Schema.BigIntFromSelf })

/** A non-negative decimal string ("0.1", "12", "0.48828125") decoded to an exact ratio. */
const DecimalRatio = (what: string): Schema.Schema<Ratio, string> =>
  Schema.transformOrFail(Schema.String, RatioSelf, {
    strict: true,
    decode: (input, _, ast) =>
      Either.mapLeft(
        ratioFromDecimal(input),
        () => new ParseResult.Type(ast, input, `must be ${what} written as a decimal string, e.g. "0.1"`)
      ),
    encode: (r, _, ast) => {
      // Decoded ratios come from decimals, so they always have a finite decimal form; a ratio made in
      // code that has none (1/3) cannot be written back.
      const text = ratioToDecimalString(r, 40)
      const back = ratioFromDecimal(text)
      return Either.isRight(back) && back.right.num * r.den === r.num * back.right.den
        ? ParseResult.succeed(text)
        : ParseResult.fail(new ParseResult.Type(ast, r, `${r.num}/${r.den} has no exact decimal form`))
    }
  })

/** A billing step: the quantity usage is rounded to a multiple of, more than zero ("0.1", "1"). */
const Step = DecimalRatio("a positive quantity").pipe(
  Schema.filter((step) => step.num > 0n || "must be more than zero")
)

/** A price per billed unit in minor units, possibly fractional ("50" is 0.50 EUR; "0.5" half a cent). */
const UnitPrice = DecimalRatio("a non-negative number of minor units")

/** Currency -> price per unit; at least one, every code a currency the engine knows. */
const Prices = Schema.Record({ key: Schema.String, value: UnitPrice }).pipe(
  Schema.filter((prices) => {
    const codes = Object.keys(prices)
    if (codes.length === 0) return "must price at least one currency"
    const unknown = codes.filter((code) => !isCurrencyCode(code))
    return unknown.length === 0 || `unknown currency ${unknown.join(", ")}`
  })
)

/** A string that must be one of `values`, reported as one issue (not one per literal). */
const oneOf = <const A extends string>(values: ReadonlyArray<A>, identifier: string) =>
  Schema.String.pipe(
    Schema.filter((input): input is A => (values as ReadonlyArray<string>).includes(input), {
      identifier,
      message: () => `must be one of ${values.join(", ")}`
    })
  )

const Rounding = oneOf(RoundingModes, "RoundingMode")

const Id = Schema.NonEmptyTrimmedString.annotations({ message: () => "must be a non-empty id" })

/**
 * What one slot's traffic counts as: `sum` (in + out), `max` (the larger direction) or `out` (outbound
 * only). For monthly transfer `max` compares the period's totals; for the 95th percentile, each slot.
 */
export const TrafficMeasure = oneOf(["sum", "max", "out"] as const, "TrafficMeasure")
export type TrafficMeasure = typeof TrafficMeasure.Type

/** How an overage is billed: a price per unit by currency, rounded to a step with a named mode. */
export const OverageBilling = Schema.Struct({
  prices: Prices,
  /** Usage over the allowance is rounded to a whole number of these (GB or Mbps) before pricing. */
  step: Step,
  rounding: Rounding
})
export type OverageBilling = typeof OverageBilling.Type

/**
 * An option or add-on that raises the plan's transfer allowance: `quotaGb` and/or `softLimitGb` per
 * unit of the item's quantity (a dropdown only when `choiceId` is the chosen one).
 */
export const TransferBoost = Schema.Struct({
  itemId: Id,
  choiceId: Schema.optionalWith(Id, { exact: true }),
  quotaGb: Schema.optionalWith(Schema.NonNegativeInt, { exact: true }),
  softLimitGb: Schema.optionalWith(Schema.NonNegativeInt, { exact: true })
}).pipe(
  Schema.filter((boost) =>
    boost.quotaGb === undefined && boost.softLimitGb === undefined
      ? { path: ["quotaGb"], message: "a boost must add quotaGb, softLimitGb or both" }
      : undefined
  )
)
export type TransferBoost = typeof TransferBoost.Type

/**
 * Monthly transfer: `includedGb` per period, an optional soft limit (a notification threshold, not a
 * cap), and the overage price. Without `overage`, usage over the quota is reported, never billed.
 */
export const TransferPlan = Schema.Struct({
  measure: TrafficMeasure,
  includedGb: Schema.NonNegativeInt,
  softLimitGb: Schema.optionalWith(Schema.NonNegativeInt, { exact: true }),
  overage: Schema.optionalWith(OverageBilling, { exact: true }),
  boosts: Schema.optionalWith(Schema.Array(TransferBoost), { default: () => [], exact: true })
}).pipe(
  Schema.filter((plan) => {
    if (plan.softLimitGb !== undefined) return undefined
    const index = plan.boosts.findIndex((boost) => boost.softLimitGb !== undefined)
    return index < 0
      ? undefined
      : { path: ["boosts", index, "softLimitGb"], message: "the plan has no softLimitGb to raise" }
  })
)
export type TransferPlan = typeof TransferPlan.Type

/**
 * 95th percentile bandwidth: the billed rate is the period's 95th percentile (see `percentile95`);
 * `commitMbps` is included, the rest is billed as `overage` per Mbps. `equivalentTransfer`, when the
 * plan states its rate as a monthly transfer too, converts the 95th figure to GB for the period.
 */
export const PercentilePlan = Schema.Struct({
  measure: TrafficMeasure,
  commitMbps: Schema.NonNegativeInt,
  overage: OverageBilling,
  equivalentTransfer: Schema.optionalWith(Schema.Struct({ step: Step, rounding: Rounding }), { exact: true })
})
export type PercentilePlan = typeof PercentilePlan.Type

/** A plan's usage billing: monthly transfer, 95th percentile, or both. */
export const UsagePlan = Schema.Struct({
  transfer: Schema.optionalWith(TransferPlan, { exact: true }),
  percentile95: Schema.optionalWith(PercentilePlan, { exact: true })
}).pipe(
  Schema.filter((plan) =>
    plan.transfer === undefined && plan.percentile95 === undefined
      ? "must configure transfer, percentile95 or both"
      : undefined
  )
)
export type UsagePlan = typeof UsagePlan.Type
/** The configuration as it is written in JSON (decimal strings for steps and prices). */
export type UsagePlanInput = typeof UsagePlan.Encoded

const decode = Schema.decodeUnknownEither(UsagePlan, { errors: "all", onExcessProperty: "error" })

/** Validates a plan's usage configuration (JSON or code); every problem is reported with its path and reason. */
export const decodeUsagePlan = (input: unknown): Either.Either<UsagePlan, InvalidUsagePlan> =>
  Either.mapLeft(
    decode(input),
    (error) =>
      new InvalidUsagePlan({
        issues: ParseResult.ArrayFormatter.formatErrorSync(error).map(
          (issue) => new UsageConfigIssue({ path: issue.path.join("."), message: issue.message })
        )
      })
  )
