import type { CurrencyCode } from "../money/currency"

/**
 * A customer of a tenant, as billing sees them: where they are (tax), their zone (billing days), the
 * currency they are billed in, and whether they buy as a business.
 */
export interface Customer {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly email: string
  /** ISO 3166-1 alpha-2. */
  readonly country: string
  /** State, province or region code (US state "TX", Canadian province "QC"), when it matters for tax. */
  readonly region?: string
  readonly locality?: string
  readonly isBusiness: boolean
  /** VAT or tax id, as the customer gave it. */
  readonly vatId?: string
  /** Tax exemption granted by staff, with the reason printed on invoices. */
  readonly taxExempt?: { readonly reason: string }
  /** IANA time zone: billing days and proration days are computed in it. */
  readonly timeZone: string
  readonly currency: CurrencyCode
  /** BCP 47 locale for amounts and documents, e.g. "de-DE". */
  readonly locale: string
}
