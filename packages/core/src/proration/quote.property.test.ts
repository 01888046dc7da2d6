/**
 * Invariants of a change quote, for every strategy, on real anniversary periods of every cycle, at any
 * instant of the period, in zones with DST and half-hour offsets, for both price bases and every
 * rounding mode.
 */
import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { anniversaryPeriod } from "../calendar/anniversary"
import { fromEpochDay } from "../calendar/civil-date"
import { type BillingPeriod, periodInstants } from "../calendar/period"
import { civilDateAt } from "../calendar/zone"
import { type RecurringCycle, RecurringCycles } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import type { PriceBasis } from "../invoicing/tax/compute"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent, ratio } from "../money/ratio"
import { type RoundingMode, RoundingModes } from "../money/rounding"
import type { CurrentItem } from "./items"
import { type ChangeInput, type ImmediateChangeQuote, quoteChange } from "./quote"
import { ProrationStrategies, type ProrationStrategy } from "./strategy"

const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr-vat", name: "TVA", rate: percent(20), compound: false }]
}
const salesTax: TaxDecision = {
  kind: "taxed",
  country: "US",
  components: [{ ruleId: "us-tx", name: "Sales tax", rate: ratio(33n, 400n), compound: false }]
}
const reverseCharge: TaxDecision = { kind: "reverse_charge", note: "Reverse charge", customerVatId: "DE123" }

interface Case {
  readonly strategy: ProrationStrategy
  readonly cycle: RecurringCycle
  readonly anchor: ReturnType<typeof fromEpochDay>
  /** The period is the anniversary period `index` of `anchor`. */
  readonly index: number
  readonly period: BillingPeriod
  readonly timeZone: string
  /** An instant of the period, and the period's first instant. */
  readonly at: number
  readonly firstInstant: number
  readonly pricing: PriceBasis
  readonly tax: TaxDecision
  readonly rounding: RoundingMode
}

const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]

const arbCaseFor = (strategy: ProrationStrategy): fc.Arbitrary<Case> =>
  fc
    .record({
      anchorDay: fc.integer({ min: 18_000, max: 40_000 }),
      cycle: fc.constantFrom(...RecurringCycles),
      index: fc.integer({ min: 0, max: 30 }),
      timeZone: fc.constantFrom(...zones),
      position: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      pricing: fc.constantFrom<PriceBasis>("exclusive", "inclusive"),
      tax: fc.constantFrom<TaxDecision>(vat20, salesTax, reverseCharge, { kind: "none" }),
      rounding: fc.constantFrom(...RoundingModes)
    })
    .map(({ anchorDay, cycle, index, timeZone, position, ...rest }) => {
      const anchor = fromEpochDay(anchorDay)
      const period = anniversaryPeriod(anchor, cycle, index)
      const { startsAt, endsAt } = periodInstants(period, timeZone)
      return {
        ...rest,
        strategy,
        cycle,
        anchor,
        index,
        period,
        timeZone,
        at: startsAt + Math.floor((endsAt - startsAt) * position),
        firstInstant: startsAt
      }
    })

const item = (itemId: string, amount: bigint, cycle: RecurringCycle): PricedItem => ({
  kind: "plan",
  itemId,
  description: itemId,
  cycle,
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})

const arbAmounts = fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 4 })
const itemsOf = (prefix: string, amounts: ReadonlyArray<bigint>, cycle: RecurringCycle) =>
  amounts.map((amount, i) => item(`${prefix}${i}`, amount, cycle))

const quoteCase = (
  c: Case,
  currentItems: ReadonlyArray<CurrentItem>,
  newItems: ReadonlyArray<PricedItem>,
  overrides: Partial<ChangeInput> = {}
): ImmediateChangeQuote => {
  const result = Either.getOrThrow(
    quoteChange({
      invoiceId: "inv",
      tenantId: "ten",
      customerId: "cus",
      subscriptionId: "sub",
      currency: "EUR",
      pricing: c.pricing,
      anchor: c.anchor,
      period: c.period,
      at: c.at,
      timeZone: c.timeZone,
      currentItems,
      newItems,
      strategy: c.strategy,
      tax: c.tax,
      rounding: c.rounding,
      ...overrides
    })
  )
  if (result.policy !== "immediate") throw new Error("expected an immediate quote")
  return result
}

const sum = (amounts: ReadonlyArray<{ readonly amount: bigint }>): bigint =>
  amounts.reduce((total, line) => total + line.amount, 0n)
const within = (drift: bigint, units: number) => drift <= BigInt(units) && -drift <= BigInt(units)

describe.each(ProrationStrategies)("quoteChange properties, %s", (strategy) => {
  const arbCase = arbCaseFor(strategy)

  it("nets to zero, tax included, for a change to the same price", () => {
    fc.assert(
      fc.property(arbCase, arbAmounts, (c, amounts) => {
        const result = quoteCase(c, itemsOf("old-", amounts, c.cycle), itemsOf("new-", amounts, c.cycle))
        expect(result.net).toBe(0n)
        expect(result.invoice.totals.total).toBe(0n)
        expect([result.amountDue, result.creditToAccount]).toEqual([0n, 0n])
      })
    )
  })

  it("prorates the whole period to the price: credits what was charged, charges the new price", () => {
    fc.assert(
      fc.property(arbCase, arbAmounts, arbAmounts, (c, from, to) => {
        const result = quoteCase(c, itemsOf("a-", from, c.cycle), itemsOf("b-", to, c.cycle), {
          at: c.firstInstant
        })
        expect(result.fraction.left).toBe(result.fraction.length)
        expect(sum(result.credits)).toBe(-from.reduce((t, a) => t + a, 0n))
        expect(sum(result.charges)).toBe(to.reduce((t, a) => t + a, 0n))
      })
    )
  })

  it("an upgrade then an immediate downgrade back nets to zero within one minor unit a line", () => {
    fc.assert(
      fc.property(arbCase, arbAmounts, arbAmounts, (c, from, to) => {
        const a = itemsOf("a-", from, c.cycle)
        const b = itemsOf("b-", to, c.cycle)
        const up = quoteCase(c, a, b)
        const down = quoteCase(c, b, a)
        const count = up.invoice.lines.length + down.invoice.lines.length
        expect(within(up.net + down.net, count)).toBe(true)
        expect(within(up.invoice.totals.total + down.invoice.totals.total, count)).toBe(true)
      })
    )
  })

  it("never credits an item more than it was charged, nor more than was paid in total", () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.array(
          fc
            .tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }))
            .map(([a, b]) => (a <= b ? { amount: b, charged: a } : { amount: a, charged: b })),
          { minLength: 1, maxLength: 4 }
        ),
        fc.option(fc.bigInt({ min: 0n, max: 5n * 10n ** 9n }), { nil: undefined }),
        fc.constantFrom<RecurringCycle | "same">("same", ...RecurringCycles),
        (c, charged, paid, newCycle) => {
          const current = charged.map(
            ({ amount, charged }, i): CurrentItem => ({
              ...item(`old-${i}`, amount, c.cycle),
              charged
            })
          )
          const cycle = newCycle === "same" ? c.cycle : newCycle
          const result = quoteCase(
            c,
            current,
            [item("new", 1000n, cycle)],
            paid === undefined ? {} : { paid }
          )
          for (const credit of result.credits) {
            const charged = current.find((it) => it.itemId === credit.itemId)?.charged ?? -1n
            expect(credit.amount).toBeLessThan(0n)
            expect(-credit.amount).toBeLessThanOrEqual(charged)
          }
          const totalCharged = charged.reduce((total, p) => total + p.charged, 0n)
          expect(-sum(result.credits)).toBeLessThanOrEqual(paid === undefined ? totalCharged : paid)
        }
      )
    )
  })

  it("writes an invoice whose total is the sum of its lines and whose lines are the credits and charges", () => {
    fc.assert(
      fc.property(arbCase, arbAmounts, arbAmounts, (c, from, to) => {
        const result = quoteCase(c, itemsOf("a-", from, c.cycle), itemsOf("b-", to, c.cycle))
        const { lines, totals } = result.invoice
        expect(lines.map((l) => l.amount)).toEqual(
          [...result.credits, ...result.charges].map((l) => l.amount)
        )
        expect(totals.total).toBe(lines.reduce((total, l) => total + l.gross, 0n))
        expect(result.net).toBe(sum(lines))
        expect(result.amountDue - result.creditToAccount).toBe(totals.total)
      })
    )
  })

  it("on a change of cycle, charges the full new price for a new period that starts on the change day", () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.constantFrom(...RecurringCycles),
        arbAmounts,
        arbAmounts,
        (c, to, from, next) => {
          fc.pre(to !== c.cycle)
          const result = quoteCase(c, itemsOf("a-", from, c.cycle), itemsOf("b-", next, to))
          const changeDay = civilDateAt(c.at, c.timeZone)
          expect(result.cycleChange).toEqual({ from: c.cycle, to })
          expect(result.anchor).toEqual(changeDay)
          expect(result.period).toEqual(anniversaryPeriod(changeDay, to, 0))
          expect(sum(result.charges)).toBe(next.reduce((t, a) => t + a, 0n))
          expect(result.nextRenewal.period).toEqual(anniversaryPeriod(changeDay, to, 1))
          expect(-sum(result.credits)).toBeLessThanOrEqual(from.reduce((t, a) => t + a, 0n))
        }
      )
    )
  })

  it("at the end of the term, bills nothing now and takes effect when the period ends", () => {
    fc.assert(
      fc.property(arbCase, arbAmounts, arbAmounts, (c, from, to) => {
        const result = Either.getOrThrow(
          quoteChange({
            invoiceId: "inv",
            tenantId: "ten",
            customerId: "cus",
            subscriptionId: "sub",
            currency: "EUR",
            pricing: c.pricing,
            anchor: c.anchor,
            period: c.period,
            at: c.at,
            timeZone: c.timeZone,
            currentItems: itemsOf("a-", from, c.cycle),
            newItems: itemsOf("b-", to, c.cycle),
            strategy: c.strategy,
            policy: "end_of_term",
            tax: c.tax,
            rounding: c.rounding
          })
        )
        expect(result.policy).toBe("end_of_term")
        expect("invoice" in result).toBe(false)
        expect(result.effectiveDate).toEqual(c.period.end)
        expect(result.period).toEqual(anniversaryPeriod(c.anchor, c.cycle, c.index + 1))
        expect(result.nextRenewal.amount).toBe(to.reduce((t, a) => t + a, 0n))
      })
    )
  })
})
