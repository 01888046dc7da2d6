/**
 * Revenue metrics on MySQL / MariaDB. `apply` is one short transaction (a savepoint inside the caller's):
 * it locks the subscription's and the customer's revenue rows (`FOR UPDATE`), runs core's
 * `applyRevenueEvent`, and writes the rows, the event, the movement and the additive summary and total
 * rows (`ON DUPLICATE KEY UPDATE x = x + VALUES(x)`), so concurrent events of different customers never
 * lose an update. The first events of one new customer racing in two transactions meet at the
 * customer row's primary key: one fails `Conflict`.
 */
import {
  applyRevenueEvent,
  periodSummariesOf,
  type RevenueRepository,
  revenueEventCustomer,
  revenueEventSubscription,
  summaryIncrement,
  totalsIncrement,
  validateTimeZone
} from "@ezscale/core"
import { and, asc, eq, gt, gte, lt, lte, or, type SQL, sql } from "drizzle-orm"
import type { MySqlColumn } from "drizzle-orm/mysql-core"
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
import type { MysqlClient, MysqlDb } from "../client"
import {
  mrrMovements,
  revenueCustomers,
  revenueEvents,
  revenueSubscriptions,
  revenueSummaries,
  revenueTenantTotals,
  revenueTotals
} from "../schema"

/** `column = column + VALUES(column)`, for an additive upsert. */
const plusValues = (column: MySqlColumn): SQL => sql`${column} + VALUES(${column})`

const summaryAdditions = Object.fromEntries(
  summaryCountColumns.map((field) => [field, plusValues(revenueSummaries[field])])
)

export const revenueRepository = (client: MysqlClient): RevenueRepository => {
  const run = <A>(key: string, operation: (db: MysqlDb) => Promise<A>) =>
    client.run({ entity: "revenue", key }, operation)

  const subscriptionRow = (tenantId: string, subscriptionId: string, lock: boolean) =>
    run(subscriptionId, (db) => {
      const query = db
        .select()
        .from(revenueSubscriptions)
        .where(
          and(
            eq(revenueSubscriptions.tenantId, tenantId),
            eq(revenueSubscriptions.subscriptionId, subscriptionId)
          )
        )
        .limit(1)
      return lock ? query.for("update") : query
    }).pipe(Effect.map((rows) => rows[0]))

  const customerRow = (tenantId: string, customerId: string, lock: boolean) =>
    run(customerId, (db) => {
      const query = db
        .select()
        .from(revenueCustomers)
        .where(and(eq(revenueCustomers.tenantId, tenantId), eq(revenueCustomers.customerId, customerId)))
        .limit(1)
      return lock ? query.for("update") : query
    }).pipe(Effect.map((rows) => rows[0]))

  return {
    apply: (tenantId, event, zone) =>
      Effect.flatMap(validateTimeZone(zone), (valid) =>
        client.atomically(
          Effect.gen(function* () {
            const subscriptionId = revenueEventSubscription(event)
            const current = yield* subscriptionRow(tenantId, subscriptionId, true)
            const customerId = current?.customerId ?? revenueEventCustomer(event)
            const stored = yield* customerRow(tenantId, customerId, true)
            const before = stored === undefined ? undefined : revenueCustomerFromRow(stored)
            const applied = applyRevenueEvent(
              {
                subscription: current === undefined ? undefined : revenueSubscriptionFromRow(current),
                customer: before
              },
              event,
              valid
            )
            if (Either.isLeft(applied)) return yield* Effect.fail(applied.left)
            const step = applied.right
            const seq = (current?.eventCount ?? 0) + 1
            const subscription = revenueSubscriptionToRow(tenantId, step.subscription, seq)
            const { tenantId: _t, subscriptionId: _s, ...subscriptionColumns } = subscription
            yield* run(subscriptionId, (db) =>
              current === undefined
                ? db.insert(revenueSubscriptions).values(subscription)
                : db
                    .update(revenueSubscriptions)
                    .set(subscriptionColumns)
                    .where(
                      and(
                        eq(revenueSubscriptions.tenantId, tenantId),
                        eq(revenueSubscriptions.subscriptionId, subscriptionId)
                      )
                    )
            )
            yield* run(subscriptionId, (db) =>
              db
                .insert(revenueEvents)
                .values(revenueEventToRow(tenantId, subscriptionId, customerId, seq, event))
            )
            const customer = revenueCustomerToRow(tenantId, step.customer)
            const { tenantId: _tc, customerId: _c, ...customerColumns } = customer
            yield* run(customerId, (db) =>
              stored === undefined
                ? db.insert(revenueCustomers).values(customer)
                : db
                    .update(revenueCustomers)
                    .set(customerColumns)
                    .where(
                      and(
                        eq(revenueCustomers.tenantId, tenantId),
                        eq(revenueCustomers.customerId, customerId)
                      )
                    )
            )
            const movement = step.movement
            const totals = totalsIncrement(before, step)
            if (movement !== undefined && totals !== undefined) {
              yield* run(subscriptionId, (db) =>
                db.insert(mrrMovements).values(mrrMovementToRow(tenantId, client.ids.next("mov"), movement))
              )
              for (const granularity of ["day", "month"] as const) {
                yield* run(subscriptionId, (db) =>
                  db
                    .insert(revenueSummaries)
                    .values(summaryToRow(tenantId, summaryIncrement(movement, granularity)))
                    .onDuplicateKeyUpdate({ set: summaryAdditions })
                )
              }
              yield* run(subscriptionId, (db) =>
                db
                  .insert(revenueTotals)
                  .values({
                    tenantId,
                    currency: totals.currency,
                    mrrUnits: totals.mrr,
                    payers: totals.payers
                  })
                  .onDuplicateKeyUpdate({
                    set: {
                      mrrUnits: plusValues(revenueTotals.mrrUnits),
                      payers: plusValues(revenueTotals.payers)
                    }
                  })
              )
              yield* run(subscriptionId, (db) =>
                db
                  .insert(revenueTenantTotals)
                  .values({ tenantId, payingCustomers: totals.payingCustomers })
                  .onDuplicateKeyUpdate({
                    set: { payingCustomers: plusValues(revenueTenantTotals.payingCustomers) }
                  })
              )
            }
            return { ...step, seq }
          })
        )
      ),
    rows: (tenantId, subscriptionId, customerId) =>
      Effect.gen(function* () {
        const subscription = yield* subscriptionRow(tenantId, subscriptionId, false)
        const customer = yield* customerRow(tenantId, customerId, false)
        return {
          subscription: subscription === undefined ? undefined : revenueSubscriptionFromRow(subscription),
          customer: customer === undefined ? undefined : revenueCustomerFromRow(customer)
        }
      }),
    events: (tenantId, subscriptionId) =>
      run(subscriptionId, (db) =>
        db
          .select()
          .from(revenueEvents)
          .where(and(eq(revenueEvents.tenantId, tenantId), eq(revenueEvents.subscriptionId, subscriptionId)))
          .orderBy(asc(revenueEvents.seq))
      ).pipe(Effect.map((rows) => rows.map(revenueEventFromRow))),
    movements: (tenantId, { from, to }, page) =>
      Effect.gen(function* () {
        yield* checkLimit(page)
        const after =
          page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "mrr_movement")
        const rows = yield* client.run({ entity: "mrr_movement" }, (db) =>
          db
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
        )
        return pageOf(rows, page.limit, mrrMovementFromRow, (row) => instantCursor(row.occurredAt, row.id))
      }),
    summaries: (tenantId, granularity, from, to) =>
      client
        .run({ entity: "revenue_summary" }, (db) =>
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
        )
        .pipe(Effect.map((rows) => periodSummariesOf(rows.map(summaryFromRow)))),
    totals: (tenantId) =>
      Effect.gen(function* () {
        const rows = yield* client.run({ entity: "revenue_totals" }, (db) =>
          db.select().from(revenueTotals).where(eq(revenueTotals.tenantId, tenantId))
        )
        const paying = yield* client.run({ entity: "revenue_totals" }, (db) =>
          db
            .select({ payingCustomers: revenueTenantTotals.payingCustomers })
            .from(revenueTenantTotals)
            .where(eq(revenueTenantTotals.tenantId, tenantId))
            .limit(1)
        )
        return totalsFromRows(rows, paying[0]?.payingCustomers ?? 0)
      })
  }
}
