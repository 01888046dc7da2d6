import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { catalogJson } from "../../test/fixtures/catalog"
import { decodeCatalog, encodeCatalog, findPlan, findPrice, findProduct, offeredCycles } from "./catalog"
import { cycleMonths, isRecurring } from "./cycle"
import type { Catalog } from "./schema"
import { checkOptionChange, priceSelection } from "./selection"

const catalog: Catalog = Either.getOrThrow(decodeCatalog(catalogJson))
const vps = Either.getOrThrow(findProduct(catalog, "vps-kvm"))

const issuesOf = (input: unknown) => {
  const result = decodeCatalog(input)
  if (Either.isRight(result)) throw new Error("expected the catalog to be refused")
  return result.left.issues.map((issue) => `${issue.path}: ${issue.message}`)
}

const withPlanPrices = (prices: unknown) => ({
  products: [{ id: "p", kind: "vps", name: "P", plans: [{ id: "a", name: "A", prices }] }]
})

describe("cycles", () => {
  it("knows which cycles recur and their months", () => {
    expect(isRecurring("monthly")).toBe(true)
    expect(isRecurring("one_time")).toBe(false)
    expect(isRecurring("free")).toBe(false)
    expect(cycleMonths("triennially")).toBe(36)
    expect(cycleMonths("semiannually")).toBe(6)
  })
})

describe("decodeCatalog", () => {
  it("decodes JSON with minor units as strings into bigints", () => {
    const plan = Either.getOrThrow(findPlan(vps, "vps-2g"))
    expect(plan.prices[0]).toEqual({ currency: "EUR", cycle: "monthly", amount: 1000n, setupFee: 500n })
    expect(vps.kind).toBe("vps")
    expect(catalog.products[1]?.options).toEqual([])
  })

  it("round-trips through its JSON form", () => {
    expect(decodeCatalog(encodeCatalog(catalog))).toEqual(Either.right(catalog))
  })

  it("keeps a plan's usage billing, validated with the plan", () => {
    const prices = [{ currency: "EUR", cycle: "monthly", amount: "1000" }]
    const usage = {
      transfer: {
        measure: "sum",
        includedGb: 1000,
        overage: { prices: { EUR: "50" }, step: "0.1", rounding: "up" }
      }
    }
    const withUsage = {
      products: [{ id: "p", kind: "vps", name: "P", plans: [{ id: "a", name: "A", prices, usage }] }]
    }
    const decoded = Either.getOrThrow(decodeCatalog(withUsage))
    expect(decoded.products[0]?.plans[0]?.usage?.transfer?.includedGb).toBe(1000)
    expect(decodeCatalog(encodeCatalog(decoded))).toEqual(Either.right(decoded))
    const broken = { ...usage, transfer: { ...usage.transfer, includedGb: -1 } }
    expect(
      issuesOf({
        products: [
          { id: "p", kind: "vps", name: "P", plans: [{ id: "a", name: "A", prices, usage: broken }] }
        ]
      })
    ).toEqual([expect.stringMatching(/^products\.0\.plans\.0\.usage\.transfer\.includedGb: /)])
  })

  it("names the field and the reason for every problem", () => {
    expect(issuesOf(withPlanPrices([{ currency: "EUR", cycle: "monthly", amount: "-1" }]))).toEqual([
      expect.stringMatching(/^products\.0\.plans\.0\.prices\.0\.amount: must be a non-negative whole number/)
    ])
    expect(issuesOf(withPlanPrices([{ currency: "EUR", cycle: "monthly", amount: "9.99" }]))[0]).toMatch(
      /prices\.0\.amount/
    )
    expect(issuesOf(withPlanPrices([{ currency: "XYZ", cycle: "monthly", amount: "1" }]))).toEqual([
      expect.stringMatching(/^products\.0\.plans\.0\.prices\.0\.currency: must be an ISO 4217/)
    ])
    expect(issuesOf(withPlanPrices([{ currency: "EUR", cycle: "weekly", amount: "1" }]))[0]).toMatch(
      /prices\.0\.cycle/
    )
    expect(
      issuesOf(
        withPlanPrices([
          { currency: "EUR", cycle: "monthly", amount: "1" },
          { currency: "EUR", cycle: "monthly", amount: "2" }
        ])
      )
    ).toEqual(["products.0.plans.0.prices.1: EUR/monthly is priced twice"])
    expect(issuesOf(withPlanPrices([{ currency: "EUR", cycle: "free", amount: "100" }]))).toEqual([
      "products.0.plans.0.prices.0.amount: a free cycle must have a zero amount and no setup fee"
    ])
    expect(issuesOf(withPlanPrices([]))).toEqual([
      "products.0.plans.0.prices: a plan needs at least one price"
    ])
  })

  it("refuses unknown kinds, duplicate ids, bad quantity ranges and unknown fields", () => {
    const base = catalogJson.products[0]
    expect(issuesOf({ products: [{ ...base, kind: "vpn" }] })[0]).toMatch(/^products\.0\.kind/)
    expect(issuesOf({ products: [base, base] })).toEqual(['products.1.id: duplicate product id "vps-kvm"'])
    const badQuantity = {
      ...base,
      options: [{ _tag: "quantity", id: "q", name: "Q", upgradable: true, min: 5, max: 2, unitPrices: [] }]
    }
    expect(issuesOf({ products: [badQuantity] })).toEqual(["products.0.options.0.max: must be at least min"])
    expect(issuesOf({ products: [{ ...base, colour: "red" }] })[0]).toMatch(/^products\.0\.colour/)
    expect(issuesOf({ products: "none" })[0]).toMatch(/^products:/)
  })
})

describe("prices", () => {
  it("finds offered cycles and refuses the rest", () => {
    const plan = Either.getOrThrow(findPlan(vps, "vps-4g"))
    expect(offeredCycles(plan)).toEqual([
      { currency: "EUR", cycle: "monthly" },
      { currency: "EUR", cycle: "quarterly" }
    ])
    const missing = findPrice(plan.id, plan.prices, "EUR", "annually")
    expect(Either.isLeft(missing) && missing.left._tag).toBe("CycleNotOffered")
    expect(Either.isLeft(findProduct(catalog, "nope"))).toBe(true)
    expect(Either.isLeft(findPlan(vps, "nope"))).toBe(true)
  })
})

describe("priceSelection", () => {
  it("prices the plan, each option kind and an add-on billed with the parent", () => {
    const priced = Either.getOrThrow(
      priceSelection(vps, {
        productId: "vps-kvm",
        planId: "vps-2g",
        currency: "EUR",
        cycle: "monthly",
        options: [
          { optionId: "os", choiceId: "windows" },
          { optionId: "extra-ip", quantity: 2 },
          { optionId: "backups", enabled: true }
        ],
        addons: [{ addonId: "cpanel" }, { addonId: "ddos", cycle: "annually" }]
      })
    )
    expect(priced.items.map((i) => [i.kind, i.itemId, i.quantity, i.amount, i.setupFee])).toEqual([
      ["plan", "vps-2g", 1n, 1000n, 500n],
      ["option", "os", 1n, 1500n, 1000n],
      ["option", "extra-ip", 2n, 500n, 0n],
      ["option", "backups", 1n, 300n, 0n],
      ["addon", "cpanel", 1n, 1800n, 0n]
    ])
    expect(priced.items[1]?.description).toBe("Operating system: Windows Server 2025")
    expect(priced.items[2]?.description).toBe("Extra IPv4: 2 IP")
    expect(priced.separate.map((i) => [i.itemId, i.cycle, i.amount])).toEqual([["ddos", "annually", 6000n]])
  })

  it("uses option defaults: quantity = min (nothing billed at 0), yes/no = no", () => {
    const priced = Either.getOrThrow(
      priceSelection(vps, {
        productId: "vps-kvm",
        planId: "vps-2g",
        currency: "EUR",
        cycle: "monthly",
        options: [{ optionId: "os", choiceId: "debian" }]
      })
    )
    expect(priced.items.map((i) => i.itemId)).toEqual(["vps-2g", "os"])
  })

  it("refuses what the catalog does not offer, with typed errors", () => {
    const tagOf = (selection: Parameters<typeof priceSelection>[1]) => {
      const result = priceSelection(vps, selection)
      return Either.isLeft(result) ? result.left._tag : "ok"
    }
    const base = { productId: "vps-kvm", planId: "vps-2g", currency: "EUR", cycle: "monthly" } as const
    const os = { optionId: "os", choiceId: "debian" }
    expect(tagOf({ ...base, planId: "vps-9g", options: [os] })).toBe("PlanNotFound")
    expect(tagOf({ ...base, cycle: "biennially", options: [os] })).toBe("CycleNotOffered")
    expect(tagOf({ ...base, currency: "USD", options: [os] })).toBe("CycleNotOffered")
    expect(tagOf({ ...base, options: [] })).toBe("InvalidOptionValue")
    expect(tagOf({ ...base, options: [os, { optionId: "gpu", enabled: true }] })).toBe("OptionNotFound")
    expect(tagOf({ ...base, options: [os, { optionId: "extra-ip", quantity: 9 }] })).toBe(
      "InvalidOptionValue"
    )
    expect(tagOf({ ...base, options: [os, { optionId: "extra-ip", quantity: 1.5 }] })).toBe(
      "InvalidOptionValue"
    )
    expect(tagOf({ ...base, options: [os, { optionId: "backups", quantity: 1 }] })).toBe("InvalidOptionValue")
    expect(tagOf({ ...base, options: [{ optionId: "os", choiceId: "arch" }] })).toBe("InvalidOptionValue")
    expect(tagOf({ ...base, options: [os], addons: [{ addonId: "plesk" }] })).toBe("AddonNotFound")
    expect(tagOf({ ...base, options: [os], addons: [{ addonId: "ddos" }] })).toBe("CycleNotOffered")
  })

  it("allows mid-term changes only to upgradable options", () => {
    expect(Either.isRight(checkOptionChange(vps, "extra-ip"))).toBe(true)
    const os = checkOptionChange(vps, "os")
    expect(Either.isLeft(os) && os.left._tag).toBe("OptionNotUpgradable")
    const unknown = checkOptionChange(vps, "gpu")
    expect(Either.isLeft(unknown) && unknown.left._tag).toBe("OptionNotFound")
  })
})
