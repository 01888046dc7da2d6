import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PricedItem } from "../../catalog/selection"
import type { RoundingMode } from "../../money/rounding"
import { type Coupon, decodeCoupon } from "../coupon/coupon"
import { appliesOnCycle } from "../coupon/redemption"
import type { TaxDecision } from "../tax/determine"
import { type RenewalInput, renewalInvoice, renewalInvoiceGeneral } from "./renewal"
import { quickRenewal } from "./renewal-fast"

const component = (ruleId: string, percent: bigint, compound = false) => ({
  ruleId,
  name: ruleId.toUpperCase(),
  rate: { num: percent, den: 100n },
  compound
})

const decisions: ReadonlyArray<TaxDecision> = [
  { kind: "none" },
  { kind: "exempt", reason: "charity" },
  { kind: "reverse_charge", note: "Reverse charge", customerVatId: "FR40303265045" },
  { kind: "out_of_scope", reason: "outside_eu", note: "Outside the EU" },
  { kind: "taxed", country: "FR", components: [component("fr", 20n)] },
  { kind: "taxed", country: "DE", components: [component("de", 19n)] },
  { kind: "taxed", country: "CA", components: [component("gst", 5n), component("qst", 9n, true)] }
]

const item = fc
  .record({
    kind: fc.constantFrom<PricedItem["kind"]>("plan", "option", "addon"),
    unitAmount: fc.oneof(
      { weight: 9, arbitrary: fc.bigInt({ min: 0n, max: 500_000n }) },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }) }
    ),
    quantity: fc.bigInt({ min: 1n, max: 4n }),
    setupFee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 100_000n }))
  })
  .map(
    (r, i = 0): PricedItem => ({
      kind: r.kind,
      itemId: `item-${i}`,
      description: `${r.kind} ${r.unitAmount}`,
      cycle: "monthly",
      quantity: r.quantity,
      unitAmount: r.unitAmount,
      amount: r.unitAmount * r.quantity,
      setupFee: r.setupFee
    })
  )

const coupon = fc
  .record({
    discount: fc.oneof(
      fc.integer({ min: 1, max: 100 }).map((p) => ({ kind: "percent", rate: String(p) })),
      fc.bigInt({ min: 1n, max: 1_000_000n }).map((a) => ({ kind: "fixed", amounts: { EUR: String(a) } })),
      fc.constant({ kind: "fixed", amounts: { USD: "500" } })
    ),
    duration: fc.constantFrom<unknown>("once", "forever", { cycles: 2 }),
    freeSetup: fc.boolean(),
    restriction: fc.constantFrom<unknown>(
      undefined,
      { productIds: ["vps"] },
      { productIds: ["game"] },
      { planIds: ["big"] }
    ),
    stackable: fc.boolean(),
    code: fc.constantFrom("A", "B", "C")
  })
  .map(
    (r): Coupon =>
      Either.getOrThrow(
        decodeCoupon({
          id: `cpn-${r.code}`,
          code: r.code,
          duration: r.duration,
          freeSetup: r.freeSetup,
          stackable: r.stackable,
          ...(r.restriction === undefined ? {} : { appliesTo: r.restriction }),
          ...r.discount
        })
      )
  )

const input = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 5 }),
  pricing: fc.constantFrom<"exclusive" | "inclusive">("exclusive", "inclusive"),
  coupons: fc.array(coupon, { maxLength: 2 }),
  cycleNumber: fc.integer({ min: 1, max: 3 }),
  includeSetup: fc.boolean(),
  decision: fc.constantFrom(...decisions),
  rounding: fc.constantFrom<RoundingMode>("half-even", "half-up", "down", "up")
})

type Generated = typeof input extends fc.Arbitrary<infer T> ? T : never

const renewal = (r: Generated): RenewalInput => ({
  invoiceId: "inv-1",
  subscription: {
    id: "sub-1",
    tenantId: "ten-1",
    customerId: "cus-1",
    productId: "vps",
    planId: "small",
    currency: "EUR",
    pricing: r.pricing,
    items: r.items
  },
  period: { start: { year: 2026, month: 1, day: 31 }, end: { year: 2026, month: 2, day: 28 } },
  cycleNumber: r.cycleNumber,
  coupons: r.coupons,
  includeSetup: r.includeSetup,
  tax: r.decision,
  dueAt: 1_000,
  rounding: r.rounding
})

describe("the quick renewal path", () => {
  it("gives exactly what the general path gives, or leaves the case to it (property)", () => {
    let quick = 0
    fc.assert(
      fc.property(input, (r) => {
        const request = renewal(r)
        const coupons = request.coupons.filter((c) => appliesOnCycle(c, request.cycleNumber))
        const general = renewalInvoiceGeneral(request, coupons)
        if (quickRenewal(request, coupons) !== undefined) quick++
        expect(renewalInvoice(request)).toStrictEqual(general)
      }),
      { numRuns: 2000 }
    )
    // The property must exercise the quick path, not only the fallback.
    expect(quick).toBeGreaterThan(300)
  })

  it("leaves tax-inclusive prices, several rates, several coupons and setup waivers to the general path", () => {
    const base = renewal({
      items: [
        {
          kind: "plan",
          itemId: "p",
          description: "p",
          cycle: "monthly",
          quantity: 1n,
          unitAmount: 1000n,
          amount: 1000n,
          setupFee: 0n
        }
      ],
      pricing: "exclusive",
      coupons: [],
      cycleNumber: 1,
      includeSetup: false,
      decision: decisions[4] as TaxDecision,
      rounding: "half-even"
    })
    expect(quickRenewal(base, [])).toBeDefined()
    expect(
      quickRenewal({ ...base, subscription: { ...base.subscription, pricing: "inclusive" } }, [])
    ).toBeUndefined()
    expect(quickRenewal({ ...base, tax: decisions[6] as TaxDecision }, [])).toBeUndefined()
    const waiver = Either.getOrThrow(
      decodeCoupon({
        id: "w",
        code: "W",
        kind: "percent",
        rate: "5",
        duration: "once",
        freeSetup: true,
        stackable: true
      })
    )
    expect(quickRenewal(base, [waiver])).toBeUndefined()
    expect(quickRenewal(base, [waiver, waiver])).toBeUndefined()
  })
})
