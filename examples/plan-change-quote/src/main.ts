/**
 * A plan change quote with @ezscale/core: a customer on the 2 GB VPS upgrades to the 4 GB plan in the
 * middle of a monthly period. The unused days of the old plan are credited, the new plan is charged for
 * the days left, and the difference is invoiced now with VAT; the preview is what the customer confirms.
 * Pure functions only: no database, no clock (the "now" of the change is a value passed in).
 *
 * Run it: `npm run example:plan-change` (see README.md).
 */
import { pathToFileURL } from "node:url"
import {
  type ChangePreview,
  type CivilDate,
  type Customer,
  civilDateAt,
  decodeCatalog,
  decodeProrationSettings,
  decodeTaxRules,
  determineTax,
  findProduct,
  formatIsoDate,
  formatMoney,
  type ImmediateChangeQuote,
  periodContaining,
  previewChange,
  priceSelection,
  prorationStrategyFor,
  quoteChange,
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

/** The tenant prorates by whole days (the default); game servers would be prorated per second. */
const prorationSettingsJson = { strategy: "whole_days", products: { "game-server": "per_second" } }

export interface PlanChangeRun {
  readonly changeDate: CivilDate
  readonly quote: ImmediateChangeQuote
  /** What the customer sees before confirming. */
  readonly preview: ChangePreview
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
  const settings = orThrow(decodeProrationSettings(prorationSettingsJson))

  const quote = orThrow(
    quoteChange({
      invoiceId: "inv_upgrade_1",
      tenantId: customer.tenantId,
      customerId: customer.id,
      subscriptionId: "sub_ada_vps",
      currency: customer.currency,
      pricing: "exclusive",
      anchor,
      period,
      // "Now" and the customer's zone: the change day and the days left are counted there.
      at: changedAt,
      timeZone: customer.timeZone,
      // What the subscription has now. Each item may carry `charged` (what was actually paid for this
      // period, after discounts); without it the credit is based on the item's price.
      currentItems: price("vps-2g").items,
      newItems: price("vps-4g").items,
      strategy: prorationStrategyFor(settings, product.id), // whole_days
      policy: "immediate",
      tax,
      rounding: "half-even"
    })
  )
  // The quote of an immediate change always has its invoice; `end_of_term` would schedule it instead.
  if (quote.policy !== "immediate") throw new Error("expected an immediate change")
  const preview = previewChange(quote)

  return { changeDate, quote, preview, report: render(quote, preview, customer.locale) }
}

/** A rate as a percentage: 1/5 -> 20/1. */
const percentOf = (rate: Ratio): Ratio => ({ num: rate.num * 100n, den: rate.den })

const render = (quote: ImmediateChangeQuote, preview: ChangePreview, locale: string): string => {
  const { fraction } = quote
  const fmt = (amount: bigint) => formatMoney({ amount, currency: preview.currency }, locale)
  const lines = preview.lines.map((line) => [line.description, fmt(line.amount)] as const)
  const summary = [
    ["Net change", fmt(preview.subtotal)],
    ...preview.taxes.map(
      (tax) =>
        [
          `${tax.name} ${ratioToDecimalString(percentOf(tax.rate))}% on ${fmt(tax.base)}`,
          fmt(tax.amount)
        ] as const
    ),
    [preview.total < 0n ? "Total (owed to the customer)" : "Total due now", fmt(preview.total)]
  ] as const
  const width = Math.max(...[...lines, ...summary].map(([label]) => label.length))
  const amountWidth = Math.max(...[...lines, ...summary].map(([, amount]) => amount.length))
  const row = ([label, amount]: readonly [string, string]) =>
    `  ${label.padEnd(width)}  ${amount.padStart(amountWidth)}`
  const rule = `  ${"-".repeat(width + 2 + amountWidth)}`
  return [
    `Upgrade on ${formatIsoDate(preview.effectiveDate)}: ${fraction.left} of ${fraction.length} days left ` +
      `in the period ending ${formatIsoDate(fraction.remaining.end)} (exclusive)`,
    ...lines.map(row),
    rule,
    ...summary.map(row),
    ...(preview.creditToAccount > 0n ? [`  ${fmt(preview.creditToAccount)} becomes account credit`] : []),
    `  Next renewal on ${formatIsoDate(preview.nextRenewal.date)}: ${fmt(preview.nextRenewal.total)}`
  ].join("\n")
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(main().report)
