/**
 * Monthly transfer: the bytes a service moved in the period against the plan's included quota (raised
 * by options such as "+1 TB transfer"), the overage billed per GB (1024^3 bytes), and whether the soft
 * limit has been passed, for notifications.
 */
import { Either } from "effect"
import type { BillingPeriod } from "../calendar/period"
import type { PricedItem } from "../catalog/selection"
import type { Charge } from "../invoicing/invoice/compose"
import type { CurrencyCode } from "../money/currency"
import { type Ratio, ratio, ratioZero } from "../money/ratio"
import type { RoundingMode } from "../money/rounding"
import type { UsageSample } from "../ports/usage-source"
import type { TrafficMeasure, TransferPlan } from "./config"
import type { UsagePriceMissing } from "./errors"
import { type PricedOverage, priceOverage } from "./overage"
import { type MeteringWindow, type SlotTraffic, slotTraffic } from "./slots"
import { BYTES_PER_GB, formatQuantity, stepDecimals } from "./units"

/** The period's transfer, as the plan counts it. */
export interface TransferMeasurement {
  readonly bytesIn: bigint
  readonly bytesOut: bigint
  /** `bytesIn + bytesOut` (`sum`), the larger of the two (`max`) or `bytesOut` (`out`). */
  readonly usedBytes: bigint
  readonly slotsReported: number
  readonly slotsMerged: number
  readonly samplesIgnored: number
}

/** Totals the period's slots by the plan's measure (see `slotTraffic` for which samples count). */
export const transferFromSlots = (traffic: SlotTraffic, measure: TrafficMeasure): TransferMeasurement => {
  let bytesIn = 0n
  let bytesOut = 0n
  for (const bytes of traffic.bytesIn) bytesIn += bytes
  for (const bytes of traffic.bytesOut) bytesOut += bytes
  const usedBytes =
    measure === "sum" ? bytesIn + bytesOut : measure === "out" || bytesOut > bytesIn ? bytesOut : bytesIn
  return {
    bytesIn,
    bytesOut,
    usedBytes,
    slotsReported: traffic.slotsReported,
    slotsMerged: traffic.slotsMerged,
    samplesIgnored: traffic.samplesIgnored
  }
}

/** The period's transfer from its 5-minute samples. */
export const measureTransfer = (
  samples: ReadonlyArray<UsageSample>,
  window: MeteringWindow,
  measure: TrafficMeasure
): TransferMeasurement => transferFromSlots(slotTraffic(samples, window), measure)

/** What of a subscription's items the allowance looks at (a `PricedItem` fits). */
export type AllowanceItem = Pick<PricedItem, "kind" | "itemId" | "quantity"> & {
  readonly choiceId?: string | undefined
}

/** The transfer a subscription may use in a period: the plan's, plus what its options add. */
export interface TransferAllowance {
  readonly includedGb: bigint
  /** Absent when the plan has no soft limit. */
  readonly softLimitGb: bigint | undefined
}

/**
 * The plan's included quota and soft limit, each raised by the boosts of the options and add-ons the
 * subscription has (per unit of quantity; a dropdown boost only for its choice).
 */
export const transferAllowance = (
  plan: TransferPlan,
  items: ReadonlyArray<AllowanceItem>
): TransferAllowance => {
  let includedGb = BigInt(plan.includedGb)
  let softLimitGb = plan.softLimitGb === undefined ? undefined : BigInt(plan.softLimitGb)
  for (const boost of plan.boosts) {
    for (const item of items) {
      if (item.kind === "plan" || item.itemId !== boost.itemId) continue
      if (boost.choiceId !== undefined && item.choiceId !== boost.choiceId) continue
      includedGb += BigInt(boost.quotaGb ?? 0) * item.quantity
      if (softLimitGb !== undefined) softLimitGb += BigInt(boost.softLimitGb ?? 0) * item.quantity
    }
  }
  return { includedGb, softLimitGb }
}

/** A period's transfer to bill: the plan, the bytes used, the subscription's items, currency and rounding. */
export interface TransferRatingInput {
  readonly plan: TransferPlan
  /** What the plan counts for the period (`measureTransfer(...).usedBytes`, or a panel's counter). */
  readonly usedBytes: bigint
  /** The subscription's items, for the options that raise the allowance. */
  readonly items: ReadonlyArray<AllowanceItem>
  readonly currency: CurrencyCode
  /** How the overage amount is rounded to minor units (the invoice's mode). */
  readonly rounding: RoundingMode
  /** The period the usage was measured in, carried by the charge. */
  readonly period?: BillingPeriod | undefined
}

/** A period's transfer rated against the plan. */
export interface TransferRating {
  readonly usedBytes: bigint
  readonly allowance: TransferAllowance
  /** Usage is above the included quota (there may still be nothing to bill after rounding). */
  readonly overQuota: boolean
  /** Usage is above the soft limit: time to tell the customer. Never true without a soft limit. */
  readonly softLimitExceeded: boolean
  /** The overage in GB; with no overage price on the plan, reported but never billed. */
  readonly overage: PricedOverage
  /** The usage line for the renewal invoice; absent when the overage bills nothing. */
  readonly charge: Charge | undefined
}

const unbilled = (exact: Ratio): PricedOverage => ({
  exact,
  billed: ratioZero,
  unitPrice: ratioZero,
  amount: 0n
})

/**
 * Rates a period's transfer: bytes over the included quota are GB (1024^3 bytes), rounded once to the
 * plan's step with its mode, priced per GB in the invoice currency, rounded once to minor units. An
 * overage that bills nothing gives no line. The line reads "Bandwidth overage: 12.3 GB over 1,000 GB
 * included".
 */
export const rateTransfer = (
  input: TransferRatingInput
): Either.Either<TransferRating, UsagePriceMissing> => {
  const { plan, usedBytes } = input
  if (usedBytes < 0n) throw new RangeError("rateTransfer: usedBytes must not be negative")
  const allowance = transferAllowance(plan, input.items)
  const includedBytes = allowance.includedGb * BYTES_PER_GB
  const overBytes = usedBytes > includedBytes ? usedBytes - includedBytes : 0n
  const exact = ratio(overBytes, BYTES_PER_GB)
  const priced =
    plan.overage === undefined
      ? Either.right(unbilled(exact))
      : priceOverage(exact, plan.overage, input.currency, input.rounding, "transfer")
  return Either.map(priced, (overage) => ({
    usedBytes,
    allowance,
    overQuota: overBytes > 0n,
    softLimitExceeded:
      allowance.softLimitGb !== undefined && usedBytes > allowance.softLimitGb * BYTES_PER_GB,
    overage,
    charge:
      overage.amount === 0n || plan.overage === undefined
        ? undefined
        : {
            kind: "usage",
            description: `Bandwidth overage: ${formatQuantity(overage.billed, stepDecimals(plan.overage.step))} GB over ${formatQuantity(ratio(allowance.includedGb, 1n), 0)} GB included`,
            quantity: 1n,
            unitAmount: overage.amount,
            amount: overage.amount,
            period: input.period
          }
  }))
}
