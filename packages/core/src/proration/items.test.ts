import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { BillingCycle } from "../catalog/cycle"
import type { PricedItem } from "../catalog/selection"
import { type CurrentItem, changeCycles, changedItems, paidForPeriod, sameItem } from "./items"

const item = (itemId: string, amount: bigint, extra: Partial<PricedItem> = {}): PricedItem => ({
  kind: "plan",
  itemId,
  description: itemId,
  cycle: "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n,
  ...extra
})
const on = (cycle: BillingCycle, itemId = "x") => item(itemId, 100n, { cycle })

describe("changeCycles", () => {
  it("reads one cycle per side; an empty side takes the other's", () => {
    expect(changeCycles([on("monthly")], [on("annually")])).toEqual(
      Either.right({ from: "monthly", to: "annually" })
    )
    expect(changeCycles([on("quarterly")], [])).toEqual(Either.right({ from: "quarterly", to: "quarterly" }))
    expect(changeCycles([], [on("monthly")])).toEqual(Either.right({ from: "monthly", to: "monthly" }))
  })

  it("refuses items on different cycles on one side, naming the side and the cycles", () => {
    const result = changeCycles([on("monthly")], [on("monthly", "a"), on("annually", "b")])
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: "MixedCycles",
      side: "new",
      cycles: ["monthly", "annually"]
    })
  })

  it("refuses an item that does not renew", () => {
    for (const cycle of ["one_time", "free"] as const) {
      const result = changeCycles([on(cycle, "licence")], [on("monthly")])
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: "CycleNotProratable",
        itemId: "licence",
        cycle
      })
    }
  })

  it("refuses a change with no items at all", () => {
    const result = changeCycles([], [])
    expect(Either.isLeft(result) && result.left._tag).toBe("EmptyChange")
  })
})

describe("paidForPeriod", () => {
  const charged: Array<CurrentItem> = [item("a", 3000n), { ...item("b", 1000n), charged: 900n }]

  it("defaults to everything charged, after discounts", () => {
    expect(paidForPeriod(charged, undefined)).toEqual(Either.right(3900n))
    expect(paidForPeriod(charged, 0n)).toEqual(Either.right(0n))
  })

  it("refuses a negative charged or paid amount", () => {
    const bad = paidForPeriod([{ ...item("a", 3000n), charged: -1n }], undefined)
    expect(Either.isLeft(bad) && bad.left).toMatchObject({
      _tag: "InvalidChargedAmount",
      itemId: "a",
      charged: -1n
    })
    const unpaid = paidForPeriod(charged, -5n)
    expect(Either.isLeft(unpaid) && unpaid.left).toMatchObject({ _tag: "InvalidPaidAmount", paid: -5n })
  })
})

describe("changedItems", () => {
  const plan = item("vps-2g", 3000n)
  const ips = (quantity: bigint) =>
    item("ipv4", 250n * quantity, { kind: "option", quantity, unitAmount: 250n })

  it("leaves out items that are the same on both sides, whatever was charged for them", () => {
    const current: Array<CurrentItem> = [{ ...plan, charged: 2700n }, ips(2n)]
    expect(changedItems(current, [plan, ips(4n)])).toEqual({ removed: [ips(2n)], added: [ips(4n)] })
  })

  it("matches each item once: two identical add-ons down to one removes one", () => {
    const addon = item("backup", 500n, { kind: "addon" })
    expect(changedItems([plan, addon, addon], [plan, addon])).toEqual({ removed: [addon], added: [] })
  })

  it("treats another choice, cycle, quantity or price as a change", () => {
    const dropdown = item("os", 0n, { kind: "option", choiceId: "debian" })
    for (const other of [
      { ...dropdown, choiceId: "ubuntu" },
      { ...dropdown, cycle: "annually" as const },
      { ...dropdown, quantity: 2n },
      { ...dropdown, amount: 1n, unitAmount: 1n }
    ]) {
      expect(sameItem(dropdown, other)).toBe(false)
      expect(changedItems([dropdown], [other])).toEqual({ removed: [dropdown], added: [other] })
    }
    expect(sameItem(dropdown, { ...dropdown, description: "OS: Debian 13" })).toBe(true)
  })
})
