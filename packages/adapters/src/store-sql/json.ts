/**
 * JSON columns. Two kinds:
 *
 * - `Json` values the port hands over as JSON (tenant settings, job payloads, idempotent results):
 *   stored with plain `JSON.stringify` and read back with `JSON.parse`.
 * - Small domain value objects that are never queried (an invoice's tax decision, a line's tax
 *   components, a coupon, the catalog): they hold `bigint` amounts and fields that are present but
 *   `undefined`, which plain JSON loses. `encodeDocument` writes a bigint as `{"$bigint":"123"}` and an
 *   undefined field as `{"$undefined":true}`, and escapes the document's own keys that start with `$`
 *   (`$x` becomes `$$x`), so a tag can never be confused with data; `decodeDocument` undoes all three.
 *   Money stays exact: digits in a string, never a float.
 */
import type { Json } from "@ezscale/core"

const BIGINT = "$bigint"
const UNDEFINED = "$undefined"

/**
 * The text of a value: written in one pass, with no intermediate copy of the document (a billing run
 * encodes several documents per invoice, so this is on its hot path). The bytes are those of
 * `JSON.stringify` over the tagged copy: keys in `Object.keys` order, strings and keys quoted by
 * `JSON.stringify`, an array's holes written as `null`.
 */
const writeValue = (value: unknown): string => {
  switch (typeof value) {
    case "bigint":
      return `{"${BIGINT}":"${value.toString()}"}`
    case "undefined":
      return `{"${UNDEFINED}":true}`
    case "object": {
      if (value === null) return "null"
      if (Array.isArray(value)) {
        let text = "["
        for (let i = 0; i < value.length; i++) {
          if (i > 0) text += ","
          text += i in value ? writeValue(value[i]) : "null"
        }
        return `${text}]`
      }
      let text = "{"
      let first = true
      for (const key of Object.keys(value)) {
        if (!first) text += ","
        first = false
        text += `${JSON.stringify(key.startsWith("$") ? `$${key}` : key)}:${writeValue((value as Record<string, unknown>)[key])}`
      }
      return `${text}}`
    }
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`cannot store the number ${value} in a document`)
      return JSON.stringify(value)
    case "string":
      return JSON.stringify(value)
    case "boolean":
      return value ? "true" : "false"
    default:
      throw new TypeError(`cannot store a ${typeof value} in a document`)
  }
}

const decodeValue = (value: unknown): unknown => {
  if (value === null || typeof value !== "object") return value
  if (Array.isArray(value)) return value.map(decodeValue)
  const entries = Object.entries(value)
  if (entries.length === 1) {
    const [key, field] = entries[0] as [string, unknown]
    if (key === BIGINT && typeof field === "string") return BigInt(field)
    if (key === UNDEFINED && field === true) return undefined
  }
  const out: Record<string, unknown> = {}
  for (const [key, field] of entries) out[key.startsWith("$$") ? key.slice(1) : key] = decodeValue(field)
  return out
}

/** A domain value object as JSON text, keeping bigints exact and undefined fields present. */
export const encodeDocument = (value: unknown): string => writeValue(value)

/** The value object `encodeDocument` wrote; the caller names its type (the store wrote it). */
export const decodeDocument = <A>(text: string): A => decodeValue(JSON.parse(text)) as A

/** A port-level JSON value as text. */
export const encodeJson = (value: Json): string => JSON.stringify(value)

export const decodeJson = (text: string): Json => JSON.parse(text) as Json
