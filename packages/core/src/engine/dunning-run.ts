/**
 * The dunning run: every open invoice of a tenant gets the dunning actions due for it now, each written
 * once as an outbox job under the action's key.
 *
 * It streams the open invoices due before now plus the policy's before-due reminder lead (and a day for
 * zones), page by page, in (due date, id) order. For each page it reads the facts dunning decides from —
 * the customers (their zone), the subscriptions (their lifecycle), and the jobs already written under the
 * invoices' action keys (`dunningFacts`) — asks the pure `dunningSchedule` what is due, and writes the
 * page's due actions in one transaction, each as a job whose dedupe key is the action key. The store keeps
 * the first job under a key, so a run repeated the same day, or racing another process, or restarted
 * after a crash, writes nothing twice; the jobs themselves re-check before they act
 * (`dunning-actions.ts`).
 */
import { Clock, Effect } from "effect"
import type { Instant } from "../calendar/zone"
import type { Customer } from "../customer/customer"
import type { DunningAction } from "../dunning/actions"
import type { DunningPolicy } from "../dunning/policy"
import { dunningSchedule } from "../dunning/schedule"
import { type ErrorCode, errorCode } from "../errors/codes"
import type { Invoice } from "../invoicing/invoice/document"
import type { StoreError } from "../ports/store/errors"
import type { JobSpec, Versioned } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import type { Subscription } from "../subscription/subscription"
import { DunningRecordMissing, LateFeeAmountMissing } from "./dunning-errors"
import { type DunningFacts, dunningFactKeys, dunningFacts, jobsByKey } from "./dunning-facts"
import type { InvalidBillingSettings } from "./errors"
import { billingSettingsOf } from "./settings"

const day = 86_400_000

/** The job kind of each dunning action the run writes (an unsuspension is collection's, on payment). */
export const dunningJobKinds = {
  RetryPayment: "dunning_retry",
  SendReminder: "dunning_reminder",
  ApplyLateFee: "dunning_late_fee",
  SuspendService: "dunning_suspend",
  TerminateService: "dunning_terminate",
  CancelPendingOrder: "dunning_cancel_order"
} as const

export type DunningJobAction = Exclude<DunningAction, { readonly _tag: "UnsuspendService" }>

/** The outbox job of a due action: its kind, what the handler needs, the action's instant and key. */
export const dunningJob = (action: DunningJobAction): JobSpec => {
  const base = { runAt: action.at, dedupeKey: action.key }
  switch (action._tag) {
    case "RetryPayment":
      return {
        ...base,
        kind: dunningJobKinds.RetryPayment,
        payload: { invoiceId: action.invoiceId, attempt: action.attempt }
      }
    case "SendReminder":
      return {
        ...base,
        kind: dunningJobKinds.SendReminder,
        payload: { invoiceId: action.invoiceId, reminder: action.reminder }
      }
    case "ApplyLateFee":
      return { ...base, kind: dunningJobKinds.ApplyLateFee, payload: { invoiceId: action.invoiceId } }
    case "SuspendService":
    case "TerminateService":
    case "CancelPendingOrder":
      return {
        ...base,
        kind: dunningJobKinds[action._tag],
        payload: { invoiceId: action.invoiceId, subscriptionId: action.subscriptionId }
      }
  }
}

export interface DunningRunOptions {
  readonly tenantId: string
  /** Invoices per page and per transaction (default 500). */
  readonly batchSize?: number
  /** Called after each committed page. */
  readonly onProgress?: (progress: DunningRunSummary) => Effect.Effect<void>
}

/** Jobs written by the run, per action. */
export interface DunningCounts {
  readonly retry: number
  readonly reminder: number
  readonly lateFee: number
  readonly suspend: number
  readonly terminate: number
  readonly cancelOrder: number
}

/** An invoice the run could not decide about, or a policy gap it met, with its stable code. */
export interface DunningFailure {
  readonly invoiceId: string
  readonly code: ErrorCode
  readonly message: string
}

export interface DunningRunSummary {
  /** Open invoices looked at. */
  readonly seen: number
  /** Jobs written by this run, per action. */
  readonly enqueued: DunningCounts
  /** Due actions whose job another run (a concurrent process) wrote first: nothing written. */
  readonly alreadyEnqueued: number
  /** Retries held back because an earlier attempt's outcome is not in yet. */
  readonly retriesWaiting: number
  readonly failures: ReadonlyArray<DunningFailure>
}

const countKey: Readonly<Record<DunningJobAction["_tag"], keyof DunningCounts>> = {
  RetryPayment: "retry",
  SendReminder: "reminder",
  ApplyLateFee: "lateFee",
  SuspendService: "suspend",
  TerminateService: "terminate",
  CancelPendingOrder: "cancelOrder"
}

const failure = (error: DunningRecordMissing | LateFeeAmountMissing): DunningFailure => ({
  invoiceId: error.invoiceId,
  code: errorCode(error),
  message: error.message
})

/** The tenant's subscriptions with these ids (gone ones left out), one read each. */
const subscriptionsOf = (
  store: StoreService,
  tenantId: string,
  ids: ReadonlyArray<string>
): Effect.Effect<ReadonlyMap<string, Versioned<Subscription>>, StoreError> =>
  Effect.map(
    Effect.forEach(ids, (id) =>
      store.subscriptions.get(tenantId, id).pipe(
        Effect.map((row): Versioned<Subscription> | undefined => row),
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => Effect.succeed(undefined)
        )
      )
    ),
    (rows) => new Map(rows.flatMap((row) => (row === undefined ? [] : [[row.value.id, row] as const])))
  )

/** What to do about one invoice: the due actions to write, or why nothing can be decided. */
type Decision = {
  readonly actions: ReadonlyArray<DunningJobAction>
  readonly waiting: number
  readonly failures: ReadonlyArray<DunningFailure>
}

const decide = (
  invoice: Invoice,
  customer: Customer | undefined,
  subscriptions: ReadonlyMap<string, Versioned<Subscription>>,
  facts: DunningFacts,
  policy: DunningPolicy,
  now: Instant
): Decision => {
  const subscription =
    invoice.subscriptionId === undefined ? undefined : subscriptions.get(invoice.subscriptionId)?.value
  if (invoice.subscriptionId !== undefined && subscription === undefined) {
    const missing = new DunningRecordMissing({
      invoiceId: invoice.id,
      entity: "subscription",
      id: invoice.subscriptionId
    })
    return { actions: [], waiting: 0, failures: [failure(missing)] }
  }
  if (customer === undefined) {
    const missing = new DunningRecordMissing({
      invoiceId: invoice.id,
      entity: "customer",
      id: invoice.customerId
    })
    return { actions: [], waiting: 0, failures: [failure(missing)] }
  }
  const plan = dunningSchedule({
    invoice,
    subscription,
    attempts: facts.attempts,
    done: facts.done,
    policy,
    now,
    zone: customer.timeZone
  })
  const actions: Array<DunningJobAction> = []
  let waiting = 0
  for (const action of plan.due) {
    if (action._tag === "UnsuspendService") continue // collection lifts it in the payment's transaction
    if (action._tag === "RetryPayment" && facts.attemptInFlight) waiting++
    else actions.push(action)
  }
  const failures = plan.notices.map((notice) =>
    failure(new LateFeeAmountMissing({ invoiceId: notice.invoiceId, currency: notice.currency }))
  )
  return { actions, waiting, failures }
}

/**
 * Runs dunning for one tenant at the clock's `now`. Fails only when the store fails or the tenant's
 * billing settings are invalid; an invoice whose customer or subscription is gone is reported in
 * `failures` (with a policy gap such as a fixed late fee with no amount in the invoice's currency) and
 * the run goes on.
 */
export const runDunning = (
  options: DunningRunOptions
): Effect.Effect<DunningRunSummary, StoreError | InvalidBillingSettings, Store> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId } = options
    const settings = yield* billingSettingsOf(yield* store.tenants.get(tenantId))
    const policy = settings.dunning
    // The before-due reminder is the earliest action, `beforeDueDays` civil days ahead of the due date; a
    // day more covers a civil day longer than 24 hours, and `dunningSchedule` then decides exactly.
    const horizon = now + ((policy.reminders.beforeDueDays ?? 0) + 1) * day
    const limit = options.batchSize ?? 500
    const enqueued = { retry: 0, reminder: 0, lateFee: 0, suspend: 0, terminate: 0, cancelOrder: 0 }
    const totals = { seen: 0, alreadyEnqueued: 0, retriesWaiting: 0 }
    const failures: Array<DunningFailure> = []
    const summary = (): DunningRunSummary => ({
      ...totals,
      enqueued: { ...enqueued },
      failures: [...failures]
    })
    let after: string | undefined
    for (;;) {
      const page = yield* store.invoices.listOpen(
        tenantId,
        horizon,
        after === undefined ? { limit } : { limit, after }
      )
      if (page.items.length === 0) break
      totals.seen += page.items.length
      const invoices = page.items
      const customers = new Map(
        (yield* store.customers.getMany(tenantId, [...new Set(invoices.map((i) => i.customerId))])).map(
          (c) => [c.id, c]
        )
      )
      const subscriptionIds = invoices.flatMap((i) =>
        i.subscriptionId === undefined ? [] : [i.subscriptionId]
      )
      const subscriptions = yield* subscriptionsOf(store, tenantId, [...new Set(subscriptionIds)])
      const jobs = jobsByKey(
        yield* store.jobs.findByDedupeKeys(
          tenantId,
          invoices.flatMap((i) => dunningFactKeys(i.id, policy))
        )
      )
      const due: Array<DunningJobAction> = []
      for (const invoice of invoices) {
        const facts = dunningFacts(invoice.id, policy, jobs)
        const decision = decide(invoice, customers.get(invoice.customerId), subscriptions, facts, policy, now)
        due.push(...decision.actions)
        totals.retriesWaiting += decision.waiting
        failures.push(...decision.failures)
      }
      if (due.length > 0) {
        const written = yield* store.withTransaction(
          Effect.gen(function* () {
            // Another process may have written some of them since the page was read: those stay as they are.
            const existing = new Set(
              (yield* store.jobs.findByDedupeKeys(
                tenantId,
                due.map((action) => action.key)
              )).map((job) => job.dedupeKey)
            )
            const fresh = due.filter((action) => !existing.has(action.key))
            for (const action of fresh) yield* store.jobs.enqueue(tenantId, dunningJob(action))
            return fresh
          })
        )
        for (const action of written) enqueued[countKey[action._tag]]++
        totals.alreadyEnqueued += due.length - written.length
      }
      if (options.onProgress !== undefined) yield* options.onProgress(summary())
      if (page.next === undefined) break
      after = page.next
    }
    return summary()
  })
