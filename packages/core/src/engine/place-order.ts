/**
 * Placing an order: a new subscription, `pending`, and its order invoice (the first period and the setup
 * fees, numbered like the billing run numbers renewals) with the `collect` job that charges it — one
 * transaction. When the order invoice is paid (collection, a manual payment, or at once when it owes
 * nothing), `activateOrder` runs in the payment's transaction: the subscription becomes `active` with the
 * paid period as its current one and its first renewal at the period's end, a `provision` job
 * (`{ subscriptionId, action: "create" }`) is written, and the revenue `started` event is applied.
 *
 * Exactly once: an `orderKey` (the client's idempotency key) is remembered in the order's transaction,
 * so placing the same order again returns the first one; the order invoice holds the store's unique
 * (subscription, period, kind) key; the collect and provision jobs have dedupe keys.
 */
import { Clock, Data, Effect, Either, Option, Schema } from "effect"
import { anniversaryPeriod } from "../calendar/anniversary"
import type { InvalidTimeZone } from "../calendar/errors"
import { civilDateAt, type Instant, startOfDayInZone } from "../calendar/zone"
import { findProduct } from "../catalog/catalog"
import { isRecurring } from "../catalog/cycle"
import type { CatalogError } from "../catalog/errors"
import { priceSelection, type Selection } from "../catalog/selection"
import type { ComposeError } from "../invoicing/invoice/compose"
import type { Invoice } from "../invoicing/invoice/document"
import { issueInvoice } from "../invoicing/invoice/lifecycle"
import { orderInvoice } from "../invoicing/invoice/renewal"
import type { PriceBasis } from "../invoicing/tax/compute"
import type { TaxError } from "../invoicing/tax/errors"
import type { RevenueEventError } from "../metrics/errors"
import type { RevenueSnapshotError } from "../metrics/snapshot"
import { Ids } from "../ports/ids"
import type { StoreError, VersionConflict } from "../ports/store/errors"
import type { Versioned } from "../ports/store/records"
import { Store, type StoreService } from "../ports/store/store"
import { transition } from "../subscription/machine"
import { pendingSubscription } from "../subscription/state"
import type { Subscription } from "../subscription/subscription"
import {
  type Actor,
  applyRevenue,
  audit,
  drawInvoiceNumber,
  enqueueCollect,
  retryOnConflict,
  snapshotOf,
  taxDecisionFor,
  tenantSettings
} from "./account"
import { InvalidOrder } from "./account-errors"
import type { InvalidBillingSettings } from "./errors"

export interface OrderRequest {
  readonly tenantId: string
  readonly customerId: string
  /** What is bought: product, plan, currency, cycle (recurring), options and add-ons billed with it. */
  readonly selection: Selection
  /** Whether the catalog's prices exclude tax (the default) or include it. */
  readonly pricing?: PriceBasis
  readonly actor: Actor
  /** The client's idempotency key: the same key places the order once and returns it after. */
  readonly orderKey?: string
}

export interface PlacedOrder {
  readonly subscriptionId: string
  readonly invoiceId: string
}

export type OrderError =
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | InvalidOrder
  | CatalogError
  | TaxError
  | ComposeError
  | RevenueSnapshotError
  | RevenueEventError
  | InvalidTimeZone

const Placed = Schema.Struct({ subscriptionId: Schema.String, invoiceId: Schema.String })

/** Another request with the same order key committed first: this one is rolled back. */
class OrderAlreadyPlaced extends Data.TaggedError("OrderAlreadyPlaced")<{ readonly placed: PlacedOrder }> {}

const orderKeyOf = (key: string) => `order:${key}`

/**
 * The order invoice of `subscription` is paid: activates it, in the caller's transaction. A subscription
 * that is no longer pending (activated already, cancelled meanwhile) is left as it is.
 */
export const activateOrder = (
  store: StoreService,
  tenantId: string,
  { value: subscription, version }: Versioned<Subscription>,
  invoice: Invoice,
  at: Instant
): Effect.Effect<
  void,
  | StoreError
  | VersionConflict
  | InvalidBillingSettings
  | RevenueSnapshotError
  | RevenueEventError
  | InvalidTimeZone
> =>
  Effect.gen(function* () {
    const moved = transition(subscription.lifecycle, { _tag: "Activate" }, at)
    if (Either.isLeft(moved) || invoice.period === undefined) return
    const settings = yield* tenantSettings(store, tenantId)
    const active: Subscription = {
      ...subscription,
      lifecycle: moved.right.state,
      currentPeriod: invoice.period,
      nextRenewalAt: startOfDayInZone(invoice.period.end, subscription.timeZone)
    }
    yield* store.subscriptions.update(tenantId, active, version)
    yield* store.jobs.enqueue(tenantId, {
      kind: "provision",
      payload: { subscriptionId: subscription.id, action: "create" },
      runAt: at,
      dedupeKey: `provision:create:${subscription.id}`
    })
    const snapshot = yield* snapshotOf(store, tenantId, settings, active, invoice.taxDecision)
    yield* applyRevenue(store, tenantId, settings, { _tag: "RevenueStarted", at, snapshot })
  })

/**
 * {@link activateOrder} for collection, whose error channel is the store's: a refused revenue event or
 * settings broken since the order was placed are defects there (the payment's transaction rolls back and
 * the job is retried, then dead for staff to see), never a payment silently recorded without activation.
 */
export const settleOrder = (
  store: StoreService,
  tenantId: string,
  row: Versioned<Subscription>,
  invoice: Invoice,
  at: Instant
): Effect.Effect<void, StoreError | VersionConflict> =>
  activateOrder(store, tenantId, row, invoice, at).pipe(
    Effect.catchAll(
      (error): Effect.Effect<never, StoreError | VersionConflict> =>
        error._tag === "StoreError" || error._tag === "VersionConflict"
          ? Effect.fail(error)
          : Effect.die(error)
    )
  )

/** Places an order: see the module comment. */
export const placeOrder = (request: OrderRequest): Effect.Effect<PlacedOrder, OrderError, Store | Ids> =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const now = yield* Clock.currentTimeMillis
    const { tenantId, selection } = request
    const key = request.orderKey === undefined ? undefined : orderKeyOf(request.orderKey)
    if (key !== undefined) {
      const known = yield* store.idempotency.recall(tenantId, key)
      if (Option.isSome(known)) return Schema.decodeUnknownSync(Placed)(known.value)
    }
    const settings = yield* tenantSettings(store, tenantId)
    const customer = yield* store.customers.get(tenantId, request.customerId)
    const catalog = yield* store.catalogs.get(tenantId)
    const product = yield* findProduct(catalog, selection.productId)
    const priced = yield* priceSelection(product, selection)
    const cycle = priced.cycle
    if (!isRecurring(cycle)) {
      return yield* new InvalidOrder({ reason: `the ${cycle} cycle does not make a subscription` })
    }
    const [separate] = priced.separate
    if (separate !== undefined) {
      return yield* new InvalidOrder({
        reason: `add-on ${separate.itemId} is billed on its own cycle: order it as its own subscription`
      })
    }
    const tax = yield* taxDecisionFor(store, tenantId, settings, customer, product.kind)
    const subscriptionId = yield* ids.next("sub")
    const invoiceId = yield* ids.next("inv")
    const anchor = civilDateAt(now, customer.timeZone)
    const subscription: Subscription = {
      id: subscriptionId,
      tenantId,
      customerId: customer.id,
      productId: product.id,
      productKind: product.kind,
      planId: selection.planId,
      currency: priced.currency,
      cycle,
      pricing: request.pricing ?? "exclusive",
      items: priced.items,
      timeZone: customer.timeZone,
      anchor,
      coupons: [],
      // The order invoice is the subscription's first: the first renewal is the second (no setup fees).
      invoicedPeriods: 1,
      lifecycle: pendingSubscription,
      createdAt: now
    }
    const draft = yield* orderInvoice({
      invoiceId,
      subscription,
      periods: [anniversaryPeriod(anchor, cycle, 0)],
      coupons: [],
      tax,
      dueAt: now,
      rounding: settings.rounding
    })
    const placed: PlacedOrder = { subscriptionId, invoiceId }
    const write = Effect.gen(function* () {
      const inserted = yield* store.subscriptions.insert(tenantId, subscription)
      const number = yield* drawInvoiceNumber(store, tenantId, settings, now)
      const issued = Either.getOrThrow(issueInvoice(draft, now, number)) // a fresh draft always issues
      // A new subscription has no invoice yet: its renewal key cannot be taken.
      yield* store.invoices.insert(tenantId, issued).pipe(Effect.catchTag("DuplicateInvoice", Effect.die))
      yield* enqueueCollect(store, tenantId, issued, now)
      // An order that owes nothing (a free plan) is paid on issue: it activates at once.
      if (issued.status === "paid") yield* activateOrder(store, tenantId, inserted, issued, now)
      yield* audit(store, tenantId, {
        actor: request.actor,
        action: "order.placed",
        targetType: "subscription",
        targetId: subscriptionId,
        details: {
          invoiceId,
          productId: product.id,
          planId: selection.planId,
          cycle,
          total: String(issued.totals.total),
          currency: issued.currency
        },
        at: now
      })
      if (key !== undefined) {
        const first = Schema.decodeUnknownSync(Placed)(
          yield* store.idempotency.remember(tenantId, key, { subscriptionId, invoiceId })
        )
        if (first.subscriptionId !== subscriptionId) return yield* new OrderAlreadyPlaced({ placed: first })
      }
      return placed
    })
    return yield* retryOnConflict(store.withTransaction(write)).pipe(
      Effect.catchTag("OrderAlreadyPlaced", (raced) => Effect.succeed(raced.placed))
    )
  })
