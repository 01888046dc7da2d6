/**
 * The dunning run and its jobs through the worker, on the in-memory store and on SQLite, with a frozen
 * clock walked day by day: a declined renewal is retried on the policy's days, reminded before, on and
 * after its due date, charged a late fee once, suspended, and unsuspended when the customer's new card
 * pays; left unpaid it is terminated (provision job, churn in the revenue metrics); a paid invoice gets
 * nothing; an unpaid order is cancelled; running again the same day writes nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  applyLateFeeHandler,
  type BillingSettingsInput,
  collectInvoice,
  type DunningRunSummary,
  decodeBillingSettings,
  decodeTaxRules,
  dunningDay,
  encodeBillingSettings,
  engineHandlers,
  type Ids,
  type Invoice,
  type Json,
  type PaymentGateway,
  revenueSnapshot,
  runBilling,
  runDunning,
  Store,
  scheduleRecurring,
  startOfDayInZone,
  workOnce
} from "@ezscale/core"
import {
  InMemoryGateway,
  InMemoryGatewayInspector,
  InMemoryStore,
  makeCustomer,
  makeInvoice,
  makeSubscription,
  makeTenant,
  SequentialIds
} from "@ezscale/testkit"
import { Effect, Either, Layer, TestClock } from "effect"

const zone = "Europe/Paris"
const tenantId = "tenant-1"
const at = (year: number, month: number, day: number) => startOfDayInZone({ year, month, day }, zone)

/** The renewal invoice of sub-1 is due on Feb 15 at midnight in Paris; day n is n civil days later. */
const due = at(2026, 2, 15)
const onDay = (n: number) => dunningDay(due, n, zone)

const settingsInput: BillingSettingsInput = {
  timeZone: zone,
  seller: { country: "FR", euVat: "oss" },
  dunning: {
    invoiceLeadDays: 7,
    retryDays: [1, 3, 12],
    reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
    lateFee: { kind: "fixed", afterDays: 5, amounts: { EUR: "500" } },
    suspendAfterDays: 10,
    terminateAfterDays: 20,
    cancelPendingOrderAfterDays: 7,
    unsuspendOnPayment: true
  }
}
const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Store>]> = [
  ["in-memory", () => InMemoryStore.layer],
  ["sqlite", () => Layer.orDie(SqliteStore.layer({ filename: ":memory:" }))]
]

/** A French consumer in Paris with a monthly 10.00 EUR VPS (12.00 with VAT) and a saved default card. */
const seed = (methodId: string, billing: BillingSettingsInput = settingsInput) =>
  Effect.gen(function* () {
    const store = yield* Store
    const tenantSettings = Either.getOrThrow(decodeBillingSettings(billing))
    yield* store.tenants.put(makeTenant({ settings: { billing: encodeBillingSettings(tenantSettings) } }))
    yield* store.taxRules.replace(tenantId, rules)
    yield* store.customers.insert(
      tenantId,
      makeCustomer({ country: "FR", isBusiness: false, timeZone: zone })
    )
    const { value: subscription } = yield* store.subscriptions.insert(
      tenantId,
      makeSubscription({
        timeZone: zone,
        anchor: { year: 2026, month: 1, day: 15 },
        currentPeriod: { start: { year: 2026, month: 1, day: 15 }, end: { year: 2026, month: 2, day: 15 } },
        nextRenewalAt: due,
        invoicedPeriods: 1,
        lifecycle: {
          status: "active",
          suspension: undefined,
          cancellation: undefined,
          trialEndsAt: undefined
        }
      })
    )
    yield* store.paymentMethods.insert(tenantId, {
      id: "spm-1",
      customerId: "cus-1",
      gateway: "fake",
      gatewayCustomerId: "gcus-1",
      gatewayMethodId: methodId,
      kind: "card",
      label: "Visa •••• 0002",
      isDefault: true,
      createdAt: at(2026, 1, 15)
    })
    // The subscription counts in the revenue metrics since it started.
    const snapshot = Either.getOrThrow(
      revenueSnapshot({ subscription, coupons: [], tax: { kind: "none" }, rounding: "half-even" })
    )
    yield* store.revenue.apply(tenantId, { _tag: "RevenueStarted", at: at(2026, 1, 15), snapshot }, zone)
    // The billing run makes the renewal invoice 7 days ahead, with its collect job for the due date.
    yield* TestClock.setTime(onDay(-7))
    yield* runBilling({ tenantId })
    const [invoice] = (yield* store.invoices.listByCustomer(tenantId, "cus-1", { limit: 10 })).items
    return { store, invoice: invoice as Invoice }
  })

const worker = workOnce({ workerId: "w1", handlers: engineHandlers })

/** Runs every job the engine handles that is due now, until none is left. */
const workAll = Effect.gen(function* () {
  for (let round = 0; round < 20; round++) if ((yield* worker).claimed === 0) return
  throw new Error("the worker did not run dry")
})

const nothing = { retry: 0, reminder: 0, lateFee: 0, suspend: 0, terminate: 0, cancelOrder: 0 }

/** Day n: the due jobs run (collection on the due date), the dunning run, then the jobs it wrote. */
const dunOn = (n: number, hours = 0) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(onDay(n) + hours * 3_600_000)
    yield* workAll
    const summary = yield* runDunning({ tenantId })
    yield* workAll
    return summary
  })

/** The jobs of kinds the engine does not run (the notification and provisioning issues'), in order. */
const outboxOf = (kind: string) =>
  Effect.flatMap(Store, (store) =>
    Effect.map(
      store.jobs.claim({
        now: Date.UTC(2100, 0, 1),
        limit: 100,
        leaseMs: 1,
        workerId: `inspect-${kind}`,
        kinds: [kind]
      }),
      (jobs) => jobs.map((job) => [job.dedupeKey, job.payload] as const)
    )
  )

describe.each(stores)("dunning on %s", (_, storeLayer) => {
  const run = <A, E>(
    effect: Effect.Effect<A, E, Store | Ids | PaymentGateway | InMemoryGatewayInspector>,
    methods: Record<
      string,
      { readonly kind: "succeed" } | { readonly kind: "decline"; readonly declineCode: string }
    >
  ) =>
    Effect.provide(
      effect,
      Layer.mergeAll(storeLayer(), SequentialIds.layer, InMemoryGateway.layer({ methods }))
    )
  const cards = {
    pm_declined: { kind: "decline", declineCode: "insufficient_funds" },
    pm_ok: { kind: "succeed" }
  } as const

  it.effect(
    "a declined card: reminders, retries on the policy days, a late fee once, suspension, then the new card pays and the service is unsuspended",
    () =>
      run(
        Effect.gen(function* () {
          const { store, invoice } = yield* seed("pm_declined")
          const id = invoice.id
          expect(invoice).toMatchObject({ dueAt: due, totals: { total: 1200n } })

          const days: Array<[number, DunningRunSummary["enqueued"]]> = []
          for (const n of [-4, -3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11]) {
            const summary = yield* dunOn(n)
            days.push([n, summary.enqueued])
            expect(summary.failures).toEqual([])
            // The same day again (a second run, another process): nothing is written twice.
            const again = yield* runDunning({ tenantId })
            expect(again).toMatchObject({ seen: summary.seen, enqueued: nothing, alreadyEnqueued: 0 })
          }
          const only = (counts: Partial<DunningRunSummary["enqueued"]>) => ({ ...nothing, ...counts })
          expect(days).toEqual([
            [-4, nothing],
            [-3, only({ reminder: 1 })],
            [-1, nothing],
            [0, only({ reminder: 1 })],
            [1, only({ retry: 1, reminder: 1 })],
            [2, nothing],
            [3, only({ retry: 1, reminder: 1 })],
            [4, nothing],
            [5, only({ lateFee: 1 })],
            [6, nothing],
            [7, only({ reminder: 1 })],
            [9, nothing],
            [10, only({ suspend: 1 })],
            [11, nothing]
          ])

          const open = yield* store.invoices.get(tenantId, id)
          expect(open.lines.map((line) => [line.kind, line.gross])).toEqual([
            ["plan", 1200n],
            ["late_fee", 500n]
          ])
          expect(open).toMatchObject({ status: "open", totals: { total: 1700n } })
          const suspended = yield* store.subscriptions.get(tenantId, "sub-1")
          expect(suspended.value.lifecycle).toMatchObject({
            status: "suspended",
            suspension: { reason: "non_payment", at: onDay(10) }
          })

          // The customer saves a working card; the retry of day 12 (attempt 4) pays the whole balance.
          yield* store.paymentMethods.insert(tenantId, {
            id: "spm-2",
            customerId: "cus-1",
            gateway: "fake",
            gatewayCustomerId: "gcus-1",
            gatewayMethodId: "pm_ok",
            kind: "card",
            label: "Visa •••• 4242",
            isDefault: true,
            createdAt: onDay(11)
          })
          expect((yield* dunOn(12)).enqueued).toEqual(only({ retry: 1 }))
          expect(yield* store.invoices.get(tenantId, id)).toMatchObject({ status: "paid", paidAt: onDay(12) })
          expect((yield* store.subscriptions.get(tenantId, "sub-1")).value.lifecycle.status).toBe("active")

          // Each attempt charged once, under its own key, on its day.
          const charges = (yield* InMemoryGatewayInspector).charges()
          expect(charges.map((c) => [c.request.idempotencyKey, c.request.amount.amount, c.calls])).toEqual([
            [`collect:${id}:1`, 1200n, 1],
            [`collect:${id}:2`, 1200n, 1],
            [`collect:${id}:3`, 1200n, 1],
            [`collect:${id}:4`, 1700n, 1]
          ])

          // Paid: nothing more is due, however often the run looks.
          for (const n of [13, 20, 30]) expect(yield* dunOn(n)).toMatchObject({ seen: 0, enqueued: nothing })

          // After the first declined attempt, every notice says why the last attempt failed.
          const why = { failureReason: "card declined", declineCode: "insufficient_funds" }
          const reminder = (kind: string, failure: object = why) => [
            `notify:${id}:reminder:${kind}`,
            { template: `dunning.reminder.${kind}`, invoiceId: id, customerId: "cus-1", ...failure }
          ]
          expect(yield* outboxOf("notify")).toEqual([
            reminder("before-due", {}),
            reminder("on-due"),
            reminder("overdue-1"),
            reminder("overdue-2"),
            reminder("overdue-3"),
            [
              `notify:${id}:suspend`,
              { template: "dunning.suspended", invoiceId: id, customerId: "cus-1", ...why }
            ]
          ])
          // Each declined attempt keeps why on its payment row; the paying one has none.
          const attempts = yield* store.payments.listByInvoice(tenantId, id)
          expect(attempts.map((p) => [p.status, p.failureReason, p.declineCode])).toEqual([
            ["failed", ...Object.values(why)],
            ["failed", ...Object.values(why)],
            ["failed", ...Object.values(why)],
            ["succeeded", undefined, undefined]
          ])
          expect(yield* outboxOf("provision")).toEqual([
            [`provision:${id}:suspend`, { subscriptionId: "sub-1", action: "suspend" }]
          ])
          expect(yield* outboxOf("unsuspend")).toEqual([
            [`unsuspend:sub-1:${id}`, { subscriptionId: "sub-1", invoiceId: id }]
          ])
        }),
        cards
      )
  )

  it.effect(
    "no retry while an earlier attempt is in flight; the scheduler's dunning_run job runs the run",
    () =>
      run(
        Effect.gen(function* () {
          const { store, invoice } = yield* seed("pm_declined")
          // The workers were down: on day 1 the collection of the due date (attempt 1) has not run yet.
          yield* TestClock.setTime(onDay(1))
          const waiting = yield* runDunning({ tenantId })
          expect(waiting).toMatchObject({ retriesWaiting: 1, enqueued: { retry: 0, reminder: 1 } })
          expect(yield* store.jobs.findByDedupeKeys(tenantId, [`${invoice.id}:retry:2`])).toEqual([])
          // The workers are back: attempt 1 is declined, then the scheduled run writes attempt 2.
          yield* workAll
          yield* scheduleRecurring(tenantId, { kind: "dunning_run", everyMs: 3_600_000 })
          yield* workAll
          const [retry] = yield* store.jobs.findByDedupeKeys(tenantId, [`${invoice.id}:retry:2`])
          expect(retry).toMatchObject({
            kind: "dunning_retry",
            state: "done",
            payload: { invoiceId: invoice.id, attempt: 2 }
          })
          expect((yield* InMemoryGatewayInspector).charges().map((c) => c.request.idempotencyKey)).toEqual([
            `collect:${invoice.id}:1`,
            `collect:${invoice.id}:2`
          ])
        }),
        cards
      )
  )

  it.effect("a run racing another process that wrote the same action first writes nothing twice", () =>
    Effect.gen(function* () {
      const { store, invoice } = yield* seed("pm_declined")
      const key = `${invoice.id}:reminder:before-due`
      // Another process writes the before-due reminder between this run's read and its write.
      let reads = 0
      const racing = Layer.succeed(Store, {
        ...store,
        jobs: {
          ...store.jobs,
          findByDedupeKeys: (tenant: string, keys: ReadonlyArray<string>) =>
            Effect.tap(store.jobs.findByDedupeKeys(tenant, keys), () =>
              ++reads === 1
                ? store.jobs.enqueue(tenant, {
                    kind: "dunning_reminder",
                    payload: { invoiceId: invoice.id, reminder: "before-due" },
                    runAt: onDay(-3),
                    dedupeKey: key
                  })
                : Effect.void
            )
        }
      })
      yield* TestClock.setTime(onDay(-3))
      const summary = yield* Effect.provide(runDunning({ tenantId }), racing)
      expect(summary).toMatchObject({ enqueued: nothing, alreadyEnqueued: 1 })
      expect(reads).toBe(2)
      expect(yield* store.jobs.findByDedupeKeys(tenantId, [key])).toHaveLength(1)
    }).pipe((effect) => run(effect, cards))
  )

  it.effect("the late fee is charged once, even when its job runs again", () =>
    run(
      Effect.gen(function* () {
        const { store, invoice } = yield* seed("pm_declined")
        for (const n of [0, 1, 3, 5]) yield* dunOn(n)
        const [job] = yield* store.jobs.findByDedupeKeys(tenantId, [`${invoice.id}:late-fee`])
        expect(job).toMatchObject({ kind: "dunning_late_fee", state: "done", runAt: onDay(5) })
        // A worker that died after writing the fee runs the job again: the line is already there.
        yield* applyLateFeeHandler(job as NonNullable<typeof job>)
        yield* dunOn(6)
        const lateFees = (yield* store.invoices.get(tenantId, invoice.id)).lines.filter(
          (line) => line.kind === "late_fee"
        )
        expect(lateFees.map((line) => [line.amount, line.tax, line.description])).toEqual([
          [500n, 0n, "Late payment fee"]
        ])
        expect((yield* store.invoices.get(tenantId, invoice.id)).totals.total).toBe(1700n)
      }),
      cards
    )
  )

  it.effect("left unpaid, the suspended service is terminated on day 20, and churns", () =>
    run(
      Effect.gen(function* () {
        const { store, invoice } = yield* seed("pm_declined")
        const id = invoice.id
        const terminations: Array<number> = []
        for (let n = -3; n <= 25; n++) {
          const summary = yield* dunOn(n)
          if (summary.enqueued.terminate > 0) terminations.push(n)
          if (n > 20) expect(summary.enqueued).toEqual(nothing)
        }
        expect(terminations).toEqual([20])
        const { value: subscription } = yield* store.subscriptions.get(tenantId, "sub-1")
        expect(subscription.lifecycle.status).toBe("terminated")
        expect(subscription.nextRenewalAt).toBeUndefined()
        expect(yield* outboxOf("provision")).toEqual([
          [`provision:${id}:suspend`, { subscriptionId: "sub-1", action: "suspend" }],
          [`provision:${id}:terminate`, { subscriptionId: "sub-1", action: "terminate" }]
        ])
        expect((yield* outboxOf("notify")).map(([key]) => key)).toContain(`notify:${id}:terminate`)
        const events = yield* store.revenue.events(tenantId, "sub-1")
        expect(events.map((e) => e.event._tag)).toEqual(["RevenueStarted", "RevenueChurned"])
        expect(events[1]?.event).toMatchObject({ at: onDay(20), reason: "terminated" })
        expect((yield* store.revenue.totals(tenantId)).mrr).toEqual({})
        // Four attempts (the due date and the three retry days), each charged once.
        const charges = (yield* InMemoryGatewayInspector).charges()
        expect(charges.map((c) => [c.request.idempotencyKey, c.calls])).toEqual(
          [1, 2, 3, 4].map((attempt) => [`collect:${id}:${attempt}`, 1])
        )
        expect((yield* store.invoices.get(tenantId, id)).status).toBe("open") // still owed
      }),
      cards
    )
  )

  it.effect("a paid invoice gets no action; a reminder written before the payment sends nothing", () =>
    run(
      Effect.gen(function* () {
        const { store, invoice } = yield* seed("pm_ok")
        yield* TestClock.setTime(onDay(-3))
        expect((yield* runDunning({ tenantId })).enqueued.reminder).toBe(1)
        // The customer pays before the worker gets to the reminder.
        expect(yield* collectInvoice({ tenantId, invoiceId: invoice.id, attempt: 1 })).toMatchObject({
          _tag: "Paid"
        })
        yield* workAll
        const [reminder] = yield* store.jobs.findByDedupeKeys(tenantId, [`${invoice.id}:reminder:before-due`])
        expect(reminder?.state).toBe("done")
        for (let n = -2; n <= 25; n++) expect(yield* dunOn(n)).toMatchObject({ seen: 0, enqueued: nothing })
        expect(yield* outboxOf("notify")).toEqual([])
        expect(yield* outboxOf("provision")).toEqual([])
        expect((yield* store.subscriptions.get(tenantId, "sub-1")).value.lifecycle.status).toBe("active")
        expect((yield* InMemoryGatewayInspector).charges().length).toBe(1)
      }),
      cards
    )
  )

  it.effect("an unpaid order is cancelled on day 7 at the hour it was due; its credit goes back", () =>
    run(
      Effect.gen(function* () {
        const { store } = yield* seed("pm_declined")
        const orderDue = at(2026, 2, 1) + (14 * 60 + 37) * 60_000 // 14:37 in Paris
        yield* store.subscriptions.insert(
          tenantId,
          makeSubscription({
            id: "sub-order",
            timeZone: zone,
            lifecycle: {
              status: "pending",
              suspension: undefined,
              cancellation: undefined,
              trialEndsAt: undefined
            }
          })
        )
        yield* store.ledger.append(tenantId, {
          customerId: "cus-1",
          currency: "EUR",
          amount: 300n,
          kind: "credit_added",
          at: at(2026, 1, 31)
        })
        yield* store.ledger.append(tenantId, {
          customerId: "cus-1",
          currency: "EUR",
          amount: -300n,
          kind: "credit_applied",
          invoiceId: "inv-order",
          at: at(2026, 2, 1)
        })
        const order = makeInvoice({
          id: "inv-order",
          subscriptionId: "sub-order",
          kind: "order",
          dueAt: orderDue,
          issuedAt: orderDue,
          period: { start: { year: 2026, month: 2, day: 1 }, end: { year: 2026, month: 3, day: 1 } },
          settlement: { creditApplied: 300n, paid: 0n, refunded: 0n, credited: 0n }
        })
        yield* store.invoices.insert(tenantId, order)
        yield* TestClock.setTime(dunningDay(orderDue, 7, zone) - 60_000)
        expect((yield* runDunning({ tenantId })).enqueued.cancelOrder).toBe(0)
        yield* TestClock.setTime(dunningDay(orderDue, 7, zone))
        const summary = yield* runDunning({ tenantId })
        expect(summary.enqueued).toMatchObject({ cancelOrder: 1, retry: 0, lateFee: 0 })
        yield* workAll
        expect((yield* runDunning({ tenantId })).enqueued).toEqual(nothing)
        const { value: cancelled } = yield* store.subscriptions.get(tenantId, "sub-order")
        expect(cancelled.lifecycle).toMatchObject({
          status: "cancelled",
          cancellation: { mode: "immediately", reason: "order not paid" }
        })
        expect(cancelled.nextRenewalAt).toBeUndefined()
        expect(yield* store.invoices.get(tenantId, "inv-order")).toMatchObject({
          status: "void",
          settlement: { creditApplied: 0n }
        })
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(300n)
        expect(
          (yield* outboxOf("notify")).map(([key, payload]) => [key, (payload as { template: Json }).template])
        ).toContainEqual(["notify:inv-order:cancel-order", "dunning.order-cancelled"])
      }),
      cards
    )
  )

  it.effect("reports invoices it cannot decide about, with stable codes, and goes on with the others", () =>
    run(
      Effect.gen(function* () {
        const { store, invoice } = yield* seed("pm_declined", {
          ...settingsInput,
          dunning: {
            ...(settingsInput.dunning as NonNullable<BillingSettingsInput["dunning"]>),
            lateFee: { kind: "fixed", afterDays: 5, amounts: { USD: "500" } }
          }
        })
        yield* store.invoices.insert(
          tenantId,
          makeInvoice({
            id: "inv-orphan",
            customerId: "cus-gone",
            subscriptionId: undefined,
            kind: "manual",
            period: undefined,
            dueAt: due
          })
        )
        const summary = yield* dunOn(5)
        expect(summary.seen).toBe(2)
        expect(summary.failures.map((f) => [f.invoiceId, f.code]).sort()).toEqual([
          ["inv-orphan", "DUNNING_RECORD_MISSING"],
          [invoice.id, "LATE_FEE_AMOUNT_MISSING"]
        ])
        expect(summary.enqueued).toMatchObject({ retry: 1, reminder: 1, lateFee: 0 })
        expect((yield* store.invoices.get(tenantId, invoice.id)).lines.map((line) => line.kind)).toEqual([
          "plan"
        ])
      }),
      cards
    )
  )
})
