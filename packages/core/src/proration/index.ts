export { type UnusedCredit, unusedCredits } from "./credit"
export {
  ChangeOutsidePeriod,
  CycleNotProratable,
  EmptyChange,
  InvalidChargedAmount,
  InvalidPaidAmount,
  InvalidProrationSettings,
  MixedCycles,
  type ProrationError
} from "./errors"
export {
  type FractionInput,
  fixedCycleDays,
  isWholePeriod,
  type ProrationFraction,
  prorate,
  remainingFraction
} from "./fraction"
export {
  type ChangeCycles,
  type ChangedItems,
  type CurrentItem,
  changeCycles,
  changedItems,
  chargedFor,
  paidForPeriod,
  sameItem
} from "./items"
export {
  type ChangePreview,
  type ChangePreviewLine,
  type ChangePreviewTax,
  previewChange
} from "./preview"
export {
  type ChangeInput,
  type ChangeQuote,
  type ChangeQuoteBase,
  type ImmediateChangeQuote,
  quoteChange,
  type ScheduledChangeQuote
} from "./quote"
export { type ChangeSchedule, changeSchedule, type NextRenewal, nextRenewal } from "./schedule"
export {
  ChangePolicies,
  type ChangePolicy,
  decodeProrationSettings,
  defaultProrationSettings,
  defaultProrationStrategy,
  ProrationSettings,
  type ProrationSettingsInput,
  ProrationStrategies,
  type ProrationStrategy,
  prorationStrategyFor
} from "./strategy"
