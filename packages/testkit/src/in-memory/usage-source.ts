/** A fake `UsageSource` over samples given up front, per service id. */
import {
  USAGE_SAMPLE_MS,
  UsageError,
  type UsageSample,
  UsageSource,
  type UsageSourceService
} from "@ezscale/core"
import { Effect, Layer } from "effect"

export interface InMemoryUsageOptions {
  readonly services: { readonly [serviceId: string]: ReadonlyArray<UsageSample> }
}

export const makeInMemoryUsageSource = (options: InMemoryUsageOptions): UsageSourceService => {
  for (const samples of Object.values(options.services)) {
    for (const sample of samples) {
      if (sample.at % USAGE_SAMPLE_MS !== 0 || sample.bytesIn < 0n || sample.bytesOut < 0n) {
        throw new Error(`invalid usage sample at ${sample.at}: not on a 5-minute boundary, or negative`)
      }
    }
  }
  return {
    samples: ({ serviceId, from, to }) => {
      const samples = Object.hasOwn(options.services, serviceId) ? options.services[serviceId] : undefined
      if (samples === undefined) {
        return Effect.fail(new UsageError({ reason: "NotFound", retryable: false, serviceId }))
      }
      return Effect.succeed(samples.filter((s) => s.at >= from && s.at < to).sort((a, b) => a.at - b.at))
    }
  }
}

export const InMemoryUsageSource = {
  make: makeInMemoryUsageSource,
  layer: (options: InMemoryUsageOptions) => Layer.sync(UsageSource, () => makeInMemoryUsageSource(options))
} as const
