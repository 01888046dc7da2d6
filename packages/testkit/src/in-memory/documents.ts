/** A fake `Documents`: renders an invoice as deterministic plain text (UTF-8 bytes). */
import { Documents, DocumentsError, type DocumentsService, type InvoiceDocumentInput } from "@ezscale/core"
import { Effect, Layer } from "effect"

const renderText = ({ invoice, seller, customer }: InvoiceDocumentInput): string =>
  [
    `INVOICE ${invoice.number ?? invoice.id}`,
    `Seller: ${seller.name}${seller.taxId === undefined ? "" : ` (${seller.taxId})`}`,
    ...seller.addressLines,
    `Customer: ${customer.name}${customer.vatId === undefined ? "" : ` (${customer.vatId})`}`,
    ...invoice.lines.map(
      (line) => `${line.description}: ${line.quantity} x ${line.unitAmount} = ${line.gross}`
    ),
    ...invoice.notes,
    `Total: ${invoice.totals.total} ${invoice.currency}`
  ].join("\n")

export const makeInMemoryDocuments = (): DocumentsService => ({
  renderInvoice: (input) =>
    input.invoice.lines.length === 0
      ? Effect.fail(
          new DocumentsError({ reason: "InvalidDocument", retryable: false, detail: "invoice has no lines" })
        )
      : Effect.sync(() => ({
          contentType: "text/plain; charset=utf-8",
          bytes: new TextEncoder().encode(renderText(input))
        }))
})

export const InMemoryDocuments = {
  make: makeInMemoryDocuments,
  layer: Layer.sync(Documents, makeInMemoryDocuments)
} as const
