import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { euMemberStates, isEuMemberState, validateVatId, vatPrefixOf } from "./eu"

const canonical = (country: string, vatId: string) =>
  Either.match(validateVatId(country, vatId), { onLeft: (e) => e._tag, onRight: (id) => id.canonical })

describe("EU member states", () => {
  it("has the 27 member states, Greece as GR with the EL VAT prefix", () => {
    expect(euMemberStates).toHaveLength(27)
    expect(isEuMemberState("GR")).toBe(true)
    expect(isEuMemberState("EL")).toBe(false)
    expect(isEuMemberState("GB")).toBe(false)
    expect(isEuMemberState("CH")).toBe(false)
    expect(vatPrefixOf("GR")).toBe("EL")
    expect(vatPrefixOf("DE")).toBe("DE")
  })
})

describe("validateVatId", () => {
  it.each([
    ["DE", "DE123456789", "DE123456789"],
    ["FR", "FR12345678901", "FR12345678901"],
    ["FR", "FRAB123456789", "FRAB123456789"],
    ["NL", "NL123456789B01", "NL123456789B01"],
    ["IT", "IT12345678901", "IT12345678901"],
    ["ES", "ESA1234567B", "ESA1234567B"],
    ["ES", "ES12345678Z", "ES12345678Z"],
    ["ES", "ESX1234567Z", "ESX1234567Z"],
    ["GR", "EL123456789", "EL123456789"],
    ["AT", "ATU12345678", "ATU12345678"],
    ["IE", "IE1234567T", "IE1234567T"],
    ["IE", "IE1234567WA", "IE1234567WA"],
    ["IE", "IE1S23456T", "IE1S23456T"],
    ["BE", "BE0123456789", "BE0123456789"],
    ["BE", "BE1123456789", "BE1123456789"],
    ["PL", "PL1234567890", "PL1234567890"],
    ["SE", "SE123456789001", "SE123456789001"],
    ["DK", "DK12345678", "DK12345678"],
    ["CY", "CY12345678L", "CY12345678L"],
    ["RO", "RO1234567", "RO1234567"],
    ["LT", "LT123456789012", "LT123456789012"]
  ])("accepts %s %s", (country, vatId, expected) => {
    expect(canonical(country, vatId)).toBe(expected)
  })

  it.each([
    ["DE", "DE12345678", "one digit short"],
    ["DE", "DE1234567890", "one digit too many"],
    ["DE", "DEABCDEFGHI", "letters"],
    ["FR", "FRIO123456789", "I and O are not valid key letters"],
    ["FR", "FR1234567890", "short SIREN"],
    ["NL", "NL123456789", "missing B01 suffix"],
    ["NL", "NL123456789X01", "X instead of B"],
    ["IT", "IT1234567890", "10 digits"],
    ["ES", "ES123456789", "all digits"],
    ["GR", "GR123456789", "GR is not the VAT prefix of Greece"],
    ["AT", "AT12345678", "missing U"],
    ["AT", "ATU1234567", "U and 7 digits"],
    ["IE", "IE1234567", "no check letter"],
    ["IE", "IE12345678T", "8 digits"],
    ["BE", "BE2123456789", "first digit must be 0 or 1"],
    ["BE", "BE123456789", "old 9-digit form"],
    ["PL", "PL123456789", "9 digits"],
    ["SE", "SE123456789012", "must end in 01"],
    ["DE", "FR12345678901", "another member state's id"],
    ["US", "123456789", "not a member state"],
    ["DE", "", "empty"]
  ])("rejects %s %s (%s)", (country, vatId) => {
    expect(canonical(country, vatId)).toBe("InvalidVatId")
  })

  it("ignores case, spaces, dots and dashes, and accepts the number without its prefix", () => {
    expect(canonical("DE", "de 123.456-789")).toBe("DE123456789")
    expect(canonical("DE", "123456789")).toBe("DE123456789")
    expect(canonical("GR", "123456789")).toBe("EL123456789")
    expect(canonical("AT", "u12345678")).toBe("ATU12345678")
    expect(canonical("NL", "nl 1234.56.789.b01")).toBe("NL123456789B01")
  })

  it("reports the country and the id as given", () => {
    const result = validateVatId("NL", "NL123")
    expect(Either.isLeft(result) && result.left).toMatchObject({ country: "NL", vatId: "NL123" })
    expect(Either.isLeft(result) && result.left.message).toBe('"NL123" is not a valid VAT id for NL')
  })

  it("returns the issuing country and the bare number", () => {
    expect(validateVatId("GR", "EL 123 456 789")).toEqual(
      Either.right({ country: "GR", number: "123456789", canonical: "EL123456789" })
    )
  })
})
