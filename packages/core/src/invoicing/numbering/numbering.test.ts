import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  defaultNumbering,
  formatDocumentNumber,
  numberDrawnOn,
  sequenceKey,
  validateNumbering
} from "./numbering"

const day = { year: 2026, month: 3, day: 9 }

describe("numbering", () => {
  it("formats with padded numbers, year, two-digit year and month", () => {
    expect(formatDocumentNumber(defaultNumbering, 42, day)).toBe("INV-2026-00042")
    const policy = { ...defaultNumbering, format: "{YY}{MONTH}/{NUMBER}" }
    expect(formatDocumentNumber(policy, 7, day)).toBe("2603/7")
    expect(formatDocumentNumber({ ...defaultNumbering, format: "CN{NUMBER:3}" }, 1234, day)).toBe("CN1234")
  })

  it("draws from one sequence per year when it resets yearly, else from one forever", () => {
    expect(sequenceKey(defaultNumbering, "invoice", day)).toBe("invoice:2026")
    expect(sequenceKey(defaultNumbering, "invoice", { ...day, year: 2027 })).toBe("invoice:2027")
    expect(sequenceKey({ ...defaultNumbering, reset: "never" }, "credit_note", day)).toBe("credit_note")
  })

  it("gives the final number on payment in proforma mode", () => {
    expect(numberDrawnOn(defaultNumbering)).toBe("issue")
    expect(numberDrawnOn({ ...defaultNumbering, mode: "proforma" })).toBe("payment")
  })

  it("refuses formats that could repeat or do not parse", () => {
    const reasonOf = (format: string, reset: "never" | "yearly" = "never") => {
      const result = validateNumbering({ ...defaultNumbering, format, reset })
      return Either.isLeft(result) ? result.left.reason : "ok"
    }
    expect(reasonOf("INV-{YEAR}-{NUMBER:5}", "yearly")).toBe("ok")
    expect(reasonOf("INV-{NUMBER}", "yearly")).toMatch(/yearly reset needs/)
    expect(reasonOf("INV-{YEAR}")).toMatch(/exactly one \{NUMBER\}/)
    expect(reasonOf("INV-{NUMBER}{NUMBER}")).toMatch(/exactly one/)
    expect(reasonOf("INV-{DAY}{NUMBER}")).toMatch(/unknown placeholder \{DAY\}/)
    expect(reasonOf("INV-{NUMBER")).toMatch(/exactly one|unbalanced/)
    expect(reasonOf("INV-{NUMBER}}")).toMatch(/unbalanced/)
    expect(Either.isLeft(validateNumbering({ ...defaultNumbering, start: -1 }))).toBe(true)
  })
})
