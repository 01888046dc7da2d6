/**
 * `Documents` — renders billing documents for people: an invoice (and later credit notes) as a file,
 * PDF in production. Core hands it the document and the seller's details; the adapter lays them out.
 *
 * Guarantees an adapter must give:
 * - deterministic: the same input renders the same bytes (no clock, no random ids in the output), so a
 *   stored document can be re-rendered and compared;
 * - complete: the result is non-empty and carries the invoice number (or id while it has none), the seller
 *   and customer names and the total;
 * - `contentType` says what the bytes are (`application/pdf`, `text/plain` for the in-memory one).
 *
 * Errors: `DocumentsError` with `reason` `InvalidDocument | Unavailable | Unknown`, `retryable`.
 */
import { Context, type Effect, Schema } from "effect"
import type { Customer } from "../customer/customer"
import type { Invoice } from "../invoicing/invoice/document"

export class DocumentsError extends Schema.TaggedError<DocumentsError>()("DocumentsError", {
  reason: Schema.Literal("InvalidDocument", "Unavailable", "Unknown"),
  retryable: Schema.Boolean,
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    return `Document ${this.reason}${this.detail === undefined ? "" : `: ${this.detail}`}`
  }
}

/** The seller as printed on the document. */
export interface SellerDetails {
  readonly name: string
  readonly addressLines: ReadonlyArray<string>
  readonly taxId?: string
  readonly email?: string
}

export interface InvoiceDocumentInput {
  readonly invoice: Invoice
  readonly seller: SellerDetails
  readonly customer: Customer
}

export interface RenderedDocument {
  readonly contentType: string
  readonly bytes: Uint8Array
}

export interface DocumentsService {
  readonly renderInvoice: (input: InvoiceDocumentInput) => Effect.Effect<RenderedDocument, DocumentsError>
}

export class Documents extends Context.Tag("@ezscale/core/Documents")<Documents, DocumentsService>() {}
