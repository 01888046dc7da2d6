/**
 * Account credit granted by staff (a goodwill gesture, a correction): one `credit_added` ledger entry and
 * its audit entry, in one transaction. Credit is spent by collection before any card is charged.
 */
import { Clock, Effect } from "effect"
import { NonPositiveAmount } from "../invoicing/invoice/errors"
import type { CurrencyCode } from "../money/currency"
import type { StoreError } from "../ports/store/errors"
import type { LedgerEntry } from "../ports/store/records"
import { Store } from "../ports/store/store"
import { type Actor, audit } from "./account"

export interface CreditGrant {
  readonly tenantId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  /** Positive minor units. */
  readonly amount: bigint
  readonly reason: string
  readonly actor: Actor
}

/** Adds credit to a customer's account (`NotFound` for an unknown customer); returns the entry. */
export const grantCredit = (
  grant: CreditGrant
): Effect.Effect<LedgerEntry, StoreError | NonPositiveAmount, Store> =>
  Effect.gen(function* () {
    if (grant.amount <= 0n) return yield* new NonPositiveAmount({ amount: grant.amount })
    const store = yield* Store
    const now = yield* Clock.currentTimeMillis
    const { tenantId, customerId } = grant
    return yield* store.withTransaction(
      Effect.gen(function* () {
        yield* store.customers.get(tenantId, customerId)
        const entry = yield* store.ledger
          .append(tenantId, {
            customerId,
            currency: grant.currency,
            amount: grant.amount,
            kind: "credit_added",
            note: grant.reason,
            at: now
          })
          .pipe(Effect.catchTag("InsufficientCredit", Effect.die)) // adding credit never goes negative
        yield* audit(store, tenantId, {
          actor: grant.actor,
          action: "customer.credit_added",
          targetType: "customer",
          targetId: customerId,
          details: { amount: String(grant.amount), currency: grant.currency, reason: grant.reason },
          at: now
        })
        return entry
      })
    )
  })
