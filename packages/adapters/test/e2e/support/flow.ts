/**
 * The steps every e2e path shares, on either gateway: the billing run (a `billing_run` job on day -7),
 * the due date (the collect job), a dunning day (the scheduler's `dunning_run` job, then the jobs it
 * writes), and the check that the endpoint kept each delivered event once.
 */
import { type PaymentGatewayService, scheduleRecurring } from "@ezscale/core"
import { expect } from "vitest"
import { type InvoiceRow, invoices, jobs } from "./books"
import { due, enqueueBillingRun, type Harness, onDay, tenantId } from "./harness"

type AnyHarness = Harness<PaymentGatewayService>

/** The invoice the billing run made on day -7 (12.00 EUR, numbered), with its collect job for the due date. */
export const billed = async (h: AnyHarness): Promise<InvoiceRow> => {
  await h.run(enqueueBillingRun)
  expect((await h.work()).failures).toEqual([])
  const [invoice, ...others] = await invoices(h.db)
  expect(others).toEqual([])
  if (invoice === undefined) throw new Error("the billing run made no invoice")
  expect(invoice).toMatchObject({ status: "open", number: "INV-00001", total: 1200n, paid: 0n })
  expect(await jobs(h.db, "collect")).toEqual([
    { kind: "collect", state: "pending", dedupeKey: `collect:${invoice.id}`, lastError: null }
  ])
  return invoice
}

/** The due date: the collect job runs. */
export const collectOnDueDate = async (h: AnyHarness) => {
  h.clock.set(due)
  const done = await h.work()
  expect(done.failures).toEqual([])
  return done
}

/** Dunning day n: the scheduler's `dunning_run` job, then whatever it enqueued that is due. */
export const dunningOn = async (h: AnyHarness, day: number) => {
  h.clock.set(onDay(day))
  await h.run(scheduleRecurring(tenantId, { kind: "dunning_run", everyMs: 3_600_000 }))
  const done = await h.work()
  expect(done.failures).toEqual([])
  return done
}

/** Each delivery accepted; the first of each event new, every repeat a duplicate. The event ids seen. */
export const expectKeptOnce = (h: AnyHarness): ReadonlySet<string> => {
  expect(h.rejections).toEqual([])
  const seen = new Set<string>()
  for (const receipt of h.receipts) {
    expect(receipt.isNew, `${receipt.type} ${receipt.eventId}`).toBe(!seen.has(receipt.eventId))
    seen.add(receipt.eventId)
  }
  return seen
}
