/**
 * The engine's job handlers, by job kind, for `runWorker` / `workOnce`: what the jobs the engine writes
 * (`billing_run` and `dunning_run` from the scheduler, `collect` from the billing run, `reconcile` from
 * collection, `dunning_*` from the dunning run, `complete_cancellation` from a cancellation at the end of
 * the period, `plan_change` from a plan change at the end of the period) do.
 * A handler fails when its job must be tried again later (the worker's backoff), and succeeds when the
 * job is done, whatever the business outcome (a declined card is done: dunning takes over).
 */
import { Effect, Schema } from "effect"
import { BillingCycles } from "../catalog/cycle"
import type { Ids } from "../ports/ids"
import type { PaymentGateway } from "../ports/payment-gateway"
import type { Job } from "../ports/store/records"
import type { Store } from "../ports/store/store"
import { planBillingRun, runBillingChunk } from "./billing-run"
import { completeCancellation } from "./cancel"
import { collectInvoice, reconcileCollection } from "./collection"
import {
  applyLateFeeHandler,
  cancelPendingOrderHandler,
  retryPaymentHandler,
  sendReminderHandler,
  suspendServiceHandler,
  terminateServiceHandler
} from "./dunning-actions"
import { dunningJobKinds, runDunning } from "./dunning-run"
import { type GatewayEvents, gatewayEventJobKind, processGatewayEvent } from "./gateway-events"
import { applyScheduledChange } from "./scheduled-change"
import type { JobHandler } from "./worker"

const CollectPayload = Schema.Struct({
  invoiceId: Schema.String,
  attempt: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 })
})
const BillingRunPayload = Schema.Struct({
  slot: Schema.optionalWith(Schema.Int, { exact: true }),
  chunkSize: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { exact: true })
})
const BillingChunkPayload = Schema.Struct({
  slot: Schema.Int,
  index: Schema.Int,
  plannedAt: Schema.Int,
  after: Schema.optionalWith(Schema.String, { exact: true }),
  last: Schema.optionalWith(Schema.Struct({ nextRenewalAt: Schema.Int, id: Schema.String }), { exact: true })
})
const ReconcilePayload = Schema.Struct({
  invoiceId: Schema.String,
  attempt: Schema.Int.pipe(Schema.positive()),
  /** An on-session attempt's method (`payOnSession`). */
  checkoutMethodId: Schema.optionalWith(Schema.String, { exact: true })
})

const CompleteCancellationPayload = Schema.Struct({ subscriptionId: Schema.String })
const PlanChangePayload = Schema.Struct({
  subscriptionId: Schema.String,
  change: Schema.Struct({
    planId: Schema.String,
    cycle: Schema.optionalWith(Schema.Literal(...BillingCycles), { exact: true }),
    options: Schema.optionalWith(
      Schema.Array(
        Schema.Union(
          Schema.Struct({ optionId: Schema.String, choiceId: Schema.String }),
          Schema.Struct({ optionId: Schema.String, quantity: Schema.Number }),
          Schema.Struct({ optionId: Schema.String, enabled: Schema.Boolean })
        )
      ),
      { exact: true }
    ),
    addons: Schema.optionalWith(
      Schema.Array(
        Schema.Struct({
          addonId: Schema.String,
          cycle: Schema.optionalWith(Schema.Literal(...BillingCycles), { exact: true })
        })
      ),
      { exact: true }
    )
  }),
  actor: Schema.Struct({
    kind: Schema.Literal("staff", "customer", "api_key", "system"),
    id: Schema.String
  })
})

/** The payload of a job the engine wrote is not what it should be: a bug, so the job dies loudly. */
const payload = <A, I>(schema: Schema.Schema<A, I>, job: Job): Effect.Effect<A> =>
  Effect.orDie(Schema.decodeUnknown(schema)(job.payload))

/** A reconciliation that is still waiting for the gateway: the job is retried with its backoff. */
export class StillReconciling extends Schema.TaggedError<StillReconciling>()("StillReconciling", {
  invoiceId: Schema.String,
  attempt: Schema.Number
}) {
  override get message() {
    return `The outcome of collection attempt ${this.attempt} of invoice ${this.invoiceId} is not known yet`
  }
}

export type EngineServices = Store | Ids | PaymentGateway

/** Handlers for the jobs the engine writes (all but `provision` and `notify`), to give to the worker. */
export const engineHandlers: { readonly [kind: string]: JobHandler<EngineServices> } = {
  // the run is planned as `billing_chunk` jobs (one per range of due subscriptions) that any worker claims
  billing_run: (job) =>
    Effect.flatMap(payload(BillingRunPayload, job), ({ slot, chunkSize }) =>
      Effect.asVoid(
        planBillingRun({
          tenantId: job.tenantId,
          slot: slot ?? job.runAt,
          maxAttempts: job.maxAttempts,
          ...(chunkSize === undefined ? {} : { chunkSize })
        })
      )
    ),
  billing_chunk: (job) =>
    Effect.flatMap(payload(BillingChunkPayload, job), (chunk) =>
      Effect.asVoid(runBillingChunk(job.tenantId, chunk))
    ),
  dunning_run: (job) => Effect.asVoid(runDunning({ tenantId: job.tenantId })),
  [dunningJobKinds.RetryPayment]: retryPaymentHandler,
  [dunningJobKinds.SendReminder]: sendReminderHandler,
  [dunningJobKinds.ApplyLateFee]: applyLateFeeHandler,
  [dunningJobKinds.SuspendService]: suspendServiceHandler,
  [dunningJobKinds.TerminateService]: terminateServiceHandler,
  [dunningJobKinds.CancelPendingOrder]: cancelPendingOrderHandler,
  collect: (job) =>
    Effect.flatMap(payload(CollectPayload, job), ({ invoiceId, attempt }) =>
      Effect.asVoid(collectInvoice({ tenantId: job.tenantId, invoiceId, attempt }))
    ),
  complete_cancellation: (job) =>
    Effect.flatMap(payload(CompleteCancellationPayload, job), ({ subscriptionId }) =>
      Effect.asVoid(completeCancellation({ tenantId: job.tenantId, subscriptionId }))
    ),
  plan_change: (job) =>
    Effect.flatMap(payload(PlanChangePayload, job), ({ subscriptionId, change, actor }) =>
      Effect.asVoid(applyScheduledChange({ tenantId: job.tenantId, subscriptionId, change, actor }))
    ),
  reconcile: (job) =>
    Effect.flatMap(payload(ReconcilePayload, job), ({ invoiceId, attempt, checkoutMethodId }) => {
      const request = {
        tenantId: job.tenantId,
        invoiceId,
        attempt,
        ...(checkoutMethodId === undefined ? {} : { checkout: { methodId: checkoutMethodId } })
      }
      return Effect.flatMap(
        reconcileCollection(request),
        (outcome): Effect.Effect<void, unknown, EngineServices> => {
          switch (outcome._tag) {
            case "Reconciling":
              return Effect.fail(new StillReconciling({ invoiceId, attempt }))
            case "Unseen":
              // An on-session attempt the gateway never saw: the customer was there and pays again.
              if (request.checkout !== undefined) return Effect.void
              // The request never reached the gateway: charging with the same key cannot charge twice.
              // If that answer is lost too, this job (which holds the reconcile key) stays to ask again.
              return Effect.flatMap(collectInvoice(request), (collected) =>
                collected._tag === "Reconciling"
                  ? Effect.fail(new StillReconciling({ invoiceId, attempt }))
                  : Effect.void
              )
            default:
              return Effect.void
          }
        }
      )
    })
}

const GatewayEventPayload = Schema.Struct({ source: Schema.String, eventId: Schema.String })

/**
 * A gateway event whose charge the gateway does not show yet: the job is retried with its backoff.
 * `idempotencyKey` names the charge: the collection attempt's key, or the gateway's charge id.
 */
export class ChargeNotYetVisible extends Schema.TaggedError<ChargeNotYetVisible>()("ChargeNotYetVisible", {
  idempotencyKey: Schema.String
}) {
  override get message() {
    return `The gateway does not show the charge ${this.idempotencyKey} yet`
  }
}

/**
 * The handler of `gateway_event` jobs (written by `receiveWebhook`), apart from `engineHandlers` because
 * it also needs the tenant's `GatewayEvents`: a host that receives webhooks adds it to the worker's
 * handlers (`{ ...engineHandlers, ...gatewayEventHandlers }`).
 */
export const gatewayEventHandlers: {
  readonly [kind: string]: JobHandler<EngineServices | GatewayEvents>
} = {
  [gatewayEventJobKind]: (job) =>
    Effect.flatMap(payload(GatewayEventPayload, job), ({ source, eventId }) =>
      Effect.flatMap(
        processGatewayEvent({ tenantId: job.tenantId, source, eventId }),
        (outcome): Effect.Effect<void, ChargeNotYetVisible> =>
          outcome._tag === "ChargeUnseen"
            ? Effect.fail(
                new ChargeNotYetVisible({ idempotencyKey: outcome.idempotencyKey ?? outcome.chargeId ?? "" })
              )
            : Effect.void
      )
    )
}
