import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeCoupon } from "../coupon/coupon"
import type { TaxDecision } from "../tax/determine"
import { type Charge, composeInvoice } from "./compose"

const rate = (ruleId: string, num: bigint, den: bigint): TaxDecision => ({
  kind: "taxed",
  country: "FR",
  components: [{ ruleId, name: ruleId, rate: { num, den }, compound: false }]
})
const standard = rate("fr-20", 1n, 5n)
const reduced = rate("fr-5.5", 11n, 200n)

const charge = (amount: bigint, tax?: TaxDecision): Charge => ({
  kind: "manual",
  description: `item ${amount}`,
  quantity: 1n,
  unitAmount: amount,
  amount,
  ...(tax === undefined ? {} : { tax })
})

const compose = (charges: ReadonlyArray<Charge>, coupons: ReadonlyArray<unknown> = []) =>
  Either.getOrThrow(
    composeInvoice({
      head: {
        id: "inv",
        tenantId: "ten",
        customerId: "cus",
        subscriptionId: undefined,
        kind: "order",
        currency: "EUR",
        pricing: "exclusive",
        dueAt: 0,
        period: undefined
      },
      charges,
      coupons: coupons.map((c) => Either.getOrThrow(decodeCoupon(c))),
      tax: standard,
      rounding: "half-even"
    })
  )

describe("several tax rates on one invoice", () => {
  it("taxes each line under its own treatment and sums the summary per rate", () => {
    const invoice = compose([charge(10000n), charge(2000n, reduced)])
    expect(invoice.lines.map((l) => [l.net, l.tax])).toEqual([
      [10000n, 2000n],
      [2000n, 110n]
    ])
    expect(invoice.taxSummary.map((g) => (g.kind === "taxed" ? [g.ruleId, g.base, g.tax] : g.kind))).toEqual([
      ["fr-20", 10000n, 2000n],
      ["fr-5.5", 2000n, 110n]
    ])
    expect(invoice.totals).toEqual({ subtotal: 12000n, tax: 2110n, total: 14110n, discount: 0n })
  })

  it("splits a coupon over lines taxed differently into one discount line per rate", () => {
    const invoice = compose(
      [charge(10000n), charge(2000n, reduced)],
      [{ id: "c", code: "TEN", kind: "percent", rate: "10", duration: "once", stackable: false }]
    )
    // 10% of 120.00 = 12.00, shared 10.00 / 2.00; taxes after: 18.00 and 0.99 (from 20.00 and 1.10).
    expect(invoice.lines.slice(2).map((l) => [l.kind, l.net, l.tax, l.reduces])).toEqual([
      ["discount", -1000n, -200n, [0]],
      ["discount", -200n, -11n, [1]]
    ])
    expect(invoice.taxSummary.map((g) => (g.kind === "taxed" ? [g.ruleId, g.base, g.tax] : g.kind))).toEqual([
      ["fr-20", 9000n, 1800n],
      ["fr-5.5", 1800n, 99n]
    ])
    expect(invoice.totals.total).toBe(10800n + 1899n)
    const sum = invoice.lines.reduce((s, l) => s + l.gross, 0n)
    expect(sum).toBe(invoice.totals.total)
  })

  it("prints the notes of every treatment on the invoice once", () => {
    const exempt: TaxDecision = { kind: "exempt", reason: "education" }
    const invoice = compose([charge(1000n), charge(500n, exempt), charge(200n, exempt)])
    expect(invoice.notes).toEqual(["Tax exempt: education"])
    expect(invoice.taxSummary.map((g) => g.kind)).toEqual(["taxed", "exempt"])
  })
})
