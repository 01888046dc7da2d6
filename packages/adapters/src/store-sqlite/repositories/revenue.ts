/**
 * Revenue metrics on SQLite: `apply` reads both revenue rows, runs core's `applyRevenueEvent` and writes
 * everything in one atomic operation (SQLite's single writer keeps racing events apart). Summary rows and
 * totals are additive upserts.
 */
import {
  type AppliedRevenueEvent,
  applyRevenueEvent,
  periodSummariesOf,
  type RevenueEventError,
  type RevenueRepository,
  revenueEventCustomer,
  revenueEventSubscription,
  summaryIncrement,
  totalsIncrement,
  validateTimeZone
} from "@ezscale/core"
import { and, asc, eq, gt, gte, lt, lte, or, type SQL, sql } from "drizzle-orm"
import type { SQLiteColumn } from "drizzle-orm/sqlite-core"
import { Effect, Either } from "effect"
import { checkLimit, instantCursor, pageOf, parseInstantCursor } from "../../store-sql/paging"
import {
  mrrMovementFromRow,
  mrrMovementToRow,
  revenueCustomerFromRow,
  revenueCustomerToRow,
  revenueEventFromRow,
  revenueEventToRow,
  revenueSubscriptionFromRow,
  revenueSubscriptionToRow,
  summaryCountColumns,
  summaryFromRow,
  summaryToRow,
  totalsFromRows
} from "../../store-sql/revenue"
import type { SqliteClient, SqliteDb } from "../client"
import {
  mrrMovements,
  revenueCustomers,
  revenueEvents,
  revenueSubscriptions,
  revenueSummaries,
  revenueTenantTotals,
  revenueTotals
} from "../schema"

/** `column = column + excluded.column`, for an additive upsert. */
const plusExcluded = (column: SQLiteColumn): SQL => sql`${column} + excluded.${sql.identifier(column.name)}`

const summaryAdditions = Object.fromEntries(
  summaryCountColumns.map((field) => [field, plusExcluded(revenueSummaries[field])])
)

const subscriptionRow = (db: SqliteDb, tenantId: string, subscriptionId: string) =>
  db
    .select()
    .from(revenueSubscriptions)
    .where(
      and(
        eq(revenueSubscriptions.tenantId, tenantId),
        eq(revenueSubscriptions.subscriptionId, subscriptionId)
      )
    )
    .get()

const customerRow = (db: SqliteDb, tenantId: string, customerId: string) =>
  db
    .select()
    .from(revenueCustomers)
    .where(and(eq(revenueCustomers.tenantId, tenantId), eq(revenueCustomers.customerId, customerId)))
    .get()

export const revenueRepository = (client: SqliteClient): RevenueRepository => ({
  apply: (tenantId, event, zone) =>
    Effect.flatMap(validateTimeZone(zone), (valid) =>
      client
        .run({ entity: "revenue", key: revenueEventSubscription(event) }, (db) =>
          client.atomically((): Either.Either<AppliedRevenueEvent, RevenueEventError> => {
            const subscriptionId = revenueEventSubscription(event)
            const current = subscriptionRow(db, tenantId, subscriptionId)
            const customerId = current?.customerId ?? revenueEventCustomer(event)
            const stored = customerRow(db, tenantId, customerId)
            const before = stored === undefined ? undefined : revenueCustomerFromRow(stored)
            const applied = applyRevenueEvent(
              {
                subscription: current === undefined ? undefined : revenueSubscriptionFromRow(current),
                customer: before
              },
              event,
              valid
            )
            if (Either.isLeft(applied)) return Either.left(applied.left)
            const step = applied.right
            const seq = (current?.eventCount ?? 0) + 1
            const subscription = revenueSubscriptionToRow(tenantId, step.subscription, seq)
            const { tenantId: _t, subscriptionId: _s, ...subscriptionColumns } = subscription
            db.insert(revenueSubscriptions)
              .values(subscription)
              .onConflictDoUpdate({
                target: [revenueSubscriptions.tenantId, revenueSubscriptions.subscriptionId],
                set: subscriptionColumns
              })
              .run()
            db.insert(revenueEvents)
              .values(revenueEventToRow(tenantId, subscriptionId, customerId, seq, event))
              .run()
            const customer = revenueCustomerToRow(tenantId, step.customer)
            const { tenantId: _tc, customerId: _c, ...customerColumns } = customer
            db.insert(revenueCustomers)
              .values(customer)
              .onConflictDoUpdate({
                target: [revenueCustomers.tenantId, revenueCustomers.customerId],
                set: customerColumns
              })
              .run()
            const movement = step.movement
            const totals = totalsIncrement(before, step)
            if (movement !== undefined && totals !== undefined) {
              db.insert(mrrMovements)
                .values(mrrMovementToRow(tenantId, client.ids.next("mov"), movement))
                .run()
              for (const granularity of ["day", "month"] as const) {
                db.insert(revenueSummaries)
                  .values(summaryToRow(tenantId, summaryIncrement(movement, granularity)))
                  .onConflictDoUpdate({
                    target: [
                      revenueSummaries.tenantId,
                      revenueSummaries.granularity,
                      revenueSummaries.period,
                      revenueSummaries.currency
                    ],
                    set: summaryAdditions
                  })
                  .run()
              }
              db.insert(revenueTotals)
                .values({ tenantId, currency: totals.currency, mrrUnits: totals.mrr, payers: totals.payers })
                .onConflictDoUpdate({
                  target: [revenueTotals.tenantId, revenueTotals.currency],
                  set: {
                    mrrUnits: plusExcluded(revenueTotals.mrrUnits),
                    payers: plusExcluded(revenueTotals.payers)
                  }
                })
                .run()
              db.insert(revenueTenantTotals)
                .values({ tenantId, payingCustomers: totals.payingCustomers })
                .onConflictDoUpdate({
                  target: revenueTenantTotals.tenantId,
                  set: { payingCustomers: plusExcluded(revenueTenantTotals.payingCustomers) }
                })
                .run()
            }
            return Either.right({ ...step, seq })
          })
        )
        .pipe(Effect.flatten)
    ),
  rows: (tenantId, subscriptionId, customerId) =>
    client.run({ entity: "revenue", key: subscriptionId }, (db) => {
      const subscription = subscriptionRow(db, tenantId, subscriptionId)
      const customer = customerRow(db, tenantId, customerId)
      return {
        subscription: subscription === undefined ? undefined : revenueSubscriptionFromRow(subscription),
        customer: customer === undefined ? undefined : revenueCustomerFromRow(customer)
      }
    }),
  events: (tenantId, subscriptionId) =>
    client.run({ entity: "revenue", key: subscriptionId }, (db) =>
      db
        .select()
        .from(revenueEvents)
        .where(and(eq(revenueEvents.tenantId, tenantId), eq(revenueEvents.subscriptionId, subscriptionId)))
        .orderBy(asc(revenueEvents.seq))
        .all()
        .map(revenueEventFromRow)
    ),
  movements: (tenantId, { from, to }, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after =
        page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "mrr_movement")
      return yield* client.run({ entity: "mrr_movement" }, (db) => {
        const rows = db
          .select()
          .from(mrrMovements)
          .where(
            and(
              eq(mrrMovements.tenantId, tenantId),
              gte(mrrMovements.occurredAt, from),
              lt(mrrMovements.occurredAt, to),
              after === undefined
                ? undefined
                : or(
                    gt(mrrMovements.occurredAt, after.at),
                    and(eq(mrrMovements.occurredAt, after.at), gt(mrrMovements.id, after.id))
                  )
            )
          )
          .orderBy(asc(mrrMovements.occurredAt), asc(mrrMovements.id))
          .limit(page.limit + 1)
          .all()
        return pageOf(rows, page.limit, mrrMovementFromRow, (row) => instantCursor(row.occurredAt, row.id))
      })
    }),
  summaries: (tenantId, granularity, from, to) =>
    client.run({ entity: "revenue_summary" }, (db) =>
      periodSummariesOf(
        db
          .select()
          .from(revenueSummaries)
          .where(
            and(
              eq(revenueSummaries.tenantId, tenantId),
              eq(revenueSummaries.granularity, granularity),
              gte(revenueSummaries.period, from),
              lte(revenueSummaries.period, to)
            )
          )
          .all()
          .map(summaryFromRow)
      )
    ),
  totals: (tenantId) =>
    client.run({ entity: "revenue_totals" }, (db) =>
      totalsFromRows(
        db.select().from(revenueTotals).where(eq(revenueTotals.tenantId, tenantId)).all(),
        db
          .select({ payingCustomers: revenueTenantTotals.payingCustomers })
          .from(revenueTenantTotals)
          .where(eq(revenueTenantTotals.tenantId, tenantId))
          .get()?.payingCustomers ?? 0
      )
    )
})
