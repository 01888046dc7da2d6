import type { Invoice } from "../invoicing/invoice/document"
import { dunningKeys, type ReminderKind, type SendReminder } from "./actions"
import { dunningDay } from "./days"
import type { DunningPolicy } from "./policy"

/** The reminders the policy sends for an invoice, in time order, with their instants. */
export const reminderTimes = (
  dueAt: number,
  policy: DunningPolicy["reminders"],
  zone: string
): ReadonlyArray<{ readonly reminder: ReminderKind; readonly at: number }> => {
  const times: Array<{ reminder: ReminderKind; at: number }> = []
  if (policy.beforeDueDays !== undefined) {
    times.push({ reminder: "before-due", at: dunningDay(dueAt, -policy.beforeDueDays, zone) })
  }
  if (policy.onDue) times.push({ reminder: "on-due", at: dueAt })
  const overdue: ReadonlyArray<ReminderKind> = ["overdue-1", "overdue-2", "overdue-3"]
  policy.overdueDays.forEach((days, index) => {
    const reminder = overdue[index]
    if (reminder !== undefined) times.push({ reminder, at: dunningDay(dueAt, days, zone) })
  })
  return times
}

/**
 * The reminders of an open, owed invoice still to send: the latest one whose time has come (an older one
 * that was missed is superseded, never sent late on top of it) and the ones after `now`. A reminder
 * already sent, or followed by one already sent, is never returned.
 */
export const reminderSchedule = (
  invoice: Invoice,
  input: {
    readonly policy: DunningPolicy
    readonly done: ReadonlySet<string>
    readonly now: number
    readonly zone: string
  }
): ReadonlyArray<SendReminder> => {
  const reminders: ReadonlyArray<SendReminder> = reminderTimes(
    invoice.dueAt,
    input.policy.reminders,
    input.zone
  ).map(({ reminder, at }) => ({
    _tag: "SendReminder",
    key: dunningKeys.reminder(invoice.id, reminder),
    at,
    invoiceId: invoice.id,
    reminder
  }))
  let lastSent = -1
  let lastDue = -1
  reminders.forEach((action, index) => {
    if (input.done.has(action.key)) lastSent = index
    if (action.at <= input.now) lastDue = index
  })
  return reminders.filter((action, index) => index > lastSent && (index === lastDue || action.at > input.now))
}
