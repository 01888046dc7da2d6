export {
  ChangeOutsidePeriod,
  CycleChangeNotSupported,
  InvalidChargedAmount,
  type ProrationError
} from "./errors"
export { type ProrationFraction, prorate, remainingFraction } from "./fraction"
export {
  type CurrentItem,
  type PlanChangeInput,
  type PlanChangeQuote,
  type ProrationPolicy,
  quotePlanChange
} from "./plan-change"
