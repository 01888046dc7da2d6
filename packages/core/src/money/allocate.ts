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

  const sign = total < 0n ? -1n : 1n
  const absolute = total * sign
  const parts = new Array<bigint>(weights.length)
  const remainders = new Array<bigint>(weights.length)
  let allocated = 0n
  for (let i = 0; i < weights.length; i++) {
    const exact = absolute * (weights[i] as bigint)
    const part = exact / weightSum
    parts[i] = part
    remainders[i] = exact % weightSum
    allocated += part
  }
  let leftover = absolute - allocated
  if (leftover > 0n) {
    const order = remainders.map((_, i) => i)
    order.sort((a, b) => {
      const ra = remainders[a] as bigint
      const rb = remainders[b] as bigint
      return ra === rb ? a - b : ra > rb ? -1 : 1
    })
    for (let k = 0; leftover > 0n; k++, leftover--) {
      const index = order[k] as number
      parts[index] = (parts[index] as bigint) + 1n
    }
  }
  if (sign < 0n) for (let i = 0; i < parts.length; i++) parts[i] = -(parts[i] as bigint)
  return Either.right(parts)
}

/** {@link allocateAmount} on a {@link Money}: the parts are in the total's currency and sum to it. */
export const allocate = (
  total: Money,
  weights: ReadonlyArray<bigint>
): Either.Either<Array<Money>, InvalidAllocation> =>
  Either.map(allocateAmount(total.amount, weights), (parts) =>
    parts.map((amount) => ({ amount, currency: total.currency }))
  )
