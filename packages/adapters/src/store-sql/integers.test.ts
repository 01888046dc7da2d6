import { describe, expect, it } from "vitest"
import { bigintFromDriver, INT64_MAX, INT64_MIN, int64, safeIntegerFromDriver } from "./integers"

describe("integer column guards", () => {
  it("money passes over the whole signed 64-bit range and is refused beyond it", () => {
    expect(int64(INT64_MAX)).toBe(INT64_MAX)
    expect(int64(INT64_MIN)).toBe(INT64_MIN)
    expect(() => int64(INT64_MAX + 1n)).toThrow(RangeError)
    expect(() => int64(INT64_MIN - 1n)).toThrow(RangeError)
  })

  it("money read as digits (MySQL BIGINT) or bigint (SQLite safe integers) is exact", () => {
    expect(bigintFromDriver("9223372036854775807")).toBe(INT64_MAX)
    expect(bigintFromDriver("-9007199254740993")).toBe(-(2n ** 53n) - 1n)
    expect(bigintFromDriver(12n)).toBe(12n)
    expect(() => bigintFromDriver(2 ** 60)).toThrow(RangeError)
    expect(() => bigintFromDriver("12.5")).toThrow(RangeError)
  })

  it("instants read back as numbers only inside the safe-integer range", () => {
    expect(safeIntegerFromDriver("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER)
    expect(safeIntegerFromDriver(-9007199254740991n)).toBe(Number.MIN_SAFE_INTEGER)
    expect(() => safeIntegerFromDriver("9007199254740992")).toThrow(RangeError)
    expect(() => safeIntegerFromDriver(2n ** 53n)).toThrow(RangeError)
  })
})
