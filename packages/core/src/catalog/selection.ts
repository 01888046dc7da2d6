import { Either } from "effect"
import type { CurrencyCode } from "../money/currency"
import { findPlan, findPrice } from "./catalog"
import type { BillingCycle } from "./cycle"
import {
  AddonNotFound,
  type CatalogError,
  InvalidOptionValue,
  OptionNotFound,
  OptionNotUpgradable
} from "./errors"
import type { ConfigurableOption, Product } from "./schema"

/** What the customer picked for one configurable option. */
export type OptionValue =
  | { readonly optionId: string; readonly choiceId: string }
  | { readonly optionId: string; readonly quantity: number }
  | { readonly optionId: string; readonly enabled: boolean }

/** A configuration of a product: plan, currency, cycle, option values and add-ons. */
export interface Selection {
  readonly productId: string
  readonly planId: string
  readonly currency: CurrencyCode
  readonly cycle: BillingCycle
  readonly options?: ReadonlyArray<OptionValue>
  readonly addons?: ReadonlyArray<{ readonly addonId: string; readonly cycle?: BillingCycle }>
}

/**
 * One priced part of a configuration, as the subscription keeps it (prices are locked at order time;
 * renewals bill these amounts until staff or a plan change reprice them).
 */
export interface PricedItem {
  readonly kind: "plan" | "option" | "addon"
  /** Plan, option or add-on id. */
  readonly itemId: string
  /** The dropdown choice, when the option is a dropdown. */
  readonly choiceId?: string
  readonly description: string
  readonly cycle: BillingCycle
  readonly quantity: bigint
  /** Recurring amount per unit per cycle, in minor units. */
  readonly unitAmount: bigint
  /** `unitAmount x quantity`. */
  readonly amount: bigint
  /** Setup fee for the whole item (per-unit fee x quantity), charged on the first invoice only. */
  readonly setupFee: bigint
}

export interface PricedSelection {
  readonly currency: CurrencyCode
  readonly cycle: BillingCycle
  /** The plan, then options in catalog order, then add-ons billed with the parent. */
  readonly items: ReadonlyArray<PricedItem>
  /** Add-ons on their own cycle: each becomes a subscription of its own. */
  readonly separate: ReadonlyArray<PricedItem>
}

const priceOption = (
  option: ConfigurableOption,
  value: OptionValue | undefined,
  currency: CurrencyCode,
  cycle: BillingCycle
): Either.Either<PricedItem | undefined, CatalogError> => {
  const invalid = (reason: string) => Either.left(new InvalidOptionValue({ optionId: option.id, reason }))
  const item = (
    unit: { amount: bigint; setupFee?: bigint | undefined },
    quantity: bigint,
    description: string,
    choiceId?: string
  ) =>
    ({
      kind: "option",
      itemId: option.id,
      ...(choiceId === undefined ? {} : { choiceId }),
      description,
      cycle,
      quantity,
      unitAmount: unit.amount,
      amount: unit.amount * quantity,
      setupFee: (unit.setupFee ?? 0n) * quantity
    }) satisfies PricedItem
  switch (option._tag) {
    case "dropdown": {
      if (value === undefined) return invalid("a choice is required")
      if (!("choiceId" in value)) return invalid("expects a choiceId")
      const choice = option.choices.find((c) => c.id === value.choiceId)
      if (choice === undefined) return invalid(`unknown choice "${value.choiceId}"`)
      return Either.map(findPrice(`${option.id}/${choice.id}`, choice.prices, currency, cycle), (price) =>
        item(price, 1n, `${option.name}: ${choice.name}`, choice.id)
      )
    }
    case "quantity": {
      const quantity = value === undefined ? option.min : "quantity" in value ? value.quantity : undefined
      if (quantity === undefined) return invalid("expects a quantity")
      if (!Number.isInteger(quantity) || quantity < option.min || quantity > option.max) {
        return invalid(`quantity must be a whole number from ${option.min} to ${option.max}`)
      }
      if (quantity === 0) return Either.right(undefined)
      const unit = option.unit === undefined ? "" : ` ${option.unit}`
      return Either.map(findPrice(option.id, option.unitPrices, currency, cycle), (price) =>
        item(price, BigInt(quantity), `${option.name}: ${quantity}${unit}`)
      )
    }
    case "yes_no": {
      const enabled = value === undefined ? false : "enabled" in value ? value.enabled : undefined
      if (enabled === undefined) return invalid("expects enabled: true or false")
      if (!enabled) return Either.right(undefined)
      return Either.map(findPrice(option.id, option.prices, currency, cycle), (price) =>
        item(price, 1n, option.name)
      )
    }
  }
}

/**
 * Prices a configuration against the catalog: the plan for (currency, cycle), every option (defaults:
 * quantity = min, yes/no = no; a dropdown needs a choice) and add-ons. Unknown ids, values that do not
 * fit and cycles that are not offered are typed errors.
 */
export const priceSelection = (
  product: Product,
  selection: Selection
): Either.Either<PricedSelection, CatalogError> =>
  Either.gen(function* () {
    const { currency, cycle } = selection
    const plan = yield* findPlan(product, selection.planId)
    const planPrice = yield* findPrice(plan.id, plan.prices, currency, cycle)
    const items: Array<PricedItem> = [
      {
        kind: "plan",
        itemId: plan.id,
        description: `${product.name} — ${plan.name}`,
        cycle,
        quantity: 1n,
        unitAmount: planPrice.amount,
        amount: planPrice.amount,
        setupFee: planPrice.setupFee ?? 0n
      }
    ]
    const values = selection.options ?? []
    for (const value of values) {
      if (!product.options.some((o) => o.id === value.optionId)) {
        return yield* Either.left(new OptionNotFound({ productId: product.id, optionId: value.optionId }))
      }
    }
    for (const option of product.options) {
      const priced = yield* priceOption(
        option,
        values.find((v) => v.optionId === option.id),
        currency,
        cycle
      )
      if (priced !== undefined) items.push(priced)
    }
    const separate: Array<PricedItem> = []
    for (const chosen of selection.addons ?? []) {
      const addon = product.addons.find((a) => a.id === chosen.addonId)
      if (addon === undefined) {
        return yield* Either.left(new AddonNotFound({ productId: product.id, addonId: chosen.addonId }))
      }
      const addonCycle = addon.billing === "with_parent" ? cycle : (chosen.cycle ?? cycle)
      const price = yield* findPrice(addon.id, addon.prices, currency, addonCycle)
      const item: PricedItem = {
        kind: "addon",
        itemId: addon.id,
        description: addon.name,
        cycle: addonCycle,
        quantity: 1n,
        unitAmount: price.amount,
        amount: price.amount,
        setupFee: price.setupFee ?? 0n
      }
      if (addon.billing === "with_parent") items.push(item)
      else separate.push(item)
    }
    return { currency, cycle, items, separate }
  })

/**
 * Checks that changing an option mid-subscription is allowed: the option must be upgradable. (What the
 * change costs is proration's business.)
 */
export const checkOptionChange = (
  product: Product,
  optionId: string
): Either.Either<ConfigurableOption, OptionNotFound | OptionNotUpgradable> => {
  const option = product.options.find((o) => o.id === optionId)
  if (option === undefined) return Either.left(new OptionNotFound({ productId: product.id, optionId }))
  return option.upgradable ? Either.right(option) : Either.left(new OptionNotUpgradable({ optionId }))
}
