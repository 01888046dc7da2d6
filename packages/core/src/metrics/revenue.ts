/**
 * Revenue by month and by product kind, from the invoice history: cash received, without tax. A paid
 * invoice counts in the month it was paid (`paidAt`, in the reporting zone), each charged line at what
 * it finally cost after discounts (its net, see `effectiveLines`); a credit note (refund or credit)
 * takes its lines' net away in the month it was issued. Open, draft and void invoices are not revenue.
 */
import { Either } from "effect"
import type { Instant } from "../calendar/zone"
import type { ProductKind } from "../catalog/schema"
import { type CreditNote, effectiveLines } from "../invoicing/invoice/credit-note"
import type { Invoice, LineKind } from "../invoicing/invoice/document"
import type { CurrencyCode } from "../money/currency"
import { CreditNoteInvoiceMissing } from "./errors"
import { dayOf, monthOfDay } from "./movement"

/** What a line's revenue is: the recurring price, a setup fee, metered usage, or anything else. */
export type RevenueCategory = "recurring" | "setup" | "usage" | "other"

/** The category of an invoice line kind (discounts are spread over the lines they reduce). */
export const revenueCategory = (kind: LineKind): RevenueCategory => {
  switch (kind) {
    case "plan":
    case "option":
    case "addon":
    case "proration":
      return "recurring"
    case "setup":
      return "setup"
    case "usage":
      return "usage"
    default:
      return "other"
  }
}

/** A paid invoice and the kind of product it bills (`undefined` for a manual invoice of no product). */
export interface PaidInvoiceRecord {
  readonly invoice: Invoice
  readonly productKind: ProductKind | undefined
}

/** The revenue history: paid invoices (any others are ignored) and the credit notes issued against them. */
export interface RevenueHistory {
  readonly invoices: ReadonlyArray<PaidInvoiceRecord>
  readonly creditNotes: ReadonlyArray<CreditNote>
}

/** Net revenue of one month, currency and product kind, in minor units, by category. */
export interface RevenueRow {
  readonly month: string
  readonly currency: CurrencyCode
  readonly productKind: ProductKind | "none"
  readonly recurring: bigint
  readonly setup: bigint
  readonly usage: bigint
  readonly other: bigint
  /** The sum of the four. */
  readonly total: bigint
}

const isPaid = (invoice: Invoice): invoice is Invoice & { paidAt: Instant } =>
  invoice.paidAt !== undefined &&
  (invoice.status === "paid" || invoice.status === "partially_refunded" || invoice.status === "refunded")

/**
 * Net revenue per month (in `zone`), currency and product kind, sorted by month, currency, kind. A
 * credit note for an invoice that is not a paid invoice of the history is a {@link CreditNoteInvoiceMissing}.
 */
export const revenueByMonth = (
  history: RevenueHistory,
  zone: string
): Either.Either<Array<RevenueRow>, CreditNoteInvoiceMissing> => {
  const rows = new Map<string, { -readonly [K in keyof RevenueRow]: RevenueRow[K] }>()
  const add = (
    at: Instant,
    currency: CurrencyCode,
    kind: ProductKind | "none",
    category: RevenueCategory,
    net: bigint
  ) => {
    const month = monthOfDay(dayOf(at, zone))
    const key = `${month} ${currency} ${kind}`
    const row = rows.get(key) ?? {
      month,
      currency,
      productKind: kind,
      recurring: 0n,
      setup: 0n,
      usage: 0n,
      other: 0n,
      total: 0n
    }
    row[category] += net
    row.total += net
    rows.set(key, row)
  }
  const paid = new Map<string, PaidInvoiceRecord>()
  for (const record of history.invoices) {
    const { invoice } = record
    if (!isPaid(invoice)) continue
    paid.set(invoice.id, record)
    for (const line of effectiveLines(invoice)) {
      const kind = (invoice.lines[line.index] as Invoice["lines"][number]).kind
      add(invoice.paidAt, invoice.currency, record.productKind ?? "none", revenueCategory(kind), line.net)
    }
  }
  for (const note of history.creditNotes) {
    const record = paid.get(note.invoiceId)
    if (record === undefined) return Either.left(new CreditNoteInvoiceMissing({ invoiceId: note.invoiceId }))
    for (const line of note.lines) {
      const kind = record.invoice.lines[line.invoiceLine]?.kind ?? "manual"
      add(note.issuedAt, note.currency, record.productKind ?? "none", revenueCategory(kind), -line.net)
    }
  }
  return Either.right(
    [...rows.values()].sort((a, b) =>
      a.month !== b.month
        ? a.month < b.month
          ? -1
          : 1
        : a.currency !== b.currency
          ? a.currency < b.currency
            ? -1
            : 1
          : a.productKind < b.productKind
            ? -1
            : a.productKind > b.productKind
              ? 1
              : 0
    )
  )
}
