import { Either } from "effect"
import type { Ratio } from "../../money"
import { type TaxError, TaxRuleConflict, TaxRuleMissing } from "./errors"
import { isEuMemberState, validateVatId } from "./eu"
import { rulesAt, type TaxPlace, type TaxRule } from "./rules"

/**
 * The seller (tenant). `euVat` matters only for a seller in the EU:
 * - `"oss"`: registered for the One-Stop Shop (or over the EUR 10,000 threshold): consumers in other
 *   member states are charged their own country's rate;
 * - `"domestic"`: registered at home only (under the threshold): every EU consumer pays the seller's rate;
 * - `"none"`: not registered for VAT (small-business exemption): no VAT is charged.
 */
export interface TaxSeller {
  readonly country: string
  readonly euVat: "oss" | "domestic" | "none"
}

export interface TaxCustomer {
  readonly country: string
  readonly region?: string
  readonly locality?: string
  /** With or without the member-state prefix; checked for format when the customer is a business. */
  readonly vatId?: string
  readonly isBusiness: boolean
  readonly exempt?: { readonly reason: string }
}

export interface TaxContext {
  readonly seller: TaxSeller
  readonly customer: TaxCustomer
}

/** One tax charged on a line: from one rule. */
export interface TaxComponent {
  readonly ruleId: string
  readonly name: string
  readonly rate: Ratio
  readonly compound: boolean
}

export type TaxDecision =
  | {
      readonly kind: "taxed"
      readonly country: string
      readonly components: readonly [TaxComponent, ...Array<TaxComponent>]
    }
  | { readonly kind: "reverse_charge"; readonly note: string; readonly customerVatId: string }
  | { readonly kind: "exempt"; readonly reason: string }
  | {
      readonly kind: "out_of_scope"
      readonly reason: "outside_eu" | "seller_not_vat_registered"
      readonly note: string
    }
  | { readonly kind: "none" }

export const reverseChargeNote =
  "Reverse charge: VAT to be accounted for by the recipient, Article 196 of Council Directive 2006/112/EC"
export const outsideEuNote = "Outside the scope of EU VAT: the place of supply is outside the EU"
export const sellerNotRegisteredNote = "No VAT charged: the seller is not registered for VAT"

/**
 * How a sale to the customer is taxed, from the tenant's rule set (rates are never hard-coded here).
 *
 * 1. A customer exemption wins: `exempt` with its reason.
 * 2. EU seller, EU customer: a seller not registered for VAT charges none (`out_of_scope`). A business
 *    with a VAT id (format-checked: a bad one is an {@link InvalidVatId}) in another member state is
 *    `reverse_charge`; in the seller's own state it is taxed normally. Anyone else is a consumer: taxed
 *    at the customer's country rate under OSS, else at the seller's. A missing rule is a
 *    {@link TaxRuleMissing}: EU VAT is due, and charging 0% silently would be wrong.
 * 3. EU seller, customer outside the EU: the rules for the customer's country if the tenant has any,
 *    else `out_of_scope` (no EU VAT).
 * 4. Seller outside the EU (US sales tax, ...): the rules for the customer's country, region and
 *    locality; none matching is `none` (0).
 */
export const determineTax = (
  context: TaxContext,
  rules: ReadonlyArray<TaxRule>,
  productKind?: string
): Either.Either<TaxDecision, TaxError> => {
  const { seller, customer } = context
  if (customer.exempt !== undefined) return Either.right({ kind: "exempt", reason: customer.exempt.reason })
  const customerPlace = placeOf(customer)

  if (isEuMemberState(seller.country) && isEuMemberState(customer.country)) {
    if (seller.euVat === "none") {
      return Either.right({
        kind: "out_of_scope",
        reason: "seller_not_vat_registered",
        note: sellerNotRegisteredNote
      })
    }
    if (customer.isBusiness && customer.vatId !== undefined) {
      const vatId = validateVatId(customer.country, customer.vatId)
      if (Either.isLeft(vatId)) return Either.left(vatId.left)
      if (customer.country !== seller.country) {
        return Either.right({
          kind: "reverse_charge",
          note: reverseChargeNote,
          customerVatId: vatId.right.canonical
        })
      }
      return taxedAt(rules, customerPlace, productKind, "required")
    }
    const place = seller.euVat === "oss" ? customerPlace : { country: seller.country }
    return taxedAt(rules, place, productKind, "required")
  }
  if (isEuMemberState(seller.country)) {
    return Either.map(taxedAt(rules, customerPlace, productKind, "optional"), (decision) =>
      decision.kind === "none"
        ? { kind: "out_of_scope", reason: "outside_eu", note: outsideEuNote }
        : decision
    )
  }
  return taxedAt(rules, customerPlace, productKind, "optional")
}

const placeOf = (customer: TaxCustomer): TaxPlace => ({
  country: customer.country,
  ...(customer.region === undefined ? {} : { region: customer.region }),
  ...(customer.locality === undefined ? {} : { locality: customer.locality })
})

const taxedAt = (
  rules: ReadonlyArray<TaxRule>,
  place: TaxPlace,
  productKind: string | undefined,
  rule: "required" | "optional"
): Either.Either<TaxDecision, TaxError> => {
  const resolved = resolveComponents(rulesAt(rules, place, productKind), place.country)
  if (Either.isLeft(resolved)) return Either.left(resolved.left)
  const [first, ...rest] = resolved.right
  if (first === undefined) {
    return rule === "required"
      ? Either.left(
          new TaxRuleMissing({
            country: place.country,
            ...(place.region === undefined ? {} : { region: place.region })
          })
        )
      : Either.right({ kind: "none" })
  }
  return Either.right({ kind: "taxed", country: place.country, components: [first, ...rest] })
}

/**
 * One component per (name, region, locality): a rule for the product kind replaces the general one;
 * two rules left for the same component are a {@link TaxRuleConflict}. Ordered by priority, then id.
 */
const resolveComponents = (
  matching: ReadonlyArray<TaxRule>,
  country: string
): Either.Either<Array<TaxComponent>, TaxRuleConflict> => {
  const byComponent = new Map<string, Array<TaxRule>>()
  for (const rule of matching) {
    const key = JSON.stringify([rule.name, rule.region ?? null, rule.locality ?? null])
    byComponent.set(key, [...(byComponent.get(key) ?? []), rule])
  }
  const chosen: Array<TaxRule> = []
  for (const group of byComponent.values()) {
    const specific = group.filter((rule) => rule.productKinds !== undefined)
    const candidates = specific.length > 0 ? specific : group
    const [only, ...others] = candidates
    if (only === undefined) continue
    if (others.length > 0) {
      return Either.left(new TaxRuleConflict({ country, ruleIds: candidates.map((rule) => rule.id) }))
    }
    chosen.push(only)
  }
  chosen.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return Either.right(
    chosen.map((rule) => ({
      ruleId: rule.id,
      name: rule.name,
      rate: rule.rate,
      compound: rule.compound ?? false
    }))
  )
}
