/**
 * A tenant's billing settings, as the engine reads them from `Tenant.settings.billing`: who sells (for
 * tax), the zone its documents are dated in, how invoices are numbered, the dunning policy, the proration
 * settings, the rounding mode and what a payment dispute (chargeback) does to the service. Decoded with `effect/Schema`; every problem names its field.
 */
import { Either, ParseResult, Schema } from "effect"
import { validateTimeZone } from "../calendar/zone"
import { DunningPolicy, defaultDunningPolicy } from "../dunning/policy"
import { defaultNumbering, type NumberingPolicy, validateNumbering } from "../invoicing/numbering/numbering"
import { RoundingModes } from "../money/rounding"
import type { Json } from "../ports/common"
import type { Tenant } from "../ports/store/records"
import { defaultProrationSettings, ProrationSettings } from "../proration/strategy"
import { InvalidBillingSettings } from "./errors"

const TimeZone = Schema.String.pipe(
  Schema.filter((zone) => Either.isRight(validateTimeZone(zone)) || `"${zone}" is not an IANA time zone`)
)

const Numbering = Schema.Struct({
  format: Schema.String,
  reset: Schema.Literal("never", "yearly"),
  start: Schema.Int.pipe(Schema.positive()),
  mode: Schema.Literal("immediate", "proforma")
}).pipe(
  Schema.filter((policy) => {
    const checked = validateNumbering(policy)
    return Either.isRight(checked) || checked.left.reason
  })
)

/** Credit notes' numbering unless the tenant sets one: `CN-2026-00001`, restarting every year. */
export const defaultCreditNoteNumbering: NumberingPolicy = {
  format: "CN-{YEAR}-{NUMBER:5}",
  reset: "yearly",
  start: 1,
  mode: "immediate"
}

export const BillingSettings = Schema.Struct({
  /** The zone the tenant's documents are dated in (invoice numbers per year follow it). */
  timeZone: TimeZone,
  /** Where the tenant sells from, and how it handles EU VAT (`oss`, `domestic` or `none`). */
  seller: Schema.Struct({
    country: Schema.String.pipe(
      Schema.pattern(/^[A-Z]{2}$/, { message: () => "an ISO 3166-1 alpha-2 code" })
    ),
    euVat: Schema.Literal("oss", "domestic", "none")
  }),
  numbering: Schema.optionalWith(Numbering, { default: () => defaultNumbering as NumberingPolicy }),
  dunning: Schema.optionalWith(DunningPolicy, { default: () => defaultDunningPolicy }),
  proration: Schema.optionalWith(ProrationSettings, { default: () => defaultProrationSettings }),
  /** How credit notes are numbered: a gapless sequence of their own (`credit_note`), drawn on issue. */
  creditNotes: Schema.optionalWith(Numbering, { default: () => defaultCreditNoteNumbering }),
  /**
   * What an immediate cancellation does with the unused part of the paid period: `none` keeps it,
   * `account_credit` credits it (measured with the proration settings) to the customer's account.
   */
  cancellation: Schema.optionalWith(Schema.Struct({ unusedTime: Schema.Literal("none", "account_credit") }), {
    default: () => ({ unusedTime: "none" as const })
  }),
  rounding: Schema.optionalWith(Schema.Literal(...RoundingModes), { default: () => "half-even" as const }),
  /**
   * Payment disputes (chargebacks) reported by the gateway: `suspendService` suspends the disputed
   * invoice's subscription (reason `dispute`) while the dispute is open and keeps it suspended when it
   * is lost; a won dispute lifts the suspension it caused. Staff are told either way.
   */
  disputes: Schema.optionalWith(Schema.Struct({ suspendService: Schema.Boolean }), {
    default: () => ({ suspendService: false })
  })
})
export type BillingSettings = typeof BillingSettings.Type
export type BillingSettingsInput = typeof BillingSettings.Encoded

const decode = Schema.decodeUnknownEither(BillingSettings, { errors: "all", onExcessProperty: "error" })

/** Decodes billing settings (JSON or code); the first problem is reported with its path. */
export const decodeBillingSettings = (
  input: unknown
): Either.Either<BillingSettings, InvalidBillingSettings> =>
  Either.mapLeft(decode(input), (error) => {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
    return new InvalidBillingSettings({
      field: issue === undefined ? "" : issue.path.join("."),
      reason: issue?.message ?? "invalid"
    })
  })

/** The billing settings of a tenant: `settings.billing`, decoded. */
export const billingSettingsOf = (tenant: Tenant): Either.Either<BillingSettings, InvalidBillingSettings> =>
  Either.mapLeft(decodeBillingSettings(tenant.settings.billing), (error) =>
    error.field === "" && tenant.settings.billing === undefined
      ? new InvalidBillingSettings({ field: "billing", reason: "the tenant has no billing settings" })
      : error
  )

const encode = Schema.encodeSync(BillingSettings)

/** Settings as JSON, for `Tenant.settings.billing` (every encoded field is a JSON value). */
export const encodeBillingSettings = (settings: BillingSettings): Json => encode(settings) as Json
