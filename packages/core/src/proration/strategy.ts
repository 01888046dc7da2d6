/**
 * How a change inside a period is prorated, and when it is billed, chosen per tenant with a per-product
 * override. The settings come from the tenant's configuration (JSON) and are decoded with a schema.
 */
import { Either, Schema } from "effect"
import { formatIssues } from "../invoicing/tax/rate-schema"
import { InvalidProrationSettings } from "./errors"

/**
 * How the unused and remaining parts of a period are measured:
 *
 * - `whole_days` (the default): whole local days left over the real length of the period (28..31 days
 *   for a month, 365 or 366 for a year); the change day counts as a day of the new items.
 * - `fixed`: whole local days left over a fixed length per cycle (30-day month, 90-day quarter, 180-day
 *   half year, 365-day year, 730 and 1095 days), capped at that length.
 * - `per_second`: seconds left over the seconds in the period, whose start and end are local midnight in
 *   the customer's zone (so a period with a DST change is an hour shorter or longer).
 */
export const ProrationStrategies = ["whole_days", "fixed", "per_second"] as const

/** One of {@link ProrationStrategies}. */
export type ProrationStrategy = (typeof ProrationStrategies)[number]

/** The strategy used when nothing else is configured: whole local days over the real period length. */
export const defaultProrationStrategy: ProrationStrategy = "whole_days"

/**
 * When a change is billed:
 *
 * - `immediate`: the change takes effect now; the unused part is credited, the new items are charged,
 *   and the net is invoiced now (a negative net becomes account credit).
 * - `end_of_term`: the change is scheduled for the end of the current period; nothing is credited or
 *   charged now, and the next renewal bills the new items.
 */
export const ChangePolicies = ["immediate", "end_of_term"] as const

/** One of {@link ChangePolicies}. */
export type ChangePolicy = (typeof ChangePolicies)[number]

/**
 * A tenant's proration settings: its default `strategy` (`whole_days` when left out) and, in `products`,
 * the strategy of each product that differs (`{ "game-server": "per_second" }`).
 */
export const ProrationSettings = Schema.Struct({
  strategy: Schema.optionalWith(Schema.Literal(...ProrationStrategies), {
    default: () => defaultProrationStrategy
  }),
  products: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: Schema.Literal(...ProrationStrategies) }).pipe(
      Schema.filter((products) => !Object.hasOwn(products, "") || "a product id must not be empty")
    ),
    { default: () => ({}) }
  )
})

/** Decoded proration settings: a tenant default and per-product overrides. */
export type ProrationSettings = typeof ProrationSettings.Type

/** Proration settings as they come in (JSON). */
export type ProrationSettingsInput = typeof ProrationSettings.Encoded

/** The settings of a tenant that configured nothing: every product is prorated by whole days. */
export const defaultProrationSettings: ProrationSettings = {
  strategy: defaultProrationStrategy,
  products: {}
}

const decode = Schema.decodeUnknownEither(ProrationSettings)

/** Decodes a tenant's proration settings from input; the error names the field and why it failed. */
export const decodeProrationSettings = (
  input: unknown
): Either.Either<ProrationSettings, InvalidProrationSettings> =>
  Either.mapLeft(decode(input), (e) => new InvalidProrationSettings({ issue: formatIssues(e) }))

/** The strategy for a product: its own override when the tenant set one, else the tenant's default. */
export const prorationStrategyFor = (settings: ProrationSettings, productId: string): ProrationStrategy =>
  Object.hasOwn(settings.products, productId)
    ? (settings.products[productId] ?? settings.strategy)
    : settings.strategy
