export type { Actor } from "./account"
export { type CreditGrant, grantCredit } from "./account-credit"
export {
  InvalidOrder,
  ManualPaymentConflict,
  NothingToChange,
  RefundFailed,
  RefundNotPossible,
  SubscriptionNotChangeable
} from "./account-errors"
export {
  type BillingChunk,
  type BillingFailure,
  type BillingRange,
  type BillingRunOptions,
  type BillingRunPlan,
  type BillingRunStart,
  type BillingRunSummary,
  billingHorizon,
  defaultChunkSize,
  planBillingRun,
  runBilling,
  runBillingChunk
} from "./billing-run"
export {
  type CancelError,
  type CancelRequest,
  type CancelResult,
  type CompleteCancellationOutcome,
  cancelSubscription,
  completeCancellation
} from "./cancel"
export {
  type ChangePlanError,
  type ChangePlanRequest,
  type ChangePlanResult,
  changePlan,
  type PlanChange
} from "./change-plan"
export { type OnSessionPaymentRequest, payOnSession } from "./checkout"
export {
  actionRequiredKey,
  attemptKey,
  type CollectOutcome,
  type CollectRequest,
  checkoutKey,
  collectInvoice,
  collectionKey,
  paymentTemplates,
  reconcileCollection,
  recordOutcome,
  settleSubscription
} from "./collection"
export {
  applyLateFeeHandler,
  cancelPendingOrderHandler,
  dunningTemplates,
  retryPaymentHandler,
  sendReminderHandler,
  suspendServiceHandler,
  terminateServiceHandler
} from "./dunning-actions"
export { DunningRecordMissing, LateFeeAmountMissing } from "./dunning-errors"
export { type DunningFacts, dunningFactKeys, dunningFacts } from "./dunning-facts"
export { lateFeeDescription, withLateFee } from "./dunning-late-fee"
export {
  type DunningCounts,
  type DunningFailure,
  type DunningJobAction,
  type DunningRunOptions,
  type DunningRunSummary,
  dunningJob,
  dunningJobKinds,
  runDunning
} from "./dunning-run"
export { InvalidBillingSettings } from "./errors"
export { disputeKeys } from "./gateway-disputes"
export { gatewayTemplates, type RefundAction } from "./gateway-event-support"
export {
  type GatewayEventError,
  type GatewayEventOutcome,
  type GatewayEventRequest,
  GatewayEvents,
  gatewayEventJobKind,
  gatewayEventKey,
  parseCollectionKey,
  processGatewayEvent,
  type ReceiveWebhookRequest,
  receiveWebhook
} from "./gateway-events"
export {
  type EnsureGatewayCustomerRequest,
  ensureGatewayCustomer,
  gatewayCustomerKey
} from "./gateway-methods"
export { nextRefundStatus } from "./gateway-refunds"
export {
  ChargeNotYetVisible,
  type EngineServices,
  engineHandlers,
  gatewayEventHandlers,
  StillReconciling
} from "./handlers"
export {
  type ManualPaymentError,
  type ManualPaymentMethod,
  type ManualPaymentRequest,
  type ManualPaymentResult,
  manualPaymentKey,
  recordManualPayment
} from "./manual-payment"
export {
  activateOrder,
  type OrderError,
  type OrderRequest,
  type PlacedOrder,
  placeOrder
} from "./place-order"
export {
  GatewayRefundMarker,
  gatewayRefundKey,
  type RefundInvoiceError,
  type RefundInvoiceRequest,
  type RefundInvoiceResult,
  type RefundWrite,
  refundInvoice,
  refundKey,
  writeRefund
} from "./refund"
export {
  type PlannedRenewal,
  planRenewal,
  type RenewalStep,
  type RenewalSubject,
  renewalStep
} from "./renewal-plan"
export { applyScheduledChange, type ScheduledChangeOutcome } from "./scheduled-change"
export {
  BillingSettings,
  type BillingSettingsInput,
  billingSettingsOf,
  decodeBillingSettings,
  encodeBillingSettings
} from "./settings"
export {
  type Backoff,
  defaultBackoff,
  type JobHandler,
  type RecurringJob,
  retryDelay,
  runWorker,
  scheduleRecurring,
  type WorkerOptions,
  type WorkRound,
  workOnce
} from "./worker"
