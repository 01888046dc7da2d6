/**
 * `UsageSource` — where metered usage comes from (ElastiFlow, a panel's counters, a fake): transfer
 * bytes in and out of a service, as 5-minute samples, for bandwidth overage billing (monthly transfer
 * and 95th percentile are computed by core from the samples).
 *
 * Guarantees an adapter must give:
 * - samples cover the window `[from, to)`: every sample's `at` is in it, on a 5-minute boundary
 *   (`at % 300_000 === 0`), strictly ascending (one sample per slot at most); a slot with no traffic may
 *   be missing (it counts as zero);
 * - byte counts are non-negative and are the traffic *within* the slot (not a running counter);
 * - an unknown service is `NotFound`; an empty or inverted window returns no samples.
 *
 * Errors: `UsageError` with `reason` `NotFound | RateLimited | Auth | Unavailable | Unknown`, `retryable`.
 */
import { Context, type Effect, Schema } from "effect"
import type { Instant } from "../calendar/zone"

export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  reason: Schema.Literal("NotFound", "RateLimited", "Auth", "Unavailable", "Unknown"),
  retryable: Schema.Boolean,
  serviceId: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    return `Usage ${this.reason}${this.serviceId === undefined ? "" : ` (${this.serviceId})`}${this.detail === undefined ? "" : `: ${this.detail}`}`
  }
}

/** Length of one usage sample: 5 minutes. */
export const USAGE_SAMPLE_MS = 300_000

export interface UsageSample {
  /** Start of the 5-minute slot. */
  readonly at: Instant
  readonly bytesIn: bigint
  readonly bytesOut: bigint
}

export interface UsageWindow {
  readonly serviceId: string
  readonly from: Instant
  /** Exclusive. */
  readonly to: Instant
}

export interface UsageSourceService {
  readonly samples: (window: UsageWindow) => Effect.Effect<ReadonlyArray<UsageSample>, UsageError>
}

export class UsageSource extends Context.Tag("@ezscale/core/UsageSource")<
  UsageSource,
  UsageSourceService
>() {}
