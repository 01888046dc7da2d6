/** Saved payment methods on SQLite (one writer: each operation's reads and writes never interleave). */
import { checkPaymentMethod, type PaymentMethodRepository, StoreError } from "@ezscale/core"
import { and, asc, desc, eq } from "drizzle-orm"
import { Effect, Either } from "effect"
import {
  type PaymentMethodRow,
  paymentMethodDuplicate,
  paymentMethodFromRow,
  paymentMethodToRow
} from "../../store-sql/payment-methods"
import type { SqliteClient, SqliteDb } from "../client"
import { paymentMethodDefaults, paymentMethods } from "../schema"
import { unlessDuplicate } from "./support"

const pairWhere = (tenantId: string, method: Pick<PaymentMethodRow, "customerId" | "gateway">) =>
  and(
    eq(paymentMethodDefaults.tenantId, tenantId),
    eq(paymentMethodDefaults.customerId, method.customerId),
    eq(paymentMethodDefaults.gateway, method.gateway)
  )

const defaultOf = (
  db: SqliteDb,
  tenantId: string,
  method: Pick<PaymentMethodRow, "customerId" | "gateway">
) =>
  db
    .select({ methodId: paymentMethodDefaults.methodId })
    .from(paymentMethodDefaults)
    .where(pairWhere(tenantId, method))
    .get()?.methodId

const rowOf = (db: SqliteDb, tenantId: string, methodId: string) =>
  db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.id, methodId)))
    .get()

const setDefault = (db: SqliteDb, tenantId: string, row: PaymentMethodRow) =>
  db
    .insert(paymentMethodDefaults)
    .values({ tenantId, customerId: row.customerId, gateway: row.gateway, methodId: row.id })
    .onConflictDoUpdate({
      target: [
        paymentMethodDefaults.tenantId,
        paymentMethodDefaults.customerId,
        paymentMethodDefaults.gateway
      ],
      set: { methodId: row.id }
    })
    .run()

export const paymentMethodRepository = (client: SqliteClient): PaymentMethodRepository => ({
  get: (tenantId, methodId) =>
    client
      .run({ entity: "payment_method", key: methodId }, (db) => {
        const row = rowOf(db, tenantId, methodId)
        return row === undefined ? undefined : paymentMethodFromRow(row, defaultOf(db, tenantId, row))
      })
      .pipe(
        Effect.flatMap((method) =>
          method === undefined
            ? Effect.fail(StoreError.notFound("payment_method", methodId))
            : Effect.succeed(method)
        )
      ),
  list: (tenantId, customerId) =>
    client.run({ entity: "payment_method", key: customerId }, (db) => {
      const defaults = new Map(
        db
          .select()
          .from(paymentMethodDefaults)
          .where(
            and(
              eq(paymentMethodDefaults.tenantId, tenantId),
              eq(paymentMethodDefaults.customerId, customerId)
            )
          )
          .all()
          .map((row) => [row.gateway, row.methodId])
      )
      return db
        .select()
        .from(paymentMethods)
        .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.customerId, customerId)))
        .orderBy(asc(paymentMethods.id))
        .all()
        .map((row) => paymentMethodFromRow(row, defaults.get(row.gateway)))
    }),
  insert: (tenantId, method) =>
    Either.match(checkPaymentMethod(method), {
      onLeft: Effect.fail,
      onRight: (valid) =>
        client
          .run({ entity: "payment_method", key: valid.id }, (db) =>
            unlessDuplicate(
              () =>
                client.atomically(() => {
                  const row = paymentMethodToRow(tenantId, valid)
                  db.insert(paymentMethods).values(row).run()
                  if (valid.isDefault) setDefault(db, tenantId, row)
                  else
                    db.insert(paymentMethodDefaults)
                      .values({
                        tenantId,
                        customerId: row.customerId,
                        gateway: row.gateway,
                        methodId: row.id
                      })
                      .onConflictDoNothing()
                      .run()
                  return paymentMethodFromRow(row, defaultOf(db, tenantId, row))
                }),
              (key) => {
                const duplicate = paymentMethodDuplicate(valid, key)
                return duplicate === undefined
                  ? undefined
                  : StoreError.conflict("payment_method", duplicate.key, duplicate.detail)
              }
            )
          )
          .pipe(Effect.flatten)
    }),
  remove: (tenantId, methodId) =>
    client
      .run({ entity: "payment_method", key: methodId }, (db) =>
        client.atomically((): Either.Either<void, StoreError> => {
          const row = rowOf(db, tenantId, methodId)
          if (row === undefined) return Either.left(StoreError.notFound("payment_method", methodId))
          db.delete(paymentMethods)
            .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.id, methodId)))
            .run()
          if (defaultOf(db, tenantId, row) !== methodId) return Either.right(undefined)
          const heir = db
            .select()
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
            .get()
          if (heir === undefined) db.delete(paymentMethodDefaults).where(pairWhere(tenantId, row)).run()
          else setDefault(db, tenantId, heir)
          return Either.right(undefined)
        })
      )
      .pipe(Effect.flatten),
  setDefault: (tenantId, methodId) =>
    client
      .run({ entity: "payment_method", key: methodId }, (db) =>
        client.atomically(() => {
          const row = rowOf(db, tenantId, methodId)
          if (row === undefined) return Either.left(StoreError.notFound("payment_method", methodId))
          setDefault(db, tenantId, row)
          return Either.right(paymentMethodFromRow(row, row.id))
        })
      )
      .pipe(Effect.flatten)
})
