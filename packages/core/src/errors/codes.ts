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
  OptionNotUpgradable: "OPTION_NOT_UPGRADABLE",
  // calendar
  InvalidDate: "INVALID_DATE",
  InvalidTimeZone: "INVALID_TIME_ZONE",
  InvalidProrataPolicy: "INVALID_PRORATA_POLICY",
  // subscription
  IllegalTransition: "ILLEGAL_TRANSITION",
  UnsuspendNotAllowed: "UNSUSPEND_NOT_ALLOWED",
  DateNotInFuture: "DATE_NOT_IN_FUTURE",
  NoScheduledCancellation: "NO_SCHEDULED_CANCELLATION",
  CancellationAlreadyScheduled: "CANCELLATION_ALREADY_SCHEDULED",
  CancellationNotDue: "CANCELLATION_NOT_DUE",
  CancellationAlreadyEffective: "CANCELLATION_ALREADY_EFFECTIVE",
  // invoicing
  InvalidVatId: "INVALID_VAT_ID",
  TaxRuleMissing: "TAX_RULE_MISSING",
  TaxRuleConflict: "TAX_RULE_CONFLICT",
  InvalidTaxRule: "INVALID_TAX_RULE",
  CouponExpired: "COUPON_EXPIRED",
  CouponExhausted: "COUPON_EXHAUSTED",
  CouponAlreadyRedeemed: "COUPON_ALREADY_REDEEMED",
  CouponNotApplicable: "COUPON_NOT_APPLICABLE",
  CouponCurrencyUnsupported: "COUPON_CURRENCY_UNSUPPORTED",
  CouponNotStackable: "COUPON_NOT_STACKABLE",
  InvalidCoupon: "INVALID_COUPON",
  InvalidNumberFormat: "INVALID_NUMBER_FORMAT",
  IllegalInvoiceTransition: "ILLEGAL_INVOICE_TRANSITION",
  PaymentExceedsBalance: "PAYMENT_EXCEEDS_BALANCE",
  RefundExceedsPaid: "REFUND_EXCEEDS_PAID",
  NonPositiveAmount: "NON_POSITIVE_AMOUNT",
  // proration
  ChangeOutsidePeriod: "CHANGE_OUTSIDE_PERIOD",
  InvalidChargedAmount: "INVALID_CHARGED_AMOUNT",
  InvalidPaidAmount: "INVALID_PAID_AMOUNT",
  MixedCycles: "MIXED_CYCLES",
  CycleNotProratable: "CYCLE_NOT_PRORATABLE",
  EmptyChange: "EMPTY_CHANGE",
  InvalidProrationSettings: "INVALID_PRORATION_SETTINGS",
  // usage
  InvalidUsagePlan: "INVALID_USAGE_PLAN",
  UsagePriceMissing: "USAGE_PRICE_MISSING",
  // dunning
  InvalidDunningPolicy: "INVALID_DUNNING_POLICY",
  // metrics
  IllegalRevenueEvent: "ILLEGAL_REVENUE_EVENT",
  RevenueEventOutOfOrder: "REVENUE_EVENT_OUT_OF_ORDER",
  RevenueSnapshotMismatch: "REVENUE_SNAPSHOT_MISMATCH",
  ExchangeRateMissing: "EXCHANGE_RATE_MISSING",
  CreditNoteInvoiceMissing: "CREDIT_NOTE_INVOICE_MISSING",
  InvalidReportPeriod: "INVALID_REPORT_PERIOD",
  // engine
  InvalidBillingSettings: "INVALID_BILLING_SETTINGS",
  StillReconciling: "STILL_RECONCILING",
  ChargeNotYetVisible: "CHARGE_NOT_YET_VISIBLE",
  DunningRecordMissing: "DUNNING_RECORD_MISSING",
  LateFeeAmountMissing: "LATE_FEE_AMOUNT_MISSING",
  InvalidOrder: "INVALID_ORDER",
  SubscriptionNotChangeable: "SUBSCRIPTION_NOT_CHANGEABLE",
  NothingToChange: "NOTHING_TO_CHANGE",
  ManualPaymentConflict: "MANUAL_PAYMENT_CONFLICT",
  RefundNotPossible: "REFUND_NOT_POSSIBLE",
  RefundFailed: "REFUND_FAILED",
  // ports
  StoreError: "STORE_ERROR",
  DuplicateInvoice: "DUPLICATE_INVOICE",
  VersionConflict: "VERSION_CONFLICT",
  InsufficientCredit: "INSUFFICIENT_CREDIT",
  GatewayError: "GATEWAY_ERROR",
  GatewayAccountError: "GATEWAY_ACCOUNT_ERROR",
  SecretError: "SECRET_ERROR",
  WebhookRejected: "WEBHOOK_REJECTED",
  ProvisionerError: "PROVISIONER_ERROR",
  MailerError: "MAILER_ERROR",
  DocumentsError: "DOCUMENTS_ERROR",
  UsageError: "USAGE_ERROR",
  // store
  InvalidExchangeRate: "INVALID_EXCHANGE_RATE",
  InvalidPaymentMethod: "INVALID_PAYMENT_METHOD",
  InvalidService: "INVALID_SERVICE",
  InvalidUsageSample: "INVALID_USAGE_SAMPLE",
  InvalidGatewayAccount: "INVALID_GATEWAY_ACCOUNT"
} as const satisfies Record<string, string>

export type ErrorTag = keyof typeof ErrorCodes
export type ErrorCode = (typeof ErrorCodes)[ErrorTag]

/** The stable code of a typed error, by its `_tag`. */
export const errorCode = (error: { readonly _tag: ErrorTag }): ErrorCode => ErrorCodes[error._tag]
