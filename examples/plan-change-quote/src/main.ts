/**
 * A plan change quote with @ezscale/core: a customer on the 2 GB VPS upgrades to the 4 GB plan in the
 * middle of a monthly period. The unused days of the old plan are credited, the new plan is charged for
 * the days left, and the difference is invoiced now with VAT. Pure functions only: no database, no clock
 * (the "now" of the change is a value passed in).
 *
 * Run it: `npm run example:plan-change` (see README.md).
 */
import { pathToFileURL } from "node:url"
import {
  type CivilDate,
  type Customer,
  civilDateAt,
  decodeCatalog,
  decodeTaxRules,
  determineTax,
  findProduct,
  formatIsoDate,
  formatMoney,
  type PlanChangeQuote,
  periodContaining,
  priceSelection,
  quotePlanChange,
  type Ratio,
  ratioToDecimalString
} from "@ezscale/core"

/**
 * Core functions return an effect `Either`: `Right` with the value or `Left` with a typed error (a class
 * with a `_tag` and a readable message). An example can simply stop on the first error.
 */
const orThrow = <A, E>(
  result: { readonly _tag: "Right"; readonly right: A } | { readonly _tag: "Left"; readonly left: E }
): A => {
  if (result._tag === "Left") throw result.left
  return result.right
}

// The catalog (JSON; amounts in minor units: "3000" is 30.00 EUR a month).
const catalogJson = {
  products: [
    {
      id: "cloud-vps",
      kind: "vps",
      name: "Cloud VPS",
      plans: [
        { id: "vps-2g", name: "2 GB", prices: [{ currency: "EUR", cycle: "monthly", amount: "3000" }] },
        { id: "vps-4g", name: "4 GB", prices: [{ currency: "EUR", cycle: "monthly", amount: "6000" }] }
      ]
    }
  ]
}

const taxRulesJson = [
  { id: "de-vat", country: "DE", name: "MwSt", rate: "19" },
  { id: "fr-vat", country: "FR", name: "TVA", rate: "20" }
]

const customer: Customer = {
  id: "cus_ada",
  tenantId: "ten_demo",
  name: "Ada Martin",
  email: "ada@example.test",
  country: "FR",
  isBusiness: false,
  timeZone: "Europe/Paris",
  currency: "EUR",
  locale: "fr-FR"
}

/** The subscription renews on the 1st of each month. */
const anchor: CivilDate = { year: 2026, month: 1, day: 1 }

/**
 * The customer clicks "upgrade" at 22:30 UTC on April 10, which is already 00:30 on April 11 in Paris:
 * proration days are counted in the customer's zone, so the change day is April 11.
 */
const changedAt = Date.UTC(2026, 3, 10, 22, 30)

export interface PlanChangeRun {
  readonly changeDate: CivilDate
  readonly quote: PlanChangeQuote
  /** What `main` prints. */
  readonly report: string
}

export const main = (): PlanChangeRun => {
  const catalog = orThrow(decodeCatalog(catalogJson))
  const product = orThrow(findProduct(catalog, "cloud-vps"))
  const price = (planId: string) =>
    orThrow(priceSelection(product, { productId: product.id, planId, currency: "EUR", cycle: "monthly" }))

  const tax = orThrow(
    determineTax(
      {
        seller: { country: "DE", euVat: "oss" },
        customer: { country: customer.country, isBusiness: customer.isBusiness }
      },
      orThrow(decodeTaxRules(taxRulesJson)),
      product.kind
    )
  )

  const changeDate = civilDateAt(changedAt, customer.timeZone) // 2026-04-11
  const period = periodContaining(anchor, "monthly", changeDate) // 2026-04-01 .. 2026-05-01 (30 days)

  const quote = orThrow(
    quotePlanChange({
      invoiceId: "inv_upgrade_1",
      tenantId: customer.tenantId,
      customerId: customer.id,
      subscriptionId: "sub_ada_vps",
      currency: customer.currency,
      pricing: "exclusive",
      period,
      changeDate,
      // What the subscription has now. Each item may carry `charged` (what was actually paid for this
      // period, after discounts); without it the credit is based on the item's price.
      currentItems: price("vps-2g").items,
      newItems: price("vps-4g").items,
      tax,
      rounding: "half-even",
      dueAt: changedAt
    })
  )

  return { changeDate, quote, report: render(quote, customer.locale) }
}

/** A rate as a percentage: 1/5 -> 20/1. */
const percentOf = (rate: Ratio): Ratio => ({ num: rate.num * 100n, den: rate.den })

const render = (quote: PlanChangeQuote, locale: string): string => {
  const { invoice, fraction } = quote
  const fmt = (amount: bigint) => formatMoney({ amount, currency: invoice.currency }, locale)
  const lines = [...quote.credits, ...quote.charges].map(
    (line) => [line.description, fmt(line.amount)] as const
  )
  const summary = [
    ["Net change", fmt(quote.net)],
    ...invoice.taxSummary.map((group) =>
      group.kind === "taxed"
        ? ([
            `${group.name} ${ratioToDecimalString(percentOf(group.rate))}% on ${fmt(group.base)}`,
            fmt(group.tax)
          ] as const)
        : ([`No tax (${group.kind})`, fmt(0n)] as const)
    ),
    [invoice.totals.total < 0n ? "Total (owed to the customer)" : "Total due now", fmt(invoice.totals.total)]
  ] as const
  const width = Math.max(...[...lines, ...summary].map(([label]) => label.length))
  const amountWidth = Math.max(...[...lines, ...summary].map(([, amount]) => amount.length))
  const row = ([label, amount]: readonly [string, string]) =>
    `  ${label.padEnd(width)}  ${amount.padStart(amountWidth)}`
  const rule = `  ${"-".repeat(width + 2 + amountWidth)}`
  return [
    `Upgrade on ${formatIsoDate(fraction.remaining.start)}: ${fraction.days} of ${fraction.periodDays} days left ` +
      `in the period ending ${formatIsoDate(fraction.remaining.end)} (exclusive)`,
    ...lines.map(row),
    rule,
    ...summary.map(row),
    ...(quote.creditToAccount > 0n ? [`  ${fmt(quote.creditToAccount)} becomes account credit`] : [])
  ].join("\n")
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(main().report)
