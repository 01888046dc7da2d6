import { Either } from "effect"
import { InvalidVatId } from "./errors"

/**
 * The 27 EU member states by ISO 3166 alpha-2 country code, with the prefix their VAT ids carry and the
 * format of the number after it (VIES formats; a format check only — whether the number exists is
 * for an online VIES adapter). Greece is the one state whose VAT prefix (`EL`) is not its country code
 * (`GR`).
 */
const memberStates = {
  AT: { prefix: "AT", format: /^U\d{8}$/ },
  BE: { prefix: "BE", format: /^[01]\d{9}$/ },
  BG: { prefix: "BG", format: /^\d{9,10}$/ },
  CY: { prefix: "CY", format: /^\d{8}[A-Z]$/ },
  CZ: { prefix: "CZ", format: /^\d{8,10}$/ },
  DE: { prefix: "DE", format: /^\d{9}$/ },
  DK: { prefix: "DK", format: /^\d{8}$/ },
  EE: { prefix: "EE", format: /^\d{9}$/ },
  ES: { prefix: "ES", format: /^(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/ },
  FI: { prefix: "FI", format: /^\d{8}$/ },
  FR: { prefix: "FR", format: /^[0-9A-HJ-NP-Z]{2}\d{9}$/ },
  GR: { prefix: "EL", format: /^\d{9}$/ },
  HR: { prefix: "HR", format: /^\d{11}$/ },
  HU: { prefix: "HU", format: /^\d{8}$/ },
  IE: { prefix: "IE", format: /^(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/ },
  IT: { prefix: "IT", format: /^\d{11}$/ },
  LT: { prefix: "LT", format: /^(?:\d{9}|\d{12})$/ },
  LU: { prefix: "LU", format: /^\d{8}$/ },
  LV: { prefix: "LV", format: /^\d{11}$/ },
  MT: { prefix: "MT", format: /^\d{8}$/ },
  NL: { prefix: "NL", format: /^\d{9}B\d{2}$/ },
  PL: { prefix: "PL", format: /^\d{10}$/ },
  PT: { prefix: "PT", format: /^\d{9}$/ },
  RO: { prefix: "RO", format: /^[1-9]\d{1,9}$/ },
  SE: { prefix: "SE", format: /^\d{10}01$/ },
  SI: { prefix: "SI", format: /^\d{8}$/ },
  SK: { prefix: "SK", format: /^\d{10}$/ }
} as const satisfies Record<string, { readonly prefix: string; readonly format: RegExp }>

export type EuMemberState = keyof typeof memberStates

/** The member states' ISO country codes (Greece is `GR`), alphabetically. */
export const euMemberStates: ReadonlyArray<EuMemberState> = Object.keys(memberStates) as Array<EuMemberState>

export const isEuMemberState = (country: string): country is EuMemberState =>
  Object.hasOwn(memberStates, country)

/** The prefix of the member state's VAT ids: the country code, except `EL` for Greece. */
export const vatPrefixOf = (country: EuMemberState): string => memberStates[country].prefix

/** A VAT id that passed the format check, in canonical form. */
export interface VatId {
  /** ISO country code of the member state that issued it (`GR` for an `EL...` id). */
  readonly country: EuMemberState
  /** The number without prefix, upper case, without spaces, dots or dashes. */
  readonly number: string
  /** Prefix + number, as printed on invoices: `DE123456789`, `EL123456789`. */
  readonly canonical: string
}

/**
 * Checks the format of a VAT id issued by the EU member state `country` (ISO code, `GR` for Greece).
 * Spaces, dots and dashes are ignored and case does not matter; the prefix (`DE`, `EL`, ...) may be
 * omitted. An id of another member state, or a `GR` prefix for Greece (VIES only knows `EL`), is invalid.
 */
export const validateVatId = (country: string, vatId: string): Either.Either<VatId, InvalidVatId> => {
  const invalid = Either.left(new InvalidVatId({ country, vatId }))
  if (!isEuMemberState(country)) return invalid
  const { prefix, format } = memberStates[country]
  const compact = vatId.toUpperCase().replace(/[\s.-]/g, "")
  const number = compact.startsWith(prefix) && format.test(compact.slice(2)) ? compact.slice(2) : compact
  if (!format.test(number)) return invalid
  return Either.right({ country, number, canonical: `${prefix}${number}` })
}
