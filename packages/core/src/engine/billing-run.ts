/**
 * The billing run: every subscription of a tenant whose renewal invoice is due gets it, exactly once.
 *
 * It streams the due subscriptions page by page (never all of them in memory), decides each one in memory
 * with the pure `renewalStep` / `planRenewal`, and writes the page with one `store.renewals.commit` (one
 * transaction, a few multi-row statements): per subscription the issued invoice (numbered from the
 * tenant's gapless sequence), the subscription moved on to its next renewal (compare-and-set on its
 * version) and the `collect` job that will charge it; a write the store refuses takes no number. The
 * store's renewal key (subscription, period, kind) makes a second invoice for a period impossible, so a
 * run that is repeated, or that races another process, or that restarts after a crash, changes nothing
 * that was already done: a subscription already invoiced is no longer due, or is refused as a duplicate.
 */
import { Clock, Effect, Either } from "effect"
import { civilDateAt, type Instant } from "../calendar/zone"
import type { Customer } from "../customer/customer"
import { type ErrorCode, type ErrorTag, errorCode } from "../errors/codes"
import type { Coupon } from "../invoicing/coupon/coupon"
import { balanceOf } from "../invoicing/invoice/document"
import { issueInvoice } from "../invoicing/invoice/lifecycle"
import { formatDocumentNumber, sequenceKey } from "../invoicing/numbering/numbering"
import { Ids } from "../ports/ids"
import type { StoreError } from "../ports/store/errors"
import type { Versioned } from "../ports/store/records"
import type { DueRange, RenewalNumbering, RenewalWrite } from "../ports/store/renewals"
import { Store, type StoreService } from "../ports/store/store"
import type { Subscription } from "../subscription/subscription"
import type { InvalidBillingSettings } from "./errors"
import { planRenewal, type RenewalStep, renewalStep, renewalTaxKey, taxForRenewal } from "./renewal-plan"
import { type BillingSettings, billingSettingsOf } from "./settings"

const day = 86_400_000

export interface BillingRunOptions {
  readonly tenantId: string
  /** Subscriptions per page and per transaction (default 500). */
  readonly batchSize?: number
  /** Called after each committed page (a CLI progress bar, a log line). */
  readonly onProgress?: (progress: BillingRunSummary) => Effect.Effect<void>
}

/** A subscription the run could not bill, with the stable code of the reason (e.g. `TAX_RULE_MISSING`). */
export interface BillingFailure {
  readonly subscriptionId: string
  readonly code: ErrorCode | "CUSTOMER_NOT_FOUND" | "COUPON_NOT_FOUND"
  readonly message: string
}

export interface BillingRunSummary {
  /** Subscriptions looked at (those with a next renewal before the run's horizon), each counted once. */
  readonly seen: number
  /** Renewal invoices written by this run. */
  readonly invoiced: number
  /** Subscriptions that stopped renewing (ended, cancelled by then, one-off cycle). */
  readonly stopped: number
  /** Already invoiced for the period (by an earlier or a concurrent run): nothing written. */
  readonly duplicates: number
  /** Changed by someone else while the run worked on them: left for the next run. */
  readonly conflicts: number
  readonly failures: ReadonlyArray<BillingFailure>
}

type Outcome = "invoiced" | "stopped" | "duplicate" | "conflict" | "none" | BillingFailure

const failure = (
  subscriptionId: string,
  error: { readonly _tag: ErrorTag; readonly message: string }
): BillingFailure => ({ subscriptionId, code: errorCode(error), message: error.message })

/** The subscription with no next renewal: it is never due again. */
const stopRenewing = (subscription: Subscription): Subscription => {
  const { nextRenewalAt: _, ...rest } = subscription
  return rest
}

interface RunContext {
  readonly store: StoreService
  readonly ids: { readonly next: (prefix?: string) => Effect.Effect<string> }
  readonly tenantId: string
  readonly settings: BillingSettings
  readonly taxRules: Parameters<typeof planRenewal>[3]
  readonly now: Instant
  /** Tax decisions of the run by `renewalTaxKey`: decided once per customer profile. */
  readonly taxes: Map<string, ReturnType<typeof taxForRenewal>>
}

/** What the page does with one subscription: a write for the store, or an outcome decided already. */
type Decision = { readonly write: RenewalWrite; readonly stops: boolean } | Exclude<Outcome, "invoiced">

/** Decides one due subscription's renewal in memory: the issued invoice (unnumbered), the subscription after it, its job. */
const renewalOf = (
  context: RunContext,
  { value: subscription, version }: Versioned<Subscription>,
  step: Extract<RenewalStep, { _tag: "due" }>,
  customer: Customer | undefined,
  coupons: ReadonlyArray<Coupon> | undefined,
  invoiceId: string
): Decision => {
  const { now } = context
  if (customer === undefined) {
    return {
      subscriptionId: subscription.id,
      code: "CUSTOMER_NOT_FOUND",
      message: `customer ${subscription.customerId} not found`
    }
  }
  if (coupons === undefined) {
    return {
      subscriptionId: subscription.id,
      code: "COUPON_NOT_FOUND",
      message: "a coupon granted to the subscription no longer exists"
    }
  }
  const planned = planRenewal(
    { subscription, customer, coupons },
    step,
    context.settings,
    context.taxRules,
    invoiceId,
    (subject) => {
      const key = renewalTaxKey(subject)
      let tax = context.taxes.get(key)
      if (tax === undefined) {
        tax = taxForRenewal(subject, context.settings, context.taxRules)
        context.taxes.set(key, tax)
      }
      return tax
    }
  )
  if (Either.isLeft(planned)) return failure(subscription.id, planned.left)
  const { invoice: draft, subscription: next } = planned.right
  // a fresh draft always issues; the store numbers it when it is written
  const issued = Either.getOrThrow(issueInvoice(draft, now))
  const jobs =
    issued.status === "open" && balanceOf(issued) > 0n
      ? [
          {
            kind: "collect",
            payload: { invoiceId: issued.id },
            runAt: Math.max(now, issued.dueAt),
            dedupeKey: `collect:${issued.id}`
          }
        ]
      : []
  return { write: { invoice: issued, subscription: next, expectedVersion: version, jobs }, stops: false }
}

/** Resolves the coupons granted to a subscription; `undefined` when one of them no longer exists. */
const couponsOf = (
  context: RunContext,
  cache: Map<string, Coupon | null>,
  subscription: Subscription
): Effect.Effect<ReadonlyArray<Coupon> | undefined, StoreError> =>
  Effect.gen(function* () {
    const coupons: Array<Coupon> = []
    for (const grant of subscription.coupons) {
      let coupon = cache.get(grant.couponId)
      if (coupon === undefined) {
        const found = yield* context.store.coupons.get(context.tenantId, grant.couponId).pipe(
          Effect.map((c): Coupon | null => c),
          Effect.catchIf(
            (error) => error.reason === "NotFound",
            () => Effect.succeed(null)
          )
        )
        cache.set(grant.couponId, found)
        coupon = found
      }
      if (coupon === null) return undefined
      coupons.push(coupon)
    }
    return coupons
  })

/** The page's writes decided, committed in one `renewals.commit`, and each subscription's outcome. */
const billPage = (
  context: RunContext,
  couponCache: Map<string, Coupon | null>,
  rows: ReadonlyArray<Versioned<Subscription>>,
  numbering: RenewalNumbering | undefined
): Effect.Effect<ReadonlyArray<Outcome>, StoreError> =>
  Effect.gen(function* () {
    const { store, tenantId, settings, now } = context
    const steps = rows.map((row) => renewalStep(row.value, settings, now))
    const customerIds = [
      ...new Set(rows.filter((_, i) => steps[i]?._tag === "due").map((row) => row.value.customerId))
    ]
    const customers = new Map<string, Customer>()
    if (customerIds.length > 0) {
      for (const customer of yield* store.customers.getMany(tenantId, customerIds)) {
        customers.set(customer.id, customer)
      }
    }
    const decisions: Array<Decision> = []
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Versioned<Subscription>
      const step = steps[i] as RenewalStep
      if (step._tag === "due") {
        const coupons = yield* couponsOf(context, couponCache, row.value)
        const invoiceId = yield* context.ids.next("inv")
        decisions.push(renewalOf(context, row, step, customers.get(row.value.customerId), coupons, invoiceId))
      } else if (step._tag === "stop") {
        const write = { subscription: stopRenewing(row.value), expectedVersion: row.version, jobs: [] }
        decisions.push({ write, stops: true })
      } else {
        decisions.push("none")
      }
    }
    const writes: Array<RenewalWrite> = []
    for (const decision of decisions)
      if (typeof decision === "object" && "write" in decision) writes.push(decision.write)
    const written = writes.length === 0 ? [] : yield* store.renewals.commit(tenantId, writes, numbering)
    let next = 0
    return decisions.map((decision): Outcome => {
      if (typeof decision !== "object" || !("write" in decision)) return decision
      const outcome = written[next++]
      return outcome === "written" ? (decision.stops ? "stopped" : "invoiced") : (outcome ?? "conflict")
    })
  })

/** A part of a billing run: the due subscriptions after a `dueForRenewal` cursor, up to a last one. */
export interface BillingRange {
  /** Start after this cursor (`DueRange.after`); from the first due subscription when absent. */
  readonly after?: string
  /** Stop after this subscription (by (`nextRenewalAt`, id)); at the end when absent. */
  readonly last?: DueRange["last"]
}

const beyond = (last: DueRange["last"] | undefined, subscription: Subscription): boolean =>
  last !== undefined &&
  ((subscription.nextRenewalAt ?? 0) > last.nextRenewalAt ||
    (subscription.nextRenewalAt === last.nextRenewalAt && subscription.id > last.id))

/**
 * Runs billing for one tenant at the clock's `now`. Fails only when the store fails or the tenant's
 * billing settings are invalid; a subscription that cannot be billed (no tax rule for its customer, a
 * coupon gone...) is reported in `failures` with its code and the run goes on.
 *
 * With `range`, only the due subscriptions of that range are billed (a chunk of a run split across
 * workers: `billing_chunk`).
 */
export const runBilling = (
  options: BillingRunOptions & { readonly range?: BillingRange }
): Effect.Effect<BillingRunSummary, StoreError | InvalidBillingSettings, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const now = yield* Clock.currentTimeMillis
    const { tenantId, range } = options
    const tenant = yield* store.tenants.get(tenantId)
    const settings = yield* billingSettingsOf(tenant)
    const taxRules = yield* store.taxRules.list(tenantId)
    const context: RunContext = { store, ids, tenantId, settings, taxRules, now, taxes: new Map() }
    const horizon = billingHorizon(settings, now)
    const limit = options.batchSize ?? 500
    const numbering = numberingOf(settings, now)
    const couponCache = new Map<string, Coupon | null>()
    const summary = { seen: 0, invoiced: 0, stopped: 0, duplicates: 0, conflicts: 0 }
    const failures: Array<BillingFailure> = []
    // A pass walks the due subscriptions once, in keyset order. A subscription behind by several periods
    // is due again after its first invoice: passes repeat until one invoices nothing.
    const failed = new Set<string>()
    for (let pass = 1, invoicedBefore = -1; summary.invoiced > invoicedBefore; pass++) {
      invoicedBefore = summary.invoiced
      let after = range?.after
      for (;;) {
        const page = yield* store.subscriptions.dueForRenewal(
          tenantId,
          horizon,
          after === undefined ? { limit } : { limit, after }
        )
        const rows = page.items.filter((row) => !beyond(range?.last, row.value))
        if (rows.length === 0) break
        if (pass === 1) summary.seen += rows.length
        const outcomes = yield* billPage(context, couponCache, rows, numbering)
        for (const outcome of outcomes) {
          if (outcome === "invoiced") summary.invoiced++
          else if (outcome === "stopped") summary.stopped++
          else if (outcome === "duplicate") summary.duplicates++
          else if (outcome === "conflict") summary.conflicts++
          else if (outcome !== "none" && !failed.has(outcome.subscriptionId)) {
            failed.add(outcome.subscriptionId)
            failures.push(outcome)
          }
        }
        if (options.onProgress !== undefined) yield* options.onProgress({ ...summary, failures })
        if (page.next === undefined || rows.length < page.items.length) break
        after = page.next
      }
    }
    return { ...summary, failures }
  })

/**
 * Due subscriptions have a next renewal within the lead time; a day either side covers every zone, and
 * `renewalStep` then decides exactly, in the customer's zone.
 */
export const billingHorizon = (settings: BillingSettings, now: Instant): Instant =>
  now + (settings.dunning.invoiceLeadDays + 2) * day

/** The tenant's invoice sequence at `now` (immediate numbering), or none (proforma: numbered when paid). */
const numberingOf = (settings: BillingSettings, now: Instant): RenewalNumbering | undefined => {
  if (settings.numbering.mode !== "immediate") return undefined
  const date = civilDateAt(now, settings.timeZone)
  return {
    key: sequenceKey(settings.numbering, "invoice", date),
    start: settings.numbering.start,
    format: (value) => formatDocumentNumber(settings.numbering, value, date)
  }
}

/** Due subscriptions per `billing_chunk` job when the run's job does not say (`chunkSize`). */
export const defaultChunkSize = 1_000

export interface BillingRunPlan {
  readonly tenantId: string
  /** The run's slot (`scheduleRecurring`'s): the chunks' dedupe keys are `billing_chunk:<slot>:<index>`. */
  readonly slot: number
  /** Due subscriptions per chunk (default {@link defaultChunkSize}). */
  readonly chunkSize?: number
  /**
   * Attempts each chunk job gets (the store's default when absent). The `billing_run` handler passes its
   * own job's, so chunks are as patient as the run that planned them.
   */
  readonly maxAttempts?: number
}

/** A `billing_chunk` job's payload: the range of the run it bills. */
export interface BillingChunk {
  readonly slot: number
  readonly index: number
  /** When the run was planned: tells a re-planning that the plan exists already. */
  readonly plannedAt: number
  readonly after?: string
  /** Absent for the last chunk: it bills everything after `after`, also what moved there meanwhile. */
  readonly last?: { readonly nextRenewalAt: number; readonly id: string }
}

/** What starting a run did: billed it at once (it fits one chunk), or planned `chunks` chunk jobs. */
export type BillingRunStart =
  | { readonly _tag: "Billed"; readonly summary: BillingRunSummary }
  | { readonly _tag: "Chunked"; readonly chunks: number }

/**
 * Starts a billing run split across workers (the `billing_run` job): the due subscriptions are cut into
 * ranges of `chunkSize` (read from the renewal index only). A run that fits one range is billed at once,
 * here. Otherwise each range becomes a `billing_chunk` job that any worker can claim, all enqueued in one
 * transaction with the dedupe keys `billing_chunk:<slot>:<index>`; planning the same slot again (the
 * `billing_run` job retried after a crash) finds the plan's first chunk there already and enqueues
 * nothing (`chunks: 0`).
 */
export const planBillingRun = (
  plan: BillingRunPlan
): Effect.Effect<BillingRunStart, StoreError | InvalidBillingSettings, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, slot } = plan
    const settings = yield* billingSettingsOf(yield* store.tenants.get(tenantId))
    const ranges = yield* store.renewals.dueRanges(
      tenantId,
      billingHorizon(settings, now),
      plan.chunkSize ?? defaultChunkSize
    )
    if (ranges.length <= 1) {
      return { _tag: "Billed", summary: yield* runBilling({ tenantId }) } as const
    }
    const chunks = ranges.map((range, index): BillingChunk => {
      const last = index === ranges.length - 1 ? {} : { last: range.last }
      return {
        slot,
        index,
        plannedAt: now,
        ...(range.after === undefined ? {} : { after: range.after }),
        ...last
      }
    })
    const enqueued = yield* store.withTransaction(
      Effect.gen(function* () {
        let count = 0
        for (const chunk of chunks) {
          const job = yield* store.jobs.enqueue(tenantId, {
            kind: "billing_chunk",
            payload: { ...chunk },
            runAt: now,
            dedupeKey: `billing_chunk:${slot}:${chunk.index}`,
            ...(plan.maxAttempts === undefined ? {} : { maxAttempts: plan.maxAttempts })
          })
          // the plan's first chunk exists from an earlier planning: so do all its chunks
          if (chunk.index === 0 && (job.payload as { plannedAt?: unknown }).plannedAt !== now) return 0
          count++
        }
        return count
      })
    )
    return { _tag: "Chunked", chunks: enqueued } as const
  })

/** Bills one chunk of a planned run (a `billing_chunk` job): idempotent like every billing run. */
export const runBillingChunk = (
  tenantId: string,
  chunk: BillingChunk
): Effect.Effect<BillingRunSummary, StoreError | InvalidBillingSettings, Store | Ids> =>
  runBilling({
    tenantId,
    range: {
      ...(chunk.after === undefined ? {} : { after: chunk.after }),
      ...(chunk.last === undefined ? {} : { last: chunk.last })
    }
  })
