/**
 * Stable error codes. Every typed domain error (`_tag`) maps to one UPPER_SNAKE code here; the host maps
 * codes to HTTP statuses and clients match on them, so a code, once published, never changes meaning.
 * A test checks that every error class exported by the package has an entry.
 */
export const ErrorCodes = {
  // money
  CurrencyMismatch: "CURRENCY_MISMATCH",
  UnknownCurrency: "UNKNOWN_CURRENCY",
  InvalidAmount: "INVALID_AMOUNT",
  InvalidRatio: "INVALID_RATIO",
  InvalidAllocation: "INVALID_ALLOCATION",
  // catalog
  InvalidCatalog: "INVALID_CATALOG",
  ProductNotFound: "PRODUCT_NOT_FOUND",
  PlanNotFound: "PLAN_NOT_FOUND",
  CycleNotOffered: "CYCLE_NOT_OFFERED",
  OptionNotFound: "OPTION_NOT_FOUND",
  AddonNotFound: "ADDON_NOT_FOUND",
  InvalidOptionValue: "INVALID_OPTION_VALUE",
  OptionNotUpgradable: "OPTION_NOT_UPGRADABLE"
  // calendar
  // subscription
  // invoicing
  // ports
} as const satisfies Record<string, string>

export type ErrorTag = keyof typeof ErrorCodes
export type ErrorCode = (typeof ErrorCodes)[ErrorTag]

/** The stable code of a typed error, by its `_tag`. */
export const errorCode = (error: { readonly _tag: ErrorTag }): ErrorCode => ErrorCodes[error._tag]
