import { Either } from "effect"
import {
  type BillingPeriod,
  type Coupon,
  type CurrencyCode,
  type Customer,
  decodeCoupon,
  decodeTaxRules,
  determineTax,
  type PriceBasis,
  type PricedItem,
  type RenewableSubscription,
  type TaxDecision,
  type TaxSeller
} from "../../../src"

/** The tax rules the scenarios share: EU VAT rates of a few member states, a US state, Japan. */
export const taxRules = Either.getOrThrow(
  decodeTaxRules([
    { id: "de-vat", country: "DE", name: "VAT", rate: "19" },
    { id: "fr-vat", country: "FR", name: "TVA", rate: "20" },
    { id: "nl-vat", country: "NL", name: "BTW", rate: "21" },
    { id: "us-tx", country: "US", region: "TX", name: "Sales tax", rate: "6.25" },
    { id: "jp-ct", country: "JP", name: "Consumption tax", rate: "10" }
  ])
)

export const seller: TaxSeller = { country: "DE", euVat: "oss" }

export const customer = (overrides: Partial<Customer> = {}): Customer => ({
  id: "cus_1",
  tenantId: "ten_1",
  name: "Ada",
  email: "ada@example.test",
  country: "FR",
  isBusiness: false,
  timeZone: "Europe/Paris",
  currency: "EUR",
  locale: "fr-FR",
  ...overrides
})

export const taxFor = (buyer: Customer, sellerOverride: TaxSeller = seller): TaxDecision =>
  Either.getOrThrow(
    determineTax(
      {
        seller: sellerOverride,
        customer: {
          country: buyer.country,
          isBusiness: buyer.isBusiness,
          ...(buyer.region === undefined ? {} : { region: buyer.region }),
          ...(buyer.vatId === undefined ? {} : { vatId: buyer.vatId }),
          ...(buyer.taxExempt === undefined ? {} : { exempt: buyer.taxExempt })
        }
      },
      taxRules
    )
  )

export const item = (
  kind: PricedItem["kind"],
  itemId: string,
  description: string,
  unitAmount: bigint,
  options: { quantity?: bigint; setupFee?: bigint; cycle?: PricedItem["cycle"] } = {}
): PricedItem => {
  const quantity = options.quantity ?? 1n
  return {
    kind,
    itemId,
    description,
    cycle: options.cycle ?? "monthly",
    quantity,
    unitAmount,
    amount: unitAmount * quantity,
    setupFee: options.setupFee ?? 0n
  }
}

export const subscription = (
  currency: CurrencyCode,
  items: ReadonlyArray<PricedItem>,
  pricing: PriceBasis = "exclusive"
): RenewableSubscription => ({
  id: "sub_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  productId: "vps-kvm",
  planId: "vps-2g",
  currency,
  pricing,
  items
})

export const coupon = (input: Record<string, unknown>): Coupon =>
  Either.getOrThrow(decodeCoupon({ id: "cpn_1", code: "LAUNCH", stackable: false, ...input }))

/** A compact view of an invoice's lines for assertions: [kind, amount, tax]. */
export const lineView = (lines: ReadonlyArray<{ kind: string; amount: bigint; tax: bigint }>) =>
  lines.map((line) => [line.kind, line.amount, line.tax])

/** The invoice's billed period; a renewal always has one. */
export const periodOf = (invoice: { readonly period: BillingPeriod | undefined }): BillingPeriod => {
  if (invoice.period === undefined) throw new Error("expected the invoice to bill a period")
  return invoice.period
}
