/**
 * A tenant's dunning policy: when the renewal invoice is made, when a failed payment is retried, which
 * reminders go out, whether a late fee is charged, and when an unpaid service is suspended, terminated
 * or (for an order) cancelled. Validated with `effect/Schema` because it comes from the admin panel.
 *
 * Every "days" field counts civil days in the customer's zone from the invoice's due date (see
 * `dunningDay`): day 1 is the day after the due date, at the same local time of day.
 */
import { Either, ParseResult, Schema } from "effect"
import { PercentRate } from "../invoicing/tax/rate-schema"
import {
  compareRatios,
  isCurrencyCode,
  type Ratio,
  type RoundingMode,
  RoundingModes,
  ratioOne
} from "../money"
import { InvalidDunningPolicy } from "./errors"

/** The longest delay a policy may name: ten years of days, far beyond any real dunning calendar. */
export const MAX_DUNNING_DAYS = 3650

const Days = (min: 0 | 1) =>
  Schema.Number.pipe(
    Schema.filter(
      (n) =>
        (Number.isInteger(n) && n >= min && n <= MAX_DUNNING_DAYS) ||
        `a whole number of days in ${min}..${MAX_DUNNING_DAYS}`
    )
  )

/** Days after the due date, in increasing order (each later than the one before). */
const IncreasingDays = (maxItems: number) =>
  Schema.Array(Days(1)).pipe(
    Schema.filter((days) => {
      if (days.length > maxItems) return `at most ${maxItems} entries`
      for (let i = 1; i < days.length; i++) {
        const previous = days[i - 1] ?? 0
        if ((days[i] ?? 0) <= previous) {
          return { path: [i], message: `must be later than the entry before it (${previous})` }
        }
      }
      return undefined
    })
  )

/** Currency -> fee in minor units; input carries the amounts as strings (`{ "EUR": "500" }`). */
const FeeAmounts = Schema.Record({
  key: Schema.String,
  value: Schema.BigInt.pipe(Schema.positiveBigInt({ message: () => "a positive number of minor units" }))
}).pipe(
  Schema.filter((amounts) => {
    const codes = Object.keys(amounts)
    if (codes.length === 0) return "at least one currency"
    const unknown = codes.find((code) => !isCurrencyCode(code))
    return unknown === undefined || { path: [unknown], message: "not an ISO 4217 currency the engine knows" }
  })
)

/** A late fee rate: above 0% and at most 100% of the balance (input `"5"` for 5%). */
const FeeRate = PercentRate.pipe(
  Schema.filter(
    (rate: Ratio) =>
      (rate.num > 0n && compareRatios(rate, ratioOne) <= 0) || "a percentage above 0 and at most 100"
  )
)

const Rounding = Schema.String.pipe(
  Schema.filter((mode): mode is RoundingMode => (RoundingModes as ReadonlyArray<string>).includes(mode), {
    identifier: "RoundingMode",
    message: () => `must be one of ${RoundingModes.join(", ")}`
  })
)

/**
 * A late fee, charged once per invoice on day `afterDays` after the due date: a fixed amount per
 * currency (an invoice in a currency with no amount gets no fee, and the plan says so), or a percentage
 * of the balance still owed that day, rounded once with the named mode.
 */
export const LateFee = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("fixed"), afterDays: Days(1), amounts: FeeAmounts }),
  Schema.Struct({ kind: Schema.Literal("percent"), afterDays: Days(1), rate: FeeRate, rounding: Rounding })
).annotations({ identifier: "LateFee" })
export type LateFee = typeof LateFee.Type

/** Which reminders go out: `beforeDueDays` before the due date, on it, and up to three once overdue. */
export const ReminderPolicy = Schema.Struct({
  beforeDueDays: Schema.optionalWith(Days(1), { exact: true }),
  onDue: Schema.Boolean,
  /** Days after the due date of the reminders `overdue-1`, `overdue-2`, `overdue-3`. */
  overdueDays: IncreasingDays(3)
})
export type ReminderPolicy = typeof ReminderPolicy.Type

const optionalDays = Schema.optionalWith(Days(1), { exact: true })

/** A tenant's dunning policy; see the module comment and docs/dunning.md. */
export const DunningPolicy = Schema.Struct({
  /** The renewal invoice is made this many days before it is due (0: on the due date). */
  invoiceLeadDays: Days(0),
  /** Days after the due date on which a failed payment is retried: attempt 2, 3, ... */
  retryDays: IncreasingDays(12),
  reminders: ReminderPolicy,
  lateFee: Schema.optionalWith(LateFee, { exact: true }),
  /** Days overdue after which the service is suspended for non-payment; never, when absent. */
  suspendAfterDays: optionalDays,
  /** Days overdue after which the suspended service is terminated; later than `suspendAfterDays`. */
  terminateAfterDays: optionalDays,
  /** Days after its due date after which an unpaid order (a `pending` service) is cancelled. */
  cancelPendingOrderAfterDays: optionalDays,
  /** Whether paying lifts a suspension; only ever a `non_payment` one, never `abuse` or `manual`. */
  unsuspendOnPayment: Schema.Boolean
}).pipe(
  Schema.annotations({ identifier: "DunningPolicy" }),
  Schema.filter((policy) => {
    if (policy.terminateAfterDays === undefined) return undefined
    if (policy.suspendAfterDays === undefined) {
      return {
        path: ["terminateAfterDays"],
        message: "needs suspendAfterDays: a service is suspended before it is terminated"
      }
    }
    return policy.terminateAfterDays > policy.suspendAfterDays
      ? undefined
      : {
          path: ["terminateAfterDays"],
          message: `must be more than suspendAfterDays (${policy.suspendAfterDays})`
        }
  })
)

export type DunningPolicy = typeof DunningPolicy.Type
/** A policy as the admin panel sends it (JSON): fee amounts in minor units and rates as strings. */
export type DunningPolicyInput = typeof DunningPolicy.Encoded

const decode = Schema.decodeUnknownEither(DunningPolicy)

/** Decodes a dunning policy from input (JSON); the error names the first field that is wrong and why. */
export const decodeDunningPolicy = (input: unknown): Either.Either<DunningPolicy, InvalidDunningPolicy> =>
  Either.mapLeft(decode(input), (error) => {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
    return new InvalidDunningPolicy({
      field: issue === undefined ? "" : issue.path.join("."),
      reason: issue === undefined ? "does not decode" : issue.message
    })
  })

/** A policy as input (JSON): amounts and rates as strings. */
export const encodeDunningPolicy = (policy: DunningPolicy): DunningPolicyInput =>
  Schema.encodeSync(DunningPolicy)(policy)

/**
 * The policy a tenant starts with: the renewal invoice 7 days ahead; retries on days 1, 3, 5 and 7;
 * reminders 3 days before, on the due date and on days 1, 3 and 7; suspension on day 10, termination on
 * day 30; unpaid orders cancelled on day 7; a payment lifts a non-payment suspension. No late fee
 * (where one is lawful, and how much, differs by country: the tenant opts in).
 */
export const defaultDunningPolicy: DunningPolicy = {
  invoiceLeadDays: 7,
  retryDays: [1, 3, 5, 7],
  reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
  suspendAfterDays: 10,
  terminateAfterDays: 30,
  cancelPendingOrderAfterDays: 7,
  unsuspendOnPayment: true
}
