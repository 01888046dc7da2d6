import { Either } from "effect"
import {
  type BillingCycle,
  type Coupon,
  type CurrencyCode,
  decodeCoupon,
  type ExchangeRate,
  type PricedItem,
  type ProductKind,
  percent,
  type RevenueSnapshot,
  ratio,
  revenueSnapshot,
  type Subscription,
  type SubscriptionStatus,
  type TaxDecision
} from "../../../src"

/** Noon UTC on a day (so the day is the same in every European zone). */
export const noon = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day, 12)

export const noTax: TaxDecision = { kind: "none" }

export const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr-vat", name: "TVA", rate: percent(20), compound: false }]
}

export const planItem = (itemId: string, cycle: BillingCycle, amount: bigint, setupFee = 0n): PricedItem => ({
  kind: "plan",
  itemId,
  description: itemId,
  cycle,
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee
})

/** A subscription record with one plan item (more via `items`). */
export const subscription = (input: {
  readonly id: string
  readonly customerId: string
  readonly planId: string
  readonly productKind?: ProductKind
  readonly currency: CurrencyCode
  readonly cycle: BillingCycle
  readonly amount: bigint
  readonly setupFee?: bigint
  readonly status?: SubscriptionStatus
  readonly invoicedPeriods?: number
  readonly items?: ReadonlyArray<PricedItem>
  /** Ids of the coupons redeemed on it. */
  readonly couponIds?: ReadonlyArray<string>
}): Subscription => ({
  id: input.id,
  tenantId: "ten_1",
  customerId: input.customerId,
  productId: input.productKind === "game_server" ? "game" : "vps",
  productKind: input.productKind ?? "vps",
  planId: input.planId,
  currency: input.currency,
  cycle: input.cycle,
  pricing: "exclusive",
  items: input.items ?? [planItem(input.planId, input.cycle, input.amount, input.setupFee ?? 0n)],
  timeZone: "Europe/Berlin",
  anchor: { year: 2026, month: 1, day: 1 },
  coupons: (input.couponIds ?? []).map((couponId) => ({ couponId, redeemedAt: 0 })),
  invoicedPeriods: input.invoicedPeriods ?? 1,
  lifecycle: {
    status: input.status ?? "active",
    suspension: undefined,
    cancellation: undefined,
    trialEndsAt: undefined
  },
  createdAt: 0
})

export const coupon = (input: Record<string, unknown>): Coupon =>
  Either.getOrThrow(decodeCoupon({ stackable: false, ...input }))

/** The subscription's revenue snapshot, with its coupons, rounding half-even as its invoices do. */
export const snapshotOf = (sub: Subscription, coupons: ReadonlyArray<Coupon> = []): RevenueSnapshot =>
  Either.getOrThrow(revenueSnapshot({ subscription: sub, coupons, tax: noTax, rounding: "half-even" }))

export const rate = (from: CurrencyCode, to: CurrencyCode, value: string, date: string): ExchangeRate => {
  const [whole, fraction = ""] = value.split(".")
  return {
    from,
    to,
    rate: ratio(BigInt(`${whole}${fraction}`), 10n ** BigInt(fraction.length)),
    source: "ECB",
    date
  }
}
