import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { iso, lifecycle, openInvoice, policyWith, withLateFee } from "../../test/scenarios/dunning/fixtures"
import { recordPayment, voidInvoice } from "../invoicing/invoice/lifecycle"
import type { DunningAction } from "./actions"
import { type DunningInput, dunningSchedule } from "./schedule"

// Due 2026-03-02 00:00 in Paris (CET, no DST change for weeks): day N is 2026-03-(2+N)T00:00 CET.
const zone = "Europe/Paris"
const due = Date.UTC(2026, 2, 1, 23)
const DAY = 86_400_000
const dayAt = (n: number, hours = 0) => due + n * DAY + hours * 3_600_000

const policy = policyWith({
  retryDays: [1, 3],
  reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 4] },
  lateFee: { kind: "percent", afterDays: 2, rate: "10", rounding: "half-even" },
  suspendAfterDays: 5,
  terminateAfterDays: 9,
  cancelPendingOrderAfterDays: 2
})

const invoice = openInvoice({ dueAt: due, total: 3000n })

const ask = (overrides: Partial<DunningInput> = {}) =>
  dunningSchedule({
    invoice,
    subscription: { id: "sub_1", lifecycle: lifecycle("past_due") },
    attempts: 1,
    done: new Set(),
    policy,
    now: dayAt(0),
    zone,
    ...overrides
  })

const view = (actions: ReadonlyArray<DunningAction>) => actions.map((a) => [iso(a.at), a.key])
const keys = (actions: ReadonlyArray<DunningAction>) => actions.map((a) => a.key)

describe("dunningSchedule: what is due and what comes next", () => {
  it("schedules nothing without an invoice, whatever the service's state", () => {
    for (const status of ["active", "past_due", "suspended"] as const) {
      expect(
        ask({
          invoice: undefined,
          subscription: { id: "sub_1", lifecycle: lifecycle(status) },
          now: dayAt(40)
        })
      ).toEqual({
        due: [],
        upcoming: [],
        nextAt: undefined,
        notices: []
      })
    }
  })

  it("before the due date: the before-due reminder is next, and the whole calendar is known", () => {
    const plan = ask({ now: dayAt(-5), attempts: 0 })
    expect(plan.due).toEqual([])
    expect(plan.nextAt).toBe(dayAt(-3))
    expect(view(plan.upcoming)).toEqual([
      ["2026-02-26T23:00:00.000Z", "inv_1:reminder:before-due"],
      ["2026-03-01T23:00:00.000Z", "inv_1:reminder:on-due"],
      ["2026-03-02T23:00:00.000Z", "inv_1:retry:2"],
      ["2026-03-02T23:00:00.000Z", "inv_1:reminder:overdue-1"],
      ["2026-03-03T23:00:00.000Z", "inv_1:late-fee"],
      ["2026-03-05T23:00:00.000Z", "inv_1:reminder:overdue-2"],
      ["2026-03-06T23:00:00.000Z", "inv_1:suspend"],
      ["2026-03-10T23:00:00.000Z", "inv_1:terminate"]
    ])
  })

  it("is due at the exact instant, not a millisecond before", () => {
    const done = new Set(["inv_1:reminder:on-due"])
    expect(keys(ask({ now: dayAt(1) - 1, done }).due)).toEqual([])
    expect(keys(ask({ now: dayAt(1), done }).due)).toEqual(["inv_1:retry:2", "inv_1:reminder:overdue-1"])
  })

  it("never returns an action whose key is done", () => {
    const done = new Set(["inv_1:retry:2", "inv_1:reminder:overdue-1"])
    const plan = ask({ now: dayAt(1, 9), done })
    expect(plan.due).toEqual([])
    expect(plan.nextAt).toBe(dayAt(2))
  })
})

describe("reminders", () => {
  it("sends only the latest reminder whose time has come when the engine was away (no pile of old ones)", () => {
    const plan = ask({ now: dayAt(4, 9), done: new Set(["inv_1:retry:2", "inv_1:late-fee"]), attempts: 2 })
    expect(keys(plan.due.filter((a) => a._tag === "SendReminder"))).toEqual(["inv_1:reminder:overdue-2"])
  })

  it("never sends a reminder older than one already sent", () => {
    const plan = ask({ now: dayAt(1), done: new Set(["inv_1:reminder:overdue-2"]) })
    expect(plan.due.some((a) => a._tag === "SendReminder")).toBe(false)
  })

  it("stops when the invoice owes nothing: paid, void or never issued", () => {
    const paid = Either.getOrThrow(recordPayment(invoice, 3000n, dayAt(-1)))
    const voided = Either.getOrThrow(voidInvoice(invoice, dayAt(-1))).invoice
    const draft = { ...invoice, status: "draft" as const }
    for (const inv of [paid, voided, draft]) {
      const plan = ask({ invoice: inv, now: dayAt(1) })
      expect([plan.due, plan.upcoming]).toEqual([[], []])
    }
  })
})

describe("payment retries", () => {
  it("numbers attempts from 2 (attempt 1 is the collection on the due date), one at a time", () => {
    expect(keys(ask({ now: dayAt(1), attempts: 0 }).due)).toContain("inv_1:retry:2")
    expect(keys(ask({ now: dayAt(3), attempts: 2 }).due)).toContain("inv_1:retry:3")
    // Far behind schedule: still only the next attempt, never two charges at once.
    const late = ask({ now: dayAt(3, 9), attempts: 1 })
    expect(late.due.filter((a) => a._tag === "RetryPayment")).toEqual([
      { _tag: "RetryPayment", key: "inv_1:retry:2", at: dayAt(1), invoiceId: "inv_1", attempt: 2 }
    ])
  })

  it("waits while the previous attempt is in flight, and stops after the last retry day", () => {
    const inFlight = ask({ now: dayAt(3), attempts: 1, done: new Set(["inv_1:retry:2"]) })
    expect([...inFlight.due, ...inFlight.upcoming].some((a) => a._tag === "RetryPayment")).toBe(false)
    const exhausted = ask({ now: dayAt(8), attempts: 3 })
    expect([...exhausted.due, ...exhausted.upcoming].some((a) => a._tag === "RetryPayment")).toBe(false)
  })
})

describe("late fee", () => {
  it("charges the percentage of the balance on its day, once", () => {
    const plan = ask({ now: dayAt(2), attempts: 2, done: new Set(["inv_1:retry:2"]) })
    expect(plan.due.filter((a) => a._tag === "ApplyLateFee")).toEqual([
      {
        _tag: "ApplyLateFee",
        key: "inv_1:late-fee",
        at: dayAt(2),
        invoiceId: "inv_1",
        fee: { amount: 300n, currency: "EUR" }
      }
    ])
    // Already on the invoice (even if the key was lost): never again.
    const charged = ask({ invoice: withLateFee(invoice, 300n), now: dayAt(2) })
    expect(charged.due.some((a) => a._tag === "ApplyLateFee")).toBe(false)
    expect(
      ask({ now: dayAt(2), done: new Set(["inv_1:late-fee"]) }).due.some((a) => a._tag === "ApplyLateFee")
    ).toBe(false)
  })

  it("reports a fixed fee with no amount in the invoice's currency instead of charging a made-up one", () => {
    const fixed = policyWith({ lateFee: { kind: "fixed", afterDays: 2, amounts: { USD: "500" } } })
    const before = ask({ policy: fixed, now: dayAt(1) })
    expect(before.notices).toEqual([])
    const plan = ask({ policy: fixed, now: dayAt(2) })
    expect(plan.due.some((a) => a._tag === "ApplyLateFee")).toBe(false)
    expect(plan.notices).toEqual([{ _tag: "LateFeeCurrencyMissing", invoiceId: "inv_1", currency: "EUR" }])
  })
})

describe("suspension and termination", () => {
  it("suspends a running service on its day, for non-payment", () => {
    const plan = ask({ now: dayAt(5), attempts: 3, done: new Set(["inv_1:late-fee"]) })
    expect(plan.due.filter((a) => a._tag === "SuspendService")).toEqual([
      {
        _tag: "SuspendService",
        key: "inv_1:suspend",
        at: dayAt(5),
        invoiceId: "inv_1",
        subscriptionId: "sub_1",
        reason: "non_payment"
      }
    ])
  })

  it("never suspends for an invoice that is not the renewal: plan change, manual", () => {
    for (const kind of ["plan_change", "manual"] as const) {
      const plan = ask({ invoice: openInvoice({ dueAt: due, total: 3000n, kind }), now: dayAt(20) })
      expect(plan.due.some((a) => a._tag === "SuspendService" || a._tag === "TerminateService")).toBe(false)
    }
  })

  it("does not touch a service already suspended for abuse (a new reason would let a payment lift it)", () => {
    const abuse = lifecycle("suspended", { reason: "abuse", at: dayAt(1) })
    const plan = ask({ subscription: { id: "sub_1", lifecycle: abuse }, now: dayAt(5) })
    expect(plan.due.some((a) => a._tag === "SuspendService")).toBe(false)
  })

  it("terminates only once suspended: when both are due, the suspension comes first and termination waits", () => {
    const both = ask({ now: dayAt(12), attempts: 3, done: new Set(["inv_1:late-fee"]) })
    expect(keys(both.due)).toEqual(["inv_1:reminder:overdue-2", "inv_1:suspend"])
    const suspended = lifecycle("suspended", { reason: "non_payment", at: dayAt(12) })
    const after = ask({
      now: dayAt(12),
      attempts: 3,
      subscription: { id: "sub_1", lifecycle: suspended },
      done: new Set(["inv_1:late-fee", "inv_1:reminder:overdue-2", "inv_1:suspend"])
    })
    expect(view(after.due)).toEqual([["2026-03-10T23:00:00.000Z", "inv_1:terminate"]])
  })

  it("drops the termination forecast once staff lifted this invoice's suspension", () => {
    const plan = ask({
      now: dayAt(6),
      attempts: 3,
      subscription: { id: "sub_1", lifecycle: lifecycle("active") },
      done: new Set(["inv_1:late-fee", "inv_1:reminder:overdue-2", "inv_1:suspend"])
    })
    expect([...plan.due, ...plan.upcoming]).toEqual([])
    expect(plan.nextAt).toBeUndefined()
  })

  it("does nothing for a service that has ended", () => {
    for (const status of ["cancelled", "terminated", "fraud"] as const) {
      const plan = ask({ subscription: { id: "sub_1", lifecycle: lifecycle(status) }, now: dayAt(20) })
      expect([plan.due, plan.upcoming]).toEqual([[], []])
    }
  })

  it("refuses (as a bug) an invoice of another service", () => {
    expect(() => ask({ subscription: { id: "sub_2", lifecycle: lifecycle("active") } })).toThrow(
      /bills sub_1, not sub_2/
    )
  })

  it("dunns an invoice with no service by reminders, retries and the fee only", () => {
    const manual = openInvoice({ dueAt: due, total: 3000n, kind: "manual", subscriptionId: undefined })
    const plan = ask({ invoice: manual, subscription: undefined, now: dayAt(-5) })
    expect(new Set(plan.upcoming.map((a) => a._tag))).toEqual(
      new Set(["SendReminder", "RetryPayment", "ApplyLateFee"])
    )
  })
})

describe("pending orders", () => {
  const order = openInvoice({ dueAt: due, total: 3000n, kind: "order" })
  const pending = { id: "sub_1", lifecycle: lifecycle("pending") }

  it("cancels an unpaid order on its day; no retries and no late fee for an order", () => {
    const plan = ask({
      invoice: order,
      subscription: pending,
      now: dayAt(2),
      attempts: 0,
      done: new Set(["inv_1:reminder:overdue-1"])
    })
    expect(view(plan.due)).toEqual([["2026-03-03T23:00:00.000Z", "inv_1:cancel-order"]])
    // The overdue-2 reminder (day 4) would come after the cancellation: it is dropped, nothing is left.
    expect(plan.upcoming).toEqual([])
    expect(plan.nextAt).toBeUndefined()
    // Before the cancellation the order still gets its reminders.
    expect(view(ask({ invoice: order, subscription: pending, now: dayAt(0), attempts: 0 }).upcoming)).toEqual(
      [
        ["2026-03-02T23:00:00.000Z", "inv_1:reminder:overdue-1"],
        ["2026-03-03T23:00:00.000Z", "inv_1:cancel-order"]
      ]
    )
  })

  it("does not cancel an order that was paid", () => {
    const paid = Either.getOrThrow(recordPayment(order, 3000n, dayAt(1)))
    expect(ask({ invoice: paid, subscription: pending, now: dayAt(2) }).due).toEqual([])
  })
})

describe("unsuspend on payment", () => {
  const paid = Either.getOrThrow(recordPayment(invoice, 3000n, dayAt(6, 14)))
  const suspendedFor = (reason: "non_payment" | "abuse" | "manual", at = dayAt(5)) => ({
    id: "sub_1",
    lifecycle: lifecycle("suspended", { reason, at })
  })

  it("lifts a non-payment suspension at the payment instant", () => {
    const plan = ask({ invoice: paid, subscription: suspendedFor("non_payment"), now: dayAt(6, 15) })
    expect(plan).toEqual({
      due: [
        {
          _tag: "UnsuspendService",
          key: "inv_1:unsuspend",
          at: dayAt(6, 14),
          invoiceId: "inv_1",
          subscriptionId: "sub_1"
        }
      ],
      upcoming: [],
      nextAt: undefined,
      notices: []
    })
    expect(
      ask({
        invoice: paid,
        subscription: suspendedFor("non_payment"),
        now: dayAt(6, 15),
        done: new Set(["inv_1:unsuspend"])
      }).due
    ).toEqual([])
  })

  it("never lifts an abuse or manual suspension, nor one the policy keeps, nor one older than the invoice", () => {
    expect(ask({ invoice: paid, subscription: suspendedFor("abuse"), now: dayAt(7) }).due).toEqual([])
    expect(ask({ invoice: paid, subscription: suspendedFor("manual"), now: dayAt(7) }).due).toEqual([])
    const keep = policyWith({ unsuspendOnPayment: false })
    expect(
      ask({ invoice: paid, policy: keep, subscription: suspendedFor("non_payment"), now: dayAt(7) }).due
    ).toEqual([])
    // Suspended before this invoice fell due: another invoice is why, paying this one changes nothing.
    expect(
      ask({ invoice: paid, subscription: suspendedFor("non_payment", dayAt(-2)), now: dayAt(7) }).due
    ).toEqual([])
  })
})
