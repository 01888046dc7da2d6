/**
 * What dunning has already done for an invoice, read from durable state: the outbox jobs written under
 * the action keys (`done`) and the payment attempts whose outcome is in (`attempts`). Both come from the
 * jobs' dedupe keys, so every process reading the store agrees on them, and a crash loses none:
 *
 * - an action is done once its job exists, whatever the job's state (a job written is an action taken;
 *   a dead one waits for staff, and is not written again);
 * - payment attempt 1 is the billing run's `collect:<invoice>` job, attempt n >= 2 dunning's
 *   `<invoice>:retry:<n>`. An attempt is made once its job is done and the reconciliation it may have
 *   started (`reconcile:collect:<invoice>:<n>`) is done too; `attempts` is the highest attempt made. An
 *   attempt whose job exists but is not made yet (pending, running, reconciling, dead) is in flight, and
 *   no further attempt is scheduled while it is: never two charges racing for one invoice.
 */

import { dunningKeys, ReminderKinds } from "../dunning/actions"
import type { DunningPolicy } from "../dunning/policy"
import type { Job } from "../ports/store/records"
import { collectionKey } from "./collection"

export interface DunningFacts {
  /** Payment attempts made (their outcome known), counting the collection on the due date as 1. */
  readonly attempts: number
  /** Keys of the dunning actions whose jobs were written. */
  readonly done: ReadonlySet<string>
  /** Some attempt was started and its outcome is not in yet. */
  readonly attemptInFlight: boolean
}

/** The outbox key of payment attempt `attempt`: the billing run's collect job, then dunning's retries. */
export const attemptJobKey = (invoiceId: string, attempt: number): string =>
  attempt === 1 ? `collect:${invoiceId}` : dunningKeys.retry(invoiceId, attempt)

const reconcileJobKey = (invoiceId: string, attempt: number): string =>
  `reconcile:${collectionKey(invoiceId, attempt)}`

/** Attempts the policy can make: the collection on the due date and one per retry day. */
const attemptCount = (policy: DunningPolicy): number => policy.retryDays.length + 1

/** Every key of a dunning action the policy can take for the invoice. */
export const dunningActionKeys = (invoiceId: string, policy: DunningPolicy): ReadonlyArray<string> => {
  const keys = ReminderKinds.map((reminder) => dunningKeys.reminder(invoiceId, reminder))
  keys.push(
    dunningKeys.lateFee(invoiceId),
    dunningKeys.suspend(invoiceId),
    dunningKeys.terminate(invoiceId),
    dunningKeys.cancelOrder(invoiceId),
    dunningKeys.unsuspend(invoiceId)
  )
  for (let attempt = 2; attempt <= attemptCount(policy); attempt++) {
    keys.push(dunningKeys.retry(invoiceId, attempt))
  }
  return keys
}

/** The dedupe keys to read for an invoice's facts: its action keys, attempt 1 and the reconciliations. */
export const dunningFactKeys = (invoiceId: string, policy: DunningPolicy): ReadonlyArray<string> => {
  const keys = [...dunningActionKeys(invoiceId, policy), attemptJobKey(invoiceId, 1)]
  for (let attempt = 1; attempt <= attemptCount(policy); attempt++) {
    keys.push(reconcileJobKey(invoiceId, attempt))
  }
  return keys
}

/**
 * The facts of one invoice from the jobs found under its keys (`jobs` by dedupe key; keys absent from it
 * have no job). `ignore` is a key to leave out: the job asking, which is not "done" to itself.
 */
export const dunningFacts = (
  invoiceId: string,
  policy: DunningPolicy,
  jobs: ReadonlyMap<string, Job>,
  ignore?: string
): DunningFacts => {
  const present = (key: string) => key !== ignore && jobs.has(key)
  const done = new Set(dunningActionKeys(invoiceId, policy).filter(present))
  let attempts = 0
  let attemptInFlight = false
  for (let attempt = 1; attempt <= attemptCount(policy); attempt++) {
    const job = jobs.get(attemptJobKey(invoiceId, attempt))
    if (job === undefined || attemptJobKey(invoiceId, attempt) === ignore) continue
    const reconcile = jobs.get(reconcileJobKey(invoiceId, attempt))
    if (job.state === "done" && (reconcile === undefined || reconcile.state === "done")) attempts = attempt
    else attemptInFlight = true
  }
  return { attempts, done, attemptInFlight }
}

/** Jobs by their dedupe key, for {@link dunningFacts}. */
export const jobsByKey = (jobs: ReadonlyArray<Job>): ReadonlyMap<string, Job> =>
  new Map(jobs.flatMap((job) => (job.dedupeKey === undefined ? [] : [[job.dedupeKey, job] as const])))
