/**
 * Proration quotes per second, on one core: a realistic mid-period upgrade of a VPS with three items
 * (plan 2 GB -> 4 GB, extra IPv4 2 -> 4, daily backups unchanged) for a French consumer of a German seller
 * registered for OSS (20% TVA), on 11 May 2026 at 09:15 in Paris (21 of 31 days left). One case per
 * strategy, and one that also builds the customer preview. Each quote finds the unchanged item, credits
 * two items, charges two, taxes the four lines and composes the draft invoice. No stated target: the
 * figures are reported as measured.
 */
import {
  type ChangeInput,
  decodeTaxRules,
  determineTax,
  type PricedItem,
  type ProrationStrategy,
  previewChange,
  quoteChange,
  startOfDayInZone
} from "@ezscale/core"
import { Either } from "effect"
import { type BenchResult, measure } from "./measure"

const item = (
  kind: PricedItem["kind"],
  itemId: string,
  description: string,
  unitAmount: bigint,
  quantity = 1n
): PricedItem => ({
  kind,
  itemId,
  description,
  cycle: "monthly",
  quantity,
  unitAmount,
  amount: unitAmount * quantity,
  setupFee: 0n
})

const backups = item("addon", "backups", "Daily backups", 620n)
const currentItems = [
  item("plan", "vps-2g", "KVM VPS — 2 GB", 3100n),
  item("option", "extra-ip", "Extra IPv4: 2", 310n, 2n),
  backups
]
const newItems = [
  item("plan", "vps-4g", "KVM VPS — 4 GB", 6200n),
  item("option", "extra-ip", "Extra IPv4: 4", 310n, 4n),
  backups
]

const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
const tax = Either.getOrThrow(
  determineTax(
    { seller: { country: "DE", euVat: "oss" }, customer: { country: "FR", isBusiness: false } },
    rules
  )
)
const timeZone = "Europe/Paris"
/** 11 May 2026, 09:15 in Paris. */
const at = startOfDayInZone({ year: 2026, month: 5, day: 11 }, timeZone) + (9 * 60 + 15) * 60_000

const inputFor = (strategy: ProrationStrategy): ChangeInput => ({
  invoiceId: "inv_change",
  tenantId: "ten_1",
  customerId: "cus_1",
  subscriptionId: "sub_1",
  currency: "EUR",
  pricing: "exclusive",
  anchor: { year: 2026, month: 1, day: 1 },
  period: { start: { year: 2026, month: 5, day: 1 }, end: { year: 2026, month: 6, day: 1 } },
  at,
  timeZone,
  currentItems,
  newItems,
  strategy,
  policy: "immediate",
  tax,
  rounding: "half-even"
})

let sink = 0n

const quoteTotal = (input: ChangeInput): { lines: Array<bigint>; total: bigint } => {
  const quote = quoteChange(input)
  if (Either.isLeft(quote)) throw quote.left
  if (quote.right.policy !== "immediate") throw new Error("expected an immediate quote")
  const { invoice } = quote.right
  return { lines: invoice.lines.map((l) => l.amount), total: invoice.totals.total }
}

/**
 * The figures must be for the real computation: each strategy's quote is checked by hand first.
 * - whole_days, 21/31 days: -31.00 x 21/31 = -21.00, -6.20 x 21/31 = -4.20, +42.00, +8.40; net 25.20;
 *   TVA per line -4.20 - 0.84 + 8.40 + 1.68 = 5.04; total 30.24.
 * - fixed, 21/30 days: -21.70, -4.34, +43.40, +8.68; net 26.04; TVA -4.34 - 0.87 + 8.68 + 1.74 = 5.21.
 * - per_second, 1,781,100 of 2,678,400 s (21 days less 9h15): -20.61, -4.12, +41.23, +8.25; net 24.75;
 *   TVA -4.12 - 0.82 + 8.25 + 1.65 = 4.96.
 */
const expected: Record<ProrationStrategy, { lines: Array<bigint>; total: bigint }> = {
  whole_days: { lines: [-2100n, -420n, 4200n, 840n], total: 3024n },
  fixed: { lines: [-2170n, -434n, 4340n, 868n], total: 3125n },
  per_second: { lines: [-2061n, -412n, 4123n, 825n], total: 2971n }
}
for (const strategy of Object.keys(expected) as Array<ProrationStrategy>) {
  const actual = quoteTotal(inputFor(strategy))
  if (
    JSON.stringify(actual, (_, v) => (typeof v === "bigint" ? String(v) : v)) !==
    JSON.stringify(expected[strategy], (_, v) => (typeof v === "bigint" ? String(v) : v))
  )
    throw new Error(`benchmark quote (${strategy}) is wrong: ${actual.lines.join(", ")} = ${actual.total}`)
}

const quotes = (strategy: ProrationStrategy) => {
  const input = inputFor(strategy)
  return (iterations: number) => {
    for (let i = 0; i < iterations; i++) {
      const quote = quoteChange(input)
      if (Either.isLeft(quote) || quote.right.policy !== "immediate") throw new Error("quote failed")
      sink += quote.right.amountDue
    }
  }
}

const previews = (iterations: number) => {
  const input = inputFor("whole_days")
  for (let i = 0; i < iterations; i++) {
    const quote = quoteChange(input)
    if (Either.isLeft(quote)) throw quote.left
    sink += previewChange(quote.right).dueNow
  }
}

const extra = { items: 3, lines: 4, tax: "EU VAT 20%" }

/** One case per strategy, plus the quote and its customer preview. */
export const cases: Record<string, () => BenchResult> = {
  "proration.quote.whole_days": () =>
    measure("proration.quote.whole_days", quotes("whole_days"), {
      extra: { ...extra, strategy: "whole_days" }
    }),
  "proration.quote.fixed": () =>
    measure("proration.quote.fixed", quotes("fixed"), { extra: { ...extra, strategy: "fixed" } }),
  "proration.quote.per_second": () =>
    measure("proration.quote.per_second", quotes("per_second"), {
      extra: { ...extra, strategy: "per_second" }
    }),
  "proration.quote+preview.whole_days": () =>
    measure("proration.quote+preview.whole_days", previews, { extra: { ...extra, strategy: "whole_days" } })
}

/** Keeps the results observable so the loops are not optimised away. */
export const benchSink = (): bigint => sink
