import { Either } from "effect"
import type { Instant } from "../../calendar/zone"
import { allocateAmount } from "../../money/allocate"
import type { CurrencyCode } from "../../money/currency"
import type { Invoice } from "./document"
import { NonPositiveAmount, RefundExceedsPaid } from "./errors"
import { refundableOf } from "./lifecycle"

/**
 * A credit note: its own document, referring to the invoice it corrects, with lines that mirror the
 * invoice's so the tax it reverses is traceable line by line. Its amounts are positive: the amount
 * credited.
 */
export interface CreditNoteLine {
  /** Index of the invoice line credited. */
  readonly invoiceLine: number
  readonly description: string
  readonly net: bigint
  readonly tax: bigint
  readonly gross: bigint
}

export interface CreditNote {
  readonly invoiceId: string
  readonly tenantId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  readonly issuedAt: Instant
  readonly reason: string
  readonly lines: ReadonlyArray<CreditNoteLine>
  readonly totals: { readonly net: bigint; readonly tax: bigint; readonly total: bigint }
}

/**
 * The credit note for crediting `amount` (gross) of an invoice. The amount is spread over the invoice's
 * charged lines in proportion to what each finally cost (its gross less the discounts that point at it),
 * then each part is split into net and tax in that line's proportion — both by allocation, so the parts
 * always add up to the amount exactly. Crediting the whole invoice gives back exactly its lines.
 */
export const creditNoteFor = (
  invoice: Invoice,
  amount: bigint,
  reason: string,
  at: Instant
): Either.Either<CreditNote, NonPositiveAmount | RefundExceedsPaid> => {
  if (amount <= 0n) return Either.left(new NonPositiveAmount({ amount }))
  const creditable = refundableOf(invoice)
  if (amount > creditable) {
    return Either.left(new RefundExceedsPaid({ invoiceId: invoice.id, refundable: creditable, amount }))
  }
  const effective = invoice.lines.map((line) => ({ net: line.net, tax: line.tax }))
  invoice.lines.forEach((line) => {
    if (line.kind === "discount" && line.discountOf !== undefined) {
      const target = effective[line.discountOf]
      if (target !== undefined) {
        target.net += line.net
        target.tax += line.tax
      }
    }
  })
  const charged = invoice.lines
    .map((line, index) => ({ line, index, ...(effective[index] as { net: bigint; tax: bigint }) }))
    .filter(
      ({ line, net, tax }) => !(line.kind === "discount" && line.discountOf !== undefined) && net + tax > 0n
    )
  const parts = Either.getOrThrow(
    allocateAmount(
      amount,
      charged.map(({ net, tax }) => net + tax)
    )
  )
  const lines: Array<CreditNoteLine> = []
  charged.forEach(({ line, index, net, tax }, i) => {
    const gross = parts[i] as bigint
    if (gross === 0n) return
    const [partNet, partTax] = Either.getOrThrow(
      allocateAmount(gross, [net < 0n ? 0n : net, tax < 0n ? 0n : tax])
    )
    lines.push({
      invoiceLine: index,
      description: line.description,
      net: partNet ?? 0n,
      tax: partTax ?? 0n,
      gross
    })
  })
  const net = lines.reduce((s, l) => s + l.net, 0n)
  const tax = lines.reduce((s, l) => s + l.tax, 0n)
  return Either.right({
    invoiceId: invoice.id,
    tenantId: invoice.tenantId,
    customerId: invoice.customerId,
    currency: invoice.currency,
    issuedAt: at,
    reason,
    lines,
    totals: { net, tax, total: net + tax }
  })
}
