/**
 * One overdue renewal invoice walked day by day with a frozen clock, in Paris, across the switch to
 * summer time (2026-03-29): reminders, retries, a late fee, suspension, then payment and unsuspension;
 * the same invoice left unpaid until termination; the engine coming back after a month offline; and a
 * service suspended for abuse that a payment does not bring back.
 *
 * Invoice: 29.95 EUR (no tax), due 2026-03-25 00:00 Paris (CET) = 2026-03-24T23:00Z. Day N after due is
 * local midnight N days later: 23:00Z while CET, 22:00Z from 2026-03-30 (CEST). The late fee is 10% of
 * 29.95 = 2.995, rounded half-up to 3.00.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  addDays,
  balanceOf,
  civilDateAt,
  dunningSchedule,
  type Instant,
  recordPayment,
  renewalInvoiceAt,
  startOfDayInZone,
  transition
} from "../../../src"
import {
  at,
  iso,
  lifecycle,
  logView,
  newWorld,
  openInvoice,
  policyWith,
  type RunContext,
  runDunning,
  type World
} from "./fixtures"

const zone = "Europe/Paris"
const dueAt = at("2026-03-25T00:00:00+01:00")
const policy = policyWith({
  invoiceLeadDays: 7,
  retryDays: [1, 3, 5, 7],
  reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
  lateFee: { kind: "percent", afterDays: 5, rate: "10", rounding: "half-up" },
  suspendAfterDays: 10,
  terminateAfterDays: 30,
  unsuspendOnPayment: true
})
const context: RunContext = { policy, zone }
const issuedAt = renewalInvoiceAt(dueAt, policy.invoiceLeadDays, zone)

/** The renewal invoice as the billing run made it, on an active service with no attempt yet. */
const freshWorld = (): World =>
  newWorld(openInvoice({ dueAt, total: 2995n, issuedAt }), lifecycle("active"), 0)

type Event = (world: World, now: Instant) => void

/** The collection on the due date fails: attempt 1, and the service is past due. */
const collectionFails: Event = (world, now) => {
  world.attempts = 1
  world.lifecycle = Either.getOrThrow(transition(world.lifecycle, { _tag: "MarkPastDue" }, now)).state
}

const customerPays: Event = (world, now) => {
  if (world.invoice === undefined) throw new Error("no invoice")
  world.invoice = Either.getOrThrow(recordPayment(world.invoice, balanceOf(world.invoice), now))
  // The lifecycle learns of the payment too; a non-payment suspension is for dunning's unsuspend job.
  if (world.lifecycle.status === "past_due") {
    world.lifecycle = Either.getOrThrow(transition(world.lifecycle, { _tag: "PaymentReceived" }, now)).state
  }
}

/**
 * The engine runs at every local midnight from `from` to `to` (ISO dates, inclusive) and at each event's
 * instant (after applying it). Returns the `nextAt` of every run, by run instant.
 */
const walk = (
  world: World,
  from: string,
  to: string,
  events: ReadonlyArray<readonly [Instant, Event]> = []
): Map<string | undefined, string | undefined> => {
  const first = civilDateAt(at(`${from}T12:00:00Z`), zone)
  const last = civilDateAt(at(`${to}T12:00:00Z`), zone)
  const runs = new Set<Instant>(events.map(([instant]) => instant))
  for (
    let date = first;
    startOfDayInZone(date, zone) <= startOfDayInZone(last, zone);
    date = addDays(date, 1)
  ) {
    runs.add(startOfDayInZone(date, zone))
  }
  const next = new Map<string | undefined, string | undefined>()
  for (const now of [...runs].sort((a, b) => a - b)) {
    for (const [instant, event] of events) if (instant === now) event(world, now)
    next.set(iso(now), iso(runDunning(world, context, now).nextAt))
  }
  return next
}

describe("scenario: an overdue renewal is reminded, retried, fined, suspended, paid and unsuspended", () => {
  it("makes the invoice 7 days ahead, at local midnight", () => {
    expect(iso(issuedAt)).toBe("2026-03-17T23:00:00.000Z") // 2026-03-18 00:00 CET
  })

  it("walks day by day; DST moves no dunning day", () => {
    const world = freshWorld()
    const paidAt = at("2026-04-06T14:00:00+02:00")
    const next = walk(world, "2026-03-18", "2026-04-15", [
      [dueAt, collectionFails],
      [paidAt, customerPays]
    ])
    expect(logView(world)).toEqual([
      // [ran at, scheduled at, key]: a punctual engine runs everything at its exact instant.
      ["2026-03-21T23:00:00.000Z", "2026-03-21T23:00:00.000Z", "inv_1:reminder:before-due"], // 03-22 00:00 CET
      ["2026-03-24T23:00:00.000Z", "2026-03-24T23:00:00.000Z", "inv_1:reminder:on-due"], // 03-25 00:00 CET
      ["2026-03-25T23:00:00.000Z", "2026-03-25T23:00:00.000Z", "inv_1:retry:2"], // day 1
      ["2026-03-25T23:00:00.000Z", "2026-03-25T23:00:00.000Z", "inv_1:reminder:overdue-1"],
      ["2026-03-27T23:00:00.000Z", "2026-03-27T23:00:00.000Z", "inv_1:retry:3"], // day 3
      ["2026-03-27T23:00:00.000Z", "2026-03-27T23:00:00.000Z", "inv_1:reminder:overdue-2"],
      ["2026-03-29T22:00:00.000Z", "2026-03-29T22:00:00.000Z", "inv_1:late-fee"], // day 5: 03-30 00:00 CEST
      ["2026-03-29T22:00:00.000Z", "2026-03-29T22:00:00.000Z", "inv_1:retry:4"],
      ["2026-03-31T22:00:00.000Z", "2026-03-31T22:00:00.000Z", "inv_1:retry:5"], // day 7
      ["2026-03-31T22:00:00.000Z", "2026-03-31T22:00:00.000Z", "inv_1:reminder:overdue-3"],
      ["2026-04-03T22:00:00.000Z", "2026-04-03T22:00:00.000Z", "inv_1:suspend"], // day 10: 04-04 00:00 CEST
      ["2026-04-06T12:00:00.000Z", "2026-04-06T12:00:00.000Z", "inv_1:unsuspend"] // the payment, 14:00 CEST
    ])
    const fee = world.log.find((entry) => entry.action._tag === "ApplyLateFee")?.action
    expect(fee?._tag === "ApplyLateFee" ? fee.fee : undefined).toEqual({ amount: 300n, currency: "EUR" })
    expect(world.invoice?.totals.total).toBe(3295n) // 29.95 + 3.00
    expect(world.invoice?.status).toBe("paid")
    expect(world.invoice?.settlement.paid).toBe(3295n)
    expect(world.attempts).toBe(5)
    expect(world.lifecycle.status).toBe("active")
    // When the engine was told to come back.
    expect(next.get("2026-03-17T23:00:00.000Z")).toBe("2026-03-21T23:00:00.000Z") // issue -> before-due
    expect(next.get("2026-03-24T23:00:00.000Z")).toBe("2026-03-25T23:00:00.000Z") // due -> day 1
    expect(next.get("2026-03-31T22:00:00.000Z")).toBe("2026-04-03T22:00:00.000Z") // day 7 -> suspension
    expect(next.get("2026-04-03T22:00:00.000Z")).toBe("2026-04-23T22:00:00.000Z") // -> termination forecast
    expect(next.get("2026-04-06T12:00:00.000Z")).toBeUndefined() // paid: nothing left
  })

  it("asking again after the payment gives nothing more", () => {
    const world = freshWorld()
    walk(world, "2026-03-18", "2026-04-15", [
      [dueAt, collectionFails],
      [at("2026-04-06T14:00:00+02:00"), customerPays]
    ])
    const plan = dunningSchedule({
      invoice: world.invoice,
      subscription: { id: "sub_1", lifecycle: world.lifecycle },
      attempts: world.attempts,
      done: world.done,
      policy,
      now: at("2026-06-01T00:00:00Z"),
      zone
    })
    expect(plan).toEqual({ due: [], upcoming: [], nextAt: undefined, notices: [] })
  })
})

describe("scenario: the same invoice never paid goes to termination on day 30", () => {
  it("suspends on day 10 and terminates on day 30 (2026-04-24 00:00 CEST), then stops", () => {
    const world = freshWorld()
    const next = walk(world, "2026-03-18", "2026-05-10", [[dueAt, collectionFails]])
    expect(logView(world).slice(-3)).toEqual([
      ["2026-03-31T22:00:00.000Z", "2026-03-31T22:00:00.000Z", "inv_1:reminder:overdue-3"],
      ["2026-04-03T22:00:00.000Z", "2026-04-03T22:00:00.000Z", "inv_1:suspend"],
      ["2026-04-23T22:00:00.000Z", "2026-04-23T22:00:00.000Z", "inv_1:terminate"]
    ])
    expect(world.log).toHaveLength(12)
    expect(world.lifecycle.status).toBe("terminated")
    expect(next.get("2026-04-23T22:00:00.000Z")).toBeUndefined()
  })

  it("after a month offline, catches up without doubling anything: suspension first, then termination", () => {
    const world = freshWorld()
    walk(world, "2026-03-18", "2026-03-26", [[dueAt, collectionFails]])
    expect(world.log).toHaveLength(4) // before-due, on-due, retry 2, overdue-1
    walk(world, "2026-04-25", "2026-04-25")
    expect(logView(world).slice(4)).toEqual([
      // First question: the overdue retry 3, the fee, only the latest reminder (overdue-2 is skipped),
      // the suspension; termination waits for it.
      ["2026-04-24T22:00:00.000Z", "2026-03-27T23:00:00.000Z", "inv_1:retry:3"],
      ["2026-04-24T22:00:00.000Z", "2026-03-29T22:00:00.000Z", "inv_1:late-fee"],
      ["2026-04-24T22:00:00.000Z", "2026-03-31T22:00:00.000Z", "inv_1:reminder:overdue-3"],
      ["2026-04-24T22:00:00.000Z", "2026-04-03T22:00:00.000Z", "inv_1:suspend"],
      // Second question: the next attempt, and the termination now that the service is suspended.
      ["2026-04-24T22:00:00.000Z", "2026-03-29T22:00:00.000Z", "inv_1:retry:4"],
      ["2026-04-24T22:00:00.000Z", "2026-04-23T22:00:00.000Z", "inv_1:terminate"]
    ])
    expect(world.lifecycle.status).toBe("terminated")
  })
})

describe("scenario: a service suspended for abuse is not brought back by a payment", () => {
  it("dunning neither re-suspends it for non-payment nor unsuspends it when the invoice is paid", () => {
    const world = freshWorld()
    const staffSuspends: Event = (w, now) => {
      w.lifecycle = Either.getOrThrow(
        transition(w.lifecycle, { _tag: "Suspend", reason: "abuse" }, now)
      ).state
    }
    const paidAt = at("2026-04-06T14:00:00+02:00")
    walk(world, "2026-03-18", "2026-04-15", [
      [dueAt, collectionFails],
      [at("2026-03-27T10:00:00+01:00"), staffSuspends],
      [paidAt, customerPays]
    ])
    const tags = world.log.map((entry) => entry.action._tag)
    expect(tags).not.toContain("SuspendService")
    expect(tags).not.toContain("UnsuspendService")
    expect(logView(world).at(-1)).toEqual([
      "2026-03-31T22:00:00.000Z",
      "2026-03-31T22:00:00.000Z",
      "inv_1:reminder:overdue-3"
    ])
    expect(world.invoice?.status).toBe("paid")
    expect(world.lifecycle.status).toBe("suspended")
    expect(world.lifecycle.suspension).toEqual({ reason: "abuse", at: at("2026-03-27T10:00:00+01:00") })
    // And the lifecycle itself agrees: a payment keeps an abuse suspension.
    const paid = Either.getOrThrow(transition(world.lifecycle, { _tag: "PaymentReceived" }, paidAt))
    expect(paid).toEqual({ state: world.lifecycle, events: [] })
  })
})
