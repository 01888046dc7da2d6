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
 * Rounding is symmetric about zero: a credit line's tax is exactly the negative of the same charge's.
 */
export const taxLine = (line: TaxableLine, decision: TaxDecision, mode: RoundingMode): TaxedLine => {
  const sign = line.amount < 0n ? -1n : 1n
  const amount = line.amount * sign
  const components = decision.kind === "taxed" ? decision.components : []
  const computed =
    line.pricing === "exclusive"
      ? exclusiveTax(amount, components, mode)
      : inclusiveTax(amount, components, mode)
  const tax = computed.components.reduce((sum, c) => sum + c.tax, 0n)
  return {
    id: line.id,
    treatment: decision.kind,
    net: computed.net * sign,
    tax: tax * sign,
    gross: (computed.net + tax) * sign,
    components: computed.components.map((c) => ({ ...c, base: c.base * sign, tax: c.tax * sign }))
  }
}

const exclusiveTax = (net: bigint, components: ReadonlyArray<TaxComponent>, mode: RoundingMode) => {
  let earlier = 0n
  const taxed: Array<LineTaxComponent> = []
  for (const component of components) {
    const base = component.compound ? net + earlier : net
    const tax = applyRatio(base, component.rate, mode)
    taxed.push({ ...component, base, tax })
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
    return { ...component, base, tax }
  })
  return { net, components: taxed }
}

/** The numerators of the ratios over one common denominator (the weights of an allocation). */
const commonNumerators = (ratios: ReadonlyArray<Ratio>): Array<bigint> => {
  const den = ratios.reduce((product, r) => product * r.den, 1n)
  return ratios.map((r) => r.num * (den / r.den))
}

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
  const decisions = lines.map((line) => line.decision ?? decision)
  const taxed = lines.map((line, i) => taxLine(line, decisions[i] ?? decision, mode))
  const groups = new Map<string, TaxSummaryGroup>()
  const addGroup = (key: string, group: TaxSummaryGroup) => {
    const existing = groups.get(key)
    if (existing === undefined) groups.set(key, group)
    else if (existing.kind === "taxed" && group.kind === "taxed") {
      groups.set(key, { ...existing, base: existing.base + group.base, tax: existing.tax + group.tax })
    } else groups.set(key, { ...existing, base: existing.base + group.base })
  }
  taxed.forEach((line, i) => {
    if (line.treatment === "taxed") {
      for (const c of line.components) {
        addGroup(JSON.stringify(["taxed", c.ruleId, `${c.rate.num}/${c.rate.den}`]), {
          kind: "taxed",
          ruleId: c.ruleId,
          name: c.name,
          rate: c.rate,
          base: c.base,
          tax: c.tax
        })
      }
    } else {
      const note = noteOf(decisions[i] ?? decision)
      addGroup(JSON.stringify([line.treatment, note ?? null]), { kind: line.treatment, note, base: line.net })
    }
  })
  const totals = taxed.reduce(
    (sum, line) => ({ net: sum.net + line.net, tax: sum.tax + line.tax, gross: sum.gross + line.gross }),
    { net: 0n, tax: 0n, gross: 0n }
  )
  return { lines: taxed, summary: [...groups.values()], totals }
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
