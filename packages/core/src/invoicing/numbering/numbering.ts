import { Either } from "effect"
import type { CivilDate } from "../../calendar/civil-date"
import { InvalidNumberFormat } from "./errors"

/**
 * Invoice numbering. Numbers come from gapless sequences per tenant (and per document kind): core
 * defines the format and which sequence a number is drawn from; the store reserves the next value
 * inside the transaction that finalizes the document, so a rolled-back transaction leaves no gap.
 *
 * A format is text with placeholders: `{YEAR}` (4 digits), `{YY}`, `{MONTH}` (2 digits), `{NUMBER}` or
 * `{NUMBER:6}` (zero-padded to 6), e.g. `"INV-{YEAR}-{NUMBER:5}"` -> `INV-2026-00042`.
 */
export interface NumberingPolicy {
  readonly format: string
  /** `yearly`: the sequence restarts at `start` every calendar year; `never`: one sequence forever. */
  readonly reset: "never" | "yearly"
  /** First number of a sequence (usually 1). */
  readonly start: number
  /**
   * `proforma`: open invoices carry no final number (only their id); the final number is drawn when the
   * invoice is paid, so the legal sequence has no unpaid or voided documents in it. `immediate`: the
   * number is drawn when the invoice is issued.
   */
  readonly mode: "immediate" | "proforma"
}

export const defaultNumbering: NumberingPolicy = {
  format: "INV-{YEAR}-{NUMBER:5}",
  reset: "yearly",
  start: 1,
  mode: "immediate"
}

const placeholder = /\{([A-Z]+)(?::(\d+))?\}/g
const known = new Set(["YEAR", "YY", "MONTH", "NUMBER"])

/** Checks a numbering policy: known placeholders only, exactly one `{NUMBER}`, a yearly reset needs `{YEAR}`. */
export const validateNumbering = (
  policy: NumberingPolicy
): Either.Either<NumberingPolicy, InvalidNumberFormat> => {
  const fail = (reason: string) => Either.left(new InvalidNumberFormat({ format: policy.format, reason }))
  const names = [...policy.format.matchAll(placeholder)].map((m) => m[1] as string)
  const unknown = names.find((name) => !known.has(name))
  if (unknown !== undefined) return fail(`unknown placeholder {${unknown}}`)
  if (names.filter((name) => name === "NUMBER").length !== 1) return fail("needs exactly one {NUMBER}")
  if (policy.reset === "yearly" && !names.includes("YEAR") && !names.includes("YY")) {
    return fail("a yearly reset needs {YEAR} or {YY} so numbers stay unique")
  }
  if (/[{}]/.test(policy.format.replace(placeholder, ""))) return fail("unbalanced braces")
  if (!Number.isSafeInteger(policy.start) || policy.start < 0)
    return fail("start must be a whole number >= 0")
  if (policy.format.length > 64) return fail("longer than 64 characters")
  return Either.right(policy)
}

/**
 * The sequence a number is drawn from on `date` (the issue or payment date in the tenant's zone):
 * `"invoice"` for a never-resetting sequence, `"invoice:2026"` for a yearly one. The store keeps one
 * counter per (tenant, key).
 */
export const sequenceKey = (policy: NumberingPolicy, documentKind: string, date: CivilDate): string =>
  policy.reset === "yearly" ? `${documentKind}:${date.year}` : documentKind

/** Renders the number drawn from the sequence, e.g. 42 on 2026-11-22 -> `INV-2026-00042`. */
export const formatDocumentNumber = (policy: NumberingPolicy, value: number, date: CivilDate): string =>
  policy.format.replace(placeholder, (_, name: string, width: string | undefined) => {
    switch (name) {
      case "YEAR":
        return String(date.year).padStart(4, "0")
      case "YY":
        return String(date.year % 100).padStart(2, "0")
      case "MONTH":
        return String(date.month).padStart(2, "0")
      default:
        return String(value).padStart(width === undefined ? 0 : Number(width), "0")
    }
  })

/** When the final number is drawn: on issue (`immediate`) or on payment (`proforma`). */
export const numberDrawnOn = (policy: NumberingPolicy): "issue" | "payment" =>
  policy.mode === "immediate" ? "issue" : "payment"
