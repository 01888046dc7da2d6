/**
 * Validates the Stripe fake's answers against Stripe's OpenAPI document (shared/specs/stripe/spec3.json,
 * API 2024-04-10) with openapi-backend, by operation id and status. Load once per test file
 * (`loadStripeSpec`, a few seconds); `recorder` collects every response the fake gives and `violations`
 * says which do not match.
 *
 * How the document is read, and the tolerances that follow from it:
 * - Expandable fields (`x-expansionResources`: `customer`, `latest_charge`, `payment_method`...) are
 *   checked in their unexpanded form, the id string: the fake never expands, so an expanded object would
 *   be a defect here.
 * - `nullable: true` without a `type` (on `anyOf` unions) becomes `anyOf: [..., null]`: ajv's OpenAPI
 *   `nullable` keyword refuses a schema without a type; the meaning is the same.
 * - A nullable `enum` gets `null` among its values: Stripe marks such fields (`cancellation_reason`...)
 *   `nullable` and sends `null`, but ajv, reading OpenAPI 3.0 strictly, wants `null` in the enum too.
 * - Component `$ref`s stay references, compiled once into one shared Ajv, instead of openapi-backend's
 *   fully dereferenced copy per operation (minutes of compiling for Stripe's 6 MB document).
 * - Formats `unix-time` and `decimal` are Stripe's own: integer seconds, and a decimal string.
 * - The spec is older (2024-04-10) than the SDK's pinned API version (2026-10-28.endive); where they
 *   disagree the SDK's .d.ts is the authority. Stripe's schemas leave additional properties open, so the
 *   newer fields the fake gives as the SDK types them pass; no field needed a further tolerance.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import type { FakeResponse } from "@ezscale/adapters/gateway-stripe/fake"
import { type Document, OpenAPIBackend } from "openapi-backend"

/** `../shared` beside the repository, as in CI (the document is 6 MB: read, not copied into the repo). */
const specPath = new URL("../../../../shared/specs/stripe/spec3.json", import.meta.url)
const specSha256 = "aca5d9eb68e64d928494b79b5c0dbadfa6df269f9566a63860256158f8169ad4"
const schemaBase = "https://stripe.test/schemas/"

type Node = unknown

/** The document as validated: expansions unexpanded, nullable unions spelled out, refs kept by name. */
const prepare = (node: Node): Node => {
  if (Array.isArray(node)) return node.map(prepare)
  if (node === null || typeof node !== "object") return node
  let source = node as Record<string, unknown>
  if (source["x-expansionResources"] !== undefined && Array.isArray(source.anyOf)) {
    const { "x-expansionResources": _expansions, ...rest } = source
    source = {
      ...rest,
      anyOf: (source.anyOf as Array<Record<string, unknown>>).filter((option) => option.$ref === undefined)
    }
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(source)) {
    if (key === "description") continue
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
      out["x-stripe-schema"] = value.slice("#/components/schemas/".length)
      continue
    }
    out[key] = prepare(value)
  }
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _nullable, ...rest } = out
    return { anyOf: [rest, { enum: [null] }] }
  }
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) {
    return { ...out, enum: [...out.enum, null] }
  }
  return out
}

export interface StripeSpec {
  /** What is wrong with each response (empty when all match the document). */
  readonly violations: (responses: ReadonlyArray<FakeResponse>) => ReadonlyArray<string>
}

export const loadStripeSpec = async (): Promise<StripeSpec> => {
  const raw = readFileSync(specPath)
  const digest = createHash("sha256").update(raw).digest("hex")
  if (digest !== specSha256) throw new Error(`stripe spec: sha256 ${digest}, expected ${specSha256}`)
  const document = prepare(JSON.parse(raw.toString("utf8"))) as Document & {
    components: { schemas: Record<string, object> }
  }
  // biome-ignore lint/suspicious/noExplicitAny: Ajv's type comes from openapi-backend's own dependency
  let shared: any
  const api = new OpenAPIBackend({
    definition: document,
    quick: true,
    ajvOpts: { strict: false, logger: false, inlineRefs: false },
    customizeAjv: (ajv) => {
      if (shared !== undefined) return shared
      ajv.addFormat("unix-time", { type: "number", validate: (value: number) => Number.isInteger(value) })
      ajv.addFormat("decimal", { type: "string", validate: (value: string) => /^-?\d+(\.\d+)?$/.test(value) })
      ajv.addKeyword({ keyword: "x-stripe-schema", macro: (name: string) => ({ $ref: schemaBase + name }) })
      for (const [name, schema] of Object.entries(document.components.schemas)) {
        ajv.addSchema(schema, schemaBase + name)
      }
      shared = ajv
      return ajv
    }
  })
  await api.init()
  return {
    violations: (responses) =>
      responses.flatMap((response) => {
        const where = `${response.method} ${response.path} -> ${response.status}`
        if (response.operationId === undefined) return [`${where}: no operation in the spec`]
        const result = api.validateResponse(response.body, response.operationId, response.status)
        return result.valid
          ? []
          : [`${where} (${response.operationId}): ${JSON.stringify(result.errors?.slice(0, 3))}`]
      })
  }
}

/** Collects the fake's responses (pass `record` as the fake's `onResponse`). */
export const responseRecorder = () => {
  const responses: Array<FakeResponse> = []
  return {
    record: (response: FakeResponse) => {
      responses.push(response)
    },
    /** The responses since the last call. */
    take: (): ReadonlyArray<FakeResponse> => responses.splice(0)
  }
}
