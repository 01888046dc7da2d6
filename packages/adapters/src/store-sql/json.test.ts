import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { INT64_MAX, INT64_MIN } from "./integers"
import { decodeDocument, decodeJson, encodeDocument, encodeJson } from "./json"

describe("document columns", () => {
  it("keep bigints exact, far beyond 2^53, and never write them as JSON numbers", () => {
    const document = { rate: { num: 19n, den: 100n }, amounts: [INT64_MAX, INT64_MIN, 2n ** 53n + 1n, -7n] }
    const text = encodeDocument(document)
    expect(text).toContain('"9223372036854775807"')
    expect(text).not.toMatch(/:\s*9007199254740993/)
    expect(decodeDocument(text)).toEqual(document)
    expect((decodeDocument<typeof document>(text).amounts[2] as bigint) - 1n).toBe(2n ** 53n)
  })

  it("keep fields that are present but undefined (documents keep one shape)", () => {
    const line = { period: undefined, itemId: "vps", reduces: [0, 1], note: undefined }
    const back = decodeDocument<typeof line>(encodeDocument(line))
    expect(Object.keys(back)).toEqual(["period", "itemId", "reduces", "note"])
    expect(back).toStrictEqual(line)
    expect(decodeDocument(encodeDocument([undefined, 1n]))).toStrictEqual([undefined, 1n])
  })

  it("escape the document's own $-keys, so data that looks like a tag stays data", () => {
    const tricky = { $bigint: "12", nested: { $undefined: true, $$x: 1 }, list: [{ $bigint: "1" }] }
    const back = decodeDocument(encodeDocument(tricky))
    expect(back).toStrictEqual(tricky)
  })

  it("write the bytes of JSON.stringify over the tagged copy of the document", () => {
    // the tagging spelled out as a copy: what the one-pass writer must match byte for byte
    const tagged = (value: unknown): unknown => {
      if (typeof value === "bigint") return { $bigint: value.toString() }
      if (value === undefined) return { $undefined: true }
      if (value === null || typeof value !== "object") return value
      if (Array.isArray(value)) return value.map(tagged)
      const out: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(value))
        out[key.startsWith("$") ? `$${key}` : key] = tagged(field)
      return out
    }
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom("$bigint", "$undefined", "$$x", "1", "0", "__proto__x", 'q"\\u2028')
    )
    const leaf = fc.oneof(
      fc.bigInt(),
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer()
    )
    const document = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 5 }),
      object: fc.dictionary(key, tie("value"), { maxKeys: 5 })
    })).value
    fc.assert(
      fc.property(document, (value) => {
        expect(encodeDocument(value)).toBe(JSON.stringify(tagged(value)))
      })
    )
    // holes are written as JSON.stringify writes them
    const holed: Array<unknown> = [1n]
    holed[2] = 2
    expect(encodeDocument(holed)).toBe('[{"$bigint":"1"},null,2]')
  })

  it("refuse values JSON cannot hold instead of writing something else", () => {
    expect(() => encodeDocument({ amount: Number.NaN })).toThrow(RangeError)
    expect(() => encodeDocument({ f: () => 1 })).toThrow(TypeError)
  })

  it("port JSON values round-trip as plain JSON, null included", () => {
    for (const value of [null, 0, "x", true, [1, "2"], { a: { b: [null] } }]) {
      expect(decodeJson(encodeJson(value))).toStrictEqual(value)
    }
    expect(encodeJson({ amount: "1999" })).toBe('{"amount":"1999"}')
  })
})
