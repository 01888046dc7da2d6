import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeCoupon } from "../coupon/coupon"
import type { TaxDecision } from "../tax/determine"
import { type Charge, composeInvoice } from "./compose"
import { creditNoteFor, effectiveLines } from "./credit-note"
import { balanceOf, type Invoice, isOverdue } from "./document"
import {
  applyCredit,
  assignNumber,
  issueInvoice,
  recordPayment,
  recordRefund,
  refundableOf,
  voidInvoice
} from "./lifecycle"

const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr", name: "TVA", rate: { num: 1n, den: 5n }, compound: false }]
}

const charge = (amount: bigint, kind: Charge["kind"] = "plan"): Charge => ({
  kind,
  description: `${kind} ${amount}`,
  quantity: 1n,
  unitAmount: amount,
  amount
})

const draft = (
  amounts: ReadonlyArray<bigint> = [1000n, 500n],
  coupons: ReadonlyArray<unknown> = []
): Invoice =>
  Either.getOrThrow(
    composeInvoice({
      head: {
        id: "inv_1",
        tenantId: "ten_1",
        customerId: "cus_1",
        subscriptionId: "sub_1",
        kind: "renewal",
        currency: "EUR",
        pricing: "exclusive",
        dueAt: 1_000,
        period: undefined
      },
      charges: amounts.map((amount) => charge(amount)),
      coupons: coupons.map((c) => Either.getOrThrow(decodeCoupon(c))),
      tax: vat20,
      rounding: "half-even"
    })
  )

const open = (invoice: Invoice = draft()) => Either.getOrThrow(issueInvoice(invoice, 10, "INV-1"))
const tagOf = (result: Either.Either<unknown, { _tag: string }>) =>
  Either.isLeft(result) ? result.left._tag : "ok"

describe("issuing", () => {
  it("opens a draft with its number and issue instant", () => {
    const invoice = open()
    expect([invoice.status, invoice.number, invoice.issuedAt]).toEqual(["open", "INV-1", 10])
    expect(balanceOf(invoice)).toBe(1800n)
  })

  it("pays an invoice that owes nothing at once (a 100% coupon)", () => {
    const free = draft(
      [1000n],
      [{ id: "c", code: "FREE", kind: "percent", rate: "100", duration: "once", stackable: false }]
    )
    expect(free.totals.total).toBe(0n)
    const issued = Either.getOrThrow(issueInvoice(free, 10))
    expect([issued.status, issued.paidAt, issued.number]).toEqual(["paid", 10, undefined])
  })

  it("refuses to issue twice, and gives a proforma invoice its final number once", () => {
    expect(tagOf(issueInvoice(open(), 11))).toBe("IllegalInvoiceTransition")
    const proforma = Either.getOrThrow(issueInvoice(draft(), 10))
    const numbered = Either.getOrThrow(assignNumber(proforma, "INV-7"))
    expect(numbered.number).toBe("INV-7")
    expect(tagOf(assignNumber(numbered, "INV-8"))).toBe("IllegalInvoiceTransition")
    expect(tagOf(assignNumber(draft(), "INV-9"))).toBe("IllegalInvoiceTransition")
  })

  it("derives overdue from the due instant", () => {
    expect(isOverdue(open(), 1_000)).toBe(false)
    expect(isOverdue(open(), 1_001)).toBe(true)
    expect(isOverdue(draft(), 1_001)).toBe(false)
    const paid = Either.getOrThrow(recordPayment(open(), 1800n, 20))
    expect(isOverdue(paid, 5_000)).toBe(false)
  })
})

describe("payments, credit, refunds and voids", () => {
  it("pays in parts and refuses more than the balance", () => {
    const part = Either.getOrThrow(recordPayment(open(), 800n, 20))
    expect([part.status, balanceOf(part)]).toEqual(["open", 1000n])
    expect(tagOf(recordPayment(part, 1001n, 21))).toBe("PaymentExceedsBalance")
    expect(tagOf(recordPayment(part, 0n, 21))).toBe("NonPositiveAmount")
    const paid = Either.getOrThrow(recordPayment(part, 1000n, 22))
    expect([paid.status, paid.paidAt]).toEqual(["paid", 22])
    expect(tagOf(recordPayment(paid, 1n, 23))).toBe("IllegalInvoiceTransition")
  })

  it("applies no credit when there is none, and none to a paid invoice", () => {
    const { invoice, applied } = Either.getOrThrow(applyCredit(open(), 0n, 20))
    expect([applied, invoice.status]).toEqual([0n, "open"])
    expect(Either.getOrThrow(applyCredit(open(), -5n, 20)).applied).toBe(0n)
    const paid = Either.getOrThrow(recordPayment(open(), 1800n, 20))
    expect(tagOf(applyCredit(paid, 100n, 21))).toBe("IllegalInvoiceTransition")
  })

  it("refunds in parts up to what was settled, ending refunded", () => {
    const paid = Either.getOrThrow(
      recordPayment(Either.getOrThrow(applyCredit(open(), 300n, 15)).invoice, 1500n, 20)
    )
    expect(refundableOf(paid)).toBe(1800n)
    const part = Either.getOrThrow(recordRefund(paid, 500n))
    expect([part.status, balanceOf(part)]).toEqual(["partially_refunded", 0n])
    expect(tagOf(recordRefund(part, 1301n))).toBe("RefundExceedsPaid")
    const all = Either.getOrThrow(recordRefund(part, 1300n))
    expect([all.status, balanceOf(all), refundableOf(all)]).toEqual(["refunded", 0n, 0n])
    expect(tagOf(recordRefund(open(), 1n))).toBe("IllegalInvoiceTransition")
  })

  it("voids an unpaid invoice and gives back the credit applied to it", () => {
    const credited = Either.getOrThrow(applyCredit(open(), 300n, 15)).invoice
    const { invoice, creditReturned } = Either.getOrThrow(voidInvoice(credited, 30))
    expect([invoice.status, invoice.voidedAt, creditReturned]).toEqual(["void", 30, 300n])
    const part = Either.getOrThrow(recordPayment(open(), 100n, 20))
    expect(tagOf(voidInvoice(part, 30))).toBe("IllegalInvoiceTransition")
    expect(tagOf(voidInvoice(invoice, 31))).toBe("IllegalInvoiceTransition")
  })
})

describe("credit notes", () => {
  it("credits the whole invoice line by line, discounts taken off the lines they reduced", () => {
    const invoice = draft(
      [1000n, 500n],
      [{ id: "c", code: "TEN", kind: "percent", rate: "10", duration: "once", stackable: false }]
    )
    // 15.00 - 1.50 = 13.50 net, 2.70 VAT: 16.20
    expect(invoice.totals.total).toBe(1620n)
    expect(effectiveLines(invoice)).toEqual([
      { index: 0, net: 900n, tax: 180n },
      { index: 1, net: 450n, tax: 90n }
    ])
    const paid = Either.getOrThrow(recordPayment(open(invoice), 1620n, 20))
    const note = Either.getOrThrow(creditNoteFor(paid, 1620n, "cancelled", 30))
    expect(note.lines.map((l) => [l.invoiceLine, l.net, l.tax, l.gross])).toEqual([
      [0, 900n, 180n, 1080n],
      [1, 450n, 90n, 540n]
    ])
    expect(note.totals).toEqual({ net: 1350n, tax: 270n, total: 1620n })
  })

  it("splits a partial credit by allocation, net and tax in each line's proportion", () => {
    const paid = Either.getOrThrow(recordPayment(open(), 1800n, 20))
    const note = Either.getOrThrow(creditNoteFor(paid, 1000n, "goodwill", 30))
    expect(note.lines.map((l) => [l.net, l.tax, l.gross])).toEqual([
      [556n, 111n, 667n],
      [278n, 55n, 333n]
    ])
    expect(note.totals.total).toBe(1000n)
    expect(tagOf(creditNoteFor(paid, 1801n, "too much", 30))).toBe("RefundExceedsPaid")
    expect(tagOf(creditNoteFor(paid, 0n, "nothing", 30))).toBe("NonPositiveAmount")
  })
})

const amounts = fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 6 })
const couponInputs = fc.array(
  fc.oneof(
    fc.integer({ min: 1, max: 100 }).map((p) => ({ kind: "percent", rate: String(p) })),
    fc.bigInt({ min: 1n, max: 5_000_000n }).map((a) => ({ kind: "fixed", amounts: { EUR: String(a) } }))
  ),
  { maxLength: 3 }
)

describe("invoice properties", () => {
  it("the total is always the sum of the lines, and the tax summary agrees with them", () => {
    fc.assert(
      fc.property(amounts, couponInputs, (charges, coupons) => {
        const invoice = draft(
          charges,
          coupons.map((c, i) => ({ id: `c${i}`, code: `C${i}`, duration: "forever", stackable: true, ...c }))
        )
        const sum = (pick: (l: Invoice["lines"][number]) => bigint) =>
          invoice.lines.reduce((s, l) => s + pick(l), 0n)
        expect(invoice.totals.subtotal).toBe(sum((l) => l.net))
        expect(invoice.totals.tax).toBe(sum((l) => l.tax))
        expect(invoice.totals.total).toBe(sum((l) => l.gross))
        expect(invoice.totals.total).toBe(invoice.totals.subtotal + invoice.totals.tax)
        expect(invoice.totals.total >= 0n).toBe(true)
        const summary = invoice.taxSummary.reduce((s, g) => s + (g.kind === "taxed" ? g.tax : 0n), 0n)
        expect(summary).toBe(invoice.totals.tax)
      })
    )
  })

  it("credit never exceeds the balance, and the balance never goes negative", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("credit" as const), amount: fc.bigInt({ min: -100n, max: 3_000n }) }),
      fc.record({ kind: fc.constant("pay" as const), amount: fc.bigInt({ min: 1n, max: 3_000n }) }),
      fc.record({ kind: fc.constant("refund" as const), amount: fc.bigInt({ min: 1n, max: 3_000n }) })
    )
    fc.assert(
      fc.property(amounts, fc.array(step, { maxLength: 12 }), (charges, steps) => {
        let invoice = open(draft(charges))
        for (const s of steps) {
          const before = balanceOf(invoice)
          if (s.kind === "credit") {
            const result = applyCredit(invoice, s.amount, 1)
            if (Either.isRight(result)) {
              expect(result.right.applied <= before).toBe(true)
              expect(result.right.applied >= 0n).toBe(true)
              invoice = result.right.invoice
            }
          } else if (s.kind === "pay") {
            invoice = Either.getOrElse(recordPayment(invoice, s.amount, 1), () => invoice)
          } else {
            invoice = Either.getOrElse(recordRefund(invoice, s.amount), () => invoice)
          }
          const { creditApplied, paid, refunded, credited } = invoice.settlement
          expect(balanceOf(invoice)).toBe(invoice.totals.total - creditApplied - paid + refunded - credited)
          expect(balanceOf(invoice) >= 0n).toBe(true)
          expect(
            invoice.status === "paid" || invoice.status.endsWith("refunded") ? balanceOf(invoice) : 0n
          ).toBe(0n)
        }
      })
    )
  })

  it("a credit note never credits more than was settled and always sums to the amount", () => {
    fc.assert(
      fc.property(
        amounts,
        couponInputs,
        fc.bigInt({ min: 1n, max: 100_000_000n }),
        (charges, coupons, want) => {
          const invoice = draft(
            charges,
            coupons.map((c, i) => ({
              id: `c${i}`,
              code: `C${i}`,
              duration: "forever",
              stackable: true,
              ...c
            }))
          )
          fc.pre(invoice.totals.total > 0n)
          const paid = Either.getOrThrow(recordPayment(open(invoice), invoice.totals.total, 1))
          // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
          const amount = want > invoice.totals.total ? invoice.totals.total : want
          const note = Either.getOrThrow(creditNoteFor(paid, amount, "test", 2))
          expect(note.totals.total).toBe(amount)
          expect(note.lines.reduce((s, l) => s + l.net + l.tax, 0n)).toBe(amount)
          for (const line of note.lines) expect(line.net >= 0n && line.tax >= 0n).toBe(true)
        }
      )
    )
  })
})
