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
  type CollectOutcome,
  type CollectRequest,
  collectInvoice,
  collectionKey,
  reconcileCollection
} from "./collection"
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
