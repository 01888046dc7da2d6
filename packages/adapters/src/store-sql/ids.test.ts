import { describe, expect, it } from "vitest"
import { makeIdGenerator } from "./ids"

describe("store-made ids", () => {
  it("are prefix + 26 Crockford base32 characters, the first 10 being the millisecond", () => {
    const ids = makeIdGenerator(() => 1_800_000_000_000)
    const id = ids.next("job")
    expect(id).toMatch(/^job_[0-9A-HJKMNP-TV-Z]{26}$/)
    const time = [...id.slice(4, 14)].reduce(
      (n, c) => n * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(c),
      0
    )
    expect(time).toBe(1_800_000_000_000)
  })

  it("sort in creation order within one millisecond and when the clock goes back", () => {
    const clock = [5, 5, 5, 4, 4, 6, 6, 3]
    let i = 0
    const ids = makeIdGenerator(() => clock[Math.min(i++, clock.length - 1)] ?? 0)
    const made = Array.from({ length: 2000 }, () => ids.next("led"))
    expect([...made].sort()).toEqual(made)
    expect(new Set(made).size).toBe(made.length)
  })

  it("are time-ordered across milliseconds and unique across generators", () => {
    let now = 1_700_000_000_000
    const a = makeIdGenerator(() => now)
    const b = makeIdGenerator(() => now)
    const first = a.next("x")
    now += 1
    const second = b.next("x")
    expect(first < second).toBe(true)
    const many = new Set(Array.from({ length: 5000 }, (_, k) => (k % 2 === 0 ? a : b).next("x")))
    expect(many.size).toBe(5000)
  })

  it("refuse a clock that does not fit 48 bits", () => {
    expect(() => makeIdGenerator(() => 2 ** 48).next("x")).toThrow(RangeError)
    expect(() => makeIdGenerator(() => -1).next("x")).toThrow(RangeError)
  })
})
