/**
 * Usage samples as the store keeps them: the 5-minute transfer samples of each service (see
 * `UsageSource`), recorded as they are collected so that a renewal rates the period from the store
 * (`rateUsage`) without asking the source again.
 */
import { Either, Schema } from "effect"
import { USAGE_SAMPLE_MS, type UsageSample, type UsageWindow } from "../usage-source"
import type { Op } from "./repositories"

/** Largest byte count a sample may hold: a signed 64-bit column. */
export const MAX_SAMPLE_BYTES = 2n ** 63n - 1n

/** A usage sample the store refuses; nothing of its batch is written. */
export class InvalidUsageSample extends Schema.TaggedError<InvalidUsageSample>()("InvalidUsageSample", {
  serviceId: Schema.String,
  at: Schema.Number,
  issue: Schema.String
}) {
  override get message() {
    return `Usage sample of ${this.serviceId} at ${this.at} cannot be recorded: ${this.issue}`
  }
}

/**
 * The first sample of the batch that cannot be recorded: a slot start that is not a whole instant on a
 * 5-minute boundary (`at % 300000 === 0`), or a byte count below zero or beyond 64 bits.
 */
export const checkUsageSamples = (
  serviceId: string,
  samples: ReadonlyArray<UsageSample>
): Either.Either<ReadonlyArray<UsageSample>, InvalidUsageSample> => {
  for (const sample of samples) {
    const invalid = (issue: string) =>
      Either.left(new InvalidUsageSample({ serviceId, at: sample.at, issue }))
    if (!Number.isSafeInteger(sample.at) || sample.at % USAGE_SAMPLE_MS !== 0) {
      return invalid("the slot start is not on a 5-minute boundary")
    }
    for (const bytes of [sample.bytesIn, sample.bytesOut]) {
      if (bytes < 0n || bytes > MAX_SAMPLE_BYTES) return invalid("byte counts are 0 to 2^63 - 1")
    }
  }
  return Either.right(samples)
}

/** The larger of two byte counts (`Math.max` takes no bigint). */
const larger = (a: bigint, b: bigint): bigint => {
  if (a < b) return b
  return a
}

/** The samples with one per slot, each slot keeping the larger count in each direction, by slot. */
export const mergeUsageSamples = (samples: ReadonlyArray<UsageSample>): Array<UsageSample> => {
  const bySlot = new Map<number, UsageSample>()
  for (const sample of samples) {
    const seen = bySlot.get(sample.at)
    bySlot.set(
      sample.at,
      seen === undefined
        ? sample
        : {
            at: sample.at,
            bytesIn: larger(seen.bytesIn, sample.bytesIn),
            bytesOut: larger(seen.bytesOut, sample.bytesOut)
          }
    )
  }
  return [...bySlot.values()].sort((a, b) => a.at - b.at)
}

/**
 * Usage samples per service. Unique key: (tenant, service, slot start). `record` is idempotent: a
 * sample for a slot that has one keeps the larger count in each direction — a repeated or retried
 * export replaces, it never adds, so a customer is never billed twice for the same traffic (the rule
 * `slotTraffic` applies too). A batch is written whole or not at all.
 */
export interface UsageSampleRepository {
  /** `InvalidUsageSample` (see {@link checkUsageSamples}) writes nothing of the batch. */
  readonly record: (
    tenantId: string,
    serviceId: string,
    samples: ReadonlyArray<UsageSample>
  ) => Op<void, InvalidUsageSample>
  /**
   * The service's samples with `at` in `[from, to)`, ascending, one per slot (slots never recorded are
   * missing: they count as zero). An empty or inverted window has none.
   */
  readonly window: (tenantId: string, window: UsageWindow) => Op<ReadonlyArray<UsageSample>>
}
