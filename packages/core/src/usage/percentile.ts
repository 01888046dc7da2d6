/**
 * 95th percentile ("burstable") bandwidth: every 5-minute slot of the period is a rate; the slots are
 * sorted, the highest 5% (rounded up) are discarded, and the next highest is the billed rate. Slots with
 * no sample count as zero, so a 30-day month always has 8,640 slots and 432 are discarded.
 */
import { Either } from "effect"
import type { BillingPeriod } from "../calendar/period"
import type { Charge } from "../invoicing/invoice/compose"
import type { CurrencyCode } from "../money/currency"
import { compareRatios, type Ratio, ratio, ratioZero } from "../money/ratio"
import type { RoundingMode } from "../money/rounding"
import type { UsageSample } from "../ports/usage-source"
import type { PercentilePlan, TrafficMeasure } from "./config"
import type { UsagePriceMissing } from "./errors"
import { type PricedOverage, priceOverage } from "./overage"
import { type MeteringWindow, type SlotTraffic, slotTraffic } from "./slots"
import { formatQuantity, mbpsToGb, slotBytesToMbps, stepDecimals } from "./units"

/** How many of `slots` slots the 95th percentile discards: the top 5%, rounded up (432 of 8,640). */
export const discardedSlots = (slots: number): number => Math.ceil((slots * 5) / 100)

/** The period's 95th percentile, and how it was found. */
export interface PercentileMeasurement {
  /** Slots in the period (its length / 5 minutes): the expected number of samples. */
  readonly slots: number
  readonly slotsReported: number
  readonly slotsMerged: number
  readonly samplesIgnored: number
  /** The top slots left out: `discardedSlots(slots)`. */
  readonly discarded: number
  /** Bytes of the billed slot, by the plan's measure (zero when every slot is discarded). */
  readonly billedSlotBytes: bigint
  /** Bytes of the busiest slot, by the plan's measure. */
  readonly maxSlotBytes: bigint
  /** The billed slot as a rate: `bytes x 8 / 300` bits per second, in Mbps, exact. */
  readonly rateMbps: Ratio
  /** The period's length in seconds (for converting the rate to a transfer). */
  readonly seconds: bigint
}

const slotValue = (measure: TrafficMeasure, bytesIn: bigint, bytesOut: bigint): bigint =>
  measure === "sum" ? bytesIn + bytesOut : measure === "out" || bytesOut > bytesIn ? bytesOut : bytesIn

const descending = (a: bigint, b: bigint): number => (a > b ? -1 : a < b ? 1 : 0)

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * The `rank`-th largest of `values` (0 = the largest), by selection in place: Hoare's quickselect with
 * a median-of-three pivot, linear on average, where a full sort would be n log n.
 */
const selectFromTop = (values: Float64Array, rank: number): number => {
  const target = values.length - 1 - rank // its index in ascending order
  let lo = 0
  let hi = values.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const a = values[lo] as number
    const b = values[mid] as number
    const c = values[hi] as number
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)) // the median of the three
    let i = lo
    let j = hi
    while (i <= j) {
      while ((values[i] as number) < pivot) i++
      while ((values[j] as number) > pivot) j--
      if (i <= j) {
        const swap = values[i] as number
        values[i] = values[j] as number
        values[j] = swap
        i++
        j--
      }
    }
    if (target <= j) hi = j
    else if (target >= i) lo = i
    else break
  }
  return values[target] as number
}

/**
 * The busiest slot's value and the value `discarded` places below it (zero past the end). Slot values
 * under 2^53 bytes (9 PB in 5 minutes: always, in practice) are exact integers as numbers and are
 * selected in a typed array, many times faster than sorting bigints; larger ones are sorted as bigints.
 */
const ranked = (
  values: ReadonlyArray<bigint>,
  discarded: number
): { readonly max: bigint; readonly billed: bigint } => {
  const numbers = new Float64Array(values.length)
  let max = 0n
  let safe = true
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as bigint
    if (value > max) max = value
    if (value > SAFE) safe = false
    numbers[i] = Number(value)
  }
  if (discarded >= values.length) return { max, billed: 0n }
  if (!safe) return { max, billed: [...values].sort(descending)[discarded] ?? 0n }
  return { max, billed: BigInt(selectFromTop(numbers, discarded)) }
}

/** The 95th percentile of slots already laid out on the period (see `slotTraffic`). */
export const percentileFromSlots = (
  traffic: SlotTraffic,
  measure: TrafficMeasure,
  window: MeteringWindow
): PercentileMeasurement => {
  const slots = traffic.bytesIn.length
  const values: Array<bigint> = new Array<bigint>(slots)
  for (let i = 0; i < slots; i++) {
    values[i] = slotValue(measure, traffic.bytesIn[i] as bigint, traffic.bytesOut[i] as bigint)
  }
  const discarded = discardedSlots(slots)
  const { max, billed: billedSlotBytes } = ranked(values, discarded)
  const lengthMs = Math.max(0, window.endsAt - window.startsAt)
  if (lengthMs % 1000 !== 0) throw new RangeError("percentile95: the window must be whole seconds")
  return {
    slots,
    slotsReported: traffic.slotsReported,
    slotsMerged: traffic.slotsMerged,
    samplesIgnored: traffic.samplesIgnored,
    discarded,
    billedSlotBytes,
    maxSlotBytes: max,
    rateMbps: slotBytesToMbps(billedSlotBytes),
    seconds: BigInt(lengthMs / 1000)
  }
}

/** The period's 95th percentile from its 5-minute samples, by the plan's measure. */
export const percentile95 = (
  samples: ReadonlyArray<UsageSample>,
  window: MeteringWindow,
  measure: TrafficMeasure
): PercentileMeasurement => percentileFromSlots(slotTraffic(samples, window), measure, window)

/** A 95th percentile to bill: the plan, the measured period, and the invoice's currency and rounding. */
export interface PercentileRatingInput {
  readonly plan: PercentilePlan
  readonly measurement: PercentileMeasurement
  readonly currency: CurrencyCode
  /** How the overage amount is rounded to minor units (the invoice's mode). */
  readonly rounding: RoundingMode
  /** The period the usage was measured in, carried by the charge. */
  readonly period?: BillingPeriod | undefined
}

/** A period's 95th percentile rated against the plan's commit. */
export interface PercentileRating {
  readonly measurement: PercentileMeasurement
  /** The billed rate, exact. */
  readonly rateMbps: Ratio
  readonly commitMbps: bigint
  /** The 95th percentile is above the commit (there may still be nothing to bill after rounding). */
  readonly overCommit: boolean
  /** Mbps above the commit, rounded to the plan's step, priced per Mbps. */
  readonly overage: PricedOverage
  /** The 95th percentile held for the whole period, as GB of transfer, when the plan asks for it. */
  readonly equivalentGb: Ratio | undefined
  /** The usage line for the renewal invoice; absent when the overage bills nothing. */
  readonly charge: Charge | undefined
}

/**
 * Rates a 95th percentile: the Mbps above the commit, rounded once to the plan's step with its mode,
 * priced per Mbps in the invoice currency, rounded once to minor units. An overage that bills nothing
 * gives no line. The line reads "95th percentile bandwidth: 12 Mbps over 100 Mbps commit".
 */
export const rate95thPercentile = (
  input: PercentileRatingInput
): Either.Either<PercentileRating, UsagePriceMissing> => {
  const { plan, measurement } = input
  const rateMbps = measurement.rateMbps
  const commit = ratio(BigInt(plan.commitMbps), 1n)
  const overCommit = compareRatios(rateMbps, commit) > 0
  const exact = overCommit ? ratio(rateMbps.num - commit.num * rateMbps.den, rateMbps.den) : ratioZero
  const equivalent = plan.equivalentTransfer
  return Either.map(
    priceOverage(exact, plan.overage, input.currency, input.rounding, "percentile95"),
    (overage) => ({
      measurement,
      rateMbps,
      commitMbps: commit.num,
      overCommit,
      overage,
      equivalentGb:
        equivalent === undefined
          ? undefined
          : mbpsToGb(rateMbps, measurement.seconds, equivalent.step, equivalent.rounding),
      charge:
        overage.amount === 0n
          ? undefined
          : {
              kind: "usage",
              description: `95th percentile bandwidth: ${formatQuantity(overage.billed, stepDecimals(plan.overage.step))} Mbps over ${formatQuantity(commit, 0)} Mbps commit`,
              quantity: 1n,
              unitAmount: overage.amount,
              amount: overage.amount,
              period: input.period
            }
    })
  )
}
