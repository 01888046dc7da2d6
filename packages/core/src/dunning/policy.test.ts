import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeDunningPolicy, defaultDunningPolicy, encodeDunningPolicy } from "./policy"

const base = encodeDunningPolicy(defaultDunningPolicy)

const failure = (input: unknown) => {
  const result = decodeDunningPolicy(input)
  if (Either.isRight(result)) throw new Error("expected the policy to be refused")
  return result.left
}

describe("decodeDunningPolicy", () => {
  it("decodes the default policy from its own encoding", () => {
    expect(base).toEqual({
      invoiceLeadDays: 7,
      retryDays: [1, 3, 5, 7],
      reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
      suspendAfterDays: 10,
      terminateAfterDays: 30,
      cancelPendingOrderAfterDays: 7,
      unsuspendOnPayment: true
    })
    expect(decodeDunningPolicy(JSON.parse(JSON.stringify(base)))).toEqual(Either.right(defaultDunningPolicy))
  })

  it("decodes fixed late fees per currency (minor units as strings) and percent ones with a rounding mode", () => {
    const fixed = decodeDunningPolicy({
      ...base,
      lateFee: { kind: "fixed", afterDays: 5, amounts: { EUR: "500", JPY: "700" } }
    })
    expect(Either.map(fixed, (p) => p.lateFee)).toEqual(
      Either.right({ kind: "fixed", afterDays: 5, amounts: { EUR: 500n, JPY: 700n } })
    )
    const percent = decodeDunningPolicy({
      ...base,
      lateFee: { kind: "percent", afterDays: 5, rate: "2.5", rounding: "half-up" }
    })
    expect(Either.map(percent, (p) => p.lateFee)).toEqual(
      Either.right({ kind: "percent", afterDays: 5, rate: { num: 1n, den: 40n }, rounding: "half-up" })
    )
    // Round trip: the encoded policy decodes to the same value.
    const decoded = Either.getOrThrow(percent)
    expect(decodeDunningPolicy(encodeDunningPolicy(decoded))).toEqual(Either.right(decoded))
  })

  it("accepts a policy that never suspends, never terminates and sends no reminder", () => {
    const { suspendAfterDays: _s, terminateAfterDays: _t, cancelPendingOrderAfterDays: _c, ...rest } = base
    const result = decodeDunningPolicy({
      ...rest,
      retryDays: [],
      reminders: { onDue: false, overdueDays: [] }
    })
    expect(Either.isRight(result)).toBe(true)
  })

  it.each([
    [{ retryDays: [1, 3, 3] }, "retryDays.2", "must be later than the entry before it (3)"],
    [{ retryDays: [1, 2.5] }, "retryDays.1", "a whole number of days in 1..3650"],
    [{ retryDays: [0, 2] }, "retryDays.0", "a whole number of days in 1..3650"],
    [{ invoiceLeadDays: -1 }, "invoiceLeadDays", "a whole number of days in 0..3650"],
    [{ suspendAfterDays: 4000 }, "suspendAfterDays", "a whole number of days in 1..3650"],
    [{ terminateAfterDays: 10 }, "terminateAfterDays", "must be more than suspendAfterDays (10)"],
    [{ terminateAfterDays: 5 }, "terminateAfterDays", "must be more than suspendAfterDays (10)"],
    [{ reminders: { onDue: true, overdueDays: [1, 2, 3, 4] } }, "reminders.overdueDays", "at most 3 entries"],
    [{ reminders: { onDue: "yes", overdueDays: [] } }, "reminders.onDue", 'Expected boolean, actual "yes"'],
    [
      { lateFee: { kind: "percent", afterDays: 3, rate: "150", rounding: "half-up" } },
      "lateFee.rate",
      "a percentage above 0 and at most 100"
    ],
    [
      { lateFee: { kind: "percent", afterDays: 3, rate: "0", rounding: "half-up" } },
      "lateFee.rate",
      "a percentage above 0 and at most 100"
    ],
    [
      { lateFee: { kind: "percent", afterDays: 3, rate: "5", rounding: "nearest" } },
      "lateFee.rounding",
      "must be one of half-even, half-up, down, up"
    ],
    [
      { lateFee: { kind: "fixed", afterDays: 3, amounts: { EUR: "500", XXX: "1" } } },
      "lateFee.amounts.XXX",
      "not an ISO 4217 currency the engine knows"
    ],
    [
      { lateFee: { kind: "fixed", afterDays: 3, amounts: { EUR: "0" } } },
      "lateFee.amounts.EUR",
      "a positive number of minor units"
    ],
    [{ lateFee: { kind: "fixed", afterDays: 3, amounts: {} } }, "lateFee.amounts", "at least one currency"],
    [
      { lateFee: { kind: "fixed", afterDays: 0, amounts: { EUR: "5" } } },
      "lateFee.afterDays",
      "a whole number of days in 1..3650"
    ],
    [{ lateFee: "5%" }, "lateFee", 'Expected LateFee, actual "5%"']
  ])("refuses %j naming the field", (overrides, field, reason) => {
    const error = failure({ ...base, ...overrides })
    expect(error._tag).toBe("InvalidDunningPolicy")
    expect({ field: error.field, reason: error.reason }).toEqual({ field, reason })
    expect(error.message).toBe(`Invalid dunning policy: ${field}: ${reason}`)
  })

  it("refuses a termination without a suspension, and a missing field", () => {
    const { suspendAfterDays: _s, ...noSuspension } = base
    expect(failure(noSuspension).field).toBe("terminateAfterDays")
    expect(failure(noSuspension).reason).toBe(
      "needs suspendAfterDays: a service is suspended before it is terminated"
    )
    const { unsuspendOnPayment: _u, ...noUnsuspend } = base
    expect([failure(noUnsuspend).field, failure(noUnsuspend).reason]).toEqual([
      "unsuspendOnPayment",
      "is missing"
    ])
  })

  it("refuses input that is not a policy at all, without naming a field", () => {
    const error = failure("nope")
    expect(error.field).toBe("")
    expect(error.message).toBe('Invalid dunning policy: Expected DunningPolicy, actual "nope"')
  })
})
