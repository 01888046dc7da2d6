/**
 * What must hold after a billing run and its collection, however often the workers were killed: read
 * from the database rows and from the counting gateway, returned as a list of problems (empty when all
 * holds) and the figures a test reports.
 */
import type { ChargeCount } from "./counting-gateway"
import type { EngineTestDatabase, Row } from "./database"
import { type SeededRun, tenantId } from "./seed"

export interface RunFigures {
  readonly invoices: number
  readonly paid: number
  readonly paidByCredit: number
  readonly open: number
  readonly charges: number
  /** Charge calls repeated with a key the gateway had seen (each after a worker died mid-collection). */
  readonly replays: number
  readonly jobs: Record<string, number>
}

const big = (value: unknown): bigint => BigInt(String(value ?? 0))
const str = (value: unknown): string => String(value ?? "")

const groupBy = <A>(rows: ReadonlyArray<A>, key: (row: A) => string): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [row])
    else group.push(row)
  }
  return groups
}

/** Each due subscription invoiced exactly once for its period, numbers without gaps; the invoices. */
export const checkInvoicing = async (
  db: EngineTestDatabase,
  seeded: SeededRun,
  problem: (text: string) => void
): Promise<Array<Row>> => {
  const t = [tenantId]
  // Exactly one renewal invoice per due subscription, for its period; subscriptions moved on.
  const subscriptions = await db.query(
    "SELECT id, invoiced_periods, next_renewal_at FROM subscriptions WHERE tenant_id = ?",
    t
  )
  const invoices = await db.query(
    "SELECT id, customer_id, subscription_id, kind, status, number, period_start, total_minor, credit_applied_minor, paid_minor FROM invoices WHERE tenant_id = ?",
    t
  )
  if (subscriptions.length !== seeded.count)
    problem(`${subscriptions.length} subscriptions, seeded ${seeded.count}`)
  const invoicesBySubscription = groupBy(invoices, (row) => str(row.subscription_id))
  for (const subscription of subscriptions) {
    const own = invoicesBySubscription.get(str(subscription.id)) ?? []
    if (own.length !== 1) problem(`subscription ${subscription.id}: ${own.length} invoices`)
    else if (str(own[0]?.period_start) !== seeded.periodStart)
      problem(`subscription ${subscription.id}: invoice for ${own[0]?.period_start}`)
    if (Number(subscription.invoiced_periods) !== 2)
      problem(`subscription ${subscription.id}: invoiced_periods ${subscription.invoiced_periods}`)
  }
  if (invoices.length !== seeded.count) problem(`${invoices.length} invoices for ${seeded.count} due`)
  // gapless numbers: 1..count, each once
  const numbers = invoices.map((row) => Number(str(row.number).split("-").at(-1))).sort((a, b) => a - b)
  if (numbers.some((value, i) => value !== i + 1))
    problem(`invoice numbers are not 1..${invoices.length} each once`)

  // each invoice has its collect job (dedupe key `collect:<invoice id>`), once
  const collects = await db.query(
    "SELECT dedupe_key, COUNT(*) AS c FROM jobs WHERE tenant_id = ? AND kind = 'collect' GROUP BY dedupe_key",
    t
  )
  const collectKeys = new Map(collects.map((row) => [str(row.dedupe_key), Number(row.c)]))
  for (const invoice of invoices) {
    if (collectKeys.get(`collect:${invoice.id}`) !== 1) problem(`invoice ${invoice.id} has no collect job`)
  }
  if (collects.length !== invoices.length)
    problem(`${collects.length} collect jobs for ${invoices.length} invoices`)
  return invoices
}

export const checkRun = async (
  db: EngineTestDatabase,
  seeded: SeededRun,
  charges: ReadonlyArray<ChargeCount>,
  options: {
    /** Replays the gateway may see: the kills times the collect jobs a worker runs at once. */
    readonly replaysAllowed: number
  }
): Promise<{ readonly problems: ReadonlyArray<string>; readonly figures: RunFigures }> => {
  const problems: Array<string> = []
  const problem = (text: string) => {
    if (problems.length < 50) problems.push(text)
  }
  const t = [tenantId]

  // Jobs: all done (none pending, running or dead); first, as a dead job tells why the rest went wrong.
  const jobs = await db.query("SELECT kind, state, dedupe_key, last_error FROM jobs WHERE tenant_id = ?", t)
  const jobFigures: Record<string, number> = {}
  for (const job of jobs) {
    const key = `${job.kind}:${job.state}`
    jobFigures[key] = (jobFigures[key] ?? 0) + 1
    if (job.state !== "done") problem(`job ${job.dedupe_key ?? job.kind} is ${job.state}: ${job.last_error}`)
  }

  const invoices = await checkInvoicing(db, seeded, problem)

  // The gateway: one key per invoice (its attempt 1), at most one success, replays only after crashes.
  const invoiceById = new Map(invoices.map((row) => [str(row.id), row]))
  const chargesByInvoice = groupBy(charges, (charge) => charge.invoiceId)
  let replays = 0
  for (const [invoiceId, own] of chargesByInvoice) {
    const invoice = invoiceById.get(invoiceId)
    if (invoice === undefined) problem(`gateway charged unknown invoice ${invoiceId}`)
    const keys = own.map((charge) => charge.key)
    if (keys.length !== 1 || keys[0] !== `collect:${invoiceId}:1`)
      problem(`invoice ${invoiceId}: gateway saw keys ${keys.join(", ")}`)
    if (own.filter((charge) => charge.status === "succeeded").length > 1)
      problem(`invoice ${invoiceId}: charged successfully more than once`)
    for (const charge of own) {
      replays += charge.calls - 1
      if (
        invoice !== undefined &&
        charge.amount !== big(invoice.total_minor) - big(invoice.credit_applied_minor)
      )
        problem(`invoice ${invoiceId}: charged ${charge.amount}, owed ${invoice.total_minor} - credit`)
    }
  }
  if (replays > options.replaysAllowed)
    problem(`${replays} charge replays, more than ${options.replaysAllowed} crashes could cause`)

  // Payments recorded once each, exactly as the gateway has them; invoice states follow.
  const payments = await db.query(
    "SELECT invoice_id, amount_minor, status, idempotency_key FROM payments WHERE tenant_id = ?",
    t
  )
  const chargeByKey = new Map(charges.map((charge) => [charge.key, charge]))
  const paymentsByInvoice = groupBy(payments, (row) => str(row.invoice_id))
  for (const payment of payments) {
    const charge = chargeByKey.get(str(payment.idempotency_key))
    if (charge === undefined) problem(`payment ${payment.idempotency_key} the gateway never saw`)
    else if (
      charge.amount !== big(payment.amount_minor) ||
      (charge.status === "succeeded") !== (payment.status === "succeeded")
    )
      problem(
        `payment ${payment.idempotency_key}: ${payment.status} ${payment.amount_minor}, gateway ${charge.status}`
      )
  }
  const paymentKeys = new Set(payments.map((row) => str(row.idempotency_key)))
  for (const charge of charges) {
    if (!paymentKeys.has(charge.key))
      problem(`gateway charge ${charge.key} (${charge.status}) never recorded`)
  }
  let paid = 0
  let paidByCredit = 0
  let open = 0
  const customerNumber = (row: Row) => Number(str(row.customer_id).slice("cus-".length))
  for (const invoice of invoices) {
    const own = paymentsByInvoice.get(str(invoice.id)) ?? []
    const total = big(invoice.total_minor)
    const credit = big(invoice.credit_applied_minor)
    const paidMinor = big(invoice.paid_minor)
    const declined = customerNumber(invoice) % 10 === 3
    if (invoice.status === "paid") {
      paid++
      if (credit + paidMinor !== total)
        problem(`invoice ${invoice.id}: paid ${paidMinor} + credit ${credit} != ${total}`)
      if (paidMinor === 0n) paidByCredit++
      const succeeded = own.filter((row) => row.status === "succeeded")
      if (succeeded.length !== (paidMinor === 0n ? 0 : 1) || own.length !== succeeded.length)
        problem(`invoice ${invoice.id} paid ${paidMinor} with ${own.length} payments`)
      if (declined) problem(`invoice ${invoice.id} paid with a declined card`)
    } else if (invoice.status === "open") {
      open++
      // a declined card: the attempt is recorded, the invoice waits for dunning
      if (!declined || own.length !== 1 || own[0]?.status !== "failed")
        problem(`invoice ${invoice.id} open with ${own.length} payments (declined card: ${declined})`)
    } else problem(`invoice ${invoice.id} is ${invoice.status}`)
  }

  // Account credit: the ledger adds up, never below zero, and each invoice took its credit once.
  const entries = await db.query(
    "SELECT id, customer_id, amount_minor, kind, invoice_id, balance_after_minor FROM ledger_entries WHERE tenant_id = ? ORDER BY customer_id, id",
    t
  )
  const balances = new Map(
    (await db.query("SELECT customer_id, balance_minor FROM account_balances WHERE tenant_id = ?", t)).map(
      (row) => [str(row.customer_id), big(row.balance_minor)]
    )
  )
  const entriesByCustomer = groupBy(entries, (row) => str(row.customer_id))
  for (const [customer, own] of entriesByCustomer) {
    let running = 0n
    for (const entry of own) {
      running += big(entry.amount_minor)
      if (running !== big(entry.balance_after_minor) || running < 0n)
        problem(
          `customer ${customer}: ledger entry ${entry.id} balance ${entry.balance_after_minor}, sum ${running}`
        )
    }
    if (balances.get(customer) !== running)
      problem(`customer ${customer}: balance ${balances.get(customer)}, entries sum to ${running}`)
    const added = own
      .filter((e) => e.kind === "credit_added")
      .reduce((sum, e) => sum + big(e.amount_minor), 0n)
    if (added !== (seeded.credits.get(customer) ?? 0n)) problem(`customer ${customer}: credit added ${added}`)
  }
  for (const customer of seeded.credits.keys()) {
    if (!entriesByCustomer.has(customer)) problem(`customer ${customer}: credit entries missing`)
  }
  const appliedByInvoice = groupBy(
    entries.filter((e) => e.kind === "credit_applied"),
    (e) => str(e.invoice_id)
  )
  for (const invoice of invoices) {
    const applied = appliedByInvoice.get(str(invoice.id)) ?? []
    const credit = seeded.credits.get(str(invoice.customer_id)) ?? 0n
    const expected = credit < big(invoice.total_minor) ? credit : big(invoice.total_minor)
    const sum = applied.reduce((total, e) => total - big(e.amount_minor), 0n)
    if (applied.length > 1 || sum !== expected || big(invoice.credit_applied_minor) !== expected)
      problem(
        `invoice ${invoice.id}: credit applied ${sum} in ${applied.length} entries, expected ${expected}`
      )
  }

  return {
    problems,
    figures: {
      invoices: invoices.length,
      paid,
      paidByCredit,
      open,
      charges: charges.length,
      replays,
      jobs: jobFigures
    }
  }
}
