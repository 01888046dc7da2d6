/**
 * Revenue by month and product kind from the invoice history, and overdue totals, with amounts chosen
 * so every net is checkable by hand (20% VAT on EUR invoices, none on USD ones).
 *
 * | invoice             | lines (net)                                  | paid / issued      |
 * | ------------------- | -------------------------------------------- | ------------------ |
 * | ada order, EUR, vps | plan 120.00 + setup 20.00 (+ 28.00 VAT)      | paid Jan 5         |
 * | cy order, USD, game | plan 20.00 - 25% = 15.00, usage 3.00         | paid Jan 20        |
 * | cy renewal, USD     | plan 12.00 - 25% = 9.00                      | paid Feb 21        |
 * | late fee, EUR       | 5.00, no product                             | paid Feb 2         |
 * | bob renewal, EUR    | plan 60.00 (72.00 with VAT)                  | open, due Feb 10   |
 * | dee renewal, EUR    | plan 10.00 (12.00 with VAT)                  | open, due Mar 30   |
 * | eve renewal, EUR    | plan 10.00                                   | open, due Apr 5    |
 * | ada refund          | 84.00 of 168.00: plan -60.00, setup -10.00   | credit note Feb 14 |
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  type Charge,
  type Coupon,
  type CurrencyCode,
  composeInvoice,
  creditNoteFor,
  type Invoice,
  issueInvoice,
  overdueTotals,
  recordPayment,
  recordRefund,
  revenueByMonth,
  type TaxDecision
} from "../../../src"
import { coupon, noon, noTax, vat20 } from "./helpers"

const zone = "Europe/Berlin"
const welcome = coupon({
  id: "cpn_3x25",
  code: "WELCOME",
  kind: "percent",
  rate: "25",
  duration: { cycles: 3 }
})

const charge = (kind: Charge["kind"], amount: bigint): Charge => ({
  kind,
  description: kind,
  quantity: 1n,
  unitAmount: amount,
  amount,
  itemId: kind
})

const invoice = (input: {
  id: string
  currency: CurrencyCode
  charges: ReadonlyArray<Charge>
  coupons?: ReadonlyArray<Coupon>
  tax: TaxDecision
  issuedAt: number
  dueAt: number
  paidAt?: number
}): Invoice => {
  const draft = Either.getOrThrow(
    composeInvoice({
      head: {
        id: input.id,
        tenantId: "ten_1",
        customerId: "cus",
        subscriptionId: undefined,
        kind: "renewal",
        currency: input.currency,
        pricing: "exclusive",
        dueAt: input.dueAt,
        period: undefined
      },
      charges: input.charges,
      coupons: input.coupons ?? [],
      tax: input.tax,
      rounding: "half-even"
    })
  )
  const issued = Either.getOrThrow(issueInvoice(draft, input.issuedAt))
  return input.paidAt === undefined
    ? issued
    : Either.getOrThrow(recordPayment(issued, issued.totals.total, input.paidAt))
}

const adaOrder = invoice({
  id: "inv-ada",
  currency: "EUR",
  charges: [charge("plan", 12000n), charge("setup", 2000n)],
  tax: vat20,
  issuedAt: noon(2026, 1, 5),
  dueAt: noon(2026, 1, 5),
  paidAt: noon(2026, 1, 5)
})
const adaRefund = Either.getOrThrow(creditNoteFor(adaOrder, 8400n, "cancelled", noon(2026, 2, 14)))
const adaRefunded = Either.getOrThrow(recordRefund(adaOrder, 8400n))
const cyOrder = invoice({
  id: "inv-cy-1",
  currency: "USD",
  charges: [charge("plan", 2000n), charge("usage", 300n)],
  coupons: [welcome],
  tax: noTax,
  issuedAt: noon(2026, 1, 20),
  dueAt: noon(2026, 1, 20),
  paidAt: noon(2026, 1, 20)
})
const cyRenewal = invoice({
  id: "inv-cy-2",
  currency: "USD",
  charges: [charge("plan", 1200n)],
  coupons: [welcome],
  tax: noTax,
  issuedAt: noon(2026, 2, 20),
  dueAt: noon(2026, 2, 27),
  paidAt: noon(2026, 2, 21)
})
const lateFee = invoice({
  id: "inv-fee",
  currency: "EUR",
  charges: [charge("late_fee", 500n)],
  tax: noTax,
  issuedAt: noon(2026, 2, 1),
  dueAt: noon(2026, 2, 8),
  paidAt: noon(2026, 2, 2)
})
const open = (id: string, amount: bigint, dueAt: number) =>
  invoice({
    id,
    currency: "EUR",
    charges: [charge("plan", amount)],
    tax: vat20,
    issuedAt: dueAt - 7 * 86_400_000,
    dueAt
  })
const bobOpen = open("inv-bob", 6000n, noon(2026, 2, 10))
const deeOpen = open("inv-dee", 1000n, noon(2026, 3, 30))
const eveOpen = open("inv-eve", 1000n, noon(2026, 4, 5))

describe("scenario: revenue by month and product kind, January and February 2026", () => {
  const history = {
    invoices: [
      { invoice: adaRefunded, productKind: "vps" as const },
      { invoice: cyOrder, productKind: "game_server" as const },
      { invoice: cyRenewal, productKind: "game_server" as const },
      { invoice: lateFee, productKind: undefined },
      { invoice: bobOpen, productKind: "vps" as const }
    ],
    creditNotes: [adaRefund]
  }

  it("counts paid invoices' nets after discounts in the month paid, credit notes in the month issued", () => {
    expect(adaRefund.lines.map((l) => [l.net, l.tax])).toEqual([
      [6000n, 1200n],
      [1000n, 200n]
    ])
    const rows = Either.getOrThrow(revenueByMonth(history, zone))
    expect(rows).toEqual([
      {
        month: "2026-01",
        currency: "EUR",
        productKind: "vps",
        recurring: 12000n,
        setup: 2000n,
        usage: 0n,
        other: 0n,
        total: 14000n
      },
      {
        month: "2026-01",
        currency: "USD",
        productKind: "game_server",
        recurring: 1500n,
        setup: 0n,
        usage: 300n,
        other: 0n,
        total: 1800n
      },
      {
        month: "2026-02",
        currency: "EUR",
        productKind: "none",
        recurring: 0n,
        setup: 0n,
        usage: 0n,
        other: 500n,
        total: 500n
      },
      {
        month: "2026-02",
        currency: "EUR",
        productKind: "vps",
        recurring: -6000n,
        setup: -1000n,
        usage: 0n,
        other: 0n,
        total: -7000n
      },
      {
        month: "2026-02",
        currency: "USD",
        productKind: "game_server",
        recurring: 900n,
        setup: 0n,
        usage: 0n,
        other: 0n,
        total: 900n
      }
    ])
  })

  it("refuses a credit note whose invoice is not a paid invoice of the history", () => {
    const result = revenueByMonth({ invoices: [], creditNotes: [adaRefund] }, zone)
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: "CreditNoteInvoiceMissing",
      invoiceId: "inv-ada"
    })
  })
})

describe("scenario: overdue totals on 2026-04-01", () => {
  it("sums the balances of open invoices past due, aged in whole days in Berlin", () => {
    const totals = overdueTotals([adaRefunded, cyOrder, bobOpen, deeOpen, eveOpen], noon(2026, 4, 1), zone)
    // Bob: 72.00 due Feb 10, 50 days overdue; Dee: 12.00 due Mar 30, 2 days; Eve is not due yet.
    expect(totals).toEqual([
      {
        currency: "EUR",
        invoices: 2,
        balance: 8400n,
        buckets: [
          { fromDays: 0, toDays: 30, invoices: 1, balance: 1200n },
          { fromDays: 31, toDays: 60, invoices: 1, balance: 7200n },
          { fromDays: 61, toDays: 90, invoices: 0, balance: 0n },
          { fromDays: 91, toDays: undefined, invoices: 0, balance: 0n }
        ]
      }
    ])
    // On Apr 12 Bob's invoice is 61 days overdue: the next bucket.
    expect(overdueTotals([bobOpen], noon(2026, 4, 12), zone)[0]?.buckets[2]).toEqual({
      fromDays: 61,
      toDays: 90,
      invoices: 1,
      balance: 7200n
    })
  })
})
