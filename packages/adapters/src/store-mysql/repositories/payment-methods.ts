/**
 * Saved payment methods on MySQL / MariaDB. Every change to a (customer, gateway) locks its default row
 * first (`payment_method_defaults`), then touches the methods: changes to one pair queue up, and all of
 * them take their locks in that order, so they cannot deadlock each other or leave two defaults or none.
 */
import { checkPaymentMethod, type PaymentMethodRepository, StoreError } from "@ezscale/core"
import { and, asc, desc, eq, sql } from "drizzle-orm"
import { Effect, Either } from "effect"
import {
  type PaymentMethodRow,
  paymentMethodDuplicate,
  paymentMethodFromRow,
  paymentMethodToRow
} from "../../store-sql/payment-methods"
import type { MysqlClient, MysqlDb } from "../client"
import { paymentMethodDefaults, paymentMethods } from "../schema"
import { affectedRows, found, unlessDuplicate } from "./support"

type Pair = Pick<PaymentMethodRow, "customerId" | "gateway">

const pairWhere = (tenantId: string, pair: Pair) =>
  and(
    eq(paymentMethodDefaults.tenantId, tenantId),
    eq(paymentMethodDefaults.customerId, pair.customerId),
    eq(paymentMethodDefaults.gateway, pair.gateway)
  )

const methodWhere = (tenantId: string, methodId: string) =>
  and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.id, methodId))

export const paymentMethodRepository = (client: MysqlClient): PaymentMethodRepository => {
  const run = <A>(key: string, operation: (db: MysqlDb) => Promise<A>) =>
    client.run({ entity: "payment_method", key }, operation)

  const defaultOf = (tenantId: string, pair: Pair, lock: boolean) =>
    run(pair.customerId, (db) => {
      const query = db
        .select({ methodId: paymentMethodDefaults.methodId })
        .from(paymentMethodDefaults)
        .where(pairWhere(tenantId, pair))
        .limit(1)
      return lock ? query.for("update") : query
    }).pipe(Effect.map((rows) => rows[0]?.methodId))

  const rowOf = (tenantId: string, methodId: string, lock: boolean) =>
    run(methodId, (db) => {
      const query = db.select().from(paymentMethods).where(methodWhere(tenantId, methodId)).limit(1)
      return lock ? query.for("update") : query
    }).pipe(Effect.flatMap((rows) => found("payment_method", methodId)(rows[0])))

  /** Points the pair's default row at `methodId` (creating it), or only locks it when `methodId` is undefined. */
  const pointDefault = (tenantId: string, row: PaymentMethodRow, methodId: string | undefined) =>
    run(row.id, (db) =>
      db
        .insert(paymentMethodDefaults)
        .values({ tenantId, customerId: row.customerId, gateway: row.gateway, methodId: methodId ?? row.id })
        .onDuplicateKeyUpdate({
          set: { methodId: methodId === undefined ? sql`${paymentMethodDefaults.methodId}` : methodId }
        })
    )

  return {
    get: (tenantId, methodId) =>
      Effect.gen(function* () {
        const row = yield* rowOf(tenantId, methodId, false)
        return paymentMethodFromRow(row, yield* defaultOf(tenantId, row, false))
      }),
    list: (tenantId, customerId) =>
      Effect.gen(function* () {
        const rows = yield* run(customerId, (db) =>
          db
            .select()
            .from(paymentMethods)
            .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.customerId, customerId)))
            .orderBy(asc(paymentMethods.id))
        )
        const defaults = yield* run(customerId, (db) =>
          db
            .select()
            .from(paymentMethodDefaults)
            .where(
              and(
                eq(paymentMethodDefaults.tenantId, tenantId),
                eq(paymentMethodDefaults.customerId, customerId)
              )
            )
        )
        const byGateway = new Map(defaults.map((row) => [row.gateway, row.methodId]))
        return rows.map((row) => paymentMethodFromRow(row, byGateway.get(row.gateway)))
      }),
    insert: (tenantId, method) =>
      Either.match(checkPaymentMethod(method), {
        onLeft: Effect.fail,
        onRight: (valid) =>
          client.atomically(
            Effect.gen(function* () {
              const row = paymentMethodToRow(tenantId, valid)
              // the pair's default row first: created pointing here, moved here, or only locked
              yield* pointDefault(tenantId, row, valid.isDefault ? row.id : undefined)
              yield* unlessDuplicate(
                run(valid.id, async (db) => {
                  await db.insert(paymentMethods).values(row)
                }),
                (key) => {
                  const duplicate = paymentMethodDuplicate(valid, key)
                  return duplicate === undefined
                    ? undefined
                    : Effect.fail(StoreError.conflict("payment_method", duplicate.key, duplicate.detail))
                }
              )
              return paymentMethodFromRow(row, yield* defaultOf(tenantId, row, false))
            })
          )
      }),
    remove: (tenantId, methodId) =>
      client.atomically(
        Effect.gen(function* () {
          const row = yield* rowOf(tenantId, methodId, false)
          const current = yield* defaultOf(tenantId, row, true)
          const deleted = yield* run(methodId, (db) =>
            db.delete(paymentMethods).where(methodWhere(tenantId, methodId))
          )
          if (affectedRows(deleted) === 0)
            return yield* Effect.fail(StoreError.notFound("payment_method", methodId))
          if (current !== methodId) return
          const heirs = yield* run(methodId, (db) =>
            db
              .select({ id: paymentMethods.id })
              .from(paymentMethods)
              .where(
                and(
                  eq(paymentMethods.tenantId, tenantId),
                  eq(paymentMethods.customerId, row.customerId),
                  eq(paymentMethods.gateway, row.gateway)
                )
              )
              .orderBy(desc(paymentMethods.id))
              .limit(1)
          )
          const heir = heirs[0]
          yield* heir === undefined
            ? run(methodId, (db) => db.delete(paymentMethodDefaults).where(pairWhere(tenantId, row)))
            : run(methodId, (db) =>
                db.update(paymentMethodDefaults).set({ methodId: heir.id }).where(pairWhere(tenantId, row))
              )
        })
      ),
    setDefault: (tenantId, methodId) =>
      client.atomically(
        Effect.gen(function* () {
          const seen = yield* rowOf(tenantId, methodId, false)
          yield* defaultOf(tenantId, seen, true)
          // still there now that the pair is ours (a removal may have won the race)
          const row = yield* rowOf(tenantId, methodId, true)
          yield* run(methodId, (db) =>
            db.update(paymentMethodDefaults).set({ methodId }).where(pairWhere(tenantId, row))
          )
          return paymentMethodFromRow(row, row.id)
        })
      )
  }
}
