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
 * What each charged line finally cost: its net and tax, less its share of the discount lines that
 * reduce it (each discount's net and tax split over its lines by allocation, in proportion to theirs).
 */
export const effectiveLines = (
  invoice: Pick<Invoice, "lines">
): Array<{ readonly index: number; readonly net: bigint; readonly tax: bigint }> => {
  const net = invoice.lines.map((line) => (line.kind === "discount" ? 0n : line.net))
  const tax = invoice.lines.map((line) => (line.kind === "discount" ? 0n : line.tax))
  for (const line of invoice.lines) {
    if (line.kind !== "discount") continue
    const reduced = line.reduces ?? []
    const spread = (amounts: Array<bigint>, total: bigint) => {
      const weights = reduced.map((i) => ((amounts[i] ?? 0n) > 0n ? (amounts[i] as bigint) : 0n))
      if (total === 0n || weights.every((w) => w === 0n)) return
      const parts = Either.getOrThrow(allocateAmount(total, weights))
      reduced.forEach((i, k) => {
        amounts[i] = (amounts[i] ?? 0n) + (parts[k] as bigint)
      })
    }
    spread(net, line.net)
    spread(tax, line.tax)
  }
  return invoice.lines.flatMap((line, index) =>
    line.kind === "discount" ? [] : [{ index, net: net[index] as bigint, tax: tax[index] as bigint }]
  )
}

/**
 * The credit note for crediting `amount` (gross) of an invoice. The amount is spread over the invoice's
 * charged lines in proportion to what each finally cost ({@link effectiveLines}), then each part is split
 * into net and tax in that line's proportion — both by allocation, so the parts always add up to the
 * amount exactly. Crediting the whole invoice gives back exactly what each line cost.
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
  const charged = effectiveLines(invoice).filter(({ net, tax }) => net + tax > 0n)
  const parts = Either.getOrThrow(
    allocateAmount(
      amount,
      charged.map(({ net, tax }) => net + tax)
    )
  )
  const lines: Array<CreditNoteLine> = []
  charged.forEach(({ index, net, tax }, i) => {
    const gross = parts[i] as bigint
    if (gross === 0n) return
    const [partNet = 0n, partTax = 0n] = Either.getOrThrow(
      allocateAmount(gross, [net < 0n ? 0n : net, tax < 0n ? 0n : tax])
    )
    const description = invoice.lines[index]?.description ?? ""
    lines.push({ invoiceLine: index, description, net: partNet, tax: partTax, gross })
  })
  let net = 0n
  let tax = 0n
  for (const line of lines) {
    net += line.net
    tax += line.tax
  }
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
