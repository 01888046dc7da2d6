import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { CurrencyCode } from "../money/currency"
import type { RevenueEvent } from "./events"
import { emptyRevenueLedger, foldRevenueEvent, type RevenueLedger } from "./ledger"
import type { MrrMovement } from "./movement"
import type { RevenueSnapshot } from "./snapshot"

const DAY = 86_400_000
const t0 = Date.UTC(2026, 0, 1)

/** A monthly subscription billing `amount` minor units. */
const snap = (
  subscriptionId: string,
  customerId: string,
  amount: bigint,
  currency: CurrencyCode = "EUR"
): RevenueSnapshot => ({
  subscriptionId,
  customerId,
  productId: "vps",
  productKind: "vps",
  planId: `plan-${amount}`,
  currency,
  cycle: "monthly",
  lines: [{ kind: "plan", itemId: `plan-${amount}`, cycle: "monthly", amount }],
  couponIds: []
})

const started = (day: number, snapshot: RevenueSnapshot): RevenueEvent => ({
  _tag: "RevenueStarted",
  at: t0 + day * DAY,
  snapshot
})
const changed = (day: number, snapshot: RevenueSnapshot): RevenueEvent => ({
  _tag: "RevenueChanged",
  at: t0 + day * DAY,
  reason: "plan_change",
  snapshot
})
const churned = (day: number, subscriptionId: string, customerId: string): RevenueEvent => ({
  _tag: "RevenueChurned",
  at: t0 + day * DAY,
  subscriptionId,
  customerId,
  reason: "cancelled"
})
const reactivated = (day: number, snapshot: RevenueSnapshot): RevenueEvent => ({
  _tag: "RevenueReactivated",
  at: t0 + day * DAY,
  snapshot
})

/** Folds the events, returning the ledger and every movement (undefined where none). */
const run = (events: ReadonlyArray<RevenueEvent>) => {
  let ledger: RevenueLedger = Either.getOrThrow(emptyRevenueLedger("UTC"))
  const movements: Array<MrrMovement | undefined> = []
  for (const event of events) {
    const next = Either.getOrThrow(foldRevenueEvent(ledger, event))
    ledger = next.ledger
    movements.push(next.movement)
  }
  return { ledger, movements }
}

const refusal = (events: ReadonlyArray<RevenueEvent>, last: RevenueEvent) => {
  const { ledger } = run(events)
  const result = foldRevenueEvent(ledger, last)
  return Either.isLeft(result) ? result.left : undefined
}

describe("movements", () => {
  it("classifies each change by what it does to the customer", () => {
    const { movements, ledger } = run([
      started(0, snap("s1", "c1", 1000n)), // new 10.00
      started(1, snap("s2", "c1", 500n)), // expansion 5.00 (already paying)
      changed(2, snap("s1", "c1", 800n)), // contraction 2.00
      churned(3, "s2", "c1"), // contraction 5.00 (s1 still pays)
      churned(4, "s1", "c1"), // churned 8.00
      started(5, snap("s3", "c1", 300n)), // reactivation 3.00
      reactivated(6, snap("s1", "c1", 800n)) // expansion 8.00
    ])
    expect(movements.map((m) => [m?.kind, m?.units])).toEqual([
      ["new", 1000n * 72n],
      ["expansion", 500n * 72n],
      ["contraction", 200n * 72n],
      ["contraction", 500n * 72n],
      ["churned", 800n * 72n],
      ["reactivation", 300n * 72n],
      ["expansion", 800n * 72n]
    ])
    expect(movements.map((m) => m?.payers)).toEqual([1, 0, 0, 0, -1, 1, 0])
    expect(ledger.mrr).toEqual({ EUR: 1100n * 72n })
  })

  it("makes no movement when MRR does not change; a free plan turning paid is new", () => {
    const { movements } = run([
      started(0, snap("s1", "c1", 0n)),
      changed(1, snap("s1", "c1", 0n)),
      changed(2, snap("s1", "c1", 1500n)),
      churned(3, "s1", "c1")
    ])
    expect(movements.map((m) => m?.kind)).toEqual([undefined, undefined, "new", "churned"])
  })

  it("is per customer: another customer's start is new, and a second currency is expansion", () => {
    const { movements } = run([
      started(0, snap("s1", "c1", 1000n)),
      started(0, snap("s2", "c2", 1000n)),
      started(1, snap("s3", "c1", 2000n, "USD"))
    ])
    expect(movements.map((m) => [m?.kind, m?.currency, m?.payers])).toEqual([
      ["new", "EUR", 1],
      ["new", "EUR", 1],
      ["expansion", "USD", 1]
    ])
  })

  it("tracks the month's cohort: its lost MRR and customers, net of what comes back", () => {
    // c1 pays 10.00 from January. In February: down to 4.00, churns, comes back at 7.00.
    const { movements } = run([
      started(0, snap("s1", "c1", 1000n)),
      changed(35, snap("s1", "c1", 400n)),
      churned(40, "s1", "c1"),
      reactivated(45, snap("s1", "c1", 700n))
    ])
    const february = movements.slice(1).map((m) => m?.cohort.month)
    expect(february).toEqual([
      { lost: 600n * 72n, change: -600n * 72n, customersLost: 0 },
      { lost: 400n * 72n, change: -400n * 72n, customersLost: 1 },
      { lost: -700n * 72n, change: 700n * 72n, customersLost: -1 }
    ])
    // In January c1 was not paying at the month's start: not in that cohort.
    expect(movements[0]?.cohort.month).toEqual({ lost: 0n, change: 0n, customersLost: 0 })
  })
})

describe("refused events", () => {
  const s1 = snap("s1", "c1", 1000n)
  it("refuses events that do not fit the subscription's state", () => {
    expect(refusal([], changed(0, s1))).toMatchObject({ _tag: "IllegalRevenueEvent", state: "unknown" })
    expect(refusal([started(0, s1)], started(1, s1))).toMatchObject({
      _tag: "IllegalRevenueEvent",
      state: "live"
    })
    expect(refusal([started(0, s1)], reactivated(1, s1))).toMatchObject({ state: "live" })
    expect(refusal([started(0, s1), churned(1, "s1", "c1")], churned(2, "s1", "c1"))).toMatchObject({
      state: "churned"
    })
    expect(refusal([], churned(0, "s1", "c1"))).toMatchObject({ state: "unknown" })
  })

  it("refuses another customer or currency for a subscription", () => {
    expect(refusal([started(0, s1)], changed(1, snap("s1", "c1", 1000n, "USD")))).toMatchObject({
      _tag: "RevenueSnapshotMismatch",
      field: "currency",
      expected: "EUR",
      actual: "USD"
    })
    expect(refusal([started(0, s1)], churned(1, "s1", "c2"))).toMatchObject({
      field: "customerId",
      expected: "c1"
    })
  })

  it("refuses an event earlier than the customer's last", () => {
    expect(refusal([started(5, s1)], changed(4, snap("s1", "c1", 1n)))).toMatchObject({
      _tag: "RevenueEventOutOfOrder",
      customerId: "c1"
    })
    // Another customer's clock is their own.
    expect(refusal([started(5, s1)], started(4, snap("s2", "c2", 1n)))).toBeUndefined()
  })
})
