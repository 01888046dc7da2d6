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
  if (denominator === 0n) throw new RangeError("divideRounded: division by zero")
  if (denominator < 0n) {
    numerator = -numerator
    denominator = -denominator
  }
  const quotient = numerator / denominator // truncated towards zero
  const remainder = numerator % denominator // same sign as numerator
  if (remainder === 0n) return quotient
  const away = numerator < 0n ? -1n : 1n
  switch (mode) {
    case "down":
      return quotient
    case "up":
      return quotient + away
    case "half-up":
    case "half-even": {
      const twice = (remainder < 0n ? -remainder : remainder) * 2n
      if (twice > denominator) return quotient + away
      if (twice < denominator) return quotient
      if (mode === "half-up") return quotient + away
      return quotient % 2n === 0n ? quotient : quotient + away
    }
  }
}
