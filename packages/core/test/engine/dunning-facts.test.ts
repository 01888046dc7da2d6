/**
 * What the dunning run reads from the jobs already written (`dunningFacts`), and the late fee line
 * (`withLateFee`): pure functions, checked on their own.
 */

import { makeInvoice } from "@ezscale/testkit"
import { describe, expect, it } from "vitest"
import { defaultDunningPolicy, dunningFacts, type Job, type JobState, withLateFee } from "../../src"

const job = (dedupeKey: string, state: JobState): Job => ({
  id: `job-${dedupeKey}`,
  tenantId: "tenant-1",
  kind: "k",
  payload: null,
  runAt: 0,
  dedupeKey,
  state,
  attempts: state === "pending" ? 0 : 1,
  maxAttempts: 10
})

const facts = (jobs: ReadonlyArray<Job>, ignore?: string) =>
  dunningFacts("inv-1", defaultDunningPolicy, new Map(jobs.map((j) => [j.dedupeKey ?? "", j])), ignore)

describe("dunningFacts", () => {
  it("counts an attempt once its job is done, and holds the next while one is in flight", () => {
    expect(facts([])).toEqual({ attempts: 0, done: new Set(), attemptInFlight: false })
    expect(facts([job("collect:inv-1", "pending")])).toMatchObject({ attempts: 0, attemptInFlight: true })
    expect(facts([job("collect:inv-1", "done")])).toMatchObject({ attempts: 1, attemptInFlight: false })
    const second = [job("collect:inv-1", "done"), job("inv-1:retry:2", "running")]
    expect(facts(second)).toMatchObject({ attempts: 1, attemptInFlight: true })
    expect(facts(second).done).toEqual(new Set(["inv-1:retry:2"]))
    // The retry job asking about itself: not done to itself, and not in flight.
    expect(facts(second, "inv-1:retry:2")).toEqual({ attempts: 1, done: new Set(), attemptInFlight: false })
  })

  it("an attempt whose outcome is being reconciled is not made until the reconciliation is done", () => {
    const reconciling = [job("collect:inv-1", "done"), job("reconcile:collect:inv-1:1", "pending")]
    expect(facts(reconciling)).toMatchObject({ attempts: 0, attemptInFlight: true })
    const reconciled = [job("collect:inv-1", "done"), job("reconcile:collect:inv-1:1", "done")]
    expect(facts(reconciled)).toMatchObject({ attempts: 1, attemptInFlight: false })
  })

  it("an action is done once its job exists, whatever its state; other invoices' keys do not count", () => {
    const written = facts([
      job("inv-1:reminder:on-due", "done"),
      job("inv-1:suspend", "dead"),
      job("inv-1:late-fee", "pending"),
      job("inv-10:terminate", "done")
    ])
    expect(written.done).toEqual(new Set(["inv-1:reminder:on-due", "inv-1:suspend", "inv-1:late-fee"]))
  })
})

describe("withLateFee", () => {
  const invoice = makeInvoice({
    taxSummary: [{ kind: "exempt", note: "test", base: 1000n }]
  })

  it("adds one untaxed late_fee line; totals stay the sum of the lines, the untaxed base grows", () => {
    const charged = withLateFee(invoice, { amount: 250n, currency: "EUR" })
    expect(charged?.lines.map((l) => [l.kind, l.amount, l.net, l.tax, l.gross])).toEqual([
      ["plan", 1000n, 1000n, 0n, 1000n],
      ["late_fee", 250n, 250n, 0n, 250n]
    ])
    expect(charged?.totals).toEqual({ subtotal: 1250n, tax: 0n, total: 1250n, discount: 0n })
    expect(charged?.taxSummary).toEqual([
      { kind: "exempt", note: "test", base: 1000n },
      { kind: "none", note: undefined, base: 250n }
    ])
    expect(charged?.status).toBe("open")
  })

  it("refuses a second fee, another currency, a zero fee, or an invoice that is not open", () => {
    const charged = withLateFee(invoice, { amount: 250n, currency: "EUR" })
    expect(charged && withLateFee(charged, { amount: 250n, currency: "EUR" })).toBeUndefined()
    expect(withLateFee(invoice, { amount: 250n, currency: "USD" })).toBeUndefined()
    expect(withLateFee(invoice, { amount: 0n, currency: "EUR" })).toBeUndefined()
    expect(withLateFee({ ...invoice, status: "paid" }, { amount: 250n, currency: "EUR" })).toBeUndefined()
  })
})
