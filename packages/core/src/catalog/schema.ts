import { ParseResult, Schema } from "effect"
import { type CurrencyCode, currencyCodes } from "../money/currency"
import { UsagePlan } from "../usage/config"
import { BillingCycles } from "./cycle"

/**
 * The catalog as staff define it, validated with `effect/Schema`. Amounts are minor units; in JSON they
 * travel as strings ("999" is 9.99 USD), in code as bigints. A price row exists only for the
 * (currency, cycle) pairs that are offered: an absent row means "not offered", never a magic -1.
 */

/** A string that must be one of `values`, reported as one issue (not one per literal). */
const oneOf = <const A extends string>(values: ReadonlyArray<A>, identifier: string, message: string) =>
  Schema.String.pipe(
    Schema.filter((input): input is A => (values as ReadonlyArray<string>).includes(input), {
      identifier,
      message: () => message
    })
  )

export const ProductKinds = ["vps", "dedicated", "web_hosting", "game_server", "other"] as const
export type ProductKind = (typeof ProductKinds)[number]
export const ProductKind = oneOf(ProductKinds, "ProductKind", `must be one of ${ProductKinds.join(", ")}`)

export const Currency = oneOf<CurrencyCode>(
  currencyCodes,
  "Currency",
  "must be an ISO 4217 currency code the engine knows (e.g. USD, EUR, JPY)"
)

export const Cycle = oneOf(BillingCycles, "BillingCycle", `must be one of ${BillingCycles.join(", ")}`)

/** Minor units, non-negative: a JSON string of digits or a bigint; encodes to the string. */
export const MinorUnits = Schema.transformOrFail(
  Schema.Union(Schema.String, Schema.BigIntFromSelf),
  Schema.BigIntFromSelf,
  {
    strict: true,
    decode: (input, _, ast) =>
      typeof input === "bigint"
        ? input >= 0n
          ? ParseResult.succeed(input)
          : ParseResult.fail(new ParseResult.Type(ast, input, minorUnitsMessage))
        : /^\d+$/.test(input)
          ? ParseResult.succeed(BigInt(input))
          : ParseResult.fail(new ParseResult.Type(ast, input, minorUnitsMessage)),
    encode: (amount) => ParseResult.succeed(amount.toString())
  }
).annotations({ identifier: "MinorUnits" })

const minorUnitsMessage = 'must be a non-negative whole number of minor units (e.g. "999" for 9.99)'

const Id = Schema.NonEmptyTrimmedString.annotations({ message: () => "must be a non-empty id" })
const Name = Schema.NonEmptyTrimmedString.annotations({ message: () => "must not be empty" })

/** One offered (currency, cycle) pair with its recurring amount and optional setup fee. */
export const Price = Schema.Struct({
  currency: Currency,
  cycle: Cycle,
  amount: MinorUnits,
  setupFee: Schema.optional(MinorUnits)
}).pipe(
  Schema.filter((price) =>
    price.cycle === "free" && (price.amount !== 0n || (price.setupFee ?? 0n) !== 0n)
      ? { path: ["amount"], message: "a free cycle must have a zero amount and no setup fee" }
      : undefined
  )
)
export type Price = typeof Price.Type

const uniquePrices = <A extends { readonly currency: string; readonly cycle: string }>(
  prices: ReadonlyArray<A>
) => {
  const seen = new Set<string>()
  for (const [index, price] of prices.entries()) {
    const key = `${price.currency}/${price.cycle}`
    if (seen.has(key)) return { path: [index], message: `${key} is priced twice` }
    seen.add(key)
  }
  return undefined
}

export const PriceTable = Schema.Array(Price).pipe(Schema.filter(uniquePrices))

export const DropdownChoice = Schema.Struct({ id: Id, name: Name, prices: PriceTable })
export type DropdownChoice = typeof DropdownChoice.Type

/**
 * A configurable option. A dropdown prices each choice; a quantity option prices one unit (billed
 * times the quantity, between `min` and `max`); a yes/no option prices "yes". `upgradable` says whether
 * a customer may change it during the subscription.
 */
export const ConfigurableOption = Schema.Union(
  Schema.TaggedStruct("dropdown", {
    id: Id,
    name: Name,
    upgradable: Schema.Boolean,
    choices: Schema.NonEmptyArray(DropdownChoice)
  }),
  Schema.TaggedStruct("quantity", {
    id: Id,
    name: Name,
    upgradable: Schema.Boolean,
    unit: Schema.optional(Name),
    min: Schema.NonNegativeInt,
    max: Schema.NonNegativeInt,
    unitPrices: PriceTable
  }).pipe(
    Schema.filter((option) =>
      option.min > option.max ? { path: ["max"], message: "must be at least min" } : undefined
    )
  ),
  Schema.TaggedStruct("yes_no", {
    id: Id,
    name: Name,
    upgradable: Schema.Boolean,
    prices: PriceTable
  })
)
export type ConfigurableOption = typeof ConfigurableOption.Type

/**
 * An add-on: billed `with_parent` (same cycle and due date as the subscription it belongs to, priced for
 * the parent's cycle) or on its `own_cycle` (a subscription of its own).
 */
export const Addon = Schema.Struct({
  id: Id,
  name: Name,
  billing: Schema.Literal("with_parent", "own_cycle"),
  prices: PriceTable
})
export type Addon = typeof Addon.Type

export const Plan = Schema.Struct({
  id: Id,
  name: Name,
  prices: PriceTable.pipe(Schema.minItems(1, { message: () => "a plan needs at least one price" })),
  /** Metered billing on top of the price: monthly transfer over a quota, 95th percentile (usage/). */
  usage: Schema.optionalWith(UsagePlan, { exact: true })
})
export type Plan = typeof Plan.Type

const uniqueIds = (label: string) => (items: ReadonlyArray<{ readonly id: string }>) => {
  const seen = new Set<string>()
  for (const [index, item] of items.entries()) {
    if (seen.has(item.id)) return { path: [index, "id"], message: `duplicate ${label} id "${item.id}"` }
    seen.add(item.id)
  }
  return undefined
}

export const Product = Schema.Struct({
  id: Id,
  kind: ProductKind,
  name: Name,
  description: Schema.optional(Schema.String),
  plans: Schema.NonEmptyArray(Plan).pipe(Schema.filter(uniqueIds("plan"))),
  options: Schema.optionalWith(Schema.Array(ConfigurableOption).pipe(Schema.filter(uniqueIds("option"))), {
    default: () => [],
    exact: true
  }),
  addons: Schema.optionalWith(Schema.Array(Addon).pipe(Schema.filter(uniqueIds("add-on"))), {
    default: () => [],
    exact: true
  })
})
export type Product = typeof Product.Type

export const Catalog = Schema.Struct({
  products: Schema.Array(Product).pipe(Schema.filter(uniqueIds("product")))
})
export type Catalog = typeof Catalog.Type
