/**
 * What the proration scenarios share: the tenant's tax rules (a German seller registered for OSS), the
 * customers, priced items, and a change quoted as the engine will quote it, from a frozen "now".
 */
import { Either } from "effect"
import {
  type BillingCycle,
  type ChangeInput,
  type ChangeQuote,
  type CivilDate,
  decodeTaxRules,
  determineTax,
  type ImmediateChangeQuote,
  type PricedItem,
  parseIsoDate,
  quoteChange,
  type ScheduledChangeQuote,
  startOfDayInZone,
  type TaxCustomer,
  type TaxDecision
} from "../../../src"

const rules = Either.getOrThrow(
  decodeTaxRules([
    { id: "de-vat", country: "DE", name: "MwSt", rate: "19" },
    { id: "fr-vat", country: "FR", name: "TVA", rate: "20" }
  ])
)

/** The tax decision for a customer of a German seller registered for the One-Stop Shop. */
export const taxFor = (customer: TaxCustomer): TaxDecision =>
  Either.getOrThrow(determineTax({ seller: { country: "DE", euVat: "oss" }, customer }, rules))

/** A French consumer: 20% TVA. */
export const frenchConsumer = taxFor({ country: "FR", isBusiness: false })
/** A French business with a VAT id: reverse charged. */
export const frenchBusiness = taxFor({ country: "FR", isBusiness: true, vatId: "FR40303265045" })

/** `"2026-05-11"` as a civil date. */
export const day = (iso: string): CivilDate => Either.getOrThrow(parseIsoDate(iso))

/** The instant of a local wall-clock time (`"2026-05-11"`, `"14:30"`) in `zone`, on a day with no DST change. */
export const instant = (iso: string, time: string, zone: string): number => {
  const [hours, minutes] = time.split(":").map(Number) as [number, number]
  return startOfDayInZone(day(iso), zone) + (hours * 60 + minutes) * 60_000
}

export const priced = (
  itemId: string,
  description: string,
  amount: bigint,
  extra: {
    readonly kind?: PricedItem["kind"]
    readonly cycle?: BillingCycle
    readonly quantity?: bigint
  } = {}
): PricedItem => {
  const quantity = extra.quantity ?? 1n
  return {
    kind: extra.kind ?? "plan",
    itemId,
    description,
    cycle: extra.cycle ?? "monthly",
    quantity,
    unitAmount: amount / quantity,
    amount,
    setupFee: 0n
  }
}

/** A change for the subscription `sub_1` of a customer in Paris, anchored on the 1st of January 2026. */
export const changeInput = (
  overrides: Partial<ChangeInput> & Pick<ChangeInput, "period" | "at">
): ChangeInput => ({
  invoiceId: "inv_change_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  subscriptionId: "sub_1",
  currency: "EUR",
  pricing: "exclusive",
  anchor: day("2026-01-01"),
  timeZone: "Europe/Paris",
  currentItems: [],
  newItems: [],
  tax: frenchConsumer,
  rounding: "half-even",
  ...overrides
})

export const quote = (input: ChangeInput): ChangeQuote => Either.getOrThrow(quoteChange(input))

export const quoteNow = (input: ChangeInput): ImmediateChangeQuote => {
  const result = quote({ ...input, policy: "immediate" })
  if (result.policy !== "immediate") throw new Error("expected an immediate quote")
  return result
}

export const quoteAtTermEnd = (input: ChangeInput): ScheduledChangeQuote => {
  const result = quote({ ...input, policy: "end_of_term" })
  if (result.policy !== "end_of_term") throw new Error("expected a scheduled quote")
  return result
}

/** `[description, amount]` of each line. */
export const described = (lines: ReadonlyArray<{ readonly description: string; readonly amount: bigint }>) =>
  lines.map((line) => [line.description, line.amount])
