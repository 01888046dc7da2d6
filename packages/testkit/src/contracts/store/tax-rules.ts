import { describe, expect } from "@effect/vitest"
import { decodeTaxRules, InvalidTaxRule, type TaxRule } from "@ezscale/core"
import { Effect, Either } from "effect"
import { fresh, type StoreIt } from "./support"

/** A rule set as a tenant enters it: every optional field, present and absent. */
const rules: ReadonlyArray<TaxRule> = Either.getOrThrow(
  decodeTaxRules([
    { id: "de-vat", country: "DE", name: "VAT", rate: "19" },
    { id: "de-ebook", country: "DE", name: "VAT", rate: "7", productKinds: ["ebook", "course"] },
    { id: "us-tx", country: "US", region: "TX", name: "State sales tax", rate: "6.25", priority: 0 },
    {
      id: "us-tx-austin",
      country: "US",
      region: "TX",
      locality: "Austin",
      name: "City sales tax",
      rate: "2",
      priority: 1,
      compound: false
    },
    { id: "ca-qc-gst", country: "CA", region: "QC", name: "GST", rate: "5", priority: -1 },
    { id: "ca-qc-qst", country: "CA", region: "QC", name: "QST", rate: "9.975", priority: 2, compound: true },
    { id: "tiny", country: "XX", name: "Precise", rate: "0.000000000001" }
  ])
)

export const taxRuleContract = (it: StoreIt) => {
  describe("tax rules", () => {
    it.effect("a rule set is stored and read back exactly, in order, with exact rates", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        expect(yield* store.taxRules.list(tenantId)).toEqual([])
        yield* store.taxRules.replace(tenantId, rules)
        const read = yield* store.taxRules.list(tenantId)
        expect(read).toEqual(rules)
        expect(read.map((rule) => rule.id)).toEqual(rules.map((rule) => rule.id))
        expect(read.find((rule) => rule.id === "ca-qc-qst")?.rate).toEqual({ num: 399n, den: 4000n })
        expect(read.find((rule) => rule.id === "tiny")?.rate).toEqual({ num: 1n, den: 10n ** 14n })
        // absent stays absent, present stays present (also when false / 0)
        const austin = read.find((rule) => rule.id === "us-tx-austin")
        expect(austin?.compound).toBe(false)
        expect(Object.hasOwn(read[0] ?? {}, "compound")).toBe(false)
        expect(Object.hasOwn(read[0] ?? {}, "region")).toBe(false)
        expect(read.find((rule) => rule.id === "us-tx")?.priority).toBe(0)
        expect(yield* store.taxRules.list(otherTenantId)).toEqual([])
      })
    )

    it.effect("replace swaps the whole set; an empty list removes it", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        yield* store.taxRules.replace(tenantId, rules)
        yield* store.taxRules.replace(otherTenantId, rules.slice(0, 1))
        const next = [rules[5], rules[0]].filter((rule) => rule !== undefined)
        yield* store.taxRules.replace(tenantId, next)
        expect(yield* store.taxRules.list(tenantId)).toEqual(next)
        yield* store.taxRules.replace(tenantId, [])
        expect(yield* store.taxRules.list(tenantId)).toEqual([])
        expect(yield* store.taxRules.list(otherTenantId)).toEqual(rules.slice(0, 1))
      })
    )

    it.effect("a set that cannot be kept exactly is InvalidTaxRule and changes nothing", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.taxRules.replace(tenantId, rules)
        const first = rules[0] as TaxRule
        const duplicate = yield* Effect.flip(store.taxRules.replace(tenantId, [first, { ...first }]))
        expect(duplicate).toBeInstanceOf(InvalidTaxRule)
        expect(duplicate.message).toMatch(/duplicate rule id "de-vat"/)
        const third = yield* Effect.flip(
          store.taxRules.replace(tenantId, [{ ...first, id: "third", rate: { num: 1n, den: 3n } }])
        )
        expect(third).toBeInstanceOf(InvalidTaxRule)
        const orphanLocality = yield* Effect.flip(
          store.taxRules.replace(tenantId, [{ ...first, id: "city", locality: "Austin" }])
        )
        expect(orphanLocality).toBeInstanceOf(InvalidTaxRule)
        expect(yield* store.taxRules.list(tenantId)).toEqual(rules)
      })
    )

    it.effect("a replace in a failed transaction is undone", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.taxRules.replace(tenantId, rules)
        const failed = yield* Effect.either(
          store.withTransaction(
            Effect.zipRight(store.taxRules.replace(tenantId, rules.slice(2, 3)), Effect.fail("boom" as const))
          )
        )
        expect(failed).toEqual(Either.left("boom"))
        expect(yield* store.taxRules.list(tenantId)).toEqual(rules)
      })
    )
  })
}
