import { describe, expect, it } from "vitest"
import { looksLikeCardNumber } from "./payment-methods"

describe("looksLikeCardNumber", () => {
  it("finds card numbers, written plain, spaced or dashed, inside other text", () => {
    expect(looksLikeCardNumber("4242424242424242")).toBe(true)
    expect(looksLikeCardNumber("Visa 4242 4242 4242 4242 exp 12/30")).toBe(true)
    expect(looksLikeCardNumber("5555-5555-5555-4444")).toBe(true)
    expect(looksLikeCardNumber("amex:378282246310005")).toBe(true)
    expect(looksLikeCardNumber("6011111111111117")).toBe(true)
  })

  it("leaves gateway tokens and time-ordered ids alone, even with long runs of digits", () => {
    // a ULID made at the epoch starts with 10 zeros: 13 digits in a row, but no card starts with 0
    expect(looksLikeCardNumber("tok_pm_0000000000629C4DWRP4F0YTJB")).toBe(false)
    expect(looksLikeCardNumber("pm_1NqXv2LkdIwHu7ix8a9b0c1d")).toBe(false)
    expect(looksLikeCardNumber("Visa •••• 4242")).toBe(false)
    expect(looksLikeCardNumber("B-12345678901")).toBe(false)
    // Luhn fails; too short; too long to be a card
    expect(looksLikeCardNumber("4242424242424241")).toBe(false)
    expect(looksLikeCardNumber("424242424242")).toBe(false)
    expect(looksLikeCardNumber("42424242424242424242")).toBe(false)
  })
})
