/**
 * A `Store` that counts the renewal invoices this process committed (`invoices.insert` and the billing
 * run's `renewals.commit`): an invoice written inside a
 * transaction counts once the outermost transaction commits (a savepoint or transaction that fails takes
 * its inserts back with it), so a worker can report how much of a billing run it did.
 */
import type { StoreService } from "@ezscale/core"
import { Effect, FiberRef } from "effect"

export interface CountingStore {
  readonly store: StoreService
  /** Invoices whose insert this process committed. */
  readonly invoicesCommitted: () => number
}

export const countingStore = (inner: StoreService): CountingStore => {
  let committed = 0
  /** The invoices inserted in the fiber's current (savepoint) level; undefined outside any transaction. */
  const level = FiberRef.unsafeMake<Array<string> | undefined>(undefined)
  const store: StoreService = {
    ...inner,
    invoices: {
      ...inner.invoices,
      insert: (tenantId, invoice) =>
        Effect.tap(inner.invoices.insert(tenantId, invoice), () =>
          Effect.flatMap(FiberRef.get(level), (inserted) =>
            Effect.sync(() => {
              if (inserted === undefined) committed++
              else inserted.push(invoice.id)
            })
          )
        )
    },
    renewals: {
      ...inner.renewals,
      commit: (tenantId, writes, numbering) =>
        Effect.tap(inner.renewals.commit(tenantId, writes, numbering), (outcomes) =>
          Effect.flatMap(FiberRef.get(level), (inserted) =>
            Effect.sync(() => {
              const written = writes.flatMap((write, i) =>
                outcomes[i] === "written" && write.invoice !== undefined ? [write.invoice.id] : []
              )
              if (inserted === undefined) committed += written.length
              else inserted.push(...written)
            })
          )
        )
    },
    withTransaction: (self) =>
      Effect.flatMap(FiberRef.get(level), (outer) => {
        const mine: Array<string> = []
        // a transaction the store re-runs (after a deadlock) starts its count again
        const attempt = Effect.suspend(() => {
          mine.length = 0
          return Effect.locally(self, level, mine)
        })
        return Effect.tap(inner.withTransaction(attempt), () =>
          Effect.sync(() => {
            if (outer === undefined) committed += mine.length
            else outer.push(...mine)
          })
        )
      })
  }
  return { store, invoicesCommitted: () => committed }
}
