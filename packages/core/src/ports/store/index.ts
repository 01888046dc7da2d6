export type { AuditActor, AuditEntry, AuditEntryInput, AuditRepository, AuditTarget } from "./audit"
export { DuplicateInvoice, InsufficientCredit, StoreError, VersionConflict } from "./errors"
export {
  checkExchangeRate,
  type ExchangeRateRepository,
  InvalidExchangeRate,
  MAX_RATE_DIGITS
} from "./exchange-rates"
export {
  checkGatewayAccount,
  checkGatewayAccountPut,
  type GatewayAccount,
  type GatewayAccountRepository,
  type GatewayMode,
  GatewayModes,
  InvalidGatewayAccount,
  MAX_ACCOUNT_CURRENCIES
} from "./gateway-accounts"
export {
  checkPaymentMethod,
  InvalidPaymentMethod,
  looksLikeCardNumber,
  PaymentMethodKinds,
  type PaymentMethodRepository,
  type SavedPaymentMethod
} from "./payment-methods"
export {
  type ClaimRequest,
  type CouponRedemption,
  defaultMaxAttempts,
  type Job,
  type JobSpec,
  type JobState,
  type LedgerEntry,
  type LedgerEntryInput,
  type LedgerEntryKind,
  LedgerEntryKinds,
  type Payment,
  type PaymentStatus,
  type Refund,
  type RefundStatus,
  RefundStatuses,
  type StoredCreditNote,
  type Tenant,
  type Versioned
} from "./records"
export {
  type DueRange,
  decideRenewals,
  type RenewalNumbering,
  type RenewalOutcome,
  type RenewalRepository,
  type RenewalState,
  type RenewalWrite,
  renewalKeyOf
} from "./renewals"
export type {
  CatalogRepository,
  CouponRepository,
  CreditNoteRepository,
  CustomerRepository,
  IdempotencyRepository,
  InvoiceRepository,
  JobRepository,
  LedgerRepository,
  PaymentRepository,
  RefundRepository,
  SequenceRepository,
  SubscriptionRepository,
  TenantRepository
} from "./repositories"
export {
  type AppliedRevenueEvent,
  addSummaryRows,
  addToTotals,
  emptyRevenueTotals,
  periodSummariesOf,
  type RecordedRevenueEvent,
  type RevenueRepository,
  type RevenueTotals,
  type SummaryRow,
  summaryIncrement,
  type TotalsIncrement,
  totalsIncrement
} from "./revenue"
export {
  checkService,
  type EncryptedSecret,
  encryptedSecretIssue,
  InvalidService,
  type Service,
  type ServiceRepository,
  type ServiceState,
  ServiceStates
} from "./services"
export { Store, type StoreService } from "./store"
export {
  type StoredTaxRule,
  storableTaxRules,
  type TaxRuleRepository,
  taxRuleFromStore
} from "./tax-rules"
export {
  checkUsageSamples,
  InvalidUsageSample,
  MAX_SAMPLE_BYTES,
  mergeUsageSamples,
  type UsageSampleRepository
} from "./usage-samples"
export type {
  WebhookDelivery,
  WebhookEvent,
  WebhookEventState,
  WebhookInboxRepository,
  WebhookReceipt
} from "./webhook-inbox"
