/**
 * `npm run bench:core`: how fast the pure core computes what a billing run needs, on one core.
 *
 * renewal-invoice.N-lines: a monthly VPS renewal with N - 1 charge lines (plan, options, add-on) and the
 * discount line of a 3-cycle 10% coupon, under EU VAT: advance the period from the anchor, compose the
 * invoice (discount, tax per line, totals, tax summary) and issue it. Target: >= 1,000,000 per second.
 */

import {
  anniversaryPeriod,
  decodeCoupon,
  decodeTaxRules,
  determineTax,
  issueInvoice,
  type PricedItem,
  type RenewableSubscription,
  renewalInvoice
} from "@ezscale/core"
import { Either } from "effect"
import { measure } from "./measure"

const item = (kind: PricedItem["kind"], itemId: string, description: string, amount: bigint): PricedItem => ({
  kind,
  itemId,
  description,
  cycle: "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})

const allItems = [
  item("plan", "vps-2g", "KVM VPS — 2 GB", 1999n),
  item("option", "extra-ip", "Extra IPv4: 2 IP", 500n),
  item("addon", "cpanel", "cPanel licence", 1800n),
  item("option", "backups", "Daily backups", 300n)
]

/** A subscription with `charges` charge lines: with the coupon's discount line, `charges + 1` lines. */
const subscriptionWith = (charges: number): RenewableSubscription => ({
  id: "sub_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  productId: "vps-kvm",
  planId: "vps-2g",
  currency: "EUR",
  pricing: "exclusive",
  items: allItems.slice(0, charges)
})

const coupon = Either.getOrThrow(
  decodeCoupon({
    id: "c1",
    code: "LAUNCH",
    kind: "percent",
    rate: "10",
    duration: { cycles: 3 },
    stackable: false
  })
)
const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
const tax = Either.getOrThrow(
  determineTax(
    { seller: { country: "DE", euVat: "oss" }, customer: { country: "FR", isBusiness: false } },
    rules
  )
)
const anchor = { year: 2026, month: 1, day: 31 }

let sink = 0n
const renewals = (subscription: RenewableSubscription) => (iterations: number) => {
  for (let i = 0; i < iterations; i++) {
    const index = i % 3 // cycles 1..3: the coupon applies to every invoice measured
    const period = anniversaryPeriod(anchor, "monthly", index)
    const draft = renewalInvoice({
      invoiceId: "inv",
      subscription,
      period,
      cycleNumber: index + 1,
      coupons: [coupon],
      includeSetup: false,
      tax,
      dueAt: 0,
      rounding: "half-even"
    })
    if (Either.isLeft(draft)) throw draft.left
    const issued = issueInvoice(draft.right, 1)
    if (Either.isLeft(issued)) throw issued.left
    sink += issued.right.totals.total
  }
}

// The figure must be for the real computation: check one invoice by hand first.
// 19.99 + 5.00 + 18.00 = 42.99; 10% off = 4.30; net 38.69; VAT 20% per line: 4.00 + 1.00 + 3.60 - 0.86.
sink = 0n
renewals(subscriptionWith(3))(1)
if (sink !== 3869n + 774n) throw new Error(`benchmark invoice is wrong: ${sink}`)

const target = 1_000_000
for (const charges of (process.env.BENCH_CHARGES ?? "2,3,4").split(",").map(Number)) {
  const lines = charges + 1
  const result = measure(`core.renewal-invoice.${lines}-lines`, renewals(subscriptionWith(charges)), {
    target,
    extra: { lines }
  })
  console.log(
    `  ${lines} lines: ${result.per_s.toLocaleString("en-US")} renewal invoices/s (${(result.per_s / target).toFixed(2)}x the 1,000,000/s target)`
  )
}
