import { Either } from "effect"
import type { CurrencyCode } from "../money/currency"
import { type Ratio, ratio, ratioZero } from "../money/ratio"
import { divideRounded, type RoundingMode } from "../money/rounding"
import type { OverageBilling } from "./config"
import { UsagePriceMissing } from "./errors"
import { stepsOf } from "./units"

/** An overage priced: the quantity over the allowance, what of it is billed, and the amount. */
export interface PricedOverage {
  /** Usage over the allowance, exactly, in the billed unit (GB or Mbps); zero when within it. */
  readonly exact: Ratio
  /** `exact` rounded once to a whole number of steps with the plan's rounding mode. */
  readonly billed: Ratio
  /** The price per unit in minor units (exact, possibly fractional); zero when nothing is billed. */
  readonly unitPrice: Ratio
  /** `billed x unitPrice`, rounded once to minor units with the invoice's rounding mode. */
  readonly amount: bigint
}

/**
 * Prices usage over an allowance: the quantity is rounded to the plan's step with the plan's mode
 * (one rounding), then multiplied by the price for `currency` and rounded to minor units with `rounding`
 * (the second and last). A price is needed only when something is billed.
 */
export const priceOverage = (
  exact: Ratio,
  billing: OverageBilling,
  currency: CurrencyCode,
  rounding: RoundingMode,
  metric: UsagePriceMissing["metric"]
): Either.Either<PricedOverage, UsagePriceMissing> => {
  const steps = exact.num <= 0n ? 0n : stepsOf(exact, billing.step, billing.rounding)
  if (steps === 0n) return Either.right({ exact, billed: ratioZero, unitPrice: ratioZero, amount: 0n })
  const unitPrice = Object.hasOwn(billing.prices, currency) ? billing.prices[currency] : undefined
  if (unitPrice === undefined) return Either.left(new UsagePriceMissing({ metric, currency }))
  const { step } = billing
  return Either.right({
    exact,
    billed: ratio(steps * step.num, step.den),
    unitPrice,
    amount: divideRounded(steps * step.num * unitPrice.num, step.den * unitPrice.den, rounding)
  })
}
