/**
 * `npm run bench:core`: how fast the pure core computes what a billing run needs, on one core.
 *
 * renewal-invoice.N-lines: a monthly VPS renewal with N - 1 charge lines (plan, options, add-on) and the
 * discount line of a 3-cycle 10% coupon, under EU VAT: advance the period from the anchor, compose the
 * invoice (discount, tax per line, totals, tax summary) and issue it. Target: >= 1,000,000 per second.
 *
 * Also runs the cases of `bench/proration.ts` (plan-change quotes) and `bench/metrics.ts` (MRR over
 * 1,000,000 subscriptions). `BENCH_ONLY=<part of a name>` runs the matching cases only;
 * `BENCH_RUNS=<n>` sets how many fresh processes each case is measured in (the median is reported).
 */

import { execFileSync } from "node:child_process"
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
import { type BenchResult, measure } from "./measure"

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

/**
 * The floor: the same arithmetic as the 4-line invoice (discount on the base, its shares, tax per line
 * before and after the discount, totals) written straight, in bigint and with no domain code, objects
 * or checks. How far the domain code is from it is the cost of being general and safe; the floor itself
 * is what BigInt costs in this Node version.
 */
const half = (n: bigint, d: bigint): bigint => {
  const q = n / d
  const r = n - q * d
  return r * 2n > d || (r * 2n === d && q % 2n !== 0n) ? q + 1n : q
}
const floorAmounts = [1999n, 500n, 1800n]
const floor = (iterations: number) => {
  for (let i = 0; i < iterations; i++) {
    let base = 0n
    for (const amount of floorAmounts) base += amount
    const discount = half(base, 10n)
    let subtotal = 0n
    let tax = 0n
    let given = 0n
    for (let k = 0; k < floorAmounts.length; k++) {
      const amount = floorAmounts[k] as bigint
      const share = k === floorAmounts.length - 1 ? discount - given : (discount * amount) / base
      given += share
      const before = half(amount, 5n)
      const after = half(amount - share, 5n)
      subtotal += amount - share
      tax += before + (after - before)
    }
    sink += subtotal + tax
  }
}

const target = 1_000_000

const renewalCase = (charges: number) => () =>
  measure(`core.renewal-invoice.${charges + 1}-lines`, renewals(subscriptionWith(charges)), {
    target,
    extra: { lines: charges + 1 }
  })

/** Every case `npm run bench:core` measures, by name: this file's, then the other core areas'. */
const allCases = async (): Promise<Record<string, () => BenchResult>> => ({
  "core.renewal-invoice.3-lines": renewalCase(2),
  "core.renewal-invoice.4-lines": renewalCase(3),
  "core.renewal-invoice.5-lines": renewalCase(4),
  "core.bigint-floor.4-lines": () =>
    measure("core.bigint-floor.4-lines", floor, { target, extra: { lines: 4 } }),
  ...(await import("./proration")).cases,
  ...(await import("./metrics")).cases
})

const cases = await allCases()
const child = process.env.BENCH_CASE
if (child !== undefined) {
  const run = cases[child]
  if (run === undefined) throw new Error(`no benchmark case named ${child}`)
  run()
} else {
  // V8 settles on different code from one process to the next (the same case measured 280k/s in one
  // run and 400k/s in the next): each case runs in fresh processes and the median is reported.
  const runs = Number(process.env.BENCH_RUNS ?? 3)
  const only = process.env.BENCH_ONLY
  for (const name of Object.keys(cases).filter((n) => only === undefined || n.includes(only))) {
    const results = Array.from({ length: runs }, () => {
      const output = execFileSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: { ...process.env, BENCH_CASE: name },
        encoding: "utf8"
      })
      const line = output.split("\n").find((l) => l.startsWith("BENCH "))
      if (line === undefined) throw new Error(`case ${name} printed no BENCH line:\n${output}`)
      return JSON.parse(line.slice("BENCH ".length)) as BenchResult
    }).sort((a, b) => a.per_s - b.per_s)
    const median = results[Math.floor(results.length / 2)] as BenchResult
    console.log(`BENCH ${JSON.stringify({ ...median, runs, per_s_runs: results.map((r) => r.per_s) })}`)
    const goal = typeof median.target_per_s === "number" ? median.target_per_s : undefined
    console.log(
      `  ${median.name}: ${median.per_s.toLocaleString("en-US")}/s` +
        (goal === undefined
          ? ""
          : `, ${(median.per_s / goal).toFixed(2)}x the ${goal.toLocaleString("en-US")}/s target`) +
        ` (median of ${runs} processes)`
    )
  }
}
