import { divideRounded, type RoundingMode } from "../money/rounding"

/**
 * An exact rate between two figures (churn rate, retention, growth): `num / den` in lowest terms with
 * `den > 0`. Only a growth rate can be negative.
 */
export interface MetricRate {
  readonly num: bigint
  readonly den: bigint
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a
  b = b < 0n ? -b : b
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** `num / den` in lowest terms; `undefined` when `den` is zero (the rate is not defined: nothing to compare with). */
export const metricRate = (num: bigint, den: bigint): MetricRate | undefined => {
  if (den === 0n) return undefined
  if (den < 0n) {
    num = -num
    den = -den
  }
  const divisor = gcd(num, den)
  return divisor > 1n ? { num: num / divisor, den: den / divisor } : { num, den }
}

/** The rate as a percentage with `decimals` decimals, rounded once: 1/8 -> "12.50" with 2 decimals. */
export const ratePercent = (rate: MetricRate, decimals: number, mode: RoundingMode): string => {
  const scaled = divideRounded(rate.num * 100n * 10n ** BigInt(decimals), rate.den, mode)
  const negative = scaled < 0n
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, "0")
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals)
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${fraction}` : ""}`
}
