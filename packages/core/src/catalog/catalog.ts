import { Either, ParseResult, Schema } from "effect"
import type { CurrencyCode } from "../money/currency"
import type { BillingCycle } from "./cycle"
import { CatalogIssue, CycleNotOffered, InvalidCatalog, PlanNotFound, ProductNotFound } from "./errors"
import { Catalog, type Plan, type Price, type Product } from "./schema"

const decode = Schema.decodeUnknownEither(Catalog, { errors: "all", onExcessProperty: "error" })

/** Validates catalog input (JSON or code); every problem is reported with its path and reason. */
export const decodeCatalog = (input: unknown): Either.Either<Catalog, InvalidCatalog> =>
  Either.mapLeft(
    decode(input),
    (error) =>
      new InvalidCatalog({
        issues: ParseResult.ArrayFormatter.formatErrorSync(error).map(
          (issue) => new CatalogIssue({ path: issue.path.join("."), message: issue.message })
        )
      })
  )

/** Catalog back to its JSON form (amounts as strings). */
export const encodeCatalog = Schema.encodeSync(Catalog)

export const findProduct = (catalog: Catalog, productId: string): Either.Either<Product, ProductNotFound> => {
  const product = catalog.products.find((p) => p.id === productId)
  return product === undefined ? Either.left(new ProductNotFound({ productId })) : Either.right(product)
}

export const findPlan = (product: Product, planId: string): Either.Either<Plan, PlanNotFound> => {
  const plan = product.plans.find((p) => p.id === planId)
  return plan === undefined
    ? Either.left(new PlanNotFound({ productId: product.id, planId }))
    : Either.right(plan)
}

/** The price row for (currency, cycle), or {@link CycleNotOffered} when the table has none. */
export const findPrice = (
  itemId: string,
  prices: ReadonlyArray<Price>,
  currency: CurrencyCode,
  cycle: BillingCycle
): Either.Either<Price, CycleNotOffered> => {
  const price = prices.find((p) => p.currency === currency && p.cycle === cycle)
  return price === undefined
    ? Either.left(new CycleNotOffered({ itemId, currency, cycle }))
    : Either.right(price)
}

/** The (currency, cycle) pairs a plan is offered in. */
export const offeredCycles = (plan: Plan): ReadonlyArray<{ currency: CurrencyCode; cycle: BillingCycle }> =>
  plan.prices.map((p) => ({ currency: p.currency, cycle: p.cycle }))
