export {
  type BillingFailure,
  type BillingRunOptions,
  type BillingRunSummary,
  runBilling
} from "./billing-run"
export {
  type CollectOutcome,
  type CollectRequest,
  collectInvoice,
  collectionKey,
  reconcileCollection
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
export { type EngineServices, engineHandlers, StillReconciling } from "./handlers"
export {
  type PlannedRenewal,
  planRenewal,
  type RenewalStep,
  type RenewalSubject,
  renewalStep
} from "./renewal-plan"
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
