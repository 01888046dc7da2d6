import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import type { TaxContext, TaxCustomer, TaxDecision, TaxSeller } from "./determine"
import { determineTax, outsideEuNote, reverseChargeNote, sellerNotRegisteredNote } from "./determine"
import { PercentRate } from "./rate-schema"
import { decodeTaxRules, type TaxRule, type TaxRuleInput } from "./rules"

const rules = (input: ReadonlyArray<TaxRuleInput>): ReadonlyArray<TaxRule> =>
  Either.getOrThrow(decodeTaxRules(input))

const tenantRules = rules([
  { id: "de-vat", country: "DE", name: "VAT", rate: "19" },
  { id: "de-vat-ebook", country: "DE", name: "VAT", rate: "7", productKinds: ["ebook"] },
  { id: "fr-vat", country: "FR", name: "TVA", rate: "20" },
  { id: "nl-vat", country: "NL", name: "BTW", rate: "21" },
  { id: "gr-vat", country: "GR", name: "VAT", rate: "24" },
  { id: "ch-vat", country: "CH", name: "MWST", rate: "8.1" },
  { id: "us-tx", country: "US", region: "TX", name: "Texas sales tax", rate: "6.25", priority: 1 },
  {
    id: "us-tx-austin",
    country: "US",
    region: "TX",
    locality: "AUSTIN",
    name: "Austin",
    rate: "2",
    priority: 2
  },
  { id: "ca-gst", country: "CA", name: "GST", rate: "5", priority: 1 },
  { id: "ca-qc-qst", country: "CA", region: "QC", name: "QST", rate: "9.975", priority: 2 }
])

const nlOss: TaxSeller = { country: "NL", euVat: "oss" }
const consumer = (country: string, extra: Partial<TaxCustomer> = {}): TaxCustomer => ({
  country,
  isBusiness: false,
  ...extra
})
const business = (country: string, vatId: string): TaxCustomer => ({ country, isBusiness: true, vatId })

const decide = (seller: TaxSeller, customer: TaxCustomer, productKind?: string) =>
  determineTax({ seller, customer } satisfies TaxContext, tenantRules, productKind)

/** The decision as `country rule:rate, ...` for short assertions. */
const rates = (decision: Either.Either<TaxDecision, unknown>): string =>
  Either.match(decision, {
    onLeft: (e) => `error ${(e as { _tag: string })._tag}`,
    onRight: (d) =>
      d.kind === "taxed"
        ? `${d.country} ${d.components.map((c) => `${c.ruleId}:${c.rate.num}/${c.rate.den}`).join(", ")}`
        : d.kind
  })

describe("determineTax: EU VAT", () => {
  it("charges an EU consumer the customer country's rate when the seller is OSS registered", () => {
    expect(rates(decide(nlOss, consumer("DE")))).toBe("DE de-vat:19/100")
    expect(rates(decide(nlOss, consumer("FR")))).toBe("FR fr-vat:1/5")
    expect(rates(decide(nlOss, consumer("GR")))).toBe("GR gr-vat:6/25")
  })

  it("charges an EU consumer the seller's rate when the seller is registered at home only", () => {
    expect(rates(decide({ country: "NL", euVat: "domestic" }, consumer("DE")))).toBe("NL nl-vat:21/100")
  })

  it("charges a domestic consumer the domestic rate", () => {
    expect(rates(decide(nlOss, consumer("NL")))).toBe("NL nl-vat:21/100")
  })

  it("reverse-charges a business with a valid VAT id of another member state, with the legal note", () => {
    expect(decide(nlOss, business("DE", "de 123 456 789"))).toEqual(
      Either.right({ kind: "reverse_charge", note: reverseChargeNote, customerVatId: "DE123456789" })
    )
    expect(reverseChargeNote).toContain("Article 196 of Council Directive 2006/112/EC")
    expect(decide(nlOss, business("GR", "EL123456789"))).toEqual(
      Either.right({ kind: "reverse_charge", note: reverseChargeNote, customerVatId: "EL123456789" })
    )
  })

  it("taxes a business in the seller's own member state normally", () => {
    expect(rates(decide(nlOss, business("NL", "NL123456789B01")))).toBe("NL nl-vat:21/100")
    expect(rates(decide({ country: "DE", euVat: "domestic" }, business("DE", "DE123456789")))).toBe(
      "DE de-vat:19/100"
    )
  })

  it("rejects a business whose VAT id does not have its country's format", () => {
    const result = decide(nlOss, business("DE", "DE12345"))
    expect(rates(result)).toBe("error InvalidVatId")
    expect(Either.isLeft(result) && result.left).toMatchObject({ country: "DE", vatId: "DE12345" })
    expect(rates(decide(nlOss, business("DE", "FR12345678901")))).toBe("error InvalidVatId")
  })

  it("treats a business without a VAT id as a consumer", () => {
    expect(rates(decide(nlOss, { country: "DE", isBusiness: true }))).toBe("DE de-vat:19/100")
  })

  it("records a customer exemption's reason and charges nothing", () => {
    const customer = consumer("DE", { exempt: { reason: "Charity, exemption certificate 42" } })
    expect(decide(nlOss, customer)).toEqual(
      Either.right({ kind: "exempt", reason: "Charity, exemption certificate 42" })
    )
    expect(decide(nlOss, { ...business("DE", "bad"), exempt: { reason: "Diplomatic mission" } })).toEqual(
      Either.right({ kind: "exempt", reason: "Diplomatic mission" })
    )
  })

  it("charges no EU VAT outside the EU, with the out-of-scope note, unless the tenant has a rule there", () => {
    expect(decide(nlOss, consumer("JP"))).toEqual(
      Either.right({ kind: "out_of_scope", reason: "outside_eu", note: outsideEuNote })
    )
    expect(rates(decide(nlOss, business("GB", "GB123456789")))).toBe("out_of_scope")
    expect(rates(decide(nlOss, consumer("CH")))).toBe("CH ch-vat:81/1000")
  })

  it("charges no VAT when the EU seller is not VAT registered", () => {
    expect(decide({ country: "DE", euVat: "none" }, consumer("DE"))).toEqual(
      Either.right({
        kind: "out_of_scope",
        reason: "seller_not_vat_registered",
        note: sellerNotRegisteredNote
      })
    )
  })

  it("fails when EU VAT is due in a country the tenant has no rule for", () => {
    const result = decide(nlOss, consumer("IT"))
    expect(rates(result)).toBe("error TaxRuleMissing")
    expect(Either.isLeft(result) && result.left.message).toBe("No tax rule for IT, where tax must be charged")
    expect(rates(decide({ country: "IT", euVat: "domestic" }, consumer("DE")))).toBe("error TaxRuleMissing")
  })

  it("uses a product kind's rule instead of the general rule of the same name", () => {
    expect(rates(decide(nlOss, consumer("DE"), "ebook"))).toBe("DE de-vat-ebook:7/100")
    expect(rates(decide(nlOss, consumer("DE"), "vps"))).toBe("DE de-vat:19/100")
    expect(rates(decide(nlOss, consumer("DE")))).toBe("DE de-vat:19/100")
  })

  it("fails on two rules for the same component", () => {
    const conflicting = rules([
      { id: "a", country: "DE", name: "VAT", rate: "19" },
      { id: "b", country: "DE", name: "VAT", rate: "16" }
    ])
    const result = determineTax({ seller: nlOss, customer: consumer("DE") }, conflicting)
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: "TaxRuleConflict",
      ruleIds: ["a", "b"]
    })
  })
})

describe("determineTax: sales tax outside the EU", () => {
  const usSeller: TaxSeller = { country: "US", euVat: "none" }

  it("charges the state's rule", () => {
    expect(rates(decide(usSeller, consumer("US", { region: "TX" })))).toBe("US us-tx:1/16")
  })

  it("adds a local rule to the state rule, in priority order", () => {
    expect(rates(decide(usSeller, consumer("US", { region: "TX", locality: "AUSTIN" })))).toBe(
      "US us-tx:1/16, us-tx-austin:1/50"
    )
    expect(rates(decide(usSeller, consumer("US", { region: "CA", locality: "AUSTIN" })))).toBe("none")
  })

  it("charges nothing where no rule matches", () => {
    expect(decide(usSeller, consumer("US", { region: "OR" }))).toEqual(Either.right({ kind: "none" }))
    expect(rates(decide(usSeller, consumer("US")))).toBe("none")
    expect(rates(decide(usSeller, consumer("DE")))).toBe("DE de-vat:19/100")
  })

  it("charges Canadian GST plus the province's rate", () => {
    const caSeller: TaxSeller = { country: "CA", euVat: "none" }
    expect(rates(decide(caSeller, consumer("CA", { region: "QC" })))).toBe(
      "CA ca-gst:1/20, ca-qc-qst:399/4000"
    )
    expect(rates(decide(caSeller, consumer("CA", { region: "AB" })))).toBe("CA ca-gst:1/20")
  })
})

describe("decodeTaxRules", () => {
  const issue = (input: unknown) =>
    Either.match(decodeTaxRules(input), { onLeft: (e) => e.issue, onRight: () => "decoded" })

  it("decodes percentage strings to exact ratios", () => {
    const [rule] = rules([
      { id: "tx", country: "US", region: "TX", name: "Sales tax", rate: "8.25", compound: false }
    ])
    expect(rule).toEqual({
      id: "tx",
      country: "US",
      region: "TX",
      name: "Sales tax",
      rate: { num: 33n, den: 400n },
      compound: false
    })
  })

  it("rejects bad rules with a readable issue", () => {
    expect(issue([{ id: "x", country: "de", name: "VAT", rate: "19" }])).toContain("country")
    expect(issue([{ id: "x", country: "DE", name: "VAT", rate: "abc" }])).toContain("not a valid rate")
    expect(issue([{ id: "x", country: "DE", name: "VAT", rate: "-5" }])).toContain("not a valid rate")
    expect(issue([{ id: "x", country: "US", locality: "AUSTIN", name: "City", rate: "2" }])).toContain(
      "a rule with a locality needs a region"
    )
    expect(issue([{ id: "x", country: "DE", name: "VAT", rate: "19", productKinds: [] }])).not.toBe("decoded")
    expect(
      issue([
        { id: "x", country: "DE", name: "VAT", rate: "19" },
        { id: "x", country: "FR", name: "TVA", rate: "20" }
      ])
    ).toBe('duplicate rule id "x"')
  })

  it("encodes a rate back to its percentage string", () => {
    expect(Schema.encodeSync(PercentRate)({ num: 33n, den: 400n })).toBe("8.25")
    expect(Schema.encodeSync(PercentRate)({ num: 399n, den: 4000n })).toBe("9.975")
    expect(() => Schema.encodeSync(PercentRate)({ num: 1n, den: 3n })).toThrow("no finite decimal form")
  })
})
