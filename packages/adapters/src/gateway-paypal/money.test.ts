import { describe, expect, it } from "vitest"
import { fromPayPalAmount, payPalCanExpress, toPayPalValue } from "./money"

describe("PayPal money", () => {
  it("writes minor units as PayPal's decimal strings, by currency exponent", () => {
    expect(toPayPalValue({ amount: 1999n, currency: "USD" })).toBe("19.99")
    expect(toPayPalValue({ amount: 5n, currency: "EUR" })).toBe("0.05")
    expect(toPayPalValue({ amount: 1200n, currency: "JPY" })).toBe("1200")
    expect(toPayPalValue({ amount: 1234n, currency: "KWD" })).toBe("1.234")
    expect(toPayPalValue({ amount: 150000n, currency: "HUF" })).toBe("1500")
  })

  it("reads them back exactly, refusing more decimals than the currency has", () => {
    expect(fromPayPalAmount({ currency_code: "USD", value: "19.99" })).toEqual({
      amount: 1999n,
      currency: "USD"
    })
    expect(fromPayPalAmount({ currency_code: "USD", value: "20" })).toEqual({
      amount: 2000n,
      currency: "USD"
    })
    expect(fromPayPalAmount({ currencyCode: "JPY", value: "1200" })).toEqual({
      amount: 1200n,
      currency: "JPY"
    })
    expect(fromPayPalAmount({ currency_code: "USD", value: "1.999" })).toBeUndefined()
    expect(fromPayPalAmount({ currency_code: "XXX", value: "1.00" })).toBeUndefined()
    expect(fromPayPalAmount({ currency_code: "USD", value: "1e3" })).toBeUndefined()
  })

  it("HUF and TWD go to PayPal in whole units only", () => {
    expect(payPalCanExpress({ amount: 150000n, currency: "HUF" })).toBe(true)
    expect(payPalCanExpress({ amount: 150050n, currency: "HUF" })).toBe(false)
    expect(payPalCanExpress({ amount: 150050n, currency: "EUR" })).toBe(true)
  })
})
