/**
 * Two `Ids` adapters. `SequentialIds`: `cus_000001`, `cus_000002`... — predictable, for tests that print
 * ids. `InMemoryIds`: ULID-like (48-bit time from Effect `Clock` + 80 random bits from Effect `Random`,
 * Crockford base32), monotonic within the instance: in the same millisecond (or with a clock standing
 * still or going back) the random part counts up.
 */
import { Ids, type IdsService } from "@ezscale/core"
import { Clock, Effect, Layer, Random } from "effect"

const withPrefix = (prefix: string | undefined, id: string) => (prefix === undefined ? id : `${prefix}_${id}`)

export const makeSequentialIds = (): IdsService => {
  let counter = 0
  return {
    next: (prefix) =>
      Effect.sync(() => {
        counter += 1
        return withPrefix(prefix, String(counter).padStart(12, "0"))
      })
  }
}

export const SequentialIds = {
  make: makeSequentialIds,
  layer: Layer.sync(Ids, makeSequentialIds)
} as const

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const base32 = (value: bigint, length: number): string => {
  let out = ""
  let rest = value
  for (let i = 0; i < length; i++) {
    out = alphabet[Number(rest & 31n)] + out
    rest >>= 5n
  }
  return out
}

const RANDOM_MAX = (1n << 80n) - 1n

export const makeInMemoryIds: Effect.Effect<IdsService> = Effect.sync(() => {
  let lastTime = -1
  let lastRandom = 0n
  const randomBits = Effect.gen(function* () {
    const hi = yield* Random.nextIntBetween(0, 2 ** 30)
    const mid = yield* Random.nextIntBetween(0, 2 ** 30)
    const lo = yield* Random.nextIntBetween(0, 2 ** 20)
    return (BigInt(hi) << 50n) | (BigInt(mid) << 20n) | BigInt(lo)
  })
  return {
    next: (prefix) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const fresh = yield* randomBits
        if (now > lastTime) {
          lastTime = now
          lastRandom = fresh >> 1n
        } else {
          if (lastRandom >= RANDOM_MAX) return yield* Effect.dieMessage("ULID random part overflow in one ms")
          lastRandom += 1n
        }
        return withPrefix(prefix, base32(BigInt(lastTime), 10) + base32(lastRandom, 16))
      })
  }
})

export const InMemoryIds = {
  make: makeInMemoryIds,
  layer: Layer.effect(Ids, makeInMemoryIds)
} as const
