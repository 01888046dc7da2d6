import { Either } from "effect"
import { InvalidAllocation } from "./errors"
import type { Money } from "./money"

/**
 * Splits `total` into parts proportional to `weights` by the largest-remainder method: every part gets
 * the floor of its exact share, then the minor units left over go one each to the parts with the largest
 * remainders (ties to the earlier part). The parts always sum to the total, and no part is more than one
 * minor unit away from its exact share. A negative total is split as its absolute value, then negated.
 */
export const allocateAmount = (
  total: bigint,
  weights: ReadonlyArray<bigint>
): Either.Either<Array<bigint>, InvalidAllocation> => {
  if (weights.length === 0) return Either.left(new InvalidAllocation({ reason: "no_weights" }))
  let weightSum = 0n
  for (const weight of weights) {
    if (weight < 0n) return Either.left(new InvalidAllocation({ reason: "negative_weight" }))
    weightSum += weight
  }
  if (weightSum === 0n) return Either.left(new InvalidAllocation({ reason: "zero_total_weight" }))

  return Either.right(allocateUnchecked(total, weights, weightSum))
}

/**
 * {@link allocateAmount} for weights already known to be non-negative with a positive `weightSum`: the
 * billing hot path (discount shares, credit notes) calls it without validating again.
 */
export const allocateUnchecked = (
  total: bigint,
  weights: ReadonlyArray<bigint>,
  weightSum: bigint
): Array<bigint> => {
  const negative = total < 0n
  const absolute = negative ? -total : total
  const count = weights.length
  const parts: Array<bigint> = []
  const remainders: Array<bigint> = []
  let allocated = 0n
  for (let i = 0; i < count; i++) {
    const exact = absolute * (weights[i] as bigint)
    const part = exact / weightSum
    parts.push(part)
    remainders.push(exact % weightSum)
    allocated += part
  }
  // Fewer minor units are left over than there are parts with a remainder; they go one each to the
  // largest remainders, ties to the earlier part.
  const leftover = Number(absolute - allocated)
  if (leftover > 0)
    for (const index of largestFirst(remainders, leftover)) parts[index] = (parts[index] as bigint) + 1n
  if (negative) for (let i = 0; i < count; i++) parts[i] = -(parts[i] as bigint)
  return parts
}

/** The indexes of the `take` largest values, ties to the earlier index. */
const largestFirst = (values: ReadonlyArray<bigint>, take: number): Array<number> => {
  if (values.length <= 8) {
    // Few parts (the usual invoice): pick the largest untaken value `take` times, no sorting.
    const taken: Array<number> = []
    for (let k = 0; k < take; k++) {
      let best = -1
      for (let i = 0; i < values.length; i++) {
        if (taken.includes(i)) continue
        if (best < 0 || (values[i] as bigint) > (values[best] as bigint)) best = i
      }
      taken.push(best)
    }
    return taken
  }
  const order = values.map((_, i) => i)
  order.sort((a, b) => {
    const va = values[a] as bigint
    const vb = values[b] as bigint
    return va === vb ? a - b : va > vb ? -1 : 1
  })
  return order.slice(0, take)
}

/** {@link allocateAmount} on a {@link Money}: the parts are in the total's currency and sum to it. */
export const allocate = (
  total: Money,
  weights: ReadonlyArray<bigint>
): Either.Either<Array<Money>, InvalidAllocation> =>
  Either.map(allocateAmount(total.amount, weights), (parts) =>
    parts.map((amount) => ({ amount, currency: total.currency }))
  )
