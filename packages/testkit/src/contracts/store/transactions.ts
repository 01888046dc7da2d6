import { describe, expect } from "@effect/vitest"
import { CouponExhausted, DuplicateInvoice, InsufficientCredit } from "@ezscale/core"
import { Effect, Option } from "effect"
import { makeCoupon, makeCustomer, makeInvoice, makeLedgerEntry } from "../../factories"
import { fresh, type StoreCapabilities, type StoreIt } from "./support"

class Boom {
  readonly _tag = "Boom"
}

export const transactionContract = (it: StoreIt, capabilities: StoreCapabilities) => {
  describe("transactions", () => {
    it.effect(
      "a failed transaction leaves nothing: rows, jobs, sequences, ledger, coupons, idempotency",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, id, jobKind } = yield* fresh
          const customer = makeCustomer({ id: yield* id("cus"), tenantId })
          const invoice = makeInvoice({ id: yield* id("inv"), tenantId, customerId: customer.id })
          yield* store.coupons.put(tenantId, makeCoupon({ id: `cpn-${tenantId}`, maxRedemptions: 1 }))
          const failure = yield* Effect.flip(
            store.withTransaction(
              Effect.gen(function* () {
                yield* store.customers.insert(tenantId, customer)
                yield* store.invoices.insert(tenantId, invoice)
                yield* store.sequences.next(tenantId, "invoice", 1)
                yield* store.ledger.append(tenantId, makeLedgerEntry({ customerId: customer.id }))
                yield* store.coupons.redeem(tenantId, {
                  couponId: `cpn-${tenantId}`,
                  customerId: customer.id,
                  at: 1
                })
                yield* store.jobs.enqueue(tenantId, {
                  kind: jobKind,
                  payload: {},
                  runAt: 0,
                  dedupeKey: "once"
                })
                yield* store.idempotency.remember(tenantId, "request-1", { ok: true })
                return yield* Effect.fail(new Boom())
              })
            )
          )
          expect(failure).toBeInstanceOf(Boom)
          expect((yield* Effect.flip(store.customers.get(tenantId, customer.id))).reason).toBe("NotFound")
          expect((yield* Effect.flip(store.invoices.get(tenantId, invoice.id))).reason).toBe("NotFound")
          expect(yield* store.sequences.next(tenantId, "invoice", 1)).toBe(1)
          expect(yield* store.ledger.balance(tenantId, customer.id, "EUR")).toBe(0n)
          expect(yield* store.coupons.redemptionCount(tenantId, `cpn-${tenantId}`)).toBe(0)
          expect(
            yield* store.jobs.claim({ now: 0, limit: 10, leaseMs: 1000, workerId: "w", kinds: [jobKind] })
          ).toEqual([])
          expect(Option.isNone(yield* store.idempotency.recall(tenantId, "request-1"))).toBe(true)
          // the duplicate invoice key was released too
          yield* store.invoices.insert(tenantId, invoice)
        })
    )

    it.effect("a defect inside a transaction rolls back too", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const customer = makeCustomer({ id: yield* id("cus"), tenantId })
        const exit = yield* Effect.exit(
          store.withTransaction(
            Effect.zipRight(store.customers.insert(tenantId, customer), Effect.dieMessage("bug"))
          )
        )
        expect(exit._tag).toBe("Failure")
        expect((yield* Effect.flip(store.customers.get(tenantId, customer.id))).reason).toBe("NotFound")
      })
    )

    it.effect("a committed transaction keeps every write; domain errors pass through unchanged", () =>
      Effect.gen(function* () {
        const { store, tenantId, id } = yield* fresh
        const invoice = makeInvoice({ id: yield* id("inv"), tenantId })
        const number = yield* store.withTransaction(
          Effect.gen(function* () {
            yield* store.invoices.insert(tenantId, invoice)
            return yield* store.sequences.next(tenantId, "invoice", 1)
          })
        )
        expect(number).toBe(1)
        expect(yield* store.invoices.get(tenantId, invoice.id)).toEqual(invoice)
        const duplicate = yield* Effect.flip(
          store.withTransaction(store.invoices.insert(tenantId, { ...invoice, id: yield* id("inv") }))
        )
        expect(duplicate).toBeInstanceOf(DuplicateInvoice)
      })
    )

    it.effect("sequences are gapless: a rolled-back number is handed out again", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const drawn: Array<number> = []
        for (let i = 0; i < 10; i++) {
          const draw = store.withTransaction(
            Effect.gen(function* () {
              const value = yield* store.sequences.next(tenantId, "invoice:2026", 1000)
              if (i % 3 === 1) return yield* Effect.fail(new Boom())
              return value
            })
          )
          const result = yield* Effect.either(draw)
          if (result._tag === "Right") drawn.push(result.right)
        }
        expect(drawn).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006])
        expect(yield* store.sequences.next(tenantId, "invoice:2027", 1)).toBe(1)
        expect(yield* store.sequences.next(otherTenantId, "invoice:2026", 1)).toBe(1)
      })
    )

    it.effect("concurrent transactions do not lose updates (serializable draws)", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const values = yield* Effect.forEach(
          Array.from({ length: 20 }, (_, i) => i),
          () => store.withTransaction(store.sequences.next(tenantId, "concurrent", 1)),
          { concurrency: "unbounded" }
        )
        expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      })
    )

    it.effect("concurrent redemptions never exceed maxRedemptions; concurrent debits never overdraw", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.coupons.put(tenantId, makeCoupon({ id: "limited", code: "LIMITED", maxRedemptions: 3 }))
        const redemptions = yield* Effect.forEach(
          Array.from({ length: 10 }, (_, i) => `cus-${i}`),
          (customerId) =>
            Effect.either(
              store.withTransaction(
                store.coupons.redeem(tenantId, { couponId: "limited", customerId, at: 1 })
              )
            ),
          { concurrency: "unbounded" }
        )
        expect(redemptions.filter((r) => r._tag === "Right")).toHaveLength(3)
        expect(
          redemptions.filter((r) => r._tag === "Left" && r.left instanceof CouponExhausted)
        ).toHaveLength(7)
        yield* store.ledger.append(tenantId, makeLedgerEntry({ amount: 1000n }))
        const debits = yield* Effect.forEach(
          Array.from({ length: 5 }, () => makeLedgerEntry({ amount: -300n, kind: "credit_applied" })),
          (entry) => Effect.either(store.withTransaction(store.ledger.append(tenantId, entry))),
          { concurrency: "unbounded" }
        )
        expect(debits.filter((r) => r._tag === "Right")).toHaveLength(3)
        expect(debits.filter((r) => r._tag === "Left" && r.left instanceof InsufficientCredit)).toHaveLength(
          2
        )
        expect(yield* store.ledger.balance(tenantId, "cus-1", "EUR")).toBe(100n)
      })
    )

    it.effect.skipIf(capabilities.savepoints === false)(
      "a nested transaction that fails undoes only its own writes (savepoint)",
      () =>
        Effect.gen(function* () {
          const { store, tenantId, id } = yield* fresh
          const kept = makeCustomer({ id: yield* id("cus"), tenantId })
          const undone = makeCustomer({ id: yield* id("cus"), tenantId })
          yield* store.withTransaction(
            Effect.gen(function* () {
              yield* store.customers.insert(tenantId, kept)
              const inner = yield* Effect.either(
                store.withTransaction(
                  Effect.zipRight(store.customers.insert(tenantId, undone), Effect.fail(new Boom()))
                )
              )
              expect(inner._tag).toBe("Left")
            })
          )
          expect(yield* store.customers.get(tenantId, kept.id)).toEqual(kept)
          expect((yield* Effect.flip(store.customers.get(tenantId, undone.id))).reason).toBe("NotFound")
        })
    )
  })
}
