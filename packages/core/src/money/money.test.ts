import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { allocate, allocateAmount } from "./allocate"
import { convert, invertRate } from "./convert"
import { currencyCodes, exponentOf, isCurrencyCode, minorPerMajor } from "./currency"
import { parseAmount, toDecimalString } from "./decimal"
import { CurrencyMismatch } from "./errors"
import { formatMoney, parseLocalized } from "./format"
import { add, money, multiply, subtract, sum } from "./money"
import { percent, ratio, ratioFromDecimal, ratioFromPercent, ratioToDecimalString } from "./ratio"

const required =
  "USD EUR GBP CAD AUD NZD JPY CHF SEK NOK DKK PLN CZK HUF RON BGN INR BRL MXN SGD HKD ZAR KWD BHD"

describe("currencies", () => {
  it("covers the required currencies with their ISO 4217 exponents", () => {
    for (const code of required.split(" ")) expect(isCurrencyCode(code), code).toBe(true)
    expect(exponentOf("USD")).toBe(2)
    expect(exponentOf("JPY")).toBe(0)
    expect(exponentOf("KWD")).toBe(3)
    expect(exponentOf("BHD")).toBe(3)
    expect(minorPerMajor("KWD")).toBe(1000n)
    expect(isCurrencyCode("XXX")).toBe(false)
    expect(isCurrencyCode("toString")).toBe(false)
  })
})

describe("arithmetic", () => {
  it("adds and subtracts in one currency", () => {
    expect(add(money(150n, "EUR"), money(275n, "EUR"))).toEqual(Either.right(money(425n, "EUR")))
    expect(subtract(money(150n, "EUR"), money(275n, "EUR"))).toEqual(Either.right(money(-125n, "EUR")))
  })

  it("refuses to mix currencies with a typed error", () => {
    const result = add(money(1n, "EUR"), money(1n, "USD"))
    expect(result).toEqual(Either.left(new CurrencyMismatch({ expected: "EUR", actual: "USD" })))
    expect(Either.isLeft(sum("EUR", [money(1n, "EUR"), money(2n, "GBP")]))).toBe(true)
  })

  it("multiplies by an exact ratio with a named rounding", () => {
    // 19.99 x 21% = 4.1979 -> 4.20
    expect(multiply(money(1999n, "EUR"), percent(21), "half-even")).toEqual(money(420n, "EUR"))
    // 0.125 x 1/1 tie cases: 2.5 -> half-even 2, half-up 3
    expect(multiply(money(5n, "USD"), ratio(1n, 2n), "half-even").amount).toBe(2n)
    expect(multiply(money(5n, "USD"), ratio(1n, 2n), "half-up").amount).toBe(3n)
    expect(multiply(money(5n, "USD"), ratio(1n, 2n), "down").amount).toBe(2n)
    expect(multiply(money(5n, "USD"), ratio(1n, 2n), "up").amount).toBe(3n)
  })
})

describe("ratios", () => {
  it("parses decimals and percentages exactly", () => {
    expect(ratioFromDecimal("1.0842")).toEqual(Either.right(ratio(10842n, 10000n)))
    expect(ratioFromPercent("7.25")).toEqual(Either.right(ratio(29n, 400n)))
    expect(Either.isLeft(ratioFromDecimal("-1"))).toBe(true)
    expect(Either.isLeft(ratioFromDecimal("1e3"))).toBe(true)
    expect(ratioToDecimalString(ratio(29n, 400n))).toBe("0.0725")
  })
})

describe("allocate", () => {
  it("splits by largest remainder, ties to the earlier part", () => {
    expect(allocateAmount(100n, [1n, 1n, 1n])).toEqual(Either.right([34n, 33n, 33n]))
    expect(allocateAmount(5n, [3n, 7n])).toEqual(Either.right([2n, 3n]))
    expect(allocateAmount(-100n, [1n, 1n, 1n])).toEqual(Either.right([-34n, -33n, -33n]))
    expect(allocateAmount(1n, [0n, 1n])).toEqual(Either.right([0n, 1n]))
    expect(allocate(money(1000n, "JPY"), [1n, 2n])).toEqual(
      Either.right([money(333n, "JPY"), money(667n, "JPY")])
    )
  })

  it("refuses empty, negative or all-zero weights", () => {
    expect(Either.getLeft(allocateAmount(1n, [])).pipe((o) => o._tag)).toBe("Some")
    expect(Either.isLeft(allocateAmount(1n, [1n, -1n]))).toBe(true)
    expect(Either.isLeft(allocateAmount(1n, [0n, 0n]))).toBe(true)
  })

  it("always sums to the total, each part within one unit of its exact share (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n))
          const parts = Either.getOrThrow(allocateAmount(total, weights))
          const weightSum = weights.reduce((a, b) => a + b, 0n)
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total)
          parts.forEach((part, i) => {
            const exactTimesSum = total * (weights[i] as bigint)
            const diff = part * weightSum - exactTimesSum
            expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum)
          })
        }
      )
    )
  })
})

describe("conversion", () => {
  const usdToJpy = {
    from: "USD",
    to: "JPY",
    rate: ratio(15025n, 100n),
    source: "ECB",
    date: "2026-11-20"
  } as const

  it("converts across exponents with an explicit rate and rounding", () => {
    const result = Either.getOrThrow(convert(money(100n, "USD"), usdToJpy, "half-even"))
    expect(result.converted).toEqual(money(150n, "JPY"))
    expect(result.rate.source).toBe("ECB")
    expect(result.rate.date).toBe("2026-11-20")
    const kwd = {
      from: "KWD",
      to: "USD",
      rate: ratio(325n, 100n),
      source: "manual",
      date: "2026-11-20"
    } as const
    expect(Either.getOrThrow(convert(money(1000n, "KWD"), kwd, "half-even")).converted).toEqual(
      money(325n, "USD")
    )
    expect(Either.getOrThrow(convert(money(1n, "KWD"), kwd, "half-up")).converted).toEqual(money(0n, "USD"))
    expect(Either.getOrThrow(convert(money(2n, "KWD"), kwd, "half-up")).converted).toEqual(money(1n, "USD"))
  })

  it("refuses an amount in another currency than the rate's source", () => {
    expect(Either.isLeft(convert(money(1n, "EUR"), usdToJpy, "half-even"))).toBe(true)
  })

  it("inverts a rate exactly", () => {
    const back = invertRate(usdToJpy)
    expect(Either.getOrThrow(convert(money(15025n, "JPY"), back, "half-even")).converted).toEqual(
      money(10000n, "USD")
    )
  })
})

describe("parsing and formatting", () => {
  it("parses strictly", () => {
    expect(parseAmount("12.30", "USD")).toEqual(Either.right(money(1230n, "USD")))
    expect(parseAmount("12.3", "USD")).toEqual(Either.right(money(1230n, "USD")))
    expect(parseAmount("-0.001", "KWD")).toEqual(Either.right(money(-1n, "KWD")))
    expect(parseAmount("500", "JPY")).toEqual(Either.right(money(500n, "JPY")))
    for (const bad of ["12.345", "1,000", "1e3", "", " 1", "1.", ".5", "--1", "+1", "0x10", "1.5.5"]) {
      expect(Either.isLeft(parseAmount(bad, "USD")), bad).toBe(true)
    }
    const tooPrecise = parseAmount("12.345", "USD")
    expect(Either.isLeft(tooPrecise) && tooPrecise.left.reason).toBe("too_many_decimals")
    expect(Either.isLeft(parseAmount("1.5", "JPY"))).toBe(true)
  })

  it("renders canonical decimals", () => {
    expect(toDecimalString(money(1230n, "USD"))).toBe("12.30")
    expect(toDecimalString(money(5n, "USD"))).toBe("0.05")
    expect(toDecimalString(money(-5n, "USD"))).toBe("-0.05")
    expect(toDecimalString(money(5n, "JPY"))).toBe("5")
    expect(toDecimalString(money(1234n, "KWD"))).toBe("1.234")
  })

  it("formats per locale without going through a float", () => {
    expect(formatMoney(money(123456n, "USD"), "en-US")).toBe("$1,234.56")
    expect(formatMoney(money(123456n, "EUR"), "de-DE")).toBe("1.234,56\u00a0€")
    expect(formatMoney(money(1500n, "JPY"), "ja-JP")).toBe("￥1,500")
    expect(formatMoney(money(1234n, "KWD"), "en-US")).toBe("KWD\u00a01.234")
    expect(formatMoney(money(12345678901234567891n, "USD"), "en-US")).toBe("$123,456,789,012,345,678.91")
  })

  it("reads back what it formats in the locale", () => {
    expect(parseLocalized("1.234,56 €", "de-DE", "EUR")).toEqual(Either.right(money(123456n, "EUR")))
    expect(parseLocalized("$1,234.56", "en-US", "USD")).toEqual(Either.right(money(123456n, "USD")))
    expect(Either.isLeft(parseLocalized("1.234,567 €", "de-DE", "EUR"))).toBe(true)
    expect(Either.isLeft(parseLocalized("1.5", "de-DE", "EUR"))).toBe(true)
  })

  const amounts = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n })
  const currencies = fc.constantFrom(...currencyCodes)
  const locales = fc.constantFrom(
    "en-US",
    "de-DE",
    "fr-FR",
    "de-CH",
    "ja-JP",
    "en-IN",
    "ar-EG",
    "pl-PL",
    "sv-SE"
  )

  it("round-trips the canonical decimal string (property)", () => {
    fc.assert(
      fc.property(amounts, currencies, (amount, currency) => {
        const m = money(amount, currency)
        expect(parseAmount(toDecimalString(m), currency)).toEqual(Either.right(m))
      })
    )
  })

  it("round-trips the localized format (property)", () => {
    fc.assert(
      fc.property(amounts, currencies, locales, (amount, currency, locale) => {
        const m = money(amount, currency)
        expect(parseLocalized(formatMoney(m, locale), locale, currency)).toEqual(Either.right(m))
      })
    )
  })
})
