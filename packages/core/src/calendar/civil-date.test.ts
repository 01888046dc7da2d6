import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  addDays,
  addMonthsClamped,
  type CivilDate,
  civilDate,
  compareDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  isLeapYear,
  monthsBetween,
  parseIsoDate,
  sameDate,
  toEpochDay
} from "./civil-date"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const MS_PER_DAY = 86_400_000

describe("isLeapYear / daysInMonth", () => {
  it("follows the Gregorian rules", () => {
    expect([2024, 2000, 1600, 2400].map(isLeapYear)).toEqual([true, true, true, true])
    expect([2023, 1900, 2100, 2200].map(isLeapYear)).toEqual([false, false, false, false])
  })

  it("knows every month's length", () => {
    expect(Array.from({ length: 12 }, (_, i) => daysInMonth(2023, i + 1))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    ])
    expect(daysInMonth(2024, 2)).toBe(29)
    expect(daysInMonth(1900, 2)).toBe(28)
    expect(daysInMonth(2000, 2)).toBe(29)
  })
})

describe("civilDate", () => {
  it("accepts real dates", () => {
    expect(civilDate(2024, 2, 29)).toEqual(Either.right(d(2024, 2, 29)))
    expect(civilDate(1, 1, 1)).toEqual(Either.right(d(1, 1, 1)))
    expect(civilDate(9999, 12, 31)).toEqual(Either.right(d(9999, 12, 31)))
  })

  it.each([
    [2023, 2, 29],
    [2024, 4, 31],
    [2024, 13, 1],
    [2024, 0, 1],
    [2024, 1, 0],
    [2024, 1, 1.5],
    [0, 1, 1],
    [10000, 1, 1],
    [Number.NaN, 1, 1]
  ])("refuses %d-%d-%d with InvalidDate", (year, month, day) => {
    const result = civilDate(year, month, day)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) expect(result.left._tag).toBe("InvalidDate")
  })
})

describe("addMonthsClamped", () => {
  it("clamps to the end of shorter months", () => {
    expect(addMonthsClamped(d(2026, 1, 31), 1)).toEqual(d(2026, 2, 28))
    expect(addMonthsClamped(d(2024, 1, 31), 1)).toEqual(d(2024, 2, 29))
    expect(addMonthsClamped(d(2026, 1, 31), 3)).toEqual(d(2026, 4, 30))
    expect(addMonthsClamped(d(2024, 2, 29), 12)).toEqual(d(2025, 2, 28))
    expect(addMonthsClamped(d(2024, 2, 29), 48)).toEqual(d(2028, 2, 29))
  })

  it("crosses years both ways", () => {
    expect(addMonthsClamped(d(2026, 11, 15), 3)).toEqual(d(2027, 2, 15))
    expect(addMonthsClamped(d(2026, 1, 31), -2)).toEqual(d(2025, 11, 30))
    expect(addMonthsClamped(d(2026, 3, 31), -1)).toEqual(d(2026, 2, 28))
    expect(addMonthsClamped(d(2026, 5, 10), 0)).toEqual(d(2026, 5, 10))
    expect(addMonthsClamped(d(2026, 1, 31), 36)).toEqual(d(2029, 1, 31))
  })
})

describe("monthsBetween", () => {
  it("counts calendar months, ignoring days", () => {
    expect(monthsBetween(d(2026, 1, 31), d(2026, 2, 1))).toBe(1)
    expect(monthsBetween(d(2026, 1, 31), d(2027, 1, 1))).toBe(12)
    expect(monthsBetween(d(2026, 3, 1), d(2025, 12, 31))).toBe(-3)
  })
})

describe("toEpochDay / fromEpochDay", () => {
  it("uses 1970-01-01 as day 0", () => {
    expect(toEpochDay(d(1970, 1, 1))).toBe(0)
    expect(toEpochDay(d(1969, 12, 31))).toBe(-1)
    expect(toEpochDay(d(2000, 3, 1))).toBe(11017)
    expect(fromEpochDay(0)).toEqual(d(1970, 1, 1))
    expect(fromEpochDay(19782)).toEqual(d(2024, 2, 29))
    expect(fromEpochDay(-719162)).toEqual(d(1, 1, 1))
    expect(fromEpochDay(2932896)).toEqual(d(9999, 12, 31))
  })

  it("round-trips every day of years 1..9999 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (day) => {
        const date = fromEpochDay(day)
        expect(toEpochDay(date)).toBe(day)
        expect(Either.isRight(civilDate(date.year, date.month, date.day))).toBe(true)
      }),
      { numRuns: 5000 }
    )
  })

  it("agrees with Date.UTC (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, rawDay) => {
          const day = Math.min(rawDay, daysInMonth(year, month))
          expect(toEpochDay(d(year, month, day)) * MS_PER_DAY).toBe(Date.UTC(year, month - 1, day))
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe("addDays / compareDates / sameDate / daysBetween", () => {
  it("adds days across months and leap days", () => {
    expect(addDays(d(2024, 2, 28), 1)).toEqual(d(2024, 2, 29))
    expect(addDays(d(2023, 2, 28), 1)).toEqual(d(2023, 3, 1))
    expect(addDays(d(2026, 1, 1), -1)).toEqual(d(2025, 12, 31))
  })

  it("orders dates", () => {
    expect(compareDates(d(2026, 1, 31), d(2026, 2, 1))).toBe(-1)
    expect(compareDates(d(2026, 2, 1), d(2026, 1, 31))).toBe(1)
    expect(compareDates(d(2025, 12, 31), d(2026, 1, 1))).toBe(-1)
    expect(compareDates(d(2026, 1, 1), d(2026, 1, 1))).toBe(0)
    expect(sameDate(d(2026, 1, 1), d(2026, 1, 1))).toBe(true)
    expect(sameDate(d(2026, 1, 1), d(2026, 1, 2))).toBe(false)
  })

  it("counts days between dates", () => {
    expect(daysBetween(d(2026, 1, 31), d(2026, 2, 1))).toBe(1)
    expect(daysBetween(d(2024, 1, 1), d(2025, 1, 1))).toBe(366)
    expect(daysBetween(d(2025, 1, 1), d(2024, 1, 1))).toBe(-366)
  })
})

describe("formatIsoDate / parseIsoDate", () => {
  it("formats with zero padding", () => {
    expect(formatIsoDate(d(2026, 1, 31))).toBe("2026-01-31")
    expect(formatIsoDate(d(987, 3, 4))).toBe("0987-03-04")
  })

  it("parses strict ISO dates", () => {
    expect(parseIsoDate("2026-01-31")).toEqual(Either.right(d(2026, 1, 31)))
    expect(parseIsoDate("2024-02-29")).toEqual(Either.right(d(2024, 2, 29)))
  })

  it.each([
    "2026-1-31",
    "2026-01-31T00:00:00Z",
    " 2026-01-31",
    "2023-02-29",
    "2026-13-01",
    "20260131",
    "",
    "0000-01-01"
  ])("refuses %j", (input) => {
    const result = parseIsoDate(input)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("InvalidDate")
      expect(result.left.input).toBe(input)
    }
  })

  it("round-trips (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (day) => {
        const date = fromEpochDay(day)
        expect(parseIsoDate(formatIsoDate(date))).toEqual(Either.right(date))
      })
    )
  })
})
