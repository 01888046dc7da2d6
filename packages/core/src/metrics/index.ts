export {
  acceptsRevenueEvent,
  applyRevenueEvent,
  type CohortStart,
  type CustomerRevenue,
  type RevenueRows,
  type RevenueStep,
  rejectRevenueEvent,
  type SubscriptionRevenue
} from "./apply"
export { type Arpu, type ArpuInput, arpu } from "./arpu"
export { revenueFromHistory } from "./batch"
export {
  type CurrencyMrr,
  type ExactAmount,
  exactTotal,
  type MrrReport,
  type ReportingConversion,
  rateOfDay,
  reportMrr
} from "./conversion"
export {
  CreditNoteInvoiceMissing,
  ExchangeRateMissing,
  IllegalRevenueEvent,
  InvalidReportPeriod,
  type RevenueEventError,
  RevenueEventOutOfOrder,
  RevenueSnapshotMismatch
} from "./errors"
export {
  type ChurnReason,
  type RevenueChanged,
  type RevenueChangeReason,
  type RevenueChurned,
  type RevenueCouponEnded,
  type RevenueEvent,
  type RevenueReactivated,
  type RevenueStarted,
  revenueEventCustomer,
  revenueEventSubscription
} from "./events"
export {
  emptyRevenueLedger,
  foldRevenueEvent,
  type RevenueLedger,
  type RevenueSummaries,
  replayRevenueEvents,
  revenueSummaries
} from "./ledger"
export {
  type CohortChange,
  classifyMovement,
  dayOf,
  type MovementKind,
  MovementKinds,
  type MrrMovement,
  monthOfDay,
  signedUnits
} from "./movement"
export { type OverdueBucket, type OverdueTotal, overdueTotals } from "./overdue"
export {
  type CurrencyPeriodMetrics,
  type CustomerPeriodMetrics,
  type PeriodMetrics,
  parseReportPeriod,
  periodMetrics,
  type ReportedPeriodMetrics,
  reportPeriodMetrics
} from "./period"
export { type PlanPopularity, popularPlans } from "./popular"
export { type MetricRate, metricRate, ratePercent } from "./rate"
export {
  type PaidInvoiceRecord,
  type RevenueCategory,
  type RevenueHistory,
  type RevenueRow,
  revenueByMonth,
  revenueCategory
} from "./revenue"
export {
  isRunningRecurringCoupon,
  type RevenueLine,
  type RevenueSnapshot,
  type RevenueSnapshotError,
  type RevenueSnapshotInput,
  type RevenueSubscription,
  revenueSnapshot,
  snapshotMrr,
  subscriptionMrr
} from "./snapshot"
export {
  addMovement,
  type CurrencySummary,
  emptyCurrencySummary,
  emptyPeriodSummary,
  type Granularity,
  netUnits,
  type PeriodSummary
} from "./summary"
export { countsTowardMrr, type MrrSources, mrrByCurrency } from "./totals"
export {
  arrMoney,
  type CurrencyUnits,
  MRR_UNITS_PER_MINOR,
  type MrrUnits,
  monthlyUnits,
  mrrMoney,
  unitsToMinor
} from "./units"
