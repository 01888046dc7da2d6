/**
 * The units usage is measured and billed in, and the exact conversions between them. Nothing here
 * rounds except {@link roundToStep} and {@link mbpsToGb}, which take a named mode.
 *
 * - Transfer is counted in bytes; it is billed in **GB of 1024^3 bytes** (1 GB = 1,073,741,824 bytes,
 *   what the hosting industry and most panels mean by a gigabyte of transfer).
 * - Rates are bits per second; they are billed in **Mbps of 1,000,000 bits per second** (decimal, as
 *   network ports and transit contracts are sold).
 * - A usage sample covers a 5-minute slot (300 seconds), so a slot's bytes `b` are a rate of
 *   `b x 8 / 300` bits per second, kept exact as a ratio.
 */
import { type Ratio, ratio } from "../money/ratio"
import { divideRounded, type RoundingMode } from "../money/rounding"
import { USAGE_SAMPLE_MS } from "../ports/usage-source"

/** Bytes in one billed gigabyte: 1024^3. */
export const BYTES_PER_GB = 1_073_741_824n

/** Bits per second in one billed megabit per second: 1,000,000. */
export const BPS_PER_MBPS = 1_000_000n

/** Seconds in one 5-minute usage slot. */
export const SLOT_SECONDS = BigInt(USAGE_SAMPLE_MS / 1000)

/** A slot's bytes as a rate in megabits per second, exactly: `bytes x 8 / 300 / 1,000,000`. */
export const slotBytesToMbps = (bytes: bigint): Ratio => ratio(bytes * 8n, SLOT_SECONDS * BPS_PER_MBPS)

/** Bytes as gigabytes, exactly: `bytes / 1024^3`. */
export const bytesToGb = (bytes: bigint): Ratio => ratio(bytes, BYTES_PER_GB)

/**
 * How many `step`s make `quantity`, rounded once with the named mode: the billable count of steps
 * (12.25 GB in steps of 0.1 GB rounded `up` is 123 steps, i.e. 12.3 GB). `step` must be positive.
 */
export const stepsOf = (quantity: Ratio, step: Ratio, mode: RoundingMode): bigint => {
  if (step.num <= 0n) throw new RangeError("stepsOf: the step must be positive")
  return divideRounded(quantity.num * step.den, quantity.den * step.num, mode)
}

/** `quantity` rounded once to a whole number of `step`s with the named mode (12.25 -> 12.3 by 0.1 `up`). */
export const roundToStep = (quantity: Ratio, step: Ratio, mode: RoundingMode): Ratio =>
  ratio(stepsOf(quantity, step, mode) * step.num, step.den)

/**
 * A rate held for `seconds` as a monthly transfer in GB: `Mbps x 1,000,000 x seconds / 8 / 1024^3`,
 * rounded once to a whole number of `step` GB with the named mode. 100 Mbps over 30 days is
 * 30,174.6... GB exactly; to whole GB `down`, 30,174 GB.
 */
export const mbpsToGb = (mbps: Ratio, seconds: bigint, step: Ratio, mode: RoundingMode): Ratio =>
  roundToStep(ratio(mbps.num * BPS_PER_MBPS * seconds, mbps.den * 8n * BYTES_PER_GB), step, mode)

/** Decimal places needed to write a multiple of `step` exactly (0.1 -> 1, 0.25 -> 2, 5 -> 0). */
export const stepDecimals = (step: Ratio): number => {
  let decimals = 0
  let scale = 1n
  while ((step.num * scale) % step.den !== 0n) {
    decimals++
    scale *= 10n
    if (decimals > 18) throw new RangeError("stepDecimals: the step has no finite decimal form")
  }
  return decimals
}

/**
 * A quantity written for an invoice line, with thousands separators and exactly `decimals` places:
 * (12.3, 1) -> "12.3", (2024, 0) -> "2,024". The quantity must be exact at that many places (a multiple
 * of a step with that many decimals); anything finer is a defect, never silently rounded.
 */
export const formatQuantity = (quantity: Ratio, decimals: number): string => {
  const scale = 10n ** BigInt(decimals)
  const scaled = quantity.num * scale
  if (scaled % quantity.den !== 0n) throw new RangeError("formatQuantity: not exact at that many decimals")
  const value = scaled / quantity.den
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0")
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  const body = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`
  return negative ? `-${body}` : body
}
