/**
 * The account ledger, coupons and number sequences on MySQL / MariaDB. Each check-then-write holds a
 * row lock for its duration (the balance row, the coupon row, the sequence row), so two racing debits,
 * redemptions or draws queue up instead of both passing.
 */
import {
  CouponAlreadyRedeemed,
  CouponExhausted,
  type CouponRepository,
  InsufficientCredit,
  type LedgerRepository,
  type SequenceRepository,
  StoreError
} from "@ezscale/core"
import { and, asc, eq, sql } from "drizzle-orm"
import { Effect } from "effect"
import {
  couponFromRow,
  couponToRow,
  ledgerEntryFromRow,
  ledgerEntryOf,
  ledgerEntryToRow,
  redemptionToRow
} from "../../store-sql/credit"
import type { MysqlClient } from "../client"
import { accountBalances, couponRedemptions, coupons, ledgerEntries, numberSequences } from "../schema"
import { affectedRows, found, unlessDuplicate } from "./support"

export const ledgerRepository = (client: MysqlClient): LedgerRepository => {
  const balanceWhere = (tenantId: string, customerId: string, currency: string) =>
    and(
      eq(accountBalances.tenantId, tenantId),
      eq(accountBalances.customerId, customerId),
      eq(accountBalances.currency, currency)
    )
  return {
    append: (tenantId, input) =>
      client.atomically(
        Effect.gen(function* () {
          const context = { entity: "ledger", key: input.customerId }
          const where = balanceWhere(tenantId, input.customerId, input.currency)
          // the balance row exists from here on and is locked by this transaction until it ends
          yield* client.run(context, (db) =>
            db
              .insert(accountBalances)
              .values({ tenantId, customerId: input.customerId, currency: input.currency, balanceMinor: 0n })
              .onDuplicateKeyUpdate({ set: { balanceMinor: sql`${accountBalances.balanceMinor}` } })
          )
          const locked = yield* client.run(context, (db) =>
            db
              .select({ balance: accountBalances.balanceMinor })
              .from(accountBalances)
              .where(where)
              .limit(1)
              .for("update")
          )
          const balance = locked[0]?.balance ?? 0n
          const after = balance + input.amount
          if (after < 0n) {
            return yield* Effect.fail(
              new InsufficientCredit({
                customerId: input.customerId,
                currency: input.currency,
                balance,
                amount: input.amount
              })
            )
          }
          const id = client.ids.next("led")
          yield* client.run(context, (db) =>
            db.insert(ledgerEntries).values(ledgerEntryToRow(tenantId, id, input, after))
          )
          yield* client.run(context, (db) =>
            db.update(accountBalances).set({ balanceMinor: after }).where(where)
          )
          return ledgerEntryOf(id, input, after)
        })
      ),
    balance: (tenantId, customerId, currency) =>
      client
        .run({ entity: "ledger", key: customerId }, (db) =>
          db
            .select({ balance: accountBalances.balanceMinor })
            .from(accountBalances)
            .where(balanceWhere(tenantId, customerId, currency))
            .limit(1)
        )
        .pipe(Effect.map((rows) => rows[0]?.balance ?? 0n)),
    entries: (tenantId, customerId) =>
      client
        .run({ entity: "ledger", key: customerId }, (db) =>
          db
            .select()
            .from(ledgerEntries)
            .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, customerId)))
            .orderBy(asc(ledgerEntries.id))
        )
        .pipe(Effect.map((rows) => rows.map(ledgerEntryFromRow)))
  }
}

export const couponRepository = (client: MysqlClient): CouponRepository => ({
  // Not ON DUPLICATE KEY UPDATE: it fires on the code key too, and would rewrite another coupon's row.
  put: (tenantId, coupon) => {
    const context = { entity: "coupon", key: coupon.code }
    const row = couponToRow(tenantId, coupon)
    const { tenantId: _tenant, id: _id, ...columns } = row
    const codeExists = (key: string) =>
      key === "coupons_code_key"
        ? Effect.fail(StoreError.conflict("coupon", coupon.code, "code exists"))
        : undefined
    const update = unlessDuplicate(
      client.run(context, (db) =>
        db
          .update(coupons)
          .set(columns)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.id, coupon.id)))
      ),
      codeExists
    )
    const insert = unlessDuplicate(
      client.run(context, async (db) => {
        await db.insert(coupons).values({ ...row, redemptionCount: 0 })
      }),
      (key) => (key === "primary" ? Effect.asVoid(update) : codeExists(key))
    )
    return Effect.flatMap(update, (result) => (affectedRows(result) === 0 ? insert : Effect.void))
  },
  get: (tenantId, couponId) =>
    client
      .run({ entity: "coupon", key: couponId }, (db) =>
        db
          .select({ document: coupons.document })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.id, couponId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("coupon", couponId)(rows[0])),
        Effect.map(couponFromRow)
      ),
  getByCode: (tenantId, code) =>
    client
      .run({ entity: "coupon", key: code }, (db) =>
        db
          .select({ document: coupons.document })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.code, code)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("coupon", code)(rows[0])),
        Effect.map(couponFromRow)
      ),
  redemptionCount: (tenantId, couponId) =>
    client
      .run({ entity: "coupon", key: couponId }, (db) =>
        db
          .select({ count: coupons.redemptionCount })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.id, couponId)))
          .limit(1)
      )
      .pipe(Effect.map((rows) => rows[0]?.count ?? 0)),
  hasRedeemed: (tenantId, couponId, customerId) =>
    client
      .run({ entity: "coupon", key: couponId }, (db) =>
        db
          .select({ id: couponRedemptions.id })
          .from(couponRedemptions)
          .where(
            and(
              eq(couponRedemptions.tenantId, tenantId),
              eq(couponRedemptions.couponId, couponId),
              eq(couponRedemptions.customerId, customerId)
            )
          )
          .limit(1)
      )
      .pipe(Effect.map((rows) => rows.length > 0)),
  redeem: (tenantId, redemption) =>
    client.atomically(
      Effect.gen(function* () {
        const context = { entity: "coupon", key: redemption.couponId }
        const where = and(eq(coupons.tenantId, tenantId), eq(coupons.id, redemption.couponId))
        const locked = yield* client.run(context, (db) =>
          db
            .select({
              code: coupons.code,
              maxRedemptions: coupons.maxRedemptions,
              oncePerCustomer: coupons.oncePerCustomer,
              redemptionCount: coupons.redemptionCount
            })
            .from(coupons)
            .where(where)
            .limit(1)
            .for("update")
        )
        const coupon = yield* found("coupon", redemption.couponId)(locked[0])
        if (coupon.maxRedemptions !== null && coupon.redemptionCount >= coupon.maxRedemptions) {
          return yield* Effect.fail(
            new CouponExhausted({ code: coupon.code, maxRedemptions: coupon.maxRedemptions })
          )
        }
        const already = new CouponAlreadyRedeemed({ code: coupon.code, customerId: redemption.customerId })
        if (coupon.oncePerCustomer) {
          const earlier = yield* client.run(context, (db) =>
            db
              .select({ id: couponRedemptions.id })
              .from(couponRedemptions)
              .where(
                and(
                  eq(couponRedemptions.tenantId, tenantId),
                  eq(couponRedemptions.couponId, redemption.couponId),
                  eq(couponRedemptions.customerId, redemption.customerId)
                )
              )
              .limit(1)
          )
          if (earlier.length > 0) return yield* Effect.fail(already)
        }
        yield* unlessDuplicate(
          client.run(context, async (db) => {
            await db
              .insert(couponRedemptions)
              .values(redemptionToRow(tenantId, client.ids.next("red"), redemption, coupon.oncePerCustomer))
          }),
          (key) => (key === "coupon_redemptions_once_key" ? Effect.fail(already) : undefined)
        )
        yield* client.run(context, (db) =>
          db
            .update(coupons)
            .set({ redemptionCount: sql`${coupons.redemptionCount} + 1` })
            .where(where)
        )
      })
    )
})

export const sequenceRepository = (client: MysqlClient): SequenceRepository => ({
  next: (tenantId, key, start) =>
    client.atomically(
      Effect.gen(function* () {
        const context = { entity: "sequence", key }
        // inserts `start` or moves the row on by one, holding its lock until the transaction ends
        yield* client.run(context, (db) =>
          db
            .insert(numberSequences)
            .values({ tenantId, sequenceKey: key, lastValue: start })
            .onDuplicateKeyUpdate({ set: { lastValue: sql`${numberSequences.lastValue} + 1` } })
        )
        const rows = yield* client.run(context, (db) =>
          db
            .select({ value: numberSequences.lastValue })
            .from(numberSequences)
            .where(and(eq(numberSequences.tenantId, tenantId), eq(numberSequences.sequenceKey, key)))
            .limit(1)
        )
        return yield* found("sequence", key)(rows[0]?.value)
      })
    )
})
