import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ExchangeRate } from "../money/convert"
import { ratio } from "../money/ratio"
import { exactTotal, type ReportingConversion, rateOfDay, reportMrr } from "./conversion"

const rate = (
  from: ExchangeRate["from"],
  to: ExchangeRate["to"],
  num: bigint,
  den: bigint,
  date = "2026-03-31"
): ExchangeRate => ({
  from,
  to,
  rate: ratio(num, den),
  source: "ECB",
  date
})

const eur: ReportingConversion = {
  currency: "EUR",
  date: "2026-03-31",
  rates: [
    rate("USD", "EUR", 9n, 10n),
    rate("EUR", "JPY", 160n, 1n),
    rate("USD", "EUR", 1n, 1n, "2026-03-30")
  ],
  rounding: "half-even"
}

describe("MRR in a reporting currency", () => {
  it("converts exact units at the day's rate and rounds the total once", () => {
    // EUR 3.33 1/3 + USD 3.33 1/3 at 0.9 = 3.00 + JPY 1600 at 1/160 = 10.00.
    const report = Either.getOrThrow(reportMrr({ EUR: 24000n, USD: 24000n, JPY: 1600n * 72n }, eur))
    expect(report.currencies.map((c) => [c.currency, c.mrr.amount, c.converted.amount])).toEqual([
      ["EUR", 333n, 333n],
      ["JPY", 1600n, 1000n],
      ["USD", 333n, 300n]
    ])
    // 3.33 1/3 + 10.00 + 3.00 = 16.33 1/3 -> 16.33; ARR 196.00 exactly.
    expect(report.total.mrr).toEqual({ amount: 1633n, currency: "EUR" })
    expect(report.total.arr).toEqual({ amount: 19600n, currency: "EUR" })
    expect(report.currencies[1]?.rate?.from).toBe("JPY")
    expect(report.currencies[0]?.rate).toBeUndefined()
  })

  it("uses only rates of the report's day", () => {
    expect(Either.getOrThrow(rateOfDay("USD", eur))?.rate).toEqual(ratio(9n, 10n))
    const missing = rateOfDay("GBP", eur)
    expect(Either.isLeft(missing) && missing.left).toMatchObject({
      _tag: "ExchangeRateMissing",
      from: "GBP",
      to: "EUR",
      date: "2026-03-31"
    })
    const otherDay = reportMrr(
      { USD: 72n },
      { ...eur, date: "2026-03-30", rates: [rate("USD", "EUR", 9n, 10n)] }
    )
    expect(Either.isLeft(otherDay)).toBe(true)
  })

  it("the converted shares add up to the total, which is the exact sum rounded once (property)", () => {
    const units = fc.bigInt({ min: 0n, max: 10n ** 14n })
    fc.assert(
      fc.property(units, units, units, fc.bigInt({ min: 1n, max: 10n ** 6n }), (e, u, j, num) => {
        const conversion: ReportingConversion = {
          ...eur,
          rates: [rate("USD", "EUR", num, 997n), rate("JPY", "EUR", 997n, num)]
        }
        const report = Either.getOrThrow(reportMrr({ EUR: e, USD: u, JPY: j }, conversion))
        const sum = report.currencies.reduce((s, c) => s + c.converted.amount, 0n)
        expect(sum).toBe(report.total.mrr.amount)
        const exact = Either.getOrThrow(exactTotal({ EUR: e, USD: u, JPY: j }, conversion))
        const diff = report.total.mrr.amount * exact.den - exact.num
        expect((diff < 0n ? -diff : diff) * 2n <= exact.den).toBe(true)
      })
    )
  })
})
