/**
 * Guards for integer columns. Money (`*_minor`) is a signed 64-bit integer in both databases and a
 * `bigint` in code: exact over the whole range, refused (not wrapped) beyond it. Instants (`*_at`),
 * versions and counters are JavaScript numbers in the domain: a stored value outside the safe-integer
 * range cannot be read back exactly, so it is refused rather than rounded.
 */

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n

/** `value` when it fits a signed 64-bit column; a `RangeError` otherwise (nothing is written). */
export const int64 = (value: bigint): bigint => {
  if (typeof value !== "bigint") throw new TypeError(`expected a bigint amount, got ${typeof value}`)
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new RangeError(`${value} does not fit a signed 64-bit column`)
  }
  return value
}

/** An integer as read from the driver (bigint, or digits for MySQL's BIGINT) as a `bigint`. */
export const bigintFromDriver = (value: bigint | number | string): bigint => {
  if (typeof value === "bigint") return value
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${value} was read with lost precision`)
    return BigInt(value)
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`expected integer digits, got ${JSON.stringify(value)}`)
  return BigInt(value)
}

/** A JavaScript number that is a safe integer; a `RangeError` otherwise. */
export const safeInteger = (value: number): number => {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`)
  return value
}

/** An integer as read from the driver, as a number: refused outside +-(2^53 - 1). */
export const safeIntegerFromDriver = (value: bigint | number | string): number => {
  if (typeof value === "number") return safeInteger(value)
  const exact = bigintFromDriver(value)
  if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${exact} is beyond the safe-integer range`)
  }
  return Number(exact)
}
