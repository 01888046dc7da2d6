/**
 * Row <-> record mapping for invoices (header + `invoice_lines` rows), credit notes (header + lines),
 * payments and refunds, identical for both dialects.
 */
import {
  type CreditNote,
  DuplicateInvoice,
  type Invoice,
  type InvoiceLine,
  type Payment,
  type Refund,
  type StoredCreditNote
} from "@ezscale/core"
import { dateToColumn, periodFromColumns } from "./dates"
import { decodeDocument, encodeDocument } from "./json"

export interface InvoiceRow {
  readonly tenantId: string
  readonly id: string
  readonly customerId: string
  readonly subscriptionId: string | null
  readonly kind: string
  /** The kind again, only when the invoice holds a renewal key: NULL keeps it out of the unique index. */
  readonly renewalKind: string | null
  readonly status: string
  readonly currency: string
  readonly number: string | null
  readonly issuedAt: number | null
  readonly dueAt: number
  readonly paidAt: number | null
  readonly voidedAt: number | null
  readonly periodStart: string | null
  readonly periodEnd: string | null
  readonly pricing: string
  readonly taxDecision: string
  readonly taxSummary: string
  readonly notes: string
  readonly subtotalMinor: bigint
  readonly taxMinor: bigint
  readonly totalMinor: bigint
  readonly discountMinor: bigint
  readonly creditAppliedMinor: bigint
  readonly paidMinor: bigint
  readonly refundedMinor: bigint
  readonly creditedMinor: bigint
}

export interface InvoiceLineRow {
  readonly tenantId: string
  readonly invoiceId: string
  readonly position: number
  readonly kind: string
  readonly description: string
  readonly quantity: bigint
  readonly unitAmountMinor: bigint
  readonly amountMinor: bigint
  readonly netMinor: bigint
  readonly taxMinor: bigint
  readonly grossMinor: bigint
  readonly taxes: string
  readonly periodStart: string | null
  readonly periodEnd: string | null
  readonly itemId: string | null
  readonly couponId: string | null
  readonly reduces: string | null
}

/**
 * The kinds whose invoices hold the renewal key (tenant, subscription, period start, period end, kind)
 * when they have a subscription and a period: at most one such invoice exists (the port's
 * `InvoiceRepository` documents it for `renewal` and `order`).
 */
export const renewalKeyKinds: ReadonlyArray<string> = ["renewal", "order"]

export const renewalKindOf = (invoice: Invoice): string | null =>
  renewalKeyKinds.includes(invoice.kind) &&
  invoice.subscriptionId !== undefined &&
  invoice.period !== undefined
    ? invoice.kind
    : null

export const invoiceToRow = (
  invoice: Invoice,
  encode: (value: unknown) => string = encodeDocument
): InvoiceRow => ({
  tenantId: invoice.tenantId,
  id: invoice.id,
  customerId: invoice.customerId,
  subscriptionId: invoice.subscriptionId ?? null,
  kind: invoice.kind,
  renewalKind: renewalKindOf(invoice),
  status: invoice.status,
  currency: invoice.currency,
  number: invoice.number ?? null,
  issuedAt: invoice.issuedAt ?? null,
  dueAt: invoice.dueAt,
  paidAt: invoice.paidAt ?? null,
  voidedAt: invoice.voidedAt ?? null,
  periodStart: invoice.period === undefined ? null : dateToColumn(invoice.period.start),
  periodEnd: invoice.period === undefined ? null : dateToColumn(invoice.period.end),
  pricing: invoice.pricing,
  taxDecision: encode(invoice.taxDecision),
  taxSummary: encode(invoice.taxSummary),
  notes: encode(invoice.notes),
  subtotalMinor: invoice.totals.subtotal,
  taxMinor: invoice.totals.tax,
  totalMinor: invoice.totals.total,
  discountMinor: invoice.totals.discount,
  creditAppliedMinor: invoice.settlement.creditApplied,
  paidMinor: invoice.settlement.paid,
  refundedMinor: invoice.settlement.refunded,
  creditedMinor: invoice.settlement.credited
})

export const invoiceLinesToRows = (
  invoice: Invoice,
  encode: (value: unknown) => string = encodeDocument
): Array<InvoiceLineRow> =>
  invoice.lines.map((line, position) => ({
    tenantId: invoice.tenantId,
    invoiceId: invoice.id,
    position,
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unitAmountMinor: line.unitAmount,
    amountMinor: line.amount,
    netMinor: line.net,
    taxMinor: line.tax,
    grossMinor: line.gross,
    taxes: encode(line.taxes),
    periodStart: line.period === undefined ? null : dateToColumn(line.period.start),
    periodEnd: line.period === undefined ? null : dateToColumn(line.period.end),
    itemId: line.itemId ?? null,
    couponId: line.couponId ?? null,
    reduces: line.reduces === undefined ? null : encodeDocument(line.reduces)
  }))

const lineFromRow = (row: InvoiceLineRow): InvoiceLine => ({
  kind: row.kind as InvoiceLine["kind"],
  description: row.description,
  quantity: row.quantity,
  unitAmount: row.unitAmountMinor,
  amount: row.amountMinor,
  net: row.netMinor,
  tax: row.taxMinor,
  gross: row.grossMinor,
  taxes: decodeDocument<InvoiceLine["taxes"]>(row.taxes),
  period: periodFromColumns(row.periodStart, row.periodEnd),
  itemId: row.itemId ?? undefined,
  couponId: row.couponId ?? undefined,
  reduces: row.reduces === null ? undefined : decodeDocument<ReadonlyArray<number>>(row.reduces)
})

/** An invoice from its row and its line rows (any order: sorted by position here). */
export const invoiceFromRows = (row: InvoiceRow, lines: ReadonlyArray<InvoiceLineRow>): Invoice => ({
  id: row.id,
  tenantId: row.tenantId,
  customerId: row.customerId,
  subscriptionId: row.subscriptionId ?? undefined,
  kind: row.kind as Invoice["kind"],
  status: row.status as Invoice["status"],
  currency: row.currency as Invoice["currency"],
  number: row.number ?? undefined,
  issuedAt: row.issuedAt ?? undefined,
  dueAt: row.dueAt,
  paidAt: row.paidAt ?? undefined,
  voidedAt: row.voidedAt ?? undefined,
  period: periodFromColumns(row.periodStart, row.periodEnd),
  pricing: row.pricing as Invoice["pricing"],
  taxDecision: decodeDocument<Invoice["taxDecision"]>(row.taxDecision),
  lines: [...lines].sort((a, b) => a.position - b.position).map(lineFromRow),
  taxSummary: decodeDocument<Invoice["taxSummary"]>(row.taxSummary),
  notes: decodeDocument<Invoice["notes"]>(row.notes),
  totals: {
    subtotal: row.subtotalMinor,
    tax: row.taxMinor,
    total: row.totalMinor,
    discount: row.discountMinor
  },
  settlement: {
    creditApplied: row.creditAppliedMinor,
    paid: row.paidMinor,
    refunded: row.refundedMinor,
    credited: row.creditedMinor
  }
})

export interface CreditNoteRow {
  readonly tenantId: string
  readonly id: string
  readonly invoiceId: string
  readonly customerId: string
  readonly number: string | null
  readonly currency: string
  readonly issuedAt: number
  readonly reason: string
  readonly netMinor: bigint
  readonly taxMinor: bigint
  readonly totalMinor: bigint
  /** A store-made time-ordered key: `listByInvoice` returns notes in insertion order. */
  readonly insertOrder: string
}

export interface CreditNoteLineRow {
  readonly tenantId: string
  readonly creditNoteId: string
  readonly position: number
  readonly invoiceLine: number
  readonly description: string
  readonly netMinor: bigint
  readonly taxMinor: bigint
  readonly grossMinor: bigint
}

export const creditNoteToRows = (
  stored: StoredCreditNote,
  insertOrder: string
): { readonly row: CreditNoteRow; readonly lines: Array<CreditNoteLineRow> } => {
  const { note } = stored
  return {
    row: {
      tenantId: note.tenantId,
      id: stored.id,
      invoiceId: note.invoiceId,
      customerId: note.customerId,
      number: stored.number ?? null,
      currency: note.currency,
      issuedAt: note.issuedAt,
      reason: note.reason,
      netMinor: note.totals.net,
      taxMinor: note.totals.tax,
      totalMinor: note.totals.total,
      insertOrder
    },
    lines: note.lines.map((line, position) => ({
      tenantId: note.tenantId,
      creditNoteId: stored.id,
      position,
      invoiceLine: line.invoiceLine,
      description: line.description,
      netMinor: line.net,
      taxMinor: line.tax,
      grossMinor: line.gross
    }))
  }
}

export const creditNoteFromRows = (
  row: CreditNoteRow,
  lines: ReadonlyArray<CreditNoteLineRow>
): StoredCreditNote => {
  const note: CreditNote = {
    invoiceId: row.invoiceId,
    tenantId: row.tenantId,
    customerId: row.customerId,
    currency: row.currency as CreditNote["currency"],
    issuedAt: row.issuedAt,
    reason: row.reason,
    lines: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        invoiceLine: line.invoiceLine,
        description: line.description,
        net: line.netMinor,
        tax: line.taxMinor,
        gross: line.grossMinor
      })),
    totals: { net: row.netMinor, tax: row.taxMinor, total: row.totalMinor }
  }
  return { id: row.id, ...(row.number === null ? {} : { number: row.number }), note }
}

export interface PaymentRow {
  readonly tenantId: string
  readonly id: string
  readonly invoiceId: string
  readonly customerId: string
  readonly currency: string
  readonly amountMinor: bigint
  readonly status: string
  readonly gateway: string
  readonly chargeId: string | null
  readonly failureReason: string | null
  readonly declineCode: string | null
  readonly idempotencyKey: string
  readonly occurredAt: number
}

export const paymentToRow = (tenantId: string, payment: Payment): PaymentRow => ({
  tenantId,
  id: payment.id,
  invoiceId: payment.invoiceId,
  customerId: payment.customerId,
  currency: payment.currency,
  amountMinor: payment.amount,
  status: payment.status,
  gateway: payment.gateway,
  chargeId: payment.chargeId ?? null,
  failureReason: payment.failureReason ?? null,
  declineCode: payment.declineCode ?? null,
  idempotencyKey: payment.idempotencyKey,
  occurredAt: payment.at
})

export const paymentFromRow = (row: PaymentRow): Payment => ({
  id: row.id,
  invoiceId: row.invoiceId,
  customerId: row.customerId,
  currency: row.currency as Payment["currency"],
  amount: row.amountMinor,
  status: row.status as Payment["status"],
  gateway: row.gateway,
  ...(row.chargeId === null ? {} : { chargeId: row.chargeId }),
  ...(row.failureReason === null ? {} : { failureReason: row.failureReason }),
  ...(row.declineCode === null ? {} : { declineCode: row.declineCode }),
  idempotencyKey: row.idempotencyKey,
  at: row.occurredAt
})

export interface RefundRow {
  readonly tenantId: string
  readonly id: string
  readonly paymentId: string
  readonly invoiceId: string
  readonly customerId: string
  readonly currency: string
  readonly amountMinor: bigint
  readonly destination: string
  readonly status: string
  readonly gatewayRefundId: string | null
  readonly idempotencyKey: string
  readonly occurredAt: number
}

export const refundToRow = (tenantId: string, refund: Refund): RefundRow => ({
  tenantId,
  id: refund.id,
  paymentId: refund.paymentId,
  invoiceId: refund.invoiceId,
  customerId: refund.customerId,
  currency: refund.currency,
  amountMinor: refund.amount,
  destination: refund.destination,
  status: refund.status,
  gatewayRefundId: refund.gatewayRefundId ?? null,
  idempotencyKey: refund.idempotencyKey,
  occurredAt: refund.at
})

export const refundFromRow = (row: RefundRow): Refund => ({
  id: row.id,
  paymentId: row.paymentId,
  invoiceId: row.invoiceId,
  customerId: row.customerId,
  currency: row.currency as Refund["currency"],
  amount: row.amountMinor,
  destination: row.destination as Refund["destination"],
  status: row.status as Refund["status"],
  ...(row.gatewayRefundId === null ? {} : { gatewayRefundId: row.gatewayRefundId }),
  idempotencyKey: row.idempotencyKey,
  at: row.occurredAt
})

/** Whether two invoice rows hold the same renewal key (or both none): an update may not move it. */
export const sameRenewalKey = (
  a: Pick<InvoiceRow, "subscriptionId" | "periodStart" | "periodEnd" | "renewalKind">,
  b: Pick<InvoiceRow, "subscriptionId" | "periodStart" | "periodEnd" | "renewalKind">
): boolean =>
  a.renewalKind === null || b.renewalKind === null
    ? a.renewalKind === b.renewalKind
    : a.renewalKind === b.renewalKind &&
      a.subscriptionId === b.subscriptionId &&
      a.periodStart === b.periodStart &&
      a.periodEnd === b.periodEnd

/** The error for a second invoice on a renewal key, naming the invoice that holds it. */
export const duplicateInvoiceOf = (row: InvoiceRow, existingInvoiceId: string): DuplicateInvoice =>
  new DuplicateInvoice({
    subscriptionId: row.subscriptionId ?? "",
    periodStart: row.periodStart ?? "",
    periodEnd: row.periodEnd ?? "",
    reason: row.renewalKind ?? row.kind,
    existingInvoiceId
  })
