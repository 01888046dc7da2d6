/**
 * The engine's case: a real billing run (`runBilling`, or a run split into `billing_chunk` jobs worked
 * by several fibers) over subscriptions seeded straight into the database, end to end through the store
 * adapter — reads of the due pages and their customers, the pure renewal decisions, one
 * `renewals.commit` per page. Each subscription is a monthly VPS of a French consumer (plan, option,
 * add-on, the lines of `rows.ts`), due today, so the run writes exactly the raw case's rows.
 */
import { MysqlStore } from "@ezscale/adapters/store-mysql"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import { customerFields, itemFields, makeIdGenerator, subscriptionFields } from "@ezscale/adapters/testing"
import {
  type BillingRunSummary,
  decodeBillingSettings,
  decodeTaxRules,
  encodeBillingSettings,
  Ids,
  planBillingRun,
  runBilling,
  runBillingChunk,
  Store,
  workOnce
} from "@ezscale/core"
import { Effect, Either, Layer } from "effect"
import type { BenchDatabase } from "./databases"
import type { RenewalWriter } from "./figures"
import { benchTenant } from "./rows"

const day = 86_400_000

/** Today at 00:00 UTC: the subscriptions' renewal (and anchor), so they are due whenever the bench runs. */
const today = () => Math.floor(Date.now() / day) * day
const isoDate = (instant: number) => new Date(instant).toISOString().slice(0, 10)

const settings = Either.getOrThrow(
  decodeBillingSettings({ timeZone: "UTC", seller: { country: "DE", euVat: "oss" } })
)
const rules = Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))

/** The seeded tables' columns, in the order the store reads them (`seedRows` gives the values so). */
const customerColumns = customerFields.map(([column]) => column)
const subscriptionColumns = subscriptionFields.map(([column]) => column)
const itemColumns = itemFields.map(([column]) => column)
const items: ReadonlyArray<readonly [string, string, string, bigint]> = [
  ["plan", "vps-2g", "KVM VPS — 2 GB", 1999n],
  ["option", "extra-ip", "Extra IPv4: 2 IP", 500n],
  ["addon", "cpanel", "cPanel licence", 1800n]
]

interface Table {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly values: Array<unknown>
}

/** The customers, subscriptions and items of subscriptions `from` .. `to - 1`, as flat rows. */
const seedRows = (from: number, to: number, ids: () => string): ReadonlyArray<Table> => {
  const renewal = today()
  const anchor = isoDate(renewal)
  const previous = isoDate(renewal - 30 * day)
  const customers: Table = { name: "customers", columns: customerColumns, values: [] }
  const subscriptions: Table = { name: "subscriptions", columns: subscriptionColumns, values: [] }
  const lines: Table = { name: "subscription_items", columns: itemColumns, values: [] }
  for (let n = from; n < to; n++) {
    const customerId = `cus_${String(n).padStart(26, "0")}`
    const subscriptionId = ids()
    customers.values.push(
      benchTenant,
      customerId,
      `Customer ${n}`,
      `c${n}@example.test`,
      "FR",
      null,
      null,
      0,
      null,
      null,
      "Europe/Paris",
      "EUR",
      "fr-FR"
    )
    subscriptions.values.push(
      benchTenant,
      subscriptionId,
      customerId,
      "vps-kvm",
      "vps",
      "vps-2g",
      "EUR",
      "monthly",
      "exclusive",
      "UTC",
      anchor,
      previous,
      anchor,
      renewal,
      "[]",
      1,
      "active",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      renewal - 30 * day,
      1
    )
    items.forEach(([kind, itemId, description, amount], position) => {
      lines.values.push(
        benchTenant,
        subscriptionId,
        position,
        kind,
        itemId,
        null,
        description,
        "monthly",
        1n,
        amount,
        amount,
        0n
      )
    })
  }
  return [customers, subscriptions, lines]
}

const insertSql = (table: Table, rows: number) =>
  `INSERT INTO ${table.name} (${table.columns.join(", ")}) VALUES ${Array(rows)
    .fill(`(${table.columns.map(() => "?").join(", ")})`)
    .join(", ")}`

/** `tables` cut into multi-row INSERTs of at most `rowsPer` rows: [sql, values] each. */
const statements = (tables: ReadonlyArray<Table>, rowsPer: number): Array<[string, Array<unknown>]> => {
  const out: Array<[string, Array<unknown>]> = []
  for (const table of tables) {
    const width = table.columns.length
    for (let start = 0; start < table.values.length; start += rowsPer * width) {
      const chunk = table.values.slice(start, start + rowsPer * width)
      out.push([insertSql(table, chunk.length / width), chunk])
    }
  }
  return out
}

const storeLayer = (database: BenchDatabase): Layer.Layer<Store> =>
  Layer.orDie(
    database.kind === "sqlite"
      ? SqliteStore.layer({ filename: database.filename, migrate: false })
      : MysqlStore.layer({ url: database.url, connectionLimit: 16 })
  )

const idsLayer = Layer.sync(Ids, () => {
  const ids = makeIdGenerator()
  return { next: (prefix = "id") => Effect.sync(() => ids.next(prefix)) }
})

/** The tenant (settings, tax rules) and `count` due subscriptions, written raw, 10,000 at a time. */
export const seedSubscriptions = async (database: BenchDatabase, count: number): Promise<void> => {
  await Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const store = yield* Store
        yield* store.tenants.put({
          id: benchTenant,
          name: "Bench hosting",
          settings: { billing: encodeBillingSettings(settings) }
        })
        yield* store.taxRules.replace(benchTenant, rules)
      }),
      storeLayer(database)
    )
  )
  const ids = makeIdGenerator()
  const rowsPer = database.kind === "sqlite" ? 100 : 2_000
  for (let from = 0; from < count; from += 10_000) {
    const tables = seedRows(from, Math.min(count, from + 10_000), () => ids.next("sub"))
    const batch = statements(tables, rowsPer)
    if (database.kind === "sqlite") {
      const { connection } = database
      connection.transaction(() => {
        for (const [sql, values] of batch) connection.prepare(sql).run(values)
      })()
    } else {
      for (const [sql, values] of batch) await database.pool.query(sql, values)
    }
  }
}

const expectInvoiced = (summary: BillingRunSummary, count: number) => {
  if (summary.invoiced !== count || summary.failures.length > 0) {
    throw new Error(`the billing run invoiced ${summary.invoiced} of ${count}: ${JSON.stringify(summary)}`)
  }
}

/** `runBilling` for the bench tenant in one process, `pageSize` subscriptions per page. */
export const engineWriter = (pageSize: number): RenewalWriter => ({
  description: `runBilling, ${pageSize.toLocaleString("en-US")} subscriptions per page`,
  prepare: seedSubscriptions,
  write: async (database, invoices) => {
    const summary = await Effect.runPromise(
      Effect.provide(
        runBilling({ tenantId: benchTenant, batchSize: pageSize }),
        Layer.merge(storeLayer(database), idsLayer)
      )
    )
    expectInvoiced(summary, invoices)
  }
})

/**
 * The run split into `billing_chunk` jobs of `chunkSize`, worked by `workers` workers in this process
 * (each on its own pooled connection), until no job is left.
 */
export const chunkedWriter = (chunkSize: number, workers: number): RenewalWriter => ({
  description: `billing_run in chunks of ${chunkSize.toLocaleString("en-US")}, ${workers} workers`,
  prepare: seedSubscriptions,
  write: async (database, invoices) => {
    const program = Effect.gen(function* () {
      const start = yield* planBillingRun({ tenantId: benchTenant, slot: today(), chunkSize })
      if (start._tag === "Billed") return start.summary.invoiced
      let invoiced = 0
      const handlers = {
        billing_chunk: (job: { readonly tenantId: string; readonly payload: unknown }) =>
          Effect.map(
            runBillingChunk(job.tenantId, job.payload as Parameters<typeof runBillingChunk>[1]),
            (summary) => {
              invoiced += summary.invoiced
            }
          )
      }
      yield* Effect.forEach(
        Array.from({ length: workers }, (_, i) => `bench-${i}`),
        (workerId) =>
          Effect.iterate(1, {
            while: (claimed) => claimed > 0,
            body: () => Effect.map(workOnce({ workerId, handlers, batchSize: 1 }), (round) => round.claimed)
          }),
        { concurrency: "unbounded", discard: true }
      )
      return invoiced
    })
    const invoiced = await Effect.runPromise(
      Effect.provide(program, Layer.merge(storeLayer(database), idsLayer))
    )
    if (invoiced !== invoices) throw new Error(`the chunked run invoiced ${invoiced} of ${invoices}`)
  }
})
