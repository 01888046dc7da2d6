import { Either } from "effect"
import { type BillingPeriod, periodInstants } from "../calendar/period"
import type { Charge } from "../invoicing/invoice/compose"
import type { CurrencyCode } from "../money/currency"
import type { RoundingMode } from "../money/rounding"
import type { UsageSample } from "../ports/usage-source"
import type { UsagePlan } from "./config"
import type { UsageRatingError } from "./errors"
import { type PercentileRating, percentileFromSlots, rate95thPercentile } from "./percentile"
import { type MeteringWindow, slotTraffic } from "./slots"
import {
  type AllowanceItem,
  rateTransfer,
  type TransferMeasurement,
  type TransferRating,
  transferFromSlots
} from "./transfer"

/** One service's usage for one period, with what is needed to bill it. */
export interface UsageRatingInput {
  readonly plan: UsagePlan
  /** The service's 5-minute samples for the period (`UsageSource.samples`); others are ignored. */
  readonly samples: ReadonlyArray<UsageSample>
  /** The billing period the usage belongs to (the one just ended: usage is billed in arrears). */
  readonly period: BillingPeriod
  /** The customer's IANA zone: the period runs from local midnight to local midnight. */
  readonly zone: string
  /** The subscription's items, for options that raise the transfer allowance. */
  readonly items: ReadonlyArray<AllowanceItem>
  readonly currency: CurrencyCode
  /** How overage amounts are rounded to minor units (the invoice's mode). */
  readonly rounding: RoundingMode
}

/** Everything the plan's usage billing found for a period. */
export interface UsageRating {
  readonly window: MeteringWindow
  readonly transfer: (TransferRating & { readonly measurement: TransferMeasurement }) | undefined
  readonly percentile95: PercentileRating | undefined
  /** The usage lines for the renewal invoice (`RenewalInput.usage`): transfer, then 95th percentile. */
  readonly charges: ReadonlyArray<Charge>
}

/**
 * Rates a service's usage for one period with every method its plan configures, from one set of
 * samples laid out once on the period's 5-minute slots. The charges go to `renewalInvoice` as `usage`.
 */
export const rateUsage = (input: UsageRatingInput): Either.Either<UsageRating, UsageRatingError> =>
  Either.gen(function* () {
    const { plan, period, currency, rounding } = input
    const window = periodInstants(period, input.zone)
    const traffic = slotTraffic(input.samples, window)
    const charges: Array<Charge> = []
    let transfer: UsageRating["transfer"]
    if (plan.transfer !== undefined) {
      const measurement = transferFromSlots(traffic, plan.transfer.measure)
      const rating = yield* rateTransfer({
        plan: plan.transfer,
        usedBytes: measurement.usedBytes,
        items: input.items,
        currency,
        rounding,
        period
      })
      transfer = { ...rating, measurement }
      if (rating.charge !== undefined) charges.push(rating.charge)
    }
    let percentile: PercentileRating | undefined
    if (plan.percentile95 !== undefined) {
      percentile = yield* rate95thPercentile({
        plan: plan.percentile95,
        measurement: percentileFromSlots(traffic, plan.percentile95.measure, window),
        currency,
        rounding,
        period
      })
      if (percentile.charge !== undefined) charges.push(percentile.charge)
    }
    return { window, transfer, percentile95: percentile, charges }
  })
