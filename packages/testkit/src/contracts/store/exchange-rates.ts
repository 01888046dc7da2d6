import { describe, expect } from "@effect/vitest"
import { type ExchangeRate, InvalidDate, InvalidExchangeRate } from "@ezscale/core"
import { Effect, Option } from "effect"
import { fresh, type StoreIt } from "./support"

const usdEur = (date: string, num: bigint, den: bigint, source = "ECB"): ExchangeRate => ({
  from: "USD",
  to: "EUR",
  rate: { num, den },
  source,
  date
})

export const exchangeRateContract = (it: StoreIt) => {
  describe("exchange rates", () => {
    it.effect("latest finds the newest rate on or before a day, per pair and direction, exactly", () =>
      Effect.gen(function* () {
        const { store, tenantId, otherTenantId } = yield* fresh
        const dec31 = usdEur("2025-12-31", 9n, 10n)
        const jan02 = usdEur("2026-01-02", 92n, 100n)
        const jan05 = usdEur("2026-01-05", 10n ** 40n + 7n, 3n * 10n ** 39n, "manual")
        for (const rate of [jan05, dec31, jan02]) yield* store.exchangeRates.put(tenantId, rate)
        yield* store.exchangeRates.put(tenantId, {
          from: "EUR",
          to: "JPY",
          rate: { num: 16225n, den: 100n },
          source: "ECB",
          date: "2026-01-03"
        })
        const latest = (date: string) => store.exchangeRates.latest(tenantId, "USD", "EUR", date)
        expect(yield* latest("2025-12-30")).toEqual(Option.none())
        expect(yield* latest("2025-12-31")).toEqual(Option.some(dec31))
        expect(yield* latest("2026-01-01")).toEqual(Option.some(dec31))
        // kept as given: 92/100 is not reduced, the 41-digit numerator is exact
        expect(yield* latest("2026-01-04")).toEqual(Option.some(jan02))
        expect(yield* latest("2026-01-05")).toEqual(Option.some(jan05))
        expect(yield* latest("2099-12-31")).toEqual(Option.some(jan05))
        // no reverse derived, no other pair, no other tenant
        expect(yield* store.exchangeRates.latest(tenantId, "EUR", "USD", "2026-01-05")).toEqual(Option.none())
        expect(yield* store.exchangeRates.latest(tenantId, "USD", "JPY", "2026-01-05")).toEqual(Option.none())
        expect(yield* store.exchangeRates.latest(otherTenantId, "USD", "EUR", "2026-01-05")).toEqual(
          Option.none()
        )
        const jpy = yield* store.exchangeRates.latest(tenantId, "EUR", "JPY", "2026-01-03")
        expect(Option.map(jpy, (rate) => rate.rate)).toEqual(Option.some({ num: 16225n, den: 100n }))
      })
    )

    it.effect("one rate per pair and day: a second put replaces it, source included", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        yield* store.exchangeRates.put(tenantId, usdEur("2026-02-01", 9n, 10n))
        const corrected = usdEur("2026-02-01", 91n, 100n, "manual")
        yield* store.exchangeRates.put(tenantId, corrected)
        expect(yield* store.exchangeRates.latest(tenantId, "USD", "EUR", "2026-02-01")).toEqual(
          Option.some(corrected)
        )
      })
    )

    it.effect("a rate the store cannot keep is InvalidExchangeRate; a bad query day is InvalidDate", () =>
      Effect.gen(function* () {
        const { store, tenantId } = yield* fresh
        const good = usdEur("2026-03-01", 9n, 10n)
        yield* store.exchangeRates.put(tenantId, good)
        const refused: ReadonlyArray<ExchangeRate> = [
          { ...good, to: "USD" },
          { ...good, from: "XYZ" as ExchangeRate["from"] },
          { ...good, rate: { num: 0n, den: 1n } },
          { ...good, rate: { num: 1n, den: 0n } },
          { ...good, rate: { num: -9n, den: 10n } },
          { ...good, rate: { num: 10n ** 64n, den: 1n } },
          { ...good, date: "2026-02-30" },
          { ...good, date: "2026-3-1" },
          { ...good, source: " " }
        ]
        for (const rate of refused) {
          const error = yield* Effect.flip(store.exchangeRates.put(tenantId, rate))
          expect(error).toBeInstanceOf(InvalidExchangeRate)
        }
        expect(yield* store.exchangeRates.latest(tenantId, "USD", "EUR", "2026-12-31")).toEqual(
          Option.some(good)
        )
        const badDay = yield* Effect.flip(store.exchangeRates.latest(tenantId, "USD", "EUR", "2026-13-01"))
        expect(badDay).toBeInstanceOf(InvalidDate)
      })
    )
  })
}
