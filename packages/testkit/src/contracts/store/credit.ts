import { describe, expect } from "@effect/vitest"
import { CouponAlreadyRedeemed, CouponExhausted, InsufficientCredit } from "@ezscale/core"
import { Effect, Option } from "effect"
import { makeCoupon, makeLedgerEntry } from "../../factories"
import { fresh, type StoreIt } from "./support"

export const creditContract = (it: StoreIt) => {
  describe("account ledger", () => {
    it.effect("the balance is the sum of entries per customer and currency, and never goes negative", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        yield* store.ledger.append(tenantId, makeLedgerEntry({ amount: 1500n }))
        yield* store.ledger.append(tenantId, makeLedgerEntry({ amount: 700n, currency: "USD" }))
        const applied = yield* store.ledger.append(
          tenantId,
          makeLedgerEntry({ amount: -1200n, kind: "credit_applied", invoiceId: "inv-1" })
        )
        expect(applied.balanceAfter).toBe(300n)
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(300n)
        expect(yield* store.ledger.balance(tenantId, "cus-1", "USD")).toBe(700n)
        expect(yield* store.ledger.balance(otherTenantId, "cus-1", "EUR")).toBe(0n)
        const refused = yield* Effect.flip(
          store.ledger.append(tenantId, makeLedgerEntry({ amount: -301n, kind: "credit_applied" }))
        )
        expect(refused).toBeInstanceOf(InsufficientCredit)
        expect(refused).toMatchObject({ balance: 300n, amount: -301n })
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(300n)
        const emptied = yield* store.ledger.append(
          tenantId,
          makeLedgerEntry({ amount: -300n, kind: "adjustment" })
        )
        expect(emptied.balanceAfter).toBe(0n)
        const otherTenant = yield* Effect.flip(
          store.ledger.append(otherTenantId, makeLedgerEntry({ amount: -1n }))
        )
        expect(otherTenant).toBeInstanceOf(InsufficientCredit)
        const entries = yield* store.ledger.entries(tenantId, "cus-1")
        expect(entries.map((e) => e.amount)).toEqual([1500n, 700n, -1200n, -300n])
        expect(new Set(entries.map((e) => e.id)).size).toBe(4)
      })
    )
  })

  describe("coupons", () => {
    it.effect("redeem enforces maxRedemptions and oncePerCustomer, per tenant", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const coupon = makeCoupon({ id: "cpn-a", code: "SPRING", maxRedemptions: 2, oncePerCustomer: true })
        yield* store.coupons.put(tenantId, coupon)
        yield* store.coupons.put(otherTenantId, coupon)
        expect(yield* store.coupons.getByCode(tenantId, "SPRING")).toEqual(coupon)
        expect((yield* Effect.flip(store.coupons.getByCode(tenantId, "AUTUMN"))).reason).toBe("NotFound")
        yield* store.coupons.redeem(tenantId, { couponId: "cpn-a", customerId: "cus-1", at: 1 })
        const twice = yield* Effect.flip(
          store.coupons.redeem(tenantId, { couponId: "cpn-a", customerId: "cus-1", at: 2 })
        )
        expect(twice).toBeInstanceOf(CouponAlreadyRedeemed)
        expect(yield* store.coupons.hasRedeemed(tenantId, "cpn-a", "cus-1")).toBe(true)
        expect(yield* store.coupons.hasRedeemed(otherTenantId, "cpn-a", "cus-1")).toBe(false)
        yield* store.coupons.redeem(tenantId, {
          couponId: "cpn-a",
          customerId: "cus-2",
          subscriptionId: "sub-2",
          at: 3
        })
        const third = yield* Effect.flip(
          store.coupons.redeem(tenantId, { couponId: "cpn-a", customerId: "cus-3", at: 4 })
        )
        expect(third).toBeInstanceOf(CouponExhausted)
        expect(yield* store.coupons.redemptionCount(tenantId, "cpn-a")).toBe(2)
        expect(yield* store.coupons.redemptionCount(otherTenantId, "cpn-a")).toBe(0)
        yield* store.coupons.redeem(otherTenantId, { couponId: "cpn-a", customerId: "cus-1", at: 5 })
        const unknown = yield* Effect.flip(
          store.coupons.redeem(tenantId, { couponId: "nope", customerId: "cus-1", at: 6 })
        )
        expect(unknown._tag).toBe("StoreError")
      })
    )

    it.effect("codes are unique per tenant; a coupon without limits redeems freely", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.coupons.put(tenantId, makeCoupon({ id: "cpn-a", code: "FREE" }))
        const clash = yield* Effect.flip(
          store.coupons.put(tenantId, makeCoupon({ id: "cpn-b", code: "FREE" }))
        )
        expect(clash.reason).toBe("Conflict")
        yield* store.coupons.put(tenantId, makeCoupon({ id: "cpn-a", code: "FREE2" }))
        expect((yield* store.coupons.getByCode(tenantId, "FREE2")).id).toBe("cpn-a")
        expect((yield* Effect.flip(store.coupons.getByCode(tenantId, "FREE"))).reason).toBe("NotFound")
        for (let i = 0; i < 5; i++)
          yield* store.coupons.redeem(tenantId, { couponId: "cpn-a", customerId: "cus-1", at: i })
        expect(yield* store.coupons.redemptionCount(tenantId, "cpn-a")).toBe(5)
      })
    )
  })

  describe("idempotency records", () => {
    it.effect("the first remembered result wins and is recalled, per tenant", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        expect(Option.isNone(yield* store.idempotency.recall(tenantId, "key-1"))).toBe(true)
        expect(yield* store.idempotency.remember(tenantId, "key-1", { status: 201, id: "inv-1" })).toEqual({
          status: 201,
          id: "inv-1"
        })
        expect(yield* store.idempotency.remember(tenantId, "key-1", { status: 500 })).toEqual({
          status: 201,
          id: "inv-1"
        })
        expect(yield* store.idempotency.recall(tenantId, "key-1")).toEqual(
          Option.some({ status: 201, id: "inv-1" })
        )
        expect(Option.isNone(yield* store.idempotency.recall(otherTenantId, "key-1"))).toBe(true)
        yield* store.idempotency.remember(tenantId, "key-null", null)
        expect(yield* store.idempotency.recall(tenantId, "key-null")).toEqual(Option.some(null))
      })
    )
  })
}
