/**
 * Renewal invoices with @ezscale/core: a catalog decoded from JSON, a priced configuration, EU VAT for a
 * French consumer bought from a German seller (OSS), a 10% coupon for 3 cycles, and monthly periods
 * anchored on Jan 31 (month ends are clamped, never drifted). Everything here is a pure function:
 * values in, values out, no database and no clock.
 *
 * Run it: `npm run example:renewal` (see README.md).
 */
import { pathToFileURL } from "node:url"
import {
  anniversaryPeriod,
  type BillingPeriod,
  type CivilDate,
  type Customer,
  decodeCatalog,
  decodeCoupon,
  decodeTaxRules,
  determineTax,
  findProduct,
  formatIsoDate,
  formatMoney,
  type Invoice,
  priceSelection,
  type RenewableSubscription,
  renewalInvoice,
  startOfDayInZone
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

// 1. The catalog, as staff define it (JSON; amounts are minor units in strings: "1500" is 15.00 EUR).
const catalogJson = {
  products: [
    {
      id: "cloud-vps",
      kind: "vps",
      name: "Cloud VPS",
      plans: [
        { id: "vps-2g", name: "2 GB", prices: [{ currency: "EUR", cycle: "monthly", amount: "1500" }] }
      ],
      options: [
        {
          _tag: "quantity",
          id: "ipv4",
          name: "Extra IPv4",
          unit: "IP",
          upgradable: true,
          min: 0,
          max: 8,
          unitPrices: [{ currency: "EUR", cycle: "monthly", amount: "250" }]
        },
        {
          _tag: "yes_no",
          id: "backups",
          name: "Daily backups",
          upgradable: true,
          prices: [{ currency: "EUR", cycle: "monthly", amount: "500" }]
        }
      ]
    }
  ]
}

// 2. Tax rules of the seller (a German company registered for the One-Stop Shop).
const taxRulesJson = [
  { id: "de-vat", country: "DE", name: "MwSt", rate: "19" },
  { id: "fr-vat", country: "FR", name: "TVA", rate: "20" }
]

// 3. The customer: a consumer in France, billed in euros, in their zone and locale.
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

// 4. A launch coupon: 10% off the first 3 invoices.
const couponJson = {
  id: "cpn_welcome",
  code: "WELCOME10",
  kind: "percent",
  rate: "10",
  duration: { cycles: 3 },
  stackable: false
}

/** The subscription started on Jan 31: every period is computed from this anchor. */
const anchor: CivilDate = { year: 2026, month: 1, day: 31 }

export interface RenewalRun {
  readonly periods: ReadonlyArray<BillingPeriod>
  readonly invoices: ReadonlyArray<{ readonly cycle: number; readonly invoice: Invoice }>
  /** What `main` prints. */
  readonly report: string
}

export const main = (): RenewalRun => {
  const catalog = orThrow(decodeCatalog(catalogJson))
  const product = orThrow(findProduct(catalog, "cloud-vps"))
  // 2 GB plan + 2 extra IPs + daily backups = 15.00 + 2 x 2.50 + 5.00 = 25.00 a month.
  const priced = orThrow(
    priceSelection(product, {
      productId: "cloud-vps",
      planId: "vps-2g",
      currency: customer.currency,
      cycle: "monthly",
      options: [
        { optionId: "ipv4", quantity: 2 },
        { optionId: "backups", enabled: true }
      ]
    })
  )

  // French consumer, German seller under OSS: the French rate (20%) applies.
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
  const coupon = orThrow(decodeCoupon(couponJson))

  const subscription: RenewableSubscription = {
    id: "sub_ada_vps",
    tenantId: customer.tenantId,
    customerId: customer.id,
    productId: product.id,
    planId: "vps-2g",
    currency: customer.currency,
    pricing: "exclusive",
    items: priced.items
  }

  // Jan 31 -> Feb 28 -> Mar 31 -> Apr 30 -> May 31: clamped to the month's end, computed from the anchor.
  const periods = [0, 1, 2, 3].map((index) => anniversaryPeriod(anchor, "monthly", index))

  const invoices = periods.map((period, index) => {
    const cycle = index + 1
    const invoice = orThrow(
      renewalInvoice({
        invoiceId: `inv_${cycle}`,
        subscription,
        period,
        cycleNumber: cycle, // the coupon counts invoices: it stops after the 3rd
        coupons: [coupon],
        includeSetup: cycle === 1,
        tax,
        // Due at the start of the period, midnight in the customer's zone.
        dueAt: startOfDayInZone(period.start, customer.timeZone),
        rounding: "half-even"
      })
    )
    return { cycle, invoice }
  })

  const report = [
    `Monthly periods from the anchor: ${[anchor, ...periods.map((p) => p.end)].map(formatIsoDate).join(" -> ")}`,
    ...invoices.map(({ cycle, invoice }) => renderInvoice(cycle, invoice, customer.locale))
  ].join("\n\n")
  return { periods, invoices, report }
}

/** One invoice as a text table, amounts in the customer's locale ("27,00 €" in fr-FR). */
const renderInvoice = (cycle: number, invoice: Invoice, locale: string): string => {
  const fmt = (amount: bigint) => formatMoney({ amount, currency: invoice.currency }, locale)
  const period =
    invoice.period === undefined
      ? ""
      : `, period ${formatIsoDate(invoice.period.start)} to ${formatIsoDate(invoice.period.end)} (exclusive)`
  return [
    `Renewal invoice #${cycle}${period}`,
    table(
      ["Line", "Net", "VAT", "Gross"],
      invoice.lines.map((line) => [line.description, fmt(line.net), fmt(line.tax), fmt(line.gross)]),
      ["Total", fmt(invoice.totals.subtotal), fmt(invoice.totals.tax), fmt(invoice.totals.total)]
    )
  ].join("\n")
}

type Row = readonly [string, string, string, string]

/** A plain text table: the first column left-aligned, amounts right-aligned, a rule above the footer. */
const table = (header: Row, rows: ReadonlyArray<Row>, footer: Row): string => {
  const all = [header, ...rows, footer]
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)))
  const render = (row: Row) =>
    `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")}`
  const rule = `  ${"-".repeat(widths.reduce((total, width) => total + width, 0) + 2 * (widths.length - 1))}`
  return [render(header), rule, ...rows.map(render), rule, render(footer)].join("\n")
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(main().report)
