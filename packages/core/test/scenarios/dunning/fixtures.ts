/**
 * Test fixtures for dunning: real invoices (composed and issued through the invoicing API), services in
 * a given lifecycle state, policies decoded from input, and a small engine that carries out what
 * `dunningSchedule` says the way the real engine will (each due action once, under its key, then ask again).
 */
import { Either } from "effect"
import {
  composeInvoice,
  type DunningAction,
  type DunningPlan,
  type DunningPolicy,
  type DunningPolicyInput,
  decodeDunningPolicy,
  defaultDunningPolicy,
  dunningSchedule,
  encodeDunningPolicy,
  type Instant,
  type Invoice,
  type InvoiceKind,
  type InvoiceLine,
  issueInvoice,
  type SubscriptionState,
  type SuspensionReason,
  totalsOf,
  transition
} from "../../../src"

export const DAY = 86_400_000

/** An instant from an ISO string with an explicit offset (tests may parse; core never does). */
export const at = (iso: string): Instant => {
  const instant = Date.parse(iso)
  if (Number.isNaN(instant)) throw new Error(`bad instant ${iso}`)
  return instant
}

/** An instant as UTC ISO, for readable assertions. */
export const iso = (instant: Instant | undefined): string | undefined =>
  instant === undefined ? undefined : new Date(instant).toISOString()

/** An open (issued, unpaid) invoice of `total` minor units with no tax, due at `dueAt`. */
export const openInvoice = (options: {
  readonly dueAt: Instant
  readonly total: bigint
  readonly id?: string
  readonly kind?: InvoiceKind
  readonly subscriptionId?: string | undefined
  readonly currency?: Invoice["currency"]
  readonly issuedAt?: Instant
}): Invoice => {
  const draft = Either.getOrThrow(
    composeInvoice({
      head: {
        id: options.id ?? "inv_1",
        tenantId: "ten_1",
        customerId: "cus_1",
        subscriptionId: "subscriptionId" in options ? options.subscriptionId : "sub_1",
        kind: options.kind ?? "renewal",
        currency: options.currency ?? "EUR",
        pricing: "exclusive",
        dueAt: options.dueAt,
        period: undefined
      },
      charges: [
        { kind: "plan", description: "VPS", quantity: 1n, unitAmount: options.total, amount: options.total }
      ],
      coupons: [],
      tax: { kind: "none" },
      rounding: "half-even"
    })
  )
  return Either.getOrThrow(issueInvoice(draft, options.issuedAt ?? options.dueAt - 7 * DAY, "INV-1"))
}

/** The invoice with a late fee line added (what the engine does for `ApplyLateFee`). */
export const withLateFee = (invoice: Invoice, fee: bigint): Invoice => {
  const line: InvoiceLine = {
    kind: "late_fee",
    description: "Late fee",
    quantity: 1n,
    unitAmount: fee,
    amount: fee,
    net: fee,
    tax: 0n,
    gross: fee,
    taxes: [],
    period: undefined,
    itemId: undefined,
    couponId: undefined,
    reduces: undefined
  }
  const lines = [...invoice.lines, line]
  return { ...invoice, lines, totals: totalsOf(lines) }
}

/** A service's lifecycle in `status`, suspended for `reason` at `suspendedAt` when given. */
export const lifecycle = (
  status: SubscriptionState["status"],
  suspension?: { readonly reason: SuspensionReason; readonly at: Instant }
): SubscriptionState => ({ status, suspension, cancellation: undefined, trialEndsAt: undefined })

/** A policy: the default one with some fields overridden, decoded from input like the admin panel's. */
export const policyWith = (overrides: Partial<DunningPolicyInput> = {}): DunningPolicy =>
  Either.getOrThrow(decodeDunningPolicy({ ...encodeDunningPolicy(defaultDunningPolicy), ...overrides }))

/** What the fake engine has done so far. */
export interface World {
  invoice: Invoice | undefined
  lifecycle: SubscriptionState
  attempts: number
  readonly done: Set<string>
  /** Every action carried out, with the instant the engine ran it. */
  readonly log: Array<{ readonly ranAt: Instant; readonly action: DunningAction }>
}

export const newWorld = (invoice: Invoice | undefined, state: SubscriptionState, attempts = 0): World => ({
  invoice,
  lifecycle: state,
  attempts,
  done: new Set(),
  log: []
})

export interface RunContext {
  readonly policy: DunningPolicy
  readonly zone: string
  readonly subscriptionId?: string
}

const plan = (world: World, context: RunContext, now: Instant): DunningPlan =>
  dunningSchedule({
    invoice: world.invoice,
    subscription: { id: context.subscriptionId ?? "sub_1", lifecycle: world.lifecycle },
    attempts: world.attempts,
    done: world.done,
    policy: context.policy,
    now,
    zone: context.zone
  })

const lifecycleAfter = (state: SubscriptionState, action: DunningAction, now: Instant): SubscriptionState => {
  const command = (() => {
    switch (action._tag) {
      case "SuspendService":
        return { _tag: "Suspend", reason: action.reason } as const
      case "TerminateService":
        return { _tag: "Terminate" } as const
      case "CancelPendingOrder":
        return { _tag: "Cancel", mode: "immediately", reason: "unpaid order" } as const
      case "UnsuspendService":
        return { _tag: "Unsuspend", by: "payment" } as const
      default:
        return undefined
    }
  })()
  return command === undefined ? state : Either.getOrThrow(transition(state, command, now)).state
}

/**
 * One engine run at `now`: carries out every due action (each retry fails), records its key, and asks
 * again until nothing is due. Returns the plan of the last question (its `nextAt` is when to come back).
 */
export const runDunning = (world: World, context: RunContext, now: Instant): DunningPlan => {
  for (let round = 0; round < 20; round++) {
    const current = plan(world, context, now)
    if (current.due.length === 0) return current
    for (const action of current.due) {
      if (world.done.has(action.key)) throw new Error(`${action.key} returned twice`)
      world.done.add(action.key)
      world.log.push({ ranAt: now, action })
      if (action._tag === "RetryPayment") world.attempts = action.attempt
      if (action._tag === "ApplyLateFee" && world.invoice !== undefined) {
        world.invoice = withLateFee(world.invoice, action.fee.amount)
      }
      world.lifecycle = lifecycleAfter(world.lifecycle, action, now)
    }
  }
  throw new Error("dunning did not settle in 20 rounds")
}

/** The log as `[ran at, scheduled at, key]` rows in UTC ISO, for exact assertions. */
export const logView = (world: World): Array<[string | undefined, string | undefined, string]> =>
  world.log.map(({ ranAt, action }) => [iso(ranAt), iso(action.at), action.key])
