import { describe, expect, it } from "vitest"
import * as Core from "../index"
import { ErrorCodes, errorCode } from "./codes"

/** Every class the package exports whose instances carry a `_tag`: the typed errors. */
const errorClasses = Object.entries(Core).filter(
  ([, value]) =>
    typeof value === "function" &&
    value.prototype instanceof Error &&
    typeof (value as unknown as { _tag?: unknown })._tag === "string"
) as Array<[string, { readonly _tag: string }]>

describe("error codes", () => {
  it("finds the typed errors the package exports", () => {
    expect(errorClasses.length).toBeGreaterThan(40)
  })

  it("gives every exported typed error a stable UPPER_SNAKE code", () => {
    const missing = errorClasses
      .filter(([, value]) => !Object.hasOwn(ErrorCodes, value._tag))
      .map(([name]) => name)
    expect(missing).toEqual([])
  })

  it("lists no code for an error that does not exist, and never reuses a code", () => {
    const tags = new Set(errorClasses.map(([, value]) => value._tag))
    expect(Object.keys(ErrorCodes).filter((tag) => !tags.has(tag))).toEqual([])
    const codes = Object.values(ErrorCodes)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/)
  })

  it("maps an error instance to its code", () => {
    expect(errorCode(new Core.CurrencyMismatch({ expected: "EUR", actual: "USD" }))).toBe("CURRENCY_MISMATCH")
  })
})
