/**
 * Named rounding modes. Every fraction of a minor unit in the engine goes through one of these, chosen
 * explicitly by the caller; there is no implicit rounding anywhere.
 *
 * - `half-even`: to the nearest, ties to the even neighbour (banker's rounding; the default).
 * - `half-up`: to the nearest, ties away from zero (what most tax authorities mean by "round").
 * - `down`: towards zero (truncate).
 * - `up`: away from zero.
 */
export type RoundingMode = "half-even" | "half-up" | "down" | "up"

export const RoundingModes: ReadonlyArray<RoundingMode> = ["half-even", "half-up", "down", "up"]

export const defaultRounding: RoundingMode = "half-even"

/**
 * `numerator / denominator` rounded to an integer with the named mode. The denominator must not be
 * zero (a defect); its sign may be negative.
 */
export const divideRounded = (numerator: bigint, denominator: bigint, mode: RoundingMode): bigint => {
  if (denominator <= 0n) {
    if (denominator === 0n) throw new RangeError("divideRounded: division by zero")
    numerator = -numerator
    denominator = -denominator
  }
  const quotient = numerator / denominator // truncated towards zero
  const remainder = numerator - quotient * denominator // same sign as the numerator (cheaper than %)
  if (remainder === 0n || mode === "down") return quotient
  const negative = numerator < 0n
  if (mode === "up") return negative ? quotient - 1n : quotient + 1n
  const twice = negative ? -remainder * 2n : remainder * 2n
  const awayFromZero =
    twice > denominator || (twice === denominator && (mode === "half-up" || quotient % 2n !== 0n))
  return awayFromZero ? (negative ? quotient - 1n : quotient + 1n) : quotient
}
