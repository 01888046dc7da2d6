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
import { Effect } from "effect"
import type { Db } from "./db"
import { key, nextSerial, rowsOf } from "./state"

export const ledgerRepository = (db: Db): LedgerRepository => {
  const balanceIn = (entries: ReadonlyArray<LedgerEntry>, customerId: string, currency: string) =>
    entries.reduce(
      (sum, entry) =>
        entry.customerId === customerId && entry.currency === currency ? sum + entry.amount : sum,
      0n
    )
  return {
    append: (tenantId, input) =>
      db.run((state) => {
        const balance = balanceIn(rowsOf(state.tables.ledger, tenantId), input.customerId, input.currency)
        if (balance + input.amount < 0n) {
          return Effect.fail(
            new InsufficientCredit({
              customerId: input.customerId,
              currency: input.currency,
              balance,
              amount: input.amount
            })
          )
        }
        const entry: LedgerEntry = {
          ...input,
          id: nextSerial(state, "led"),
          balanceAfter: balance + input.amount
        }
        state.tables.ledger.set(key(tenantId, entry.id), entry)
        return Effect.succeed(entry)
      }),
    balance: (tenantId, customerId, currency) =>
      db.run(({ tables }) =>
        Effect.succeed(balanceIn(rowsOf(tables.ledger, tenantId), customerId, currency))
      ),
    entries: (tenantId, customerId) =>
      db.run(({ tables }) =>
        Effect.succeed(rowsOf(tables.ledger, tenantId, (e) => e.customerId === customerId))
      )
  }
}

export const couponRepository = (db: Db): CouponRepository => ({
  put: (tenantId, coupon) =>
    db.run(({ tables }) => {
      const codeKey = key(tenantId, "coupon-code", coupon.code)
      const holder = tables.uniques.get(codeKey)
      if (holder !== undefined && holder !== coupon.id) {
        return Effect.fail(StoreError.conflict("coupon", coupon.code, "code exists"))
      }
      const previous = tables.coupons.get(key(tenantId, coupon.id))
      if (previous !== undefined && previous.code !== coupon.code) {
        tables.uniques.delete(key(tenantId, "coupon-code", previous.code))
      }
      tables.uniques.set(codeKey, coupon.id)
      tables.coupons.set(key(tenantId, coupon.id), coupon)
      return Effect.void
    }),
  get: (tenantId, couponId) =>
    db.run(({ tables }) => {
      const coupon = tables.coupons.get(key(tenantId, couponId))
      return coupon === undefined
        ? Effect.fail(StoreError.notFound("coupon", couponId))
        : Effect.succeed(coupon)
    }),
  getByCode: (tenantId, code) =>
    db.run(({ tables }) => {
      const id = tables.uniques.get(key(tenantId, "coupon-code", code))
      const coupon = id === undefined ? undefined : tables.coupons.get(key(tenantId, id))
      return coupon === undefined ? Effect.fail(StoreError.notFound("coupon", code)) : Effect.succeed(coupon)
    }),
  redemptionCount: (tenantId, couponId) =>
    db.run(({ tables }) =>
      Effect.succeed(rowsOf(tables.redemptions, tenantId, (r) => r.couponId === couponId).length)
    ),
  hasRedeemed: (tenantId, couponId, customerId) =>
    db.run(({ tables }) =>
      Effect.succeed(
        rowsOf(tables.redemptions, tenantId, (r) => r.couponId === couponId && r.customerId === customerId)
          .length > 0
      )
    ),
  redeem: (tenantId, redemption) =>
    db.run((state) => {
      const coupon = state.tables.coupons.get(key(tenantId, redemption.couponId))
      if (coupon === undefined) return Effect.fail(StoreError.notFound("coupon", redemption.couponId))
      const redemptions = rowsOf(state.tables.redemptions, tenantId, (r) => r.couponId === coupon.id)
      if (coupon.maxRedemptions !== undefined && redemptions.length >= coupon.maxRedemptions) {
        return Effect.fail(new CouponExhausted({ code: coupon.code, maxRedemptions: coupon.maxRedemptions }))
      }
      if (
        coupon.oncePerCustomer === true &&
        redemptions.some((r) => r.customerId === redemption.customerId)
      ) {
        return Effect.fail(
          new CouponAlreadyRedeemed({ code: coupon.code, customerId: redemption.customerId })
        )
      }
      state.tables.redemptions.set(key(tenantId, nextSerial(state, "red")), redemption)
      return Effect.void
    })
})

export const sequenceRepository = (db: Db): SequenceRepository => ({
  next: (tenantId, sequence, start) =>
    db.run(({ tables }) => {
      const k = key(tenantId, sequence)
      const last = tables.sequences.get(k)
      const value = last === undefined ? start : last + 1
      tables.sequences.set(k, value)
      return Effect.succeed(value)
    })
})
