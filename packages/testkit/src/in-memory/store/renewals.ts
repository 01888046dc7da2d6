/**
 * `store.renewals` on the in-memory store: each write of a page in a savepoint of the call's transaction,
 * through the store's own repositories (the number drawn from the sequence, the invoice inserted, the
 * subscription updated with its stored items, the jobs enqueued). A refused write's savepoint gives its
 * number back, so the numbers stay gapless exactly as the SQL adapters' do.
 */
import type { DueRange, RenewalOutcome, RenewalRepository, RenewalWrite, StoreService } from "@ezscale/core"
import { StoreError } from "@ezscale/core"
import { Effect } from "effect"

type Repositories = Omit<StoreService, "renewals">

const writeOne = (
  store: Repositories,
  tenantId: string,
  write: RenewalWrite,
  numbering: Parameters<RenewalRepository["commit"]>[2]
): Effect.Effect<RenewalOutcome, StoreError> => {
  const { invoice, subscription, expectedVersion } = write
  if (subscription.tenantId !== tenantId || (invoice !== undefined && invoice.tenantId !== tenantId)) {
    return Effect.die(new Error(`renewal of subscription ${subscription.id} is not tenant ${tenantId}'s`))
  }
  if (invoice !== undefined && invoice.subscriptionId !== subscription.id) {
    return Effect.die(new Error(`invoice ${invoice.id} does not renew subscription ${subscription.id}`))
  }
  const body = Effect.gen(function* () {
    if (invoice !== undefined) {
      const number =
        numbering === undefined
          ? invoice.number
          : numbering.format(yield* store.sequences.next(tenantId, numbering.key, numbering.start))
      yield* store.invoices.insert(tenantId, number === undefined ? invoice : { ...invoice, number })
    }
    const stored = yield* store.subscriptions.get(tenantId, subscription.id)
    // a renewal never changes the priced items: they stay as stored
    yield* store.subscriptions.update(
      tenantId,
      { ...subscription, items: stored.value.items },
      expectedVersion
    )
    for (const job of write.jobs) yield* store.jobs.enqueue(tenantId, job)
    return "written" as const
  })
  return store.withTransaction(body).pipe(
    Effect.catchTags({
      DuplicateInvoice: () => Effect.succeed("duplicate" as const),
      VersionConflict: () => Effect.succeed("conflict" as const)
    }),
    Effect.catchIf(
      (error): error is StoreError => error instanceof StoreError && error.reason === "NotFound",
      () => Effect.succeed("conflict" as const)
    )
  )
}

/** Renewals written with the store's own repositories, one savepoint per write, all in one transaction. */
export const renewalRepository = (store: Repositories): RenewalRepository => ({
  commit: (tenantId, writes, numbering) =>
    store.withTransaction(Effect.forEach(writes, (write) => writeOne(store, tenantId, write, numbering))),
  dueRanges: (tenantId, before, size) =>
    Effect.gen(function* () {
      const ranges: Array<DueRange> = []
      let after: string | undefined
      for (;;) {
        const page = yield* store.subscriptions.dueForRenewal(
          tenantId,
          before,
          after === undefined ? { limit: size } : { limit: size, after }
        )
        const last = page.items[page.items.length - 1]?.value
        if (last?.nextRenewalAt === undefined) return ranges
        const range = { last: { nextRenewalAt: last.nextRenewalAt, id: last.id } }
        ranges.push(after === undefined ? range : { after, ...range })
        if (page.next === undefined) return ranges
        after = page.next
      }
    })
})
