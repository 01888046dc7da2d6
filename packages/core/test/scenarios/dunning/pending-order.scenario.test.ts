/**
 * An order placed on 2026-03-27 at 14:37 in Paris (CET) and never paid: its invoice is due at once,
 * the customer is reminded, and the pending order is cancelled after 7 days, on 2026-04-03 at 14:37
 * Paris time. Summer time started in between (2026-03-29), so that is 12:37Z, not 13:37Z: dunning keeps
 * the wall-clock time, not a count of 24-hour days.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { dunningDay, recordPayment } from "../../../src"
import { at, iso, lifecycle, logView, newWorld, openInvoice, policyWith, runDunning } from "./fixtures"

const zone = "Europe/Paris"
const orderedAt = at("2026-03-27T14:37:00+01:00")
const policy = policyWith({
  retryDays: [1, 3],
  reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
  lateFee: { kind: "fixed", afterDays: 2, amounts: { EUR: "500" } },
  cancelPendingOrderAfterDays: 7
})
const order = () =>
  openInvoice({ id: "inv_order", dueAt: orderedAt, total: 1200n, kind: "order", issuedAt: orderedAt })

describe("scenario: an unpaid order is cancelled after 7 days", () => {
  it("reminds on the order, on days 1 and 3, then cancels on day 7 at the same wall-clock time", () => {
    const world = newWorld(order(), lifecycle("pending"))
    // A punctual engine: it looks when the order is placed, then whenever it was told to come back.
    let now: number | undefined = orderedAt
    const wakeUps: Array<string | undefined> = []
    while (now !== undefined) {
      wakeUps.push(iso(now))
      now = runDunning(world, { policy, zone }, now).nextAt
    }
    expect(logView(world)).toEqual([
      ["2026-03-27T13:37:00.000Z", "2026-03-27T13:37:00.000Z", "inv_order:reminder:on-due"],
      ["2026-03-28T13:37:00.000Z", "2026-03-28T13:37:00.000Z", "inv_order:reminder:overdue-1"],
      ["2026-03-30T12:37:00.000Z", "2026-03-30T12:37:00.000Z", "inv_order:reminder:overdue-2"],
      // overdue-3 falls on the cancellation instant: the cancellation closes the order's dunning.
      ["2026-04-03T12:37:00.000Z", "2026-04-03T12:37:00.000Z", "inv_order:cancel-order"]
    ])
    expect(wakeUps).toEqual([
      "2026-03-27T13:37:00.000Z",
      "2026-03-28T13:37:00.000Z",
      "2026-03-30T12:37:00.000Z",
      "2026-04-03T12:37:00.000Z"
    ])
    // An order is paid at checkout: no retries and no late fee, whatever the policy says for renewals.
    expect(world.log.map((entry) => entry.action._tag)).not.toContain("RetryPayment")
    expect(world.log.map((entry) => entry.action._tag)).not.toContain("ApplyLateFee")
    expect(world.lifecycle.status).toBe("cancelled")
    expect(world.lifecycle.cancellation?.reason).toBe("unpaid order")
    expect(dunningDay(orderedAt, 7, zone) - orderedAt).toBe(7 * 86_400_000 - 3_600_000) // one hour short
  })

  it("does not cancel an order paid on day 6", () => {
    const paid = Either.getOrThrow(recordPayment(order(), 1200n, at("2026-04-02T09:00:00+02:00")))
    const world = newWorld(paid, lifecycle("pending"))
    const plan = runDunning(world, { policy, zone }, at("2026-04-10T00:00:00+02:00"))
    expect(world.log).toEqual([])
    expect(plan.nextAt).toBeUndefined()
  })
})
