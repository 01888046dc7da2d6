import { Either } from "effect"
import { InvalidRatio } from "./errors"
import { divideRounded, type RoundingMode } from "./rounding"

/**
 * An exact non-negative rational: tax rates, exchange rates, discount percentages and proration
 * fractions are ratios, never floats. `den` is always positive.
 */
export interface Ratio {
  readonly num: bigint
  readonly den: bigint
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a
  b = b < 0n ? -b : b
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** A ratio in lowest terms. A zero or negative denominator is a defect. */
export const ratio = (num: bigint, den: bigint): Ratio => {
  if (den <= 0n) throw new RangeError("ratio: the denominator must be positive")
  const divisor = gcd(num, den)
  return divisor > 1n ? { num: num / divisor, den: den / divisor } : { num, den }
}

export const ratioZero: Ratio = { num: 0n, den: 1n }
export const ratioOne: Ratio = { num: 1n, den: 1n }

/** `percent(21)` is 21/100; `percent("7.25")` needs {@link ratioFromDecimal}. */
export const percent = (whole: number | bigint): Ratio => ratio(BigInt(whole), 100n)

const decimalPattern = /^(\d+)(?:\.(\d+))?$/

/** Parses a non-negative decimal string exactly: "1.0842" -> 10842/10000. */
export const ratioFromDecimal = (input: string): Either.Either<Ratio, InvalidRatio> => {
  const match = decimalPattern.exec(input.trim())
  if (match === null) {
    return Either.left(
      new InvalidRatio({ input, reason: input.trim().startsWith("-") ? "negative" : "syntax" })
    )
  }
  const fraction = match[2] ?? ""
  return Either.right(ratio(BigInt((match[1] ?? "0") + fraction), 10n ** BigInt(fraction.length)))
}

/** Parses a percentage string exactly: "7.25" -> 725/10000. */
export const ratioFromPercent = (input: string): Either.Either<Ratio, InvalidRatio> =>
  Either.map(ratioFromDecimal(input), (r) => ratio(r.num, r.den * 100n))

export const addRatios = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den)

export const multiplyRatios = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den)

export const isZeroRatio = (r: Ratio): boolean => r.num === 0n

export const compareRatios = (a: Ratio, b: Ratio): -1 | 0 | 1 => {
  const left = a.num * b.den
  const right = b.num * a.den
  return left < right ? -1 : left > right ? 1 : 0
}

/** `amount x r`, rounded once with the named mode. */
export const applyRatio = (amount: bigint, r: Ratio, mode: RoundingMode): bigint =>
  divideRounded(r.num === 1n ? amount : amount * r.num, r.den, mode)

/** A decimal rendering, exact when the ratio has a finite decimal expansion within `maxDecimals`. */
export const ratioToDecimalString = (r: Ratio, maxDecimals = 10): string => {
  const whole = r.num / r.den
  let remainder = r.num % r.den
  let digits = ""
  for (let i = 0; i < maxDecimals && remainder !== 0n; i++) {
    remainder *= 10n
    digits += (remainder / r.den).toString()
    remainder %= r.den
  }
  return digits === "" ? whole.toString() : `${whole}.${digits}`
}
