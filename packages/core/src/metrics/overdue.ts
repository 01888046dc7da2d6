/**
 * Overdue totals: what customers owe on open invoices past their due instant, per currency, with an
 * ageing by whole days overdue (counted in the reporting zone from the due day to today).
 */
import { daysBetween } from "../calendar/civil-date"
import { civilDateAt, type Instant } from "../calendar/zone"
import { balanceOf, type Invoice, isOverdue } from "../invoicing/invoice/document"
import type { CurrencyCode } from "../money/currency"

/** An ageing bucket: `fromDays` to `toDays` days overdue, inclusive (`toDays` undefined: and more). */
export interface OverdueBucket {
  readonly fromDays: number
  readonly toDays: number | undefined
  readonly invoices: number
  readonly balance: bigint
}

/** What is overdue in one currency. */
export interface OverdueTotal {
  readonly currency: CurrencyCode
  readonly invoices: number
  /** The sum of the overdue invoices' balances, minor units. */
  readonly balance: bigint
  /** 0-30, 31-60, 61-90 and 91+ days overdue. */
  readonly buckets: ReadonlyArray<OverdueBucket>
}

const bucketStarts = [0, 31, 61, 91] as const

/** Overdue invoices (open, something owed, past due at `now`) per currency, sorted by currency. */
export const overdueTotals = (
  invoices: Iterable<Invoice>,
  now: Instant,
  zone: string
): Array<OverdueTotal> => {
  const today = civilDateAt(now, zone)
  const totals = new Map<
    CurrencyCode,
    { invoices: number; balance: bigint; buckets: Array<{ invoices: number; balance: bigint }> }
  >()
  for (const invoice of invoices) {
    if (!isOverdue(invoice, now)) continue
    const balance = balanceOf(invoice)
    const days = daysBetween(civilDateAt(invoice.dueAt, zone), today)
    let bucket = 0
    while (bucket + 1 < bucketStarts.length && days >= (bucketStarts[bucket + 1] as number)) bucket++
    const total = totals.get(invoice.currency) ?? {
      invoices: 0,
      balance: 0n,
      buckets: bucketStarts.map(() => ({ invoices: 0, balance: 0n }))
    }
    total.invoices++
    total.balance += balance
    const entry = total.buckets[bucket] as { invoices: number; balance: bigint }
    entry.invoices++
    entry.balance += balance
    totals.set(invoice.currency, total)
  }
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, total]) => ({
      currency,
      invoices: total.invoices,
      balance: total.balance,
      buckets: total.buckets.map((entry, i) => ({
        fromDays: bucketStarts[i] as number,
        toDays: i + 1 < bucketStarts.length ? (bucketStarts[i + 1] as number) - 1 : undefined,
        ...entry
      }))
    }))
}
