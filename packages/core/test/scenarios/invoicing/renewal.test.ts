import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Either, TestClock } from "effect"
import {
  anniversaryPeriod,
  applyCredit,
  balanceOf,
  civilDateAt,
  firstPeriods,
  formatIsoDate,
  issueInvoice,
  manualInvoice,
  orderInvoice,
  periodIndexAt,
  periodInstants,
  prorataPolicy,
  recordPayment,
  renewalInvoice,
  reverseChargeNote
} from "../../../src"
import { coupon, customer, item, lineView, periodOf, subscription, taxFor } from "./helpers"

const anchor = { year: 2026, month: 1, day: 31 }
const zone = "Europe/Paris"

/** Plan 10.00 + setup 5.00, 2 extra IPs at 2.50, backups 3.00: 18.00 a month. */
const vps = subscription("EUR", [
  item("plan", "vps-2g", "KVM VPS — 2 GB", 1000n, { setupFee: 500n }),
  item("option", "extra-ip", "Extra IPv4: 2 IP", 250n, { quantity: 2n }),
  item("option", "backups", "Daily backups", 300n)
])
const launch10 = coupon({ kind: "percent", rate: "10", duration: { cycles: 3 } })

/** The renewal a billing run would make "now": the period that contains today in the customer's zone. */
const renewalNow = Effect.gen(function* () {
  const now = yield* Clock.currentTimeMillis
  const index = periodIndexAt(anchor, "monthly", civilDateAt(now, zone))
  const period = anniversaryPeriod(anchor, "monthly", index)
  const invoice = renewalInvoice({
    invoiceId: `inv_${index}`,
    subscription: vps,
    period,
    cycleNumber: index + 1,
    coupons: [launch10],
    includeSetup: index === 0,
    tax: taxFor(customer()),
    dueAt: periodInstants(period, zone).startsAt,
    rounding: "half-even"
  })
  return Either.getOrThrow(invoice)
})

describe("monthly VPS with two options, a 3-cycle coupon and EU B2C VAT (FR 20% under OSS)", () => {
  it.effect("first invoice: setup fee, 10% off the recurring lines as one discount line, VAT per line", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 0, 30, 23, 30)) // 00:30 on Jan 31 in Paris
      const invoice = yield* renewalNow
      expect(formatIsoDate(periodOf(invoice).start)).toBe("2026-01-31")
      expect(formatIsoDate(periodOf(invoice).end)).toBe("2026-02-28")
      expect(invoice.dueAt).toBe(Date.UTC(2026, 0, 30, 23, 0))
      expect(lineView(invoice.lines)).toEqual([
        ["plan", 1000n, 200n],
        ["option", 500n, 100n],
        ["option", 300n, 60n],
        ["setup", 500n, 100n],
        ["discount", -180n, -36n]
      ])
      // The discount covers the three recurring lines (not the setup fee).
      expect(invoice.lines[4]?.reduces).toEqual([0, 1, 2])
      expect(invoice.totals).toEqual({ subtotal: 2120n, tax: 424n, total: 2544n, discount: -216n })
      expect(invoice.taxSummary).toEqual([
        { kind: "taxed", ruleId: "fr-vat", name: "TVA", rate: { num: 1n, den: 5n }, base: 2120n, tax: 424n }
      ])
    })
  )

  it.effect("cycles 2 and 3 keep the discount, no setup; the periods keep the 31st where they can", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 2, 1, 12))
      const second = yield* renewalNow
      expect([formatIsoDate(periodOf(second).start), formatIsoDate(periodOf(second).end)]).toEqual([
        "2026-02-28",
        "2026-03-31"
      ])
      expect(second.totals).toEqual({ subtotal: 1620n, tax: 324n, total: 1944n, discount: -216n })

      yield* TestClock.setTime(Date.UTC(2026, 3, 15, 12))
      const third = yield* renewalNow
      expect(formatIsoDate(periodOf(third).start)).toBe("2026-03-31")
      // Mar 31 00:00 in Paris is summer time (CEST, UTC+2) since Mar 29.
      expect(third.dueAt).toBe(Date.UTC(2026, 2, 30, 22, 0))
      expect(third.totals.total).toBe(1944n)
    })
  )

  it.effect("cycle 4: the coupon has run out", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 4, 10, 12))
      const fourth = yield* renewalNow
      expect(formatIsoDate(periodOf(fourth).start)).toBe("2026-04-30")
      expect(lineView(fourth.lines)).toEqual([
        ["plan", 1000n, 200n],
        ["option", 500n, 100n],
        ["option", 300n, 60n]
      ])
      expect(fourth.totals).toEqual({ subtotal: 1800n, tax: 360n, total: 2160n, discount: 0n })
    })
  )
})

describe("annual plan with tax-inclusive prices (NL 21%)", () => {
  const dutch = customer({ country: "NL", timeZone: "Europe/Amsterdam", locale: "nl-NL" })
  const annual = (gross: bigint) =>
    Either.getOrThrow(
      renewalInvoice({
        invoiceId: "inv_a",
        subscription: subscription(
          "EUR",
          [item("plan", "web-pro", "Web Pro", gross, { cycle: "annually" })],
          "inclusive"
        ),
        period: anniversaryPeriod({ year: 2024, month: 2, day: 29 }, "annually", 1),
        cycleNumber: 2,
        coupons: [],
        includeSetup: false,
        tax: taxFor(dutch, { country: "NL", euVat: "domestic" }),
        dueAt: 0,
        rounding: "half-even"
      })
    )

  it("extracts the tax from the gross price once: 121.00 = 100.00 + 21.00", () => {
    const invoice = annual(12100n)
    expect(invoice.lines.map((l) => [l.amount, l.net, l.tax, l.gross])).toEqual([
      [12100n, 10000n, 2100n, 12100n]
    ])
    expect(invoice.totals.total).toBe(12100n)
  })

  it("rounds the extracted tax once: 119.99 x 21/121 = 20.8247 -> 20.82", () => {
    const invoice = annual(11999n)
    expect(invoice.lines.map((l) => [l.net, l.tax, l.gross])).toEqual([[9917n, 2082n, 11999n]])
    expect(invoice.totals).toEqual({ subtotal: 9917n, tax: 2082n, total: 11999n, discount: 0n })
  })

  it("a leap-day anchor renews on Feb 28 and keeps the 29th in leap years", () => {
    const period = periodOf(annual(12100n))
    expect([formatIsoDate(period.start), formatIsoDate(period.end)]).toEqual(["2025-02-28", "2026-02-28"])
    expect(formatIsoDate(anniversaryPeriod({ year: 2024, month: 2, day: 29 }, "annually", 4).start)).toBe(
      "2028-02-29"
    )
  })
})

describe("B2B in the EU", () => {
  const renew = (buyer: ReturnType<typeof customer>) =>
    Either.getOrThrow(
      renewalInvoice({
        invoiceId: "inv_b2b",
        subscription: vps,
        period: anniversaryPeriod(anchor, "monthly", 5),
        cycleNumber: 6,
        coupons: [],
        includeSetup: false,
        tax: taxFor(buyer),
        dueAt: 0,
        rounding: "half-even"
      })
    )

  it("a business in another member state with a valid VAT id: reverse charge at 0% with the legal note", () => {
    const invoice = renew(customer({ isBusiness: true, vatId: "FR40303265045" }))
    expect(invoice.totals).toEqual({ subtotal: 1800n, tax: 0n, total: 1800n, discount: 0n })
    expect(invoice.notes).toEqual([reverseChargeNote, "Customer VAT id: FR40303265045"])
    expect(invoice.taxSummary).toEqual([{ kind: "reverse_charge", note: reverseChargeNote, base: 1800n }])
  })

  it("a business in the seller's own member state is taxed normally (DE 19%)", () => {
    const invoice = renew(customer({ country: "DE", isBusiness: true, vatId: "DE123456789" }))
    expect(invoice.totals).toEqual({ subtotal: 1800n, tax: 342n, total: 2142n, discount: 0n })
    expect(invoice.notes).toEqual([])
  })
})

describe("account credit covering part of an invoice", () => {
  const issued = () => {
    const draft = Either.getOrThrow(
      renewalInvoice({
        invoiceId: "inv_c",
        subscription: vps,
        period: anniversaryPeriod(anchor, "monthly", 0),
        cycleNumber: 1,
        coupons: [launch10],
        includeSetup: true,
        tax: taxFor(customer()),
        dueAt: 0,
        rounding: "half-even"
      })
    )
    return Either.getOrThrow(issueInvoice(draft, 1, "INV-2026-00001"))
  }

  it("applies 10.00 of credit to 25.44, then a payment of the 15.44 left settles it", () => {
    const { invoice, applied } = Either.getOrThrow(applyCredit(issued(), 1000n, 2))
    expect(applied).toBe(1000n)
    expect(balanceOf(invoice)).toBe(1544n)
    expect(invoice.status).toBe("open")
    const paid = Either.getOrThrow(recordPayment(invoice, 1544n, 3))
    expect(paid.status).toBe("paid")
    expect(balanceOf(paid)).toBe(0n)
  })

  it("applies no more credit than the balance: 30.00 available, 25.44 used", () => {
    const { invoice, applied } = Either.getOrThrow(applyCredit(issued(), 3000n, 2))
    expect(applied).toBe(2544n)
    expect(invoice.status).toBe("paid")
    expect(balanceOf(invoice)).toBe(0n)
  })
})

describe("currencies without and with three decimals", () => {
  it("a JPY invoice: ¥1,500 with 15% off and 10% consumption tax, rounded per line half-even", () => {
    const invoice = Either.getOrThrow(
      renewalInvoice({
        invoiceId: "inv_jpy",
        subscription: subscription("JPY", [item("plan", "mc-4g", "Minecraft 4 GB", 1500n)]),
        period: anniversaryPeriod({ year: 2026, month: 4, day: 1 }, "monthly", 0),
        cycleNumber: 1,
        coupons: [coupon({ kind: "percent", rate: "15", duration: "forever" })],
        includeSetup: false,
        tax: taxFor(customer({ country: "JP", currency: "JPY", timeZone: "Asia/Tokyo" }), {
          country: "JP",
          euVat: "none"
        }),
        dueAt: 0,
        rounding: "half-even"
      })
    )
    // 1500 x 15% = 225 off; tax 150 and -22.5 -> -22 (half-even): 1275 + 128 = 1403 yen.
    expect(lineView(invoice.lines)).toEqual([
      ["plan", 1500n, 150n],
      ["discount", -225n, -22n]
    ])
    expect(invoice.totals).toEqual({ subtotal: 1275n, tax: 128n, total: 1403n, discount: -247n })
  })

  it("a KWD invoice: prorated stub to the billing day plus the next month, to three decimals", () => {
    const policy = Either.getOrThrow(prorataPolicy({ day: 1, cutoffDay: 15 }))
    const first = firstPeriods({ year: 2026, month: 1, day: 20 }, "monthly", policy)
    expect(first.stub).toMatchObject({ days: 12, periodDays: 31 })
    const invoice = Either.getOrThrow(
      orderInvoice({
        invoiceId: "inv_kwd",
        subscription: subscription("KWD", [item("plan", "vps-2g", "KVM VPS — 2 GB", 3250n)]),
        ...(first.stub === undefined ? {} : { stub: first.stub }),
        periods: first.full,
        coupons: [],
        tax: taxFor(customer({ country: "KW", currency: "KWD", timeZone: "Asia/Kuwait" })),
        dueAt: 0,
        rounding: "half-even"
      })
    )
    // 3.250 x 12/31 = 1.258064... -> 1.258; then February in full: 3.250. No EU VAT outside the EU.
    expect(invoice.lines.map((l) => [l.description, l.amount, l.tax])).toEqual([
      ["KVM VPS — 2 GB (12/31 days)", 1258n, 0n],
      ["KVM VPS — 2 GB", 3250n, 0n]
    ])
    expect(invoice.totals.total).toBe(4508n)
    expect(invoice.notes).toEqual(["Outside the scope of EU VAT: the place of supply is outside the EU"])
    expect(formatIsoDate(first.coveredUntil)).toBe("2026-03-01")
  })
})

describe("manual invoices", () => {
  it("bills what staff type, taxed like any other invoice", () => {
    const invoice = Either.getOrThrow(
      manualInvoice({
        invoiceId: "inv_m",
        tenantId: "ten_1",
        customerId: "cus_1",
        currency: "USD",
        pricing: "exclusive",
        charges: [{ description: "Data recovery, 2 hours", quantity: 2n, unitAmount: 7500n, amount: 15000n }],
        tax: taxFor(customer({ country: "US", region: "TX", currency: "USD" }), {
          country: "US",
          euVat: "none"
        }),
        dueAt: 0,
        rounding: "half-up"
      })
    )
    // 150.00 x 6.25% = 9.375 -> 9.38 half-up.
    expect(lineView(invoice.lines)).toEqual([["manual", 15000n, 938n]])
    expect(invoice.kind).toBe("manual")
  })
})
