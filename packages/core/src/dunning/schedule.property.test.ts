/**
 * The dunning invariants as properties, over random policies, zones, invoices, service states, attempts,
 * done-sets and instants; then whole dunning runs driven by a fake engine.
 */
import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  DAY,
  lifecycle,
  newWorld,
  openInvoice,
  runDunning,
  withLateFee
} from "../../test/scenarios/dunning/fixtures"
import { balanceOf, type Invoice, isOverdue } from "../invoicing/invoice/document"
import { issueInvoice, recordPayment, voidInvoice } from "../invoicing/invoice/lifecycle"
import { isEnded, type SubscriptionState, SubscriptionStatuses } from "../subscription/state"
import { type DunningAction, ReminderKinds } from "./actions"
import { lateFeeFor } from "./late-fee"
import { type DunningPolicy, decodeDunningPolicy } from "./policy"
import { type DunningInput, dunningSchedule } from "./schedule"

const zones = [
  "Europe/Paris",
  "America/New_York",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "UTC"
]

const sortedDays = (max: number, maxLength: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max }), { maxLength }).map((days) => [...days].sort((a, b) => a - b))

/** Valid policies as the admin panel would send them, decoded (so the decoder must accept them all). */
const policyArb: fc.Arbitrary<DunningPolicy> = fc
  .record({
    invoiceLeadDays: fc.integer({ min: 0, max: 30 }),
    retryDays: sortedDays(40, 6),
    beforeDueDays: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    onDue: fc.boolean(),
    overdueDays: sortedDays(40, 3),
    lateFee: fc.option(
      fc.oneof(
        fc.record({
          kind: fc.constant("fixed" as const),
          afterDays: fc.integer({ min: 1, max: 30 }),
          amounts: fc.constantFrom({ EUR: "500" }, { EUR: "250", USD: "300" }, { USD: "1" })
        }),
        fc.record({
          kind: fc.constant("percent" as const),
          afterDays: fc.integer({ min: 1, max: 30 }),
          rate: fc.constantFrom("1", "2.5", "10", "100"),
          rounding: fc.constantFrom("half-even", "half-up", "down", "up")
        })
      ),
      { nil: undefined }
    ),
    suspendAfterDays: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    terminateGap: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    cancelPendingOrderAfterDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    unsuspendOnPayment: fc.boolean()
  })
  .map((p) =>
    Either.getOrThrow(
      decodeDunningPolicy({
        invoiceLeadDays: p.invoiceLeadDays,
        retryDays: p.retryDays,
        reminders: {
          onDue: p.onDue,
          overdueDays: p.overdueDays,
          ...(p.beforeDueDays === undefined ? {} : { beforeDueDays: p.beforeDueDays })
        },
        ...(p.lateFee === undefined ? {} : { lateFee: p.lateFee }),
        ...(p.suspendAfterDays === undefined ? {} : { suspendAfterDays: p.suspendAfterDays }),
        ...(p.suspendAfterDays === undefined || p.terminateGap === undefined
          ? {}
          : { terminateAfterDays: p.suspendAfterDays + p.terminateGap }),
        ...(p.cancelPendingOrderAfterDays === undefined
          ? {}
          : { cancelPendingOrderAfterDays: p.cancelPendingOrderAfterDays }),
        unsuspendOnPayment: p.unsuspendOnPayment
      })
    )
  )

const dueAtArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) })

/** An invoice in any state the store can hold, or none. */
const invoiceArb = (dueAt: number): fc.Arbitrary<Invoice | undefined> =>
  fc.option(
    fc
      .record({
        kind: fc.oneof(
          { arbitrary: fc.constant("renewal" as const), weight: 3 },
          { arbitrary: fc.constantFrom("order", "plan_change", "manual"), weight: 2 }
        ),
        total: fc.bigInt({ min: 1n, max: 10_000_000n }),
        currency: fc.constantFrom("EUR", "USD", "JPY"),
        state: fc.oneof(
          { arbitrary: fc.constantFrom("open", "paid"), weight: 3 },
          { arbitrary: fc.constantFrom("partly_paid", "void", "draft", "late_fee"), weight: 2 }
        ),
        paidAfter: fc.integer({ min: -5 * DAY, max: 40 * DAY })
      })
      .map(({ kind, total, currency, state, paidAfter }) => {
        const open = openInvoice({ dueAt, total, kind, currency })
        if (state === "partly_paid" && total > 1n) {
          return Either.getOrThrow(recordPayment(open, total / 2n, dueAt + paidAfter))
        }
        if (state === "paid") return Either.getOrThrow(recordPayment(open, total, dueAt + paidAfter))
        if (state === "void") return Either.getOrThrow(voidInvoice(open, dueAt + paidAfter)).invoice
        if (state === "draft")
          return { ...open, status: "draft" as const, issuedAt: undefined, number: undefined }
        if (state === "late_fee") return withLateFee(open, 100n)
        return open
      }),
    { nil: undefined, freq: 8 }
  )

const lifecycleArb = (dueAt: number): fc.Arbitrary<SubscriptionState> =>
  fc
    .record({
      status: fc.oneof(
        { arbitrary: fc.constantFrom("active", "past_due", "suspended", "pending"), weight: 4 },
        { arbitrary: fc.constantFrom(...SubscriptionStatuses), weight: 1 }
      ),
      reason: fc.constantFrom("non_payment", "abuse", "manual"),
      suspendedAfter: fc.integer({ min: -10 * DAY, max: 40 * DAY })
    })
    .map(({ status, reason, suspendedAfter }) =>
      status === "suspended" ? lifecycle(status, { reason, at: dueAt + suspendedAfter }) : lifecycle(status)
    )

const allKeys = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `inv_1:retry:${n}`),
  ...ReminderKinds.map((kind) => `inv_1:reminder:${kind}`),
  "inv_1:late-fee",
  "inv_1:suspend",
  "inv_1:terminate",
  "inv_1:cancel-order",
  "inv_1:unsuspend"
]

const inputArb: fc.Arbitrary<DunningInput> = dueAtArb.chain((dueAt) =>
  fc.record({
    invoice: invoiceArb(dueAt),
    subscription: lifecycleArb(dueAt).map((state) => ({ id: "sub_1", lifecycle: state })),
    attempts: fc.integer({ min: 0, max: 8 }),
    done: fc.array(fc.constantFrom(...allKeys), { maxLength: 5 }).map((keys) => new Set(keys)),
    policy: policyArb,
    now: fc.integer({ min: dueAt - 20 * DAY, max: dueAt + 80 * DAY }),
    zone: fc.constantFrom(...zones)
  })
)

const all = (plan: { due: ReadonlyArray<DunningAction>; upcoming: ReadonlyArray<DunningAction> }) => [
  ...plan.due,
  ...plan.upcoming
]
const tagged = <T extends DunningAction["_tag"]>(actions: ReadonlyArray<DunningAction>, tag: T) =>
  actions.filter((a): a is Extract<DunningAction, { _tag: T }> => a._tag === tag)

const runs = { numRuns: 2000 }

describe("dunningSchedule invariants (properties)", () => {
  it("gives the same answer to the same question, and does not touch its input", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const doneBefore = [...input.done]
        const first = dunningSchedule(input)
        expect(dunningSchedule({ ...input, done: new Set(input.done) })).toEqual(first)
        expect([...input.done]).toEqual(doneBefore)
      }),
      runs
    )
  })

  it("splits at now, in order, with nextAt the first upcoming instant; every key once and never a done one", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = dunningSchedule(input)
        for (const action of plan.due) expect(action.at).toBeLessThanOrEqual(input.now)
        for (const action of plan.upcoming) expect(action.at).toBeGreaterThan(input.now)
        expect(plan.nextAt).toBe(plan.upcoming[0]?.at)
        for (const list of [plan.due, plan.upcoming]) {
          expect(list.map((a) => a.at)).toEqual([...list].map((a) => a.at).sort((a, b) => a - b))
        }
        const keys = all(plan).map((a) => a.key)
        expect(new Set(keys).size).toBe(keys.length)
        expect(keys.filter((key) => input.done.has(key))).toEqual([])
      }),
      runs
    )
  })

  it("suspends or terminates only for a renewal invoice that exists, is open, owed and overdue now", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = dunningSchedule(input)
        const drastic = plan.due.filter((a) => a._tag === "SuspendService" || a._tag === "TerminateService")
        if (drastic.length === 0) return
        const { invoice } = input
        expect(invoice).toBeDefined()
        if (invoice === undefined) return
        expect(invoice.kind).toBe("renewal")
        expect(invoice.status).toBe("open")
        expect(isOverdue(invoice, input.now)).toBe(true)
      }),
      runs
    )
  })

  it("schedules nothing without an invoice, nothing for an ended service, at most an unsuspend for a settled invoice", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const actions = all(dunningSchedule(input))
        const { invoice, subscription } = input
        if (invoice === undefined || (subscription !== undefined && isEnded(subscription.lifecycle.status))) {
          expect(actions).toEqual([])
        } else if (invoice.status !== "open" || balanceOf(invoice) === 0n) {
          expect(actions.every((a) => a._tag === "UnsuspendService")).toBe(true)
        }
      }),
      runs
    )
  })

  it("unsuspends only a non-payment suspension, only for a paid invoice, only when the policy allows", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const unsuspends = tagged(all(dunningSchedule(input)), "UnsuspendService")
        if (unsuspends.length === 0) return
        expect(unsuspends.length).toBe(1)
        expect(input.invoice?.status).toBe("paid")
        expect(input.policy.unsuspendOnPayment).toBe(true)
        expect(input.subscription?.lifecycle.status).toBe("suspended")
        expect(input.subscription?.lifecycle.suspension?.reason).toBe("non_payment")
      }),
      runs
    )
  })

  it("never terminates before the suspension: termination is due only for a suspended service, alone", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = dunningSchedule(input)
        if (tagged(plan.due, "TerminateService").length === 0) return
        expect(input.subscription?.lifecycle.status).toBe("suspended")
        expect(tagged(plan.due, "SuspendService")).toEqual([])
        // And a forecast termination never comes before a forecast suspension.
      }),
      runs
    )
    fc.assert(
      fc.property(inputArb, (input) => {
        const actions = all(dunningSchedule(input))
        const suspend = tagged(actions, "SuspendService")[0]
        const terminate = tagged(actions, "TerminateService")[0]
        if (suspend !== undefined && terminate !== undefined) expect(terminate.at).toBeGreaterThan(suspend.at)
      }),
      runs
    )
  })

  it("charges a late fee at most once, never on an invoice that has one, never zero, in its currency", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const fees = tagged(all(dunningSchedule(input)), "ApplyLateFee")
        expect(fees.length).toBeLessThanOrEqual(1)
        const fee = fees[0]
        if (fee === undefined || input.invoice === undefined) return
        expect(input.invoice.lines.some((line) => line.kind === "late_fee")).toBe(false)
        expect(input.invoice.kind).not.toBe("order")
        expect(fee.fee.amount).toBeGreaterThan(0n)
        expect(fee.fee.currency).toBe(input.invoice.currency)
      }),
      runs
    )
  })

  it("cancels only a pending service's unpaid order; retries one attempt at a time; sends one reminder at a time", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = dunningSchedule(input)
        if (tagged(plan.due, "CancelPendingOrder").length > 0) {
          expect(input.invoice?.kind).toBe("order")
          expect(input.invoice?.status).toBe("open")
          expect(input.subscription?.lifecycle.status).toBe("pending")
        }
        const retries = tagged(all(plan), "RetryPayment")
        expect(retries.length).toBeLessThanOrEqual(1)
        for (const retry of retries) expect(retry.attempt).toBe(Math.max(input.attempts + 1, 2))
        expect(tagged(plan.due, "SendReminder").length).toBeLessThanOrEqual(1)
      }),
      runs
    )
  })
})

describe("whole dunning runs with a fake engine (properties)", () => {
  const scenarioArb = fc.record({
    policy: policyArb,
    zone: fc.constantFrom(...zones),
    dueAt: dueAtArb,
    total: fc.bigInt({ min: 100n, max: 1_000_000n }),
    paidAfter: fc.option(fc.integer({ min: 1, max: 60 * DAY }), { nil: undefined }),
    lag: fc.array(fc.integer({ min: 0, max: 3 * DAY }), { minLength: 1, maxLength: 5 })
  })

  it("carries out every action once, suspends before terminating, and after payment only unsuspends", () => {
    fc.assert(
      fc.property(scenarioArb, ({ policy, zone, dueAt, total, paidAfter, lag }) => {
        const issuedAt = dueAt - policy.invoiceLeadDays * DAY
        const draft = { ...openInvoice({ dueAt, total }), status: "draft" as const }
        const invoice = Either.getOrThrow(issueInvoice(draft, issuedAt, "INV-1"))
        const world = newWorld(invoice, lifecycle("past_due"), 1)
        const payAt = paidAfter === undefined ? undefined : dueAt + paidAfter
        let now = issuedAt
        let paidIndex: number | undefined
        for (let step = 0; step < 200; step++) {
          if (payAt !== undefined && paidIndex === undefined && now >= payAt && world.invoice !== undefined) {
            if (world.invoice.status === "open" && !isEnded(world.lifecycle.status)) {
              world.invoice = Either.getOrThrow(recordPayment(world.invoice, balanceOf(world.invoice), payAt))
            }
            paidIndex = world.log.length
          }
          const plan = runDunning(world, { policy, zone }, now)
          const wake = [plan.nextAt, paidIndex === undefined ? payAt : undefined].filter(
            (t): t is number => t !== undefined
          )
          if (wake.length === 0) break
          now = Math.max(now + 1, Math.min(...wake)) + (lag[step % lag.length] ?? 0)
        }
        const keys = world.log.map((entry) => entry.action.key)
        expect(new Set(keys).size).toBe(keys.length)
        const suspendIndex = keys.indexOf("inv_1:suspend")
        const terminateIndex = keys.indexOf("inv_1:terminate")
        if (terminateIndex >= 0) expect(suspendIndex).toBeGreaterThanOrEqual(0)
        if (terminateIndex >= 0) expect(terminateIndex).toBeGreaterThan(suspendIndex)
        expect(keys.filter((key) => key === "inv_1:late-fee").length).toBeLessThanOrEqual(1)
        for (const { ranAt, action } of world.log) expect(action.at).toBeLessThanOrEqual(ranAt)
        if (paidIndex !== undefined && world.invoice?.status === "paid") {
          const afterPayment = world.log.slice(paidIndex).map((entry) => entry.action._tag)
          expect(afterPayment.every((tag) => tag === "UnsuspendService")).toBe(true)
          const wasSuspended = suspendIndex >= 0 && suspendIndex < paidIndex
          expect(afterPayment.length).toBe(wasSuspended && policy.unsuspendOnPayment ? 1 : 0)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("with a punctual engine, runs each action at its exact instant and walks the whole policy", () => {
    fc.assert(
      fc.property(scenarioArb, ({ policy, zone, dueAt, total }) => {
        const world = newWorld(openInvoice({ dueAt, total }), lifecycle("past_due"), 1)
        let now: number | undefined = dueAt + 1
        // The engine's first look is just after the due date (the collection failed then).
        world.done.add("inv_1:reminder:before-due")
        world.done.add("inv_1:reminder:on-due")
        for (let step = 0; step < 200 && now !== undefined; step++)
          now = runDunning(world, { policy, zone }, now).nextAt
        for (const { ranAt, action } of world.log) expect(ranAt).toBe(action.at)
        const ran = new Set(world.log.map((entry) => entry.action.key))
        // Everything before the termination day happens (from it on the service is gone and dunning stops).
        const last = policy.terminateAfterDays ?? Number.POSITIVE_INFINITY
        for (const [index, day] of policy.retryDays.entries()) {
          expect(ran.has(`inv_1:retry:${index + 2}`)).toBe(day < last)
        }
        for (const [index, day] of policy.reminders.overdueDays.entries()) {
          expect(ran.has(`inv_1:reminder:overdue-${index + 1}`)).toBe(day < last)
        }
        if (
          policy.lateFee !== undefined &&
          lateFeeFor(policy.lateFee, openInvoice({ dueAt, total })) !== undefined
        ) {
          expect(ran.has("inv_1:late-fee")).toBe(policy.lateFee.afterDays < last)
        }
        expect(ran.has("inv_1:suspend")).toBe(policy.suspendAfterDays !== undefined)
        expect(ran.has("inv_1:terminate")).toBe(policy.terminateAfterDays !== undefined)
        expect(world.lifecycle.status).toBe(
          policy.terminateAfterDays !== undefined
            ? "terminated"
            : policy.suspendAfterDays !== undefined
              ? "suspended"
              : "past_due"
        )
      }),
      { numRuns: 300 }
    )
  })
})
