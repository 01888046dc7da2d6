import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { CivilDate } from "../calendar/civil-date"
import type { BillingPeriod } from "../calendar/period"
import { startOfDayInZone } from "../calendar/zone"
import type { BillingCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent } from "../money/ratio"
import type { RoundingMode } from "../money/rounding"
import type { CurrentItem } from "./items"
import { type ChangeInput, type ChangeQuote, type ImmediateChangeQuote, quoteChange } from "./quote"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const zone = "Europe/Paris"
const HOUR = 3_600_000
/** Noon in Paris on that day. */
const noonOn = (date: CivilDate): number => startOfDayInZone(date, zone) + 12 * HOUR
const april: BillingPeriod = { start: d(2026, 4, 1), end: d(2026, 5, 1) }

const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr-vat", name: "TVA", rate: percent(20), compound: false }]
}

const item = (
  itemId: string,
  amount: bigint,
  options: { kind?: PricedItem["kind"]; cycle?: BillingCycle; description?: string; quantity?: bigint } = {}
): PricedItem => {
  const quantity = options.quantity ?? 1n
  return {
    kind: options.kind ?? "plan",
    itemId,
    description: options.description ?? itemId,
    cycle: options.cycle ?? "monthly",
    quantity,
    unitAmount: amount / quantity,
    amount,
    setupFee: 0n
  }
}

const input = (overrides: Partial<ChangeInput> = {}): ChangeInput => ({
  invoiceId: "inv_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  subscriptionId: "sub_1",
  currency: "EUR",
  pricing: "exclusive",
  anchor: d(2026, 1, 1),
  period: april,
  at: noonOn(d(2026, 4, 11)),
  timeZone: zone,
  currentItems: [item("vps-2g", 3000n, { description: "VPS 2 GB" })],
  newItems: [item("vps-4g", 6000n, { description: "VPS 4 GB" })],
  tax: vat20,
  rounding: "half-even",
  ...overrides
})

const quote = (overrides: Partial<ChangeInput> = {}): ChangeQuote =>
  Either.getOrThrow(quoteChange(input(overrides)))
const immediate = (overrides: Partial<ChangeInput> = {}): ImmediateChangeQuote => {
  const result = quote(overrides)
  if (result.policy !== "immediate") throw new Error("expected an immediate quote")
  return result
}
const lines = (charges: ReadonlyArray<{ readonly itemId?: string | undefined; readonly amount: bigint }>) =>
  charges.map((c) => [c.itemId, c.amount])

describe("quoteChange: immediate, same cycle", () => {
  it("credits the unused days of the old plan and charges the new one for the days left", () => {
    const result = immediate()
    expect(result.strategy).toBe("whole_days")
    expect(result.fraction).toEqual({
      strategy: "whole_days",
      unit: "day",
      left: 20,
      length: 30,
      remaining: { start: d(2026, 4, 11), end: d(2026, 5, 1) }
    })
    expect(result.credits.map((c) => [c.kind, c.description, c.amount, c.itemId])).toEqual([
      ["proration", "Unused time on VPS 2 GB (20/30 days)", -2000n, "vps-2g"]
    ])
    expect(result.charges.map((c) => [c.kind, c.description, c.amount, c.itemId])).toEqual([
      ["proration", "Remaining time on VPS 4 GB (20/30 days)", 4000n, "vps-4g"]
    ])
    expect(result.net).toBe(2000n)
    expect(result.amountDue).toBe(2400n)
    expect(result.creditToAccount).toBe(0n)
  })

  it("puts the lines, with tax, on a draft invoice for the rest of the period", () => {
    const { invoice } = immediate()
    expect(invoice.status).toBe("draft")
    expect(invoice.kind).toBe("plan_change")
    expect(invoice.dueAt).toBe(noonOn(d(2026, 4, 11)))
    expect(invoice.period).toEqual({ start: d(2026, 4, 11), end: d(2026, 5, 1) })
    expect(invoice.lines.map((l) => [l.kind, l.amount, l.net, l.tax, l.gross])).toEqual([
      ["proration", -2000n, -2000n, -400n, -2400n],
      ["proration", 4000n, 4000n, 800n, 4800n]
    ])
    expect(invoice.totals).toEqual({ subtotal: 2000n, tax: 400n, total: 2400n, discount: 0n })
  })

  it("says when the change takes effect and what the next renewal bills", () => {
    const result = immediate()
    expect(result.effectiveDate).toEqual(d(2026, 4, 11))
    expect(result.period).toEqual({ start: d(2026, 4, 11), end: d(2026, 5, 1) })
    expect(result.anchor).toEqual(d(2026, 1, 1))
    expect(result.cycle).toBe("monthly")
    expect(result.cycleChange).toBeUndefined()
    expect(result.nextRenewal).toEqual({
      date: d(2026, 5, 1),
      period: { start: d(2026, 5, 1), end: d(2026, 6, 1) },
      cycle: "monthly",
      amount: 6000n,
      subtotal: 6000n,
      tax: 1200n,
      total: 7200n
    })
  })

  it("credits what was actually charged (after discounts), not the list price", () => {
    const current: CurrentItem = { ...item("vps-2g", 3000n), charged: 2700n }
    const result = immediate({ currentItems: [current] })
    expect(lines(result.credits)).toEqual([["vps-2g", -1800n]])
    expect(result.net).toBe(2200n)
  })

  it("never credits more than was paid for the period, and nothing for an unpaid one", () => {
    expect(lines(immediate({ paid: 1500n }).credits)).toEqual([["vps-2g", -1500n]])
    const unpaid = immediate({ paid: 0n })
    expect(unpaid.credits).toEqual([])
    expect(unpaid.net).toBe(4000n)
  })

  it("turns a downgrade's negative total, tax included, into account credit", () => {
    const result = immediate({ currentItems: [item("vps-4g", 6000n)], newItems: [item("vps-2g", 3000n)] })
    expect(result.net).toBe(-2000n)
    expect(result.invoice.totals.total).toBe(-2400n)
    expect(result.amountDue).toBe(0n)
    expect(result.creditToAccount).toBe(2400n)
  })

  it("gives no line to an item that does not change: only the changed option is prorated", () => {
    const ips = (quantity: bigint) => item("ipv4", 150n * quantity, { kind: "option", quantity })
    const backup = item("backup", 600n, { kind: "addon" })
    const result = immediate({
      currentItems: [item("vps-2g", 3000n), ips(2n), backup, item("free", 0n, { kind: "option" })],
      newItems: [item("vps-2g", 3000n), ips(4n), backup]
    })
    // 2 IPs at 3.00 -> 4 IPs at 6.00: -2.00 + 4.00 for 20 of 30 days.
    expect(lines(result.credits)).toEqual([["ipv4", -200n]])
    expect(lines(result.charges)).toEqual([["ipv4", 400n]])
    expect(result.net).toBe(200n)
    expect(result.nextRenewal.amount).toBe(4200n)
  })

  it("quotes nothing when nothing changes", () => {
    const same = [item("vps-2g", 3000n), item("backup", 600n, { kind: "addon" })]
    const result = immediate({ currentItems: same, newItems: same })
    expect(result.invoice.lines).toEqual([])
    expect([result.net, result.amountDue, result.creditToAccount]).toEqual([0n, 0n, 0n])
  })

  it("charges an added add-on for the rest of the period and credits a removed one", () => {
    const backup = item("backup", 600n, { kind: "addon" })
    expect(
      lines(immediate({ currentItems: [item("p", 3000n)], newItems: [item("p", 3000n), backup] }).charges)
    ).toEqual([["backup", 400n]])
    expect(
      lines(immediate({ currentItems: [item("p", 3000n), backup], newItems: [item("p", 3000n)] }).credits)
    ).toEqual([["backup", -400n]])
  })

  it("rounds each line once with the named mode", () => {
    // 31-day month, 10 days left: 1000 x 10/31 = 322.58, 2000 x 10/31 = 645.16
    const at = (rounding: RoundingMode) =>
      immediate({
        period: { start: d(2026, 5, 1), end: d(2026, 6, 1) },
        at: noonOn(d(2026, 5, 22)),
        currentItems: [item("a", 1000n)],
        newItems: [item("b", 2000n)],
        rounding
      })
    expect([at("half-even").credits[0]?.amount, at("half-even").charges[0]?.amount]).toEqual([-323n, 645n])
    expect([at("down").credits[0]?.amount, at("down").charges[0]?.amount]).toEqual([-322n, 645n])
    expect([at("up").credits[0]?.amount, at("up").charges[0]?.amount]).toEqual([-323n, 646n])
  })

  it("describes a per-second line by the local moment it starts from", () => {
    const result = immediate({ strategy: "per_second", at: noonOn(d(2026, 4, 11)) + 30 * 60_000 })
    expect(result.credits[0]?.description).toBe("Unused time on VPS 2 GB (from 2026-04-11 12:30)")
    expect(result.charges[0]?.description).toBe("Remaining time on VPS 4 GB (from 2026-04-11 12:30)")
  })

  it("keeps the anchor's month-end day for the next renewal", () => {
    const result = immediate({
      anchor: d(2026, 1, 31),
      period: { start: d(2026, 2, 28), end: d(2026, 3, 31) },
      at: noonOn(d(2026, 3, 10))
    })
    expect(result.nextRenewal.period).toEqual({ start: d(2026, 3, 31), end: d(2026, 4, 30) })
  })
})

describe("quoteChange: end of term", () => {
  it("bills nothing now and schedules the new items for the next period", () => {
    const result = quote({
      policy: "end_of_term",
      currentItems: [item("vps-4g", 6000n)],
      newItems: [item("vps-2g", 3000n)]
    })
    expect(result).toEqual({
      policy: "end_of_term",
      strategy: "whole_days",
      currency: "EUR",
      effectiveDate: d(2026, 5, 1),
      period: { start: d(2026, 5, 1), end: d(2026, 6, 1) },
      anchor: d(2026, 1, 1),
      cycle: "monthly",
      cycleChange: undefined,
      nextRenewal: {
        date: d(2026, 5, 1),
        period: { start: d(2026, 5, 1), end: d(2026, 6, 1) },
        cycle: "monthly",
        amount: 3000n,
        subtotal: 3000n,
        tax: 600n,
        total: 3600n
      }
    })
  })

  it("moves the anchor to the period end when the cycle changes there", () => {
    const result = quote({ policy: "end_of_term", newItems: [item("vps-2g", 30000n, { cycle: "annually" })] })
    expect(result.effectiveDate).toEqual(d(2026, 5, 1))
    expect(result.anchor).toEqual(d(2026, 5, 1))
    expect(result.cycleChange).toEqual({ from: "monthly", to: "annually" })
    expect(result.nextRenewal.period).toEqual({ start: d(2026, 5, 1), end: d(2027, 5, 1) })
    expect(result.nextRenewal.total).toBe(36000n)
  })
})

describe("quoteChange: a change of cycle", () => {
  const annual = item("vps-2g", 30000n, { cycle: "annually", description: "VPS 2 GB" })

  it("credits the unused part of the month and charges a full year from the change day", () => {
    const result = immediate({
      currentItems: [item("vps-2g", 3000n, { description: "VPS 2 GB" })],
      newItems: [annual]
    })
    expect(result.cycleChange).toEqual({ from: "monthly", to: "annually" })
    expect(result.credits.map((c) => [c.description, c.amount])).toEqual([
      ["Unused time on VPS 2 GB (20/30 days)", -2000n]
    ])
    expect(result.charges.map((c) => [c.kind, c.description, c.amount, c.period])).toEqual([
      ["plan", "VPS 2 GB (2026-04-11 to 2027-04-10)", 30000n, { start: d(2026, 4, 11), end: d(2027, 4, 11) }]
    ])
    expect(result.net).toBe(28000n)
    expect(result.invoice.totals).toEqual({ subtotal: 28000n, tax: 5600n, total: 33600n, discount: 0n })
    expect(result.effectiveDate).toEqual(d(2026, 4, 11))
    expect(result.anchor).toEqual(d(2026, 4, 11))
    expect(result.period).toEqual({ start: d(2026, 4, 11), end: d(2027, 4, 11) })
    expect(result.invoice.period).toEqual(result.period)
    expect(result.nextRenewal).toMatchObject({
      date: d(2027, 4, 11),
      period: { start: d(2027, 4, 11), end: d(2028, 4, 11) },
      cycle: "annually",
      total: 36000n
    })
  })

  it("charges a full quarter, never the rest of a year at the quarterly price", () => {
    const yearly: BillingPeriod = { start: d(2026, 1, 1), end: d(2027, 1, 1) }
    const result = immediate({
      period: yearly,
      at: noonOn(d(2026, 7, 2)),
      currentItems: [item("vps", 36500n, { cycle: "annually" })],
      newItems: [item("vps", 9000n, { cycle: "quarterly" })]
    })
    // 183 of 365 days left: 36500 x 183/365 = 18300.
    expect(lines(result.credits)).toEqual([["vps", -18300n]])
    expect(lines(result.charges)).toEqual([["vps", 9000n]])
    expect(result.period).toEqual({ start: d(2026, 7, 2), end: d(2026, 10, 2) })
    expect(result.creditToAccount).toBe(11160n)
  })

  it("credits per second from the start of the change day, where the new period begins", () => {
    const result = immediate({ strategy: "per_second", newItems: [annual] })
    expect(result.fraction).toMatchObject({ unit: "second", left: 20 * 86_400, length: 30 * 86_400 })
    expect(lines(result.credits)).toEqual([["vps-2g", -2000n]])
  })
})

describe("quoteChange: refusals", () => {
  it("refuses a change whose day is outside the period", () => {
    for (const at of [noonOn(d(2026, 3, 31)), startOfDayInZone(d(2026, 5, 1), zone)]) {
      const result = quoteChange(input({ at }))
      expect(Either.isLeft(result) && result.left._tag).toBe("ChangeOutsidePeriod")
    }
  })

  it("refuses items on mixed cycles, items that do not renew, and negative amounts", () => {
    const tags = [
      input({ newItems: [item("a", 1n), item("b", 1n, { cycle: "annually" })] }),
      input({ newItems: [item("licence", 1n, { cycle: "one_time" })] }),
      input({ currentItems: [], newItems: [] }),
      input({ currentItems: [{ ...item("vps-2g", 3000n), charged: -1n }] }),
      input({ paid: -1n })
    ].map((i) => {
      const result = quoteChange(i)
      return Either.isLeft(result) ? result.left._tag : "quoted"
    })
    expect(tags).toEqual([
      "MixedCycles",
      "CycleNotProratable",
      "EmptyChange",
      "InvalidChargedAmount",
      "InvalidPaidAmount"
    ])
  })
})
