/**
 * What a billing run writes for one renewal, as raw rows of the adapters' schema: the invoice, its 3
 * lines (plan, option, add-on of a monthly VPS, French VAT at 20%) and the `collect` job that charges it.
 *
 * The template invoice is composed and issued by the core (`renewalInvoice`, `issueInvoice`) and its
 * value objects encoded the way the store encodes them, so the rows carry the same bytes the engine's
 * would; per invoice only the ids, the customer, the subscription (hence the renewal key) and the
 * number change. Invoice and job ids are made by the store's own id generator (time-ordered).
 */
import { encodeDocument, makeIdGenerator } from "@ezscale/adapters/testing"
import {
  decodeTaxRules,
  defaultMaxAttempts,
  determineTax,
  formatIsoDate,
  type Invoice,
  issueInvoice,
  type PricedItem,
  renewalInvoice
} from "@ezscale/core"
import { Either } from "effect"

/** The columns of `invoices`, `invoice_lines` and `jobs`, in the order the values are given: the store's. */
export { invoiceColumns, jobColumns, lineColumns } from "@ezscale/adapters/testing"

/** Lines per renewal invoice, and the total (minor units) each invoice must carry. */
export const linesPerInvoice = 3
/** 19.99 + 5.00 + 18.00 = 42.99 net; VAT 20% per line 4.00 + 1.00 + 3.60 = 8.60; total 51.59. */
export const invoiceTotalMinor = 5159n

/** The tenant every bench row belongs to. */
export const benchTenant = "ten_bench"

/** The renewal instant: the period starts, the invoice is issued and due, the collection is scheduled. */
const renewalAt = Date.UTC(2026, 2, 1)

const item = (kind: PricedItem["kind"], itemId: string, description: string, amount: bigint): PricedItem => ({
  kind,
  itemId,
  description,
  cycle: "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})

/** The renewal the core composes for the template subscription, issued. */
const templateInvoice = (): Invoice => {
  const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
  const tax = Either.getOrThrow(
    determineTax(
      { seller: { country: "DE", euVat: "oss" }, customer: { country: "FR", isBusiness: false } },
      rules
    )
  )
  const draft = renewalInvoice({
    invoiceId: "inv_template",
    subscription: {
      id: "sub_template",
      tenantId: benchTenant,
      customerId: "cus_template",
      productId: "vps-kvm",
      planId: "vps-2g",
      currency: "EUR",
      pricing: "exclusive",
      items: [
        item("plan", "vps-2g", "KVM VPS — 2 GB", 1999n),
        item("option", "extra-ip", "Extra IPv4: 2 IP", 500n),
        item("addon", "cpanel", "cPanel licence", 1800n)
      ]
    },
    period: { start: { year: 2026, month: 3, day: 1 }, end: { year: 2026, month: 4, day: 1 } },
    cycleNumber: 2,
    coupons: [],
    includeSetup: false,
    tax,
    dueAt: renewalAt,
    rounding: "half-even"
  })
  const issued = Either.getOrThrow(issueInvoice(Either.getOrThrow(draft), renewalAt, "template"))
  if (issued.lines.length !== linesPerInvoice || issued.totals.total !== invoiceTotalMinor) {
    throw new Error(`template invoice is wrong: ${issued.lines.length} lines, total ${issued.totals.total}`)
  }
  return issued
}

const template = templateInvoice()
const period = template.period
if (period === undefined) throw new Error("template renewal has no period")

/** The invoice row's values after `number` (columns `issued_at` .. `credited_minor`): the same for all. */
const invoiceTail: ReadonlyArray<unknown> = [
  template.issuedAt,
  template.dueAt,
  null,
  null,
  formatIsoDate(period.start),
  formatIsoDate(period.end),
  template.pricing,
  encodeDocument(template.taxDecision),
  encodeDocument(template.taxSummary),
  encodeDocument(template.notes),
  template.totals.subtotal,
  template.totals.tax,
  template.totals.total,
  template.totals.discount,
  template.settlement.creditApplied,
  template.settlement.paid,
  template.settlement.refunded,
  template.settlement.credited
]

/** Each line row's values after `invoice_id` (columns `position` .. `reduces`). */
const lineTails: ReadonlyArray<ReadonlyArray<unknown>> = template.lines.map((line, position) => [
  position,
  line.kind,
  line.description,
  line.quantity,
  line.unitAmount,
  line.amount,
  line.net,
  line.tax,
  line.gross,
  encodeDocument(line.taxes),
  line.period === undefined ? null : formatIsoDate(line.period.start),
  line.period === undefined ? null : formatIsoDate(line.period.end),
  line.itemId ?? null,
  line.couponId ?? null,
  line.reduces === undefined ? null : encodeDocument(line.reduces)
])

/** A key the engine would read from the subscription: as long as a generated id, unique per `index`. */
const recordKey = (prefix: string, index: number): string => `${prefix}_${String(index).padStart(26, "0")}`

/** The flat values (column order, row after row) of some renewals, one array per table. */
export interface RenewalRows {
  readonly invoices: Array<unknown>
  readonly lines: Array<unknown>
  readonly jobs: Array<unknown>
  /** The invoices' ids, in order. */
  readonly invoiceIds: Array<string>
}

/**
 * Makes the rows of successive renewals: renewal `n` (counted from 1 over the maker's life) bills
 * subscription `n` of customer `n` and gets invoice number `INV-2026-n`.
 */
export const renewalRowMaker = (tenantId: string = benchTenant) => {
  const { next: ids } = makeIdGenerator()
  let made = 0
  return (count: number): RenewalRows => {
    const rows: RenewalRows = { invoices: [], lines: [], jobs: [], invoiceIds: [] }
    for (let i = 0; i < count; i++) {
      made += 1
      const invoiceId = ids("inv")
      rows.invoiceIds.push(invoiceId)
      rows.invoices.push(
        tenantId,
        invoiceId,
        recordKey("cus", made),
        recordKey("sub", made),
        "renewal",
        "renewal",
        template.status,
        template.currency,
        `INV-2026-${String(made).padStart(8, "0")}`,
        ...invoiceTail
      )
      for (const tail of lineTails) rows.lines.push(tenantId, invoiceId, ...tail)
      rows.jobs.push(
        tenantId,
        ids("job"),
        "collect",
        `{"invoiceId":"${invoiceId}"}`,
        template.dueAt,
        `collect:${invoiceId}`,
        "pending",
        0,
        defaultMaxAttempts,
        null,
        null,
        null
      )
    }
    return rows
  }
}
