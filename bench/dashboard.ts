/**
 * `npm run bench:dashboard`: how fast the admin dashboard's MRR, ARR and churn are answered for a tenant
 * with 1,000,000 subscriptions, read through the store port (`store.revenue.totals` / `summaries`, see
 * docs/metrics.md) — the point of keeping summary rows. Limit: 10 ms per answer.
 *
 * The revenue store is filled directly (batched INSERTs, not 1M engine calls) with what the engine would
 * have written for `DASHBOARD_SUBSCRIPTIONS` (1,000,000) subscriptions: a seeded history over three years
 * (one subscription per customer, three currencies, about 20% churned later), folded into its day and
 * month summary rows and totals exactly as `summaryIncrement` / `totalsIncrement` define them. Before
 * timing, the figures read are checked against the same history counted directly (MRR per currency,
 * paying customers, the month's customer churn rate).
 *
 * Cases, on SQLite and on MariaDB (the bench's own server, as `bench:billing` starts it):
 * dashboard.mrr (the totals -> MRR per currency), dashboard.arr (the totals -> ARR), dashboard.churn
 * (the month summaries up to the current month -> `periodMetrics` -> customer and revenue churn), and
 * dashboard.page (all three as one page load: the totals and the month summaries read once each).
 * `DASHBOARD_READS` (500) timed reads each, after 50 untimed; median and p99 in ms.
 */
import { loadavg } from "node:os"
import { pathToFileURL } from "node:url"
import { MysqlStore } from "@ezscale/adapters/store-mysql"
import { SqliteStore } from "@ezscale/adapters/store-sqlite"
import {
  arrMoney,
  type CurrencyCode,
  MRR_UNITS_PER_MINOR,
  mrrMoney,
  type PeriodSummary,
  periodMetrics,
  type RevenueTotals,
  ratePercent,
  Store
} from "@ezscale/core"
import { Effect, Either, Layer } from "effect"
import { type BenchDatabase, benchTargets } from "./billing/databases"

const tenantId = "tenant-dashboard"
const currencies: ReadonlyArray<CurrencyCode> = ["EUR", "GBP", "USD"]
/** Monthly prices (minor units) the history's subscriptions pay. */
const prices = [500n, 990n, 1900n, 4900n, 12900n]
/** The history: 36 months of days, the last month being the one the dashboard shows. */
const firstDay = Date.UTC(2023, 6, 1)
const lastDay = Date.UTC(2026, 5, 30)
const days = (lastDay - firstDay) / 86_400_000 + 1
const currentMonth = "2026-06"

/** Seeded (mulberry32), so every run fills the same history. */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const isoDay = (index: number) => new Date(firstDay + index * 86_400_000).toISOString().slice(0, 10)

interface SummaryAccumulator {
  newUnits: bigint
  churnedUnits: bigint
  payersGained: number
  payersLost: number
  cohortLostUnits: bigint
  customersNew: number
  customersChurned: number
  cohortCustomersLost: number
}

/** What the dashboard should show for the history, counted directly. */
interface Expected {
  readonly mrr: Map<CurrencyCode, bigint>
  readonly payers: Map<CurrencyCode, number>
  readonly payingCustomers: number
  /** Customers paying when the current month began, and those of them who churned in it. */
  readonly monthStart: number
  readonly monthLost: number
}

interface History {
  readonly rows: Map<string, SummaryAccumulator>
  readonly expected: Expected
}

/** The day and month summary rows of `subscriptions` seeded subscriptions, and the expected figures. */
export const dashboardHistory = (subscriptions: number, seed = 1_000_000): History => {
  const next = random(seed)
  const rows = new Map<string, SummaryAccumulator>()
  const row = (granularity: "day" | "month", period: string, currency: CurrencyCode) => {
    const key = `${granularity}|${period}|${currency}`
    let found = rows.get(key)
    if (found === undefined) {
      found = {
        newUnits: 0n,
        churnedUnits: 0n,
        payersGained: 0,
        payersLost: 0,
        cohortLostUnits: 0n,
        customersNew: 0,
        customersChurned: 0,
        cohortCustomersLost: 0
      }
      rows.set(key, found)
    }
    return found
  }
  const mrr = new Map<CurrencyCode, bigint>()
  const payers = new Map<CurrencyCode, number>()
  let payingCustomers = 0
  let monthStart = 0
  let monthLost = 0
  const currentMonthStart = Date.UTC(2026, 5, 1)
  for (let i = 0; i < subscriptions; i++) {
    const pick = next()
    const currency: CurrencyCode = pick < 0.6 ? "EUR" : pick < 0.9 ? "USD" : "GBP"
    const units = (prices[Math.floor(next() * prices.length)] as bigint) * MRR_UNITS_PER_MINOR
    const start = Math.floor(next() * days)
    const churn = next() < 0.2 && start < days - 1 ? start + 1 + Math.floor(next() * (days - 1 - start)) : -1
    const startDay = isoDay(start)
    for (const [granularity, period] of [
      ["day", startDay],
      ["month", startDay.slice(0, 7)]
    ] as const) {
      const r = row(granularity, period, currency)
      r.newUnits += units
      r.payersGained += 1
      r.customersNew += 1
    }
    const startedBeforeMonth = firstDay + start * 86_400_000 < currentMonthStart
    if (churn === -1) {
      mrr.set(currency, (mrr.get(currency) ?? 0n) + units)
      payers.set(currency, (payers.get(currency) ?? 0) + 1)
      payingCustomers++
      if (startedBeforeMonth) monthStart++
      continue
    }
    const churnDay = isoDay(churn)
    const churnedBeforeMonth = firstDay + churn * 86_400_000 < currentMonthStart
    if (startedBeforeMonth && !churnedBeforeMonth) {
      monthStart++
      monthLost++
    }
    for (const [granularity, period, paidAtStart] of [
      ["day", churnDay, startDay < churnDay],
      ["month", churnDay.slice(0, 7), startDay.slice(0, 7) < churnDay.slice(0, 7)]
    ] as const) {
      const r = row(granularity, period, currency)
      r.churnedUnits += units
      r.payersLost += 1
      r.customersChurned += 1
      // a customer paying when the period began and gone by its end is the period's cohort's loss
      if (paidAtStart) {
        r.cohortLostUnits += units
        r.cohortCustomersLost += 1
      }
    }
  }
  return { rows, expected: { mrr, payers, payingCustomers, monthStart, monthLost } }
}

const summaryColumns = [
  "tenant_id",
  "granularity",
  "period",
  "currency",
  "new_units",
  "expansion_units",
  "contraction_units",
  "churned_units",
  "reactivation_units",
  "payers_gained",
  "payers_lost",
  "cohort_lost_units",
  "cohort_change_units",
  "customers_new",
  "customers_reactivated",
  "customers_churned",
  "cohort_customers_lost"
]

const summaryValues = (key: string, r: SummaryAccumulator): Array<string | bigint | number> => {
  const [granularity, period, currency] = key.split("|") as [string, string, string]
  return [
    tenantId,
    granularity,
    period,
    currency,
    r.newUnits,
    0n,
    0n,
    r.churnedUnits,
    0n,
    r.payersGained,
    r.payersLost,
    r.cohortLostUnits,
    -r.cohortLostUnits,
    r.customersNew,
    0,
    r.customersChurned,
    r.cohortCustomersLost
  ]
}

/** Writes the history's summary rows and totals into the revenue tables, batched. */
const fill = async (database: BenchDatabase, history: History): Promise<number> => {
  const summaries = [...history.rows.entries()].map(([key, r]) => summaryValues(key, r))
  const totals = currencies
    .filter((currency) => history.expected.mrr.has(currency))
    .map((currency) => [
      tenantId,
      currency,
      history.expected.mrr.get(currency) ?? 0n,
      history.expected.payers.get(currency) ?? 0
    ])
  const tenantTotals = [[tenantId, history.expected.payingCustomers]]
  const tables: ReadonlyArray<
    readonly [string, ReadonlyArray<string>, ReadonlyArray<ReadonlyArray<unknown>>]
  > = [
    ["revenue_summaries", summaryColumns, summaries],
    ["revenue_totals", ["tenant_id", "currency", "mrr_units", "payers"], totals],
    ["revenue_tenant_totals", ["tenant_id", "paying_customers"], tenantTotals]
  ]
  for (const [table, columns, values] of tables) {
    for (let offset = 0; offset < values.length; offset += 500) {
      const batch = values.slice(offset, offset + 500)
      const placeholders = batch.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ")
      const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders}`
      const params = batch.flat()
      if (database.kind === "sqlite") database.connection.prepare(sql).run(...params)
      else
        await database.pool.query(
          sql,
          params.map((v) => (typeof v === "bigint" ? v.toString() : v))
        )
    }
  }
  return summaries.length
}

interface Answers {
  readonly mrr: ReadonlyArray<string>
  readonly arr: ReadonlyArray<string>
  readonly churn: string
}

const mrrOf = (totals: RevenueTotals) =>
  (Object.entries(totals.mrr) as Array<[CurrencyCode, bigint]>).map(
    ([currency, units]) => `${mrrMoney(units, currency, "half-even").amount} ${currency}`
  )
const arrOf = (totals: RevenueTotals) =>
  (Object.entries(totals.mrr) as Array<[CurrencyCode, bigint]>).map(
    ([currency, units]) => `${arrMoney(units, currency, "half-even").amount} ${currency}`
  )
const churnOf = (summaries: ReadonlyArray<PeriodSummary>) => {
  const metrics = Either.getOrThrow(periodMetrics(summaries, currentMonth))
  const rate = metrics.customers.churnRate
  return rate === undefined ? "none" : `${rate.num}/${rate.den} (${ratePercent(rate, 2, "half-even")}%)`
}
const totals = Effect.flatMap(Store, (store) => store.revenue.totals(tenantId))
const monthSummaries = Effect.flatMap(Store, (store) =>
  store.revenue.summaries(tenantId, "month", "0000-01", currentMonth)
)
const readMrr = Effect.map(totals, mrrOf)
const readArr = Effect.map(totals, arrOf)
const readChurn = Effect.map(monthSummaries, churnOf)
/** A dashboard page: the totals once (MRR and ARR), the month summaries once (churn). */
const readPage = Effect.map(
  Effect.all([totals, monthSummaries]),
  ([t, summaries]): Answers => ({ mrr: mrrOf(t), arr: arrOf(t), churn: churnOf(summaries) })
)

/** Checks what the store answers against the history counted directly. */
const check = (answers: Answers, expected: Expected) => {
  const wantMrr = currencies
    .filter((c) => expected.mrr.has(c))
    .map((c) => `${mrrMoney(expected.mrr.get(c) ?? 0n, c, "half-even").amount} ${c}`)
  const wantArr = currencies
    .filter((c) => expected.mrr.has(c))
    .map((c) => `${arrMoney(expected.mrr.get(c) ?? 0n, c, "half-even").amount} ${c}`)
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b))
  const divisor = gcd(BigInt(expected.monthLost), BigInt(expected.monthStart))
  const wantChurn = `${BigInt(expected.monthLost) / divisor}/${BigInt(expected.monthStart) / divisor}`
  const problems = [
    JSON.stringify(answers.mrr) === JSON.stringify(wantMrr) ? "" : `MRR ${answers.mrr} != ${wantMrr}`,
    JSON.stringify(answers.arr) === JSON.stringify(wantArr) ? "" : `ARR ${answers.arr} != ${wantArr}`,
    answers.churn.startsWith(`${wantChurn} `) ? "" : `churn ${answers.churn} != ${wantChurn}`
  ].filter((p) => p !== "")
  if (problems.length > 0) throw new Error(`dashboard answers wrong: ${problems.join("; ")}`)
}

export interface DashboardFigure {
  readonly name: string
  readonly db: string
  readonly ms_median: number
  readonly ms_p99: number
  readonly limit_ms: number
  readonly reads: number
  readonly subscriptions: number
  readonly summary_rows: number
  /** The machine's 1-minute load average when the case ended (other processes slow every figure). */
  readonly load_1m: number
}

const timeReads = <A>(
  read: Effect.Effect<A, unknown, Store>,
  reads: number
): Effect.Effect<{ readonly median: number; readonly p99: number }, unknown, Store> =>
  Effect.gen(function* () {
    for (let i = 0; i < 50; i++) yield* read
    const times: Array<number> = []
    for (let i = 0; i < reads; i++) {
      const started = process.hrtime.bigint()
      yield* read
      times.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    times.sort((a, b) => a - b)
    const at = (q: number) =>
      Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 1000) / 1000
    return { median: at(0.5), p99: at(0.99) }
  })

/** Fills every bench database with the history, checks the answers, times them; one BENCH line each. */
export const benchDashboard = async (
  options: { readonly subscriptions?: number; readonly reads?: number } = {}
): Promise<Array<DashboardFigure>> => {
  const subscriptions = options.subscriptions ?? 1_000_000
  const reads = options.reads ?? 500
  const history = dashboardHistory(subscriptions)
  const figures: Array<DashboardFigure> = []
  const { targets, skipped, stop } = await benchTargets()
  try {
    for (const target of targets) {
      const database = await target.fresh()
      try {
        const summaryRows = await fill(database, history)
        const layer: Layer.Layer<Store> = Layer.orDie(
          database.kind === "sqlite"
            ? SqliteStore.layer({ filename: database.filename, migrate: false })
            : MysqlStore.layer({ url: database.url })
        )
        const cases = [
          ["dashboard.mrr", readMrr],
          ["dashboard.arr", readArr],
          ["dashboard.churn", readChurn],
          ["dashboard.page", readPage]
        ] as const
        await Effect.runPromise(
          Effect.provide(
            Effect.gen(function* () {
              check(yield* readPage, history.expected)
              for (const [name, read] of cases) {
                const { median, p99 } = yield* timeReads(
                  read as Effect.Effect<unknown, unknown, Store>,
                  reads
                )
                const figure: DashboardFigure = {
                  name,
                  db: target.kind,
                  ms_median: median,
                  ms_p99: p99,
                  limit_ms: 10,
                  reads,
                  subscriptions,
                  summary_rows: summaryRows,
                  load_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100
                }
                figures.push(figure)
                console.log(`BENCH ${JSON.stringify(figure)}`)
                console.log(
                  `  ${name} on ${target.description}: median ${median} ms, p99 ${p99} ms (limit 10 ms)${p99 > 10 ? " OVER THE LIMIT" : ""}`
                )
              }
            }),
            layer
          )
        )
      } finally {
        await database.close()
      }
    }
    for (const { kind, reason } of skipped) console.log(`  dashboard.* on ${kind}: skipped, ${reason}`)
  } finally {
    await stop()
  }
  return figures
}

const setting = (name: string, fallback: number): number => {
  const text = process.env[name]
  if (text === undefined || text === "") return fallback
  const value = Number(text.replaceAll("_", ""))
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer: ${text}`)
  return value
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchDashboard({
    subscriptions: setting("DASHBOARD_SUBSCRIPTIONS", 1_000_000),
    reads: setting("DASHBOARD_READS", 500)
  })
}
