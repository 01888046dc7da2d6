import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { MrrMovement } from "./movement"
import { parseReportPeriod, periodMetrics } from "./period"
import { addMovement, emptyPeriodSummary, type PeriodSummary } from "./summary"

const noCohort = { lost: 0n, change: 0n, customersLost: 0 as const }
const movement = (
  day: string,
  kind: MrrMovement["kind"],
  units: bigint,
  payers: -1 | 0 | 1
): MrrMovement => ({
  kind,
  at: 0,
  day,
  month: day.slice(0, 7),
  subscriptionId: "s",
  customerId: "c",
  currency: "EUR",
  units,
  cause: "RevenueStarted",
  payers,
  cohort: { day: noCohort, month: noCohort }
})

const month = (period: string, ...movements: ReadonlyArray<MrrMovement>): PeriodSummary =>
  movements.reduce(addMovement, emptyPeriodSummary(period, "month"))

describe("report periods", () => {
  it("accepts existing days and months only", () => {
    expect(parseReportPeriod("2026-02")).toEqual(Either.right({ period: "2026-02", granularity: "month" }))
    expect(parseReportPeriod("2028-02-29")).toEqual(
      Either.right({ period: "2028-02-29", granularity: "day" })
    )
    for (const bad of ["2026-13", "2026-02-30", "2026-2", "26-02", "2026-02-01T00:00", ""]) {
      expect(Either.isLeft(parseReportPeriod(bad)), bad).toBe(true)
    }
    const refused = periodMetrics([], "2026-00")
    expect(Either.isLeft(refused) && refused.left._tag).toBe("InvalidReportPeriod")
  })
})

describe("period metrics", () => {
  const rows = [
    month("2026-01", movement("2026-01-03", "new", 720n, 1), movement("2026-01-09", "new", 360n, 1)),
    month("2026-03", movement("2026-03-05", "churned", 360n, -1))
  ]

  it("starts a period from the sum of the rows before it, and ignores later rows", () => {
    const february = Either.getOrThrow(periodMetrics(rows, "2026-02"))
    // No movement in February: the MRR and customers carry over; nothing is lost.
    expect(february.currencies).toMatchObject([
      { currency: "EUR", mrrStart: 1080n, mrrEnd: 1080n, payersStart: 2, payersEnd: 2 }
    ])
    expect(february.customers).toMatchObject({
      start: 2,
      end: 2,
      churnRate: { num: 0n, den: 1n },
      growthRate: { num: 0n, den: 1n }
    })
    const march = Either.getOrThrow(periodMetrics(rows, "2026-03"))
    expect(march.customers).toMatchObject({ start: 2, end: 1, churned: 1 })
    expect(march.currencies[0]).toMatchObject({ mrrEnd: 720n, payersEnd: 1 })
  })

  it("reads only rows of the period's granularity", () => {
    const day = emptyPeriodSummary("2026-01-03", "day")
    expect(Either.getOrThrow(periodMetrics([day, ...rows], "2026-01-03")).currencies).toEqual([])
  })

  it("refuses a movement added to another period's row (a defect)", () => {
    expect(() =>
      addMovement(emptyPeriodSummary("2026-02", "month"), movement("2026-01-03", "new", 1n, 1))
    ).toThrow(RangeError)
  })
})
