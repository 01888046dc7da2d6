/** The account ledger, coupons and number sequences on SQLite (one writer: checks and writes never race). */
import {
  CouponAlreadyRedeemed,
  CouponExhausted,
  type CouponRepository,
  InsufficientCredit,
  type LedgerEntry,
  type LedgerRepository,
  type SequenceRepository,
  StoreError
} from "@ezscale/core"
import { and, asc, eq, sql } from "drizzle-orm"
import { Effect, Either } from "effect"
import {
  couponFromRow,
  couponToRow,
  ledgerEntryFromRow,
  ledgerEntryOf,
  ledgerEntryToRow,
  redemptionToRow
} from "../../store-sql/credit"
import type { SqliteClient } from "../client"
import { accountBalances, couponRedemptions, coupons, ledgerEntries, numberSequences } from "../schema"
import { unlessDuplicate } from "./support"

export const ledgerRepository = (client: SqliteClient): LedgerRepository => {
  const balanceWhere = (tenantId: string, customerId: string, currency: string) =>
    and(
      eq(accountBalances.tenantId, tenantId),
      eq(accountBalances.customerId, customerId),
      eq(accountBalances.currency, currency)
    )
  return {
    append: (tenantId, input) =>
      client
        .run({ entity: "ledger", key: input.customerId }, (db) =>
          client.atomically((): Either.Either<LedgerEntry, InsufficientCredit> => {
            const where = balanceWhere(tenantId, input.customerId, input.currency)
            const balance =
              db.select({ balance: accountBalances.balanceMinor }).from(accountBalances).where(where).get()
                ?.balance ?? 0n
            const after = balance + input.amount
            if (after < 0n) {
              return Either.left(
                new InsufficientCredit({
                  customerId: input.customerId,
                  currency: input.currency,
                  balance,
                  amount: input.amount
                })
              )
            }
            const id = client.ids.next("led")
            db.insert(ledgerEntries)
              .values(ledgerEntryToRow(tenantId, id, input, after))
              .run()
            db.insert(accountBalances)
              .values({
                tenantId,
                customerId: input.customerId,
                currency: input.currency,
                balanceMinor: after
              })
              .onConflictDoUpdate({
                target: [accountBalances.tenantId, accountBalances.customerId, accountBalances.currency],
                set: { balanceMinor: after }
              })
              .run()
            return Either.right(ledgerEntryOf(id, input, after))
          })
        )
        .pipe(Effect.flatten),
    balance: (tenantId, customerId, currency) =>
      client.run(
        { entity: "ledger", key: customerId },
        (db) =>
          db
            .select({ balance: accountBalances.balanceMinor })
            .from(accountBalances)
            .where(balanceWhere(tenantId, customerId, currency))
            .get()?.balance ?? 0n
      ),
    entries: (tenantId, customerId) =>
      client.run({ entity: "ledger", key: customerId }, (db) =>
        db
          .select()
          .from(ledgerEntries)
          .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, customerId)))
          .orderBy(asc(ledgerEntries.id))
          .all()
          .map(ledgerEntryFromRow)
      )
  }
}

export const couponRepository = (client: SqliteClient): CouponRepository => ({
  put: (tenantId, coupon) =>
    client
      .run({ entity: "coupon", key: coupon.code }, (db) =>
        unlessDuplicate(
          () => {
            const row = couponToRow(tenantId, coupon)
            const { tenantId: _tenant, id: _id, ...columns } = row
            db.insert(coupons)
              .values({ ...row, redemptionCount: 0 })
              .onConflictDoUpdate({ target: [coupons.tenantId, coupons.id], set: columns })
              .run()
          },
          (key) =>
            key === "coupons_code_key" ? StoreError.conflict("coupon", coupon.code, "code exists") : undefined
        )
      )
      .pipe(Effect.flatten),
  get: (tenantId, couponId) =>
    client
      .run({ entity: "coupon", key: couponId }, (db) =>
        db
          .select({ document: coupons.document })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.id, couponId)))
          .get()
      )
      .pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.fail(StoreError.notFound("coupon", couponId))
            : Effect.succeed(couponFromRow(row))
        )
      ),
  getByCode: (tenantId, code) =>
    client
      .run({ entity: "coupon", key: code }, (db) =>
        db
          .select({ document: coupons.document })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.code, code)))
          .get()
      )
      .pipe(
        Effect.flatMap((row) =>
          row === undefined
            ? Effect.fail(StoreError.notFound("coupon", code))
            : Effect.succeed(couponFromRow(row))
        )
      ),
  redemptionCount: (tenantId, couponId) =>
    client.run(
      { entity: "coupon", key: couponId },
      (db) =>
        db
          .select({ count: coupons.redemptionCount })
          .from(coupons)
          .where(and(eq(coupons.tenantId, tenantId), eq(coupons.id, couponId)))
          .get()?.count ?? 0
    ),
  hasRedeemed: (tenantId, couponId, customerId) =>
    client.run(
      { entity: "coupon", key: couponId },
      (db) =>
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
          .get() !== undefined
    ),
  redeem: (tenantId, redemption) =>
    client
      .run({ entity: "coupon", key: redemption.couponId }, (db) =>
        client.atomically((): Either.Either<void, StoreError | CouponExhausted | CouponAlreadyRedeemed> => {
          const where = and(eq(coupons.tenantId, tenantId), eq(coupons.id, redemption.couponId))
          const coupon = db
            .select({
              code: coupons.code,
              maxRedemptions: coupons.maxRedemptions,
              oncePerCustomer: coupons.oncePerCustomer,
              redemptionCount: coupons.redemptionCount
            })
            .from(coupons)
            .where(where)
            .get()
          if (coupon === undefined) return Either.left(StoreError.notFound("coupon", redemption.couponId))
          if (coupon.maxRedemptions !== null && coupon.redemptionCount >= coupon.maxRedemptions) {
            return Either.left(
              new CouponExhausted({ code: coupon.code, maxRedemptions: coupon.maxRedemptions })
            )
          }
          const already = new CouponAlreadyRedeemed({ code: coupon.code, customerId: redemption.customerId })
          if (coupon.oncePerCustomer) {
            const earlier = db
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
              .get()
            if (earlier !== undefined) return Either.left(already)
          }
          const inserted = unlessDuplicate(
            () =>
              db
                .insert(couponRedemptions)
                .values(redemptionToRow(tenantId, client.ids.next("red"), redemption, coupon.oncePerCustomer))
                .run(),
            (key) => (key === "coupon_redemptions_once_key" ? already : undefined)
          )
          if (Either.isLeft(inserted)) return Either.left(inserted.left)
          db.update(coupons)
            .set({ redemptionCount: sql`${coupons.redemptionCount} + 1` })
            .where(where)
            .run()
          return Either.right(undefined)
        })
      )
      .pipe(Effect.flatten)
})

export const sequenceRepository = (client: SqliteClient): SequenceRepository => ({
  next: (tenantId, key, start) =>
    client
      .run({ entity: "sequence", key }, (db) =>
        db
          .insert(numberSequences)
          .values({ tenantId, sequenceKey: key, lastValue: start })
          .onConflictDoUpdate({
            target: [numberSequences.tenantId, numberSequences.sequenceKey],
            set: { lastValue: sql`${numberSequences.lastValue} + 1` }
          })
          .returning({ value: numberSequences.lastValue })
          .get()
      )
      .pipe(Effect.map((row) => row.value))
})
