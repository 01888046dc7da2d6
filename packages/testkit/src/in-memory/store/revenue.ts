/** Revenue metrics: events per subscription, the revenue rows, movements, summary rows and totals. */
import {
  addSummaryRows,
  addToTotals,
  applyRevenueEvent,
  emptyRevenueTotals,
  periodSummariesOf,
  type RevenueRepository,
  revenueEventCustomer,
  revenueEventSubscription,
  summaryIncrement,
  totalsIncrement,
  validateTimeZone
} from "@ezscale/core"
import { Effect, Either } from "effect"
import type { Db } from "./db"
import { key, nextSerial, paginate, rowsOf, sortableInstant } from "./state"

const seqKey = (seq: number) => String(seq).padStart(12, "0")

export const revenueRepository = (db: Db): RevenueRepository => ({
  apply: (tenantId, event, zone) =>
    Effect.flatMap(validateTimeZone(zone), (valid) =>
      db.run((state) => {
        const { tables } = state
        const subscriptionId = revenueEventSubscription(event)
        const current = tables.revenueSubscriptions.get(key(tenantId, subscriptionId))
        const customerId = current?.row.customerId ?? revenueEventCustomer(event)
        const before = tables.revenueCustomers.get(key(tenantId, customerId))
        const applied = applyRevenueEvent({ subscription: current?.row, customer: before }, event, valid)
        if (Either.isLeft(applied)) return Effect.fail(applied.left)
        const step = applied.right
        const seq = (current?.events ?? 0) + 1
        tables.revenueSubscriptions.set(key(tenantId, subscriptionId), {
          row: step.subscription,
          events: seq
        })
        tables.revenueEvents.set(key(tenantId, subscriptionId, seqKey(seq)), { subscriptionId, seq, event })
        tables.revenueCustomers.set(key(tenantId, customerId), step.customer)
        const movement = step.movement
        if (movement !== undefined) {
          const id = nextSerial(state, "mov")
          tables.mrrMovements.set(key(tenantId, id), { id, movement })
          for (const granularity of ["day", "month"] as const) {
            const increment = summaryIncrement(movement, granularity)
            const k = key(tenantId, granularity, increment.period, increment.currency)
            const seen = tables.summaryRows.get(k)
            tables.summaryRows.set(k, seen === undefined ? increment : addSummaryRows(seen, increment))
          }
          const totals = tables.revenueTotals.get(key(tenantId)) ?? emptyRevenueTotals
          tables.revenueTotals.set(key(tenantId), addToTotals(totals, totalsIncrement(before, step)))
        }
        return Effect.succeed({ ...step, seq })
      })
    ),
  rows: (tenantId, subscriptionId, customerId) =>
    db.run(({ tables }) =>
      Effect.succeed({
        subscription: tables.revenueSubscriptions.get(key(tenantId, subscriptionId))?.row,
        customer: tables.revenueCustomers.get(key(tenantId, customerId))
      })
    ),
  events: (tenantId, subscriptionId) =>
    db.run(({ tables }) =>
      Effect.succeed(
        rowsOf(tables.revenueEvents, key(tenantId, subscriptionId)).sort((a, b) => a.seq - b.seq)
      )
    ),
  movements: (tenantId, { from, to }, page) =>
    db.run(({ tables }) =>
      Effect.map(
        paginate(
          rowsOf(tables.mrrMovements, tenantId, ({ movement }) => movement.at >= from && movement.at < to),
          ({ id, movement }) => `${sortableInstant(movement.at)}|${id}`,
          page
        ),
        (result) => ({ ...result, items: result.items.map(({ movement }) => movement) })
      )
    ),
  summaries: (tenantId, granularity, from, to) =>
    db.run(({ tables }) =>
      Effect.succeed(
        periodSummariesOf(
          rowsOf(
            tables.summaryRows,
            key(tenantId, granularity),
            (row) => row.period >= from && row.period <= to
          )
        )
      )
    ),
  totals: (tenantId) =>
    db.run(({ tables }) => Effect.succeed(tables.revenueTotals.get(key(tenantId)) ?? emptyRevenueTotals))
})
