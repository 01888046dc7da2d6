/**
 * docs/error-codes.md lists every stable error code: a code added to `ErrorCodes` without a row (or a row
 * whose code no longer exists) fails here, so the published table cannot drift from the source.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { ErrorCodes } from "../src/errors/codes"

const doc = readFileSync(fileURLToPath(new URL("../../../docs/error-codes.md", import.meta.url)), "utf8")
const rows = [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*`(\w+)`\s*\|\s*(.+?)\s*\|$/gm)].map(
  ([, code, tag, meaning]) => ({
    code,
    tag,
    meaning
  })
)

describe("docs/error-codes.md", () => {
  it("has one row per ErrorCodes entry, with its tag, its code and a meaning", () => {
    const documented = rows.map(({ tag, code }) => `${tag} ${code}`).sort()
    const actual = Object.entries(ErrorCodes)
      .map(([tag, code]) => `${tag} ${code}`)
      .sort()
    expect(documented).toEqual(actual)
    expect(rows.every(({ meaning }) => (meaning ?? "").trim().length > 0)).toBe(true)
  })
})
