/**
 * MRR movements: every change of a subscription's MRR, classified by what it does to its customer.
 * A customer is **paying** while their MRR, in any currency, is above zero.
 *
 * - `new`: the customer starts paying for the first time.
 * - `reactivation`: a customer who paid before, and stopped, pays again.
 * - `expansion`: a paying customer's MRR grows (upgrade, another subscription, a discount ending).
 * - `contraction`: a paying customer's MRR shrinks but stays above zero (downgrade, one of several
 *   subscriptions cancelled, a new recurring discount).
 * - `churned`: a paying customer's MRR falls to zero.
 *
 * A movement's `units` is its size (always positive); `new`, `reactivation` and `expansion` add it to
 * MRR, `contraction` and `churned` take it away.
 */
import { formatIsoDate } from "../calendar/civil-date"
import { civilDateAt, type Instant } from "../calendar/zone"
import type { CurrencyCode } from "../money/currency"
import type { RevenueEvent } from "./events"
import type { MrrUnits } from "./units"

/** The five kinds of MRR movement, in reporting order. */
export const MovementKinds = ["new", "expansion", "contraction", "churned", "reactivation"] as const

/** A kind of MRR movement (see the module comment for each definition). */
export type MovementKind = (typeof MovementKinds)[number]

/** What a movement changes in a period's cohort: the customers paying when the period began. */
export interface CohortChange {
  /** Change of the cohort's lost MRR: the sum over its customers of max(0, MRR at start - MRR now). */
  readonly lost: MrrUnits
  /** Change of the cohort's MRR (the movement's signed units if the customer is in the cohort, else 0). */
  readonly change: MrrUnits
  /** +1 when a cohort customer stops paying, -1 when one pays again, else 0. */
  readonly customersLost: -1 | 0 | 1
}

/** One change of a subscription's MRR, classified, with what it adds to the day and month summaries. */
export interface MrrMovement {
  readonly kind: MovementKind
  readonly at: Instant
  /** The reporting day and month of `at` (`2026-03-15`, `2026-03`). */
  readonly day: string
  readonly month: string
  readonly subscriptionId: string
  readonly customerId: string
  readonly currency: CurrencyCode
  /** The size of the movement (> 0), in MRR units. */
  readonly units: MrrUnits
  readonly cause: RevenueEvent["_tag"]
  /** +1 when the customer starts paying in this currency, -1 when they stop, else 0. */
  readonly payers: -1 | 0 | 1
  readonly cohort: { readonly day: CohortChange; readonly month: CohortChange }
}

/**
 * The kind of a change of `delta` units in one customer's MRR, from whether they were paying before,
 * are paying after and ever paid before; `undefined` when nothing changed.
 */
export const classifyMovement = (
  wasPaying: boolean,
  isPaying: boolean,
  everPaid: boolean,
  delta: MrrUnits
): MovementKind | undefined => {
  if (delta === 0n) return undefined
  if (!wasPaying) return everPaid ? "reactivation" : "new"
  if (!isPaying) return "churned"
  return delta > 0n ? "expansion" : "contraction"
}

/** Whether the kind adds to MRR (new, expansion, reactivation) or takes away from it. */
export const isGain = (kind: MovementKind): boolean =>
  kind === "new" || kind === "expansion" || kind === "reactivation"

/** The movement's effect on MRR: `units` for a gain, `-units` for a loss. */
export const signedUnits = (movement: Pick<MrrMovement, "kind" | "units">): MrrUnits =>
  isGain(movement.kind) ? movement.units : -movement.units

/** The reporting day of an instant in `zone`, `YYYY-MM-DD`. */
export const dayOf = (at: Instant, zone: string): string => formatIsoDate(civilDateAt(at, zone))

/** The month of a reporting day, `YYYY-MM`. */
export const monthOfDay = (day: string): string => day.slice(0, 7)
