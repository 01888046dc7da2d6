/**
 * Renewals written a page at a time: what the billing run writes for many subscriptions in one call, so
 * an adapter can use a few multi-row statements instead of a dozen statements per subscription.
 *
 * `commit(tenantId, writes, numbering?)` takes the renewals of a page, in order, and returns one outcome
 * per write, in the same order:
 *
 * - `written`: the invoice (with its lines) is inserted, the subscription's record moved on (version + 1)
 *   and the write's jobs enqueued;
 * - `duplicate`: an invoice already holds the write's renewal key (tenant, subscription, period start,
 *   period end, kind; see `InvoiceRepository`) — the period is invoiced already. Nothing of the write is
 *   written;
 * - `conflict`: the subscription is no longer at `expectedVersion` (someone changed it since it was read)
 *   or no longer exists. Nothing of the write is written.
 *
 * Guarantees every adapter gives (the `renewalContract` suite checks them):
 * - atomic: all the writes that are `written`, or nothing at all when the call fails; inside the caller's
 *   `withTransaction` the call is part of that transaction (a savepoint of it);
 * - the checks and the writes are one step: a racing process committing the same renewals gets
 *   `duplicate` / `conflict` for each of them, never a second invoice (adapters lock the subscriptions'
 *   rows, or have a single writer);
 * - numbering: with `numbering`, each `written` invoice gets the next number of the gapless sequence
 *   `numbering.key` (first value `numbering.start`, as `SequenceRepository.next`), in the order of the
 *   writes, formatted by `numbering.format`; `duplicate` and `conflict` writes take no number, so the
 *   numbers committed stay gapless. The invoices of such a call must carry no number of their own;
 * - jobs: as `JobRepository.enqueue`: a job whose dedupe key exists is not enqueued again (the existing
 *   job stays as it is);
 * - the subscription: its own record is replaced by the write's `subscription` (counters, next renewal,
 *   lifecycle, coupons) — except its priced items, which a renewal never changes: they stay as stored
 *   (change items with `SubscriptionRepository.update`);
 * - a write with no `invoice` only moves the subscription on (a subscription that stops renewing).
 *
 * A write naming another tenant, or an invoice that is not the write's subscription's, is a bug: adapters
 * die (defect) on it. Two writes for the same subscription in one call: the second needs the version
 * the first leaves (`expectedVersion + 1`), like two updates in a row.
 */
import { formatIsoDate } from "../../calendar/civil-date"
import type { Instant } from "../../calendar/zone"
import type { Invoice } from "../../invoicing/invoice/document"
import type { Subscription } from "../../subscription/subscription"
import type { JobSpec } from "./records"
import type { Op } from "./repositories"

/** One subscription's renewal: the issued invoice, the subscription after it, the jobs it calls for. */
export interface RenewalWrite {
  /** Issued (`open`, or `paid` when it owes nothing); no number when `numbering` is given. */
  readonly invoice?: Invoice
  /** The subscription as it is once the invoice exists (items as stored). */
  readonly subscription: Subscription
  /** The version the subscription was read at: compare-and-set. */
  readonly expectedVersion: number
  /** Enqueued with the write (e.g. `collect`). */
  readonly jobs: ReadonlyArray<JobSpec>
}

/** Where the numbers of the written invoices come from. */
export interface RenewalNumbering {
  /** The gapless sequence's key (`SequenceRepository`). */
  readonly key: string
  /** Its first value. */
  readonly start: number
  /** The invoice number for a value of the sequence. */
  readonly format: (value: number) => string
}

export type RenewalOutcome = "written" | "duplicate" | "conflict"

/**
 * A run of consecutive subscriptions due for renewal, in `dueForRenewal` order ((`nextRenewalAt`, id)):
 * those after the cursor `after` (as `dueForRenewal` takes it; none for the first range) up to and
 * including the subscription `last`.
 */
export interface DueRange {
  readonly after?: string
  readonly last: { readonly nextRenewalAt: Instant; readonly id: string }
}

export interface RenewalRepository {
  readonly commit: (
    tenantId: string,
    writes: ReadonlyArray<RenewalWrite>,
    numbering?: RenewalNumbering
  ) => Op<ReadonlyArray<RenewalOutcome>>
  /**
   * The subscriptions `dueForRenewal(tenantId, before)` lists, cut into consecutive ranges of `size`
   * (the last one shorter), without reading them: how a billing run is split into chunks. Adapters read
   * only the renewal index (every `size`-th key).
   */
  readonly dueRanges: (tenantId: string, before: Instant, size: number) => Op<ReadonlyArray<DueRange>>
}

/**
 * The renewal key an invoice holds, as one string (`subscription|start|end|kind`), or `undefined` when it
 * holds none (not a `renewal` / `order` invoice with a subscription and a period).
 */
export const renewalKeyOf = (invoice: Invoice): string | undefined =>
  (invoice.kind === "renewal" || invoice.kind === "order") &&
  invoice.subscriptionId !== undefined &&
  invoice.period !== undefined
    ? `${invoice.subscriptionId}|${formatIsoDate(invoice.period.start)}|${formatIsoDate(invoice.period.end)}|${invoice.kind}`
    : undefined

/** What an adapter knows before writing a page: the stored versions and the renewal keys taken. */
export interface RenewalState {
  /** The subscription's stored version, `undefined` when it does not exist. */
  readonly versionOf: (subscriptionId: string) => number | undefined
  /** Whether an invoice already holds the renewal key of the write's invoice (asked only when it has one). */
  readonly keyTaken: (write: RenewalWrite) => boolean
}

/**
 * The outcome of each write of a page, from the state the adapter read (under its locks): the decision
 * every adapter shares. Writes earlier in the page count: a renewal key written by one makes a later
 * one `duplicate`, and a subscription written once is at `expectedVersion + 1` for the next.
 */
export const decideRenewals = (
  tenantId: string,
  writes: ReadonlyArray<RenewalWrite>,
  state: RenewalState
): Array<RenewalOutcome> => {
  const versions = new Map<string, number | undefined>()
  const keys = new Set<string>()
  return writes.map((write) => {
    const { subscription, invoice } = write
    if (subscription.tenantId !== tenantId || (invoice !== undefined && invoice.tenantId !== tenantId)) {
      throw new Error(`renewal of subscription ${subscription.id} is not tenant ${tenantId}'s`)
    }
    if (invoice !== undefined && invoice.subscriptionId !== subscription.id) {
      throw new Error(`invoice ${invoice.id} does not renew subscription ${subscription.id}`)
    }
    const version = versions.has(subscription.id)
      ? versions.get(subscription.id)
      : state.versionOf(subscription.id)
    const key = invoice === undefined ? undefined : renewalKeyOf(invoice)
    if (key !== undefined && (keys.has(key) || state.keyTaken(write))) return "duplicate"
    if (version !== write.expectedVersion) return "conflict"
    versions.set(subscription.id, version + 1)
    if (key !== undefined) keys.add(key)
    return "written"
  })
}
