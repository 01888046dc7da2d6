/**
 * `npm run bench:billing`: how fast renewals are written to the database — what a billing run writes
 * for each renewal is one invoice, its 3 lines and a `collect` job (`bench/billing/rows.ts`).
 *
 * billing.raw-limit: the raw limit, the same rows written with no engine logic, `BENCH_PER_TRANSACTION`
 * invoices per transaction (1,000) as multi-row INSERTs; `BENCH_INVOICES` invoices (100,000).
 * billing.raw-per-invoice: the same rows, one transaction per invoice (what a naive loop does);
 * `BENCH_NAIVE_INVOICES` invoices (2,000). Its `ratio` is against the raw limit.
 *
 * Each case runs on SQLite (a temp file) and on MariaDB: the server of `MYSQL_URL` when set, otherwise
 * a private `mariadbd` started for the run (skipped, with the reason printed, when neither exists).
 * Every measurement writes into a fresh migrated database, after a check run whose rows are counted
 * and verified. The engine's cases will print `limit_per_s` and `ratio` against `billing.raw-limit`
 * measured in this same run (`measureRawLimits`, then `measureCase(..., { limit })`).
 */
import { benchTargets } from "./billing/databases"
import { chunkedWriter, engineWriter } from "./billing/engine"
import { measureCase } from "./billing/figures"
import { measureRawLimits, rawWriter } from "./billing/raw"

const setting = (name: string, fallback: number): number => {
  const text = process.env[name]
  if (text === undefined || text === "") return fallback
  const value = Number(text.replaceAll("_", ""))
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer: ${text}`)
  return value
}

const invoices = setting("BENCH_INVOICES", 100_000)
const perTransaction = setting("BENCH_PER_TRANSACTION", 1_000)
const naiveInvoices = setting("BENCH_NAIVE_INVOICES", 2_000)
const engineInvoices = setting("BENCH_ENGINE_INVOICES", invoices)
const million = process.env.BENCH_MILLION === "1"
const millionInvoices = setting("BENCH_MILLION_INVOICES", 1_000_000)
const chunkSize = setting("BENCH_CHUNK", 10_000)
const workers = setting("BENCH_WORKERS", 4)
const only = process.env.BENCH_ONLY ?? ""

const { targets, skipped, stop } = await benchTargets()
try {
  const chosen = targets.filter((target) => only === "" || target.kind === only)
  const limits = await measureRawLimits(chosen, { invoices, perTransaction })
  for (const target of chosen) {
    const limit = limits.get(target.kind)
    if (naiveInvoices > 1) {
      await measureCase(
        "billing.raw-per-invoice",
        target,
        rawWriter(1),
        naiveInvoices,
        limit === undefined ? {} : { limit }
      )
    }
    await measureCase(
      "billing.engine-run",
      target,
      engineWriter(perTransaction),
      engineInvoices,
      limit === undefined ? {} : { limit }
    )
  }
  if (million) {
    for (const target of chosen.filter((t) => t.kind !== "sqlite")) {
      const limit = limits.get(target.kind)
      await measureCase(
        "billing.engine-million",
        target,
        chunkedWriter(chunkSize, workers),
        millionInvoices,
        limit === undefined ? {} : { limit }
      )
    }
  }
  for (const { kind, reason } of skipped) console.log(`  billing.* on ${kind}: skipped, ${reason}`)
} finally {
  await stop()
}
