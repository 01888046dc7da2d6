import { Either } from "effect"
import {
  addRatios,
  allocateAmount,
  applyRatio,
  divideRounded,
  multiplyRatios,
  type Ratio,
  type RoundingMode,
  ratioOne,
  ratioZero
} from "../../money"
import type { TaxComponent, TaxDecision } from "./determine"

/** Whether a line's amount is before tax (`exclusive`) or already includes it (`inclusive`). */
export type PriceBasis = "exclusive" | "inclusive"

export interface TaxableLine {
  readonly id: string
  /** Minor units; negative for credits and discounts. Net if `exclusive`, gross if `inclusive`. */
  readonly amount: bigint
  readonly pricing: PriceBasis
  /** This line's own decision (another product kind); the invoice's decision otherwise. */
  readonly decision?: TaxDecision
}

export interface LineTaxComponent extends TaxComponent {
  /** What the rate was applied to: the net amount, plus the earlier components if compound. */
  readonly base: bigint
  readonly tax: bigint
}

export interface TaxedLine {
  readonly id: string
  readonly treatment: TaxDecision["kind"]
  readonly net: bigint
  readonly tax: bigint
  readonly gross: bigint
  readonly components: ReadonlyArray<LineTaxComponent>
}

/** One row of the invoice's tax summary: a rate of one rule, or the untaxed base with its note. */
export type TaxSummaryGroup =
  | {
      readonly kind: "taxed"
      readonly ruleId: string
      readonly name: string
      readonly rate: Ratio
      readonly base: bigint
      readonly tax: bigint
    }
  | {
      readonly kind: "reverse_charge" | "exempt" | "out_of_scope" | "none"
      /** The legal note (reverse charge, out of scope) or the exemption reason; none for `none`. */
      readonly note: string | undefined
      readonly base: bigint
    }

export interface TaxBreakdown {
  readonly lines: ReadonlyArray<TaxedLine>
  /** In order of first appearance on the lines. */
  readonly summary: ReadonlyArray<TaxSummaryGroup>
  readonly totals: { readonly net: bigint; readonly tax: bigint; readonly gross: bigint }
}

/**
 * The tax of one line, rounded once per component with the named mode.
 *
 * - Exclusive: each component is `base x rate`, rounded; a compound component's base includes the
 *   (rounded) components before it. `gross = net + tax`.
 * - Inclusive: the line's whole tax is `gross x R / (1 + R)` (R the combined rate of all components),
 *   rounded once; `net = gross - tax` exactly. The tax is split among the components by allocation
 *   (largest remainder) in proportion to their share of R.
 *
 * Every rounding mode is symmetric about zero (and allocation splits a negative total as the negated
 * split of its absolute value), so a credit line's tax is exactly the negative of the same charge's
 * with no sign handling here.
 */
export const taxLine = (line: TaxableLine, decision: TaxDecision, mode: RoundingMode): TaxedLine => {
  const taxed = taxAmount(line.amount, line.pricing, line.decision ?? decision, mode)
  return {
    id: line.id,
    treatment: taxed.treatment,
    net: taxed.net,
    tax: taxed.tax,
    gross: taxed.gross,
    components: taxed.components
  }
}

/** {@link taxLine} for a bare amount: what the invoice composer calls for every line it writes. */
export const taxAmount = (
  amount: bigint,
  pricing: PriceBasis,
  decision: TaxDecision,
  mode: RoundingMode
): Omit<TaxedLine, "id"> => {
  if (decision.kind !== "taxed") {
    return { treatment: decision.kind, net: amount, tax: 0n, gross: amount, components: noComponents }
  }
  const components = decision.components
  if (pricing === "exclusive" && components.length === 1) {
    // The common case, kept lean: one rate on a net price.
    const only = components[0]
    const tax = applyRatio(amount, only.rate, mode)
    return {
      treatment: "taxed",
      net: amount,
      tax,
      gross: amount + tax,
      components: [withAmounts(only, amount, tax)]
    }
  }
  const computed =
    pricing === "exclusive" ? exclusiveTax(amount, components, mode) : inclusiveTax(amount, components, mode)
  let tax = 0n
  for (const c of computed.components) tax += c.tax
  return {
    treatment: "taxed",
    net: computed.net,
    tax,
    gross: computed.net + tax,
    components: computed.components
  }
}

const noComponents: ReadonlyArray<LineTaxComponent> = []

// Built field by field: in V8 a spread that adds keys (`{ ...c, base, tax }`) is ~25x slower, and this
// runs for every line of every invoice in a billing run.
const withAmounts = (c: TaxComponent, base: bigint, tax: bigint): LineTaxComponent => ({
  ruleId: c.ruleId,
  name: c.name,
  rate: c.rate,
  compound: c.compound,
  base,
  tax
})

const exclusiveTax = (net: bigint, components: ReadonlyArray<TaxComponent>, mode: RoundingMode) => {
  let earlier = 0n
  const taxed: Array<LineTaxComponent> = []
  for (const component of components) {
    const base = component.compound ? net + earlier : net
    const tax = applyRatio(base, component.rate, mode)
    taxed.push(withAmounts(component, base, tax))
    earlier += tax
  }
  return { net, components: taxed }
}

const inclusiveTax = (gross: bigint, components: ReadonlyArray<TaxComponent>, mode: RoundingMode) => {
  // Each component's tax as a fraction of the net amount; their sum is the combined rate R.
  let combined = ratioZero
  const shares: Array<Ratio> = []
  for (const component of components) {
    const share = component.compound
      ? multiplyRatios(component.rate, addRatios(ratioOne, combined))
      : component.rate
    shares.push(share)
    combined = addRatios(combined, share)
  }
  const totalTax = divideRounded(gross * combined.num, combined.den + combined.num, mode)
  const net = gross - totalTax
  const parts =
    totalTax === 0n
      ? shares.map(() => 0n)
      : Either.getOrThrow(allocateAmount(totalTax, commonNumerators(shares)))
  let earlier = 0n
  const taxed = components.map((component, i): LineTaxComponent => {
    const tax = parts[i] ?? 0n
    const base = component.compound ? net + earlier : net
    earlier += tax
    return withAmounts(component, base, tax)
  })
  return { net, components: taxed }
}

/** The numerators of the ratios over one common denominator (the weights of an allocation). */
const commonNumerators = (ratios: ReadonlyArray<Ratio>): Array<bigint> => {
  const den = ratios.reduce((product, r) => product * r.den, 1n)
  return ratios.map((r) => r.num * (den / r.den))
}

type Mutable<T> = T extends unknown ? { -readonly [K in keyof T]: T[K] } : never

/**
 * The invoice's tax summary: one group per (rule, rate) and one per untaxed treatment and note, in order
 * of first appearance, each the sum of its lines (never rounded again).
 *
 * When every line was taxed under the same decision with at most one rate — nearly every invoice — the
 * summary is one group whose base and tax are the invoice's net and tax totals, so no per-line sums are
 * needed. Otherwise the lines are grouped one by one.
 */
/**
 * The summary of an invoice taxed under one decision with at most one rate: one group holding the
 * invoice's totals. `undefined` when the decision has several rates (the lines must be grouped).
 */
export const singleDecisionSummary = (
  decision: TaxDecision,
  totals: { readonly net: bigint; readonly tax: bigint }
): ReadonlyArray<TaxSummaryGroup> | undefined => {
  if (decision.kind !== "taxed") return [{ kind: decision.kind, note: noteOf(decision), base: totals.net }]
  if (decision.components.length !== 1) return undefined
  const only = decision.components[0]
  return [
    {
      kind: "taxed",
      ruleId: only.ruleId,
      name: only.name,
      rate: only.rate,
      base: totals.net,
      tax: totals.tax
    }
  ]
}

export const summarizeTax = (
  lines: ReadonlyArray<Omit<TaxedLine, "id">>,
  decisions: TaxDecision | ReadonlyArray<TaxDecision>,
  totals: { readonly net: bigint; readonly tax: bigint }
): ReadonlyArray<TaxSummaryGroup> => {
  if (lines.length === 0) return []
  if (!Array.isArray(decisions)) {
    const single = singleDecisionSummary(decisions as TaxDecision, totals)
    if (single !== undefined) return single
  }
  const groups: Array<Mutable<TaxSummaryGroup>> = []
  lines.forEach((line, i) => {
    const decision = Array.isArray(decisions) ? (decisions[i] as TaxDecision) : (decisions as TaxDecision)
    addToSummary(groups, line, decision)
  })
  return groups
}

const addToSummary = (
  groups: Array<Mutable<TaxSummaryGroup>>,
  line: Omit<TaxedLine, "id">,
  decision: TaxDecision
): void => {
  if (line.treatment !== "taxed") {
    const note = noteOf(decision)
    for (const group of groups) {
      if (group.kind === line.treatment && group.note === note) {
        group.base += line.net
        return
      }
    }
    groups.push({ kind: line.treatment, note, base: line.net })
    return
  }
  next: for (const c of line.components) {
    for (const group of groups) {
      if (group.kind === "taxed" && group.ruleId === c.ruleId && sameRate(group.rate, c.rate)) {
        group.base += c.base
        group.tax += c.tax
        continue next
      }
    }
    groups.push({ kind: "taxed", ruleId: c.ruleId, name: c.name, rate: c.rate, base: c.base, tax: c.tax })
  }
}

const sameRate = (a: Ratio, b: Ratio): boolean => a === b || (a.num === b.num && a.den === b.den)

/**
 * Taxes every line (see {@link taxLine}: rounding happens once per line and component, never on the
 * summary) and groups the result for the invoice's tax summary: one group per (rule, rate) with the
 * summed base and tax, and one per untaxed treatment and note (e.g. the reverse-charged base, which
 * an EU invoice must show). Group totals are sums of line amounts, so the summary always agrees with
 * the lines.
 */
export const taxLines = (
  lines: ReadonlyArray<TaxableLine>,
  decision: TaxDecision,
  mode: RoundingMode
): TaxBreakdown => {
  const taxed: Array<TaxedLine> = []
  let net = 0n
  let tax = 0n
  let gross = 0n
  for (const line of lines) {
    const result = taxLine(line, decision, mode)
    taxed.push(result)
    net += result.net
    tax += result.tax
    gross += result.gross
  }
  const decisions = lines.some((line) => line.decision !== undefined)
    ? lines.map((line) => line.decision ?? decision)
    : decision
  return { lines: taxed, summary: summarizeTax(taxed, decisions, { net, tax }), totals: { net, tax, gross } }
}

const noteOf = (decision: TaxDecision): string | undefined => {
  switch (decision.kind) {
    case "reverse_charge":
    case "out_of_scope":
      return decision.note
    case "exempt":
      return decision.reason
    case "taxed":
    case "none":
      return undefined
  }
}
