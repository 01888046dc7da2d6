/**
 * The end-to-end wiring shared by the e2e tests: the engine on a real store (a fresh SQLite file, or a
 * MariaDB database of its own), a real gateway adapter talking HTTP to its local fake, and a local HTTP
 * endpoint that takes the fake's signed webhook deliveries the way a host does (the adapter's
 * `GatewayWebhooks.verify`, then `receiveWebhook`). Everything runs in one `ManagedRuntime` whose Effect
 * clock is a manual one the test moves (billing day, due date, dunning days); the Stripe fake reads the
 * same clock, so its signatures are as fresh as the engine thinks they are.
 *
 * `work()` runs the due jobs through the engine's worker (`workOnce` with `engineHandlers` and
 * `gatewayEventHandlers`) until none is left, as a host's worker would.
 */
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import {
  type BillingSettingsInput,
  type CivilDate,
  decodeBillingSettings,
  decodeTaxRules,
  dunningDay,
  type EngineServices,
  encodeBillingSettings,
  engineHandlers,
  GatewayEvents,
  type GatewayWebhooks,
  gatewayEventHandlers,
  Ids,
  PaymentGateway,
  type PaymentGatewayService,
  type PaymentMethod,
  receiveWebhook,
  type SavedPaymentMethod,
  Store,
  startOfDayInZone,
  workOnce
} from "@ezscale/core"
import { makeCustomer, makeSubscription, makeTenant, SequentialIds } from "@ezscale/testkit"
import { Clock, Duration, Effect, Either, Exit, Layer, ManagedRuntime } from "effect"
import { type EngineTestDatabase, mysqlTestDatabase, sqliteTestDatabase } from "../../engine/support/database"

export const tenantId = "tenant-1"
export const customerId = "cus-1"
export const subscriptionId = "sub-1"
export const zone = "Europe/Paris"

/** The renewal: sub-1's period 2026-03-15..04-15 is due on Mar 15 at midnight in Paris. */
export const renewalDate: CivilDate = { year: 2026, month: 3, day: 15 }
export const due = startOfDayInZone(renewalDate, zone)
/** Day n of dunning: n civil days after the due date, at the same local time. */
export const onDay = (n: number) => dunningDay(due, n, zone)

/** Retries on days 1 and 3 after the due date (attempts 2 and 3), no late fee, suspension on day 10. */
export const billingSettings: BillingSettingsInput = {
  timeZone: zone,
  seller: { country: "FR", euVat: "oss" },
  numbering: { format: "INV-{NUMBER:5}", reset: "never", start: 1, mode: "immediate" },
  dunning: {
    invoiceLeadDays: 7,
    retryDays: [1, 3, 12],
    reminders: { beforeDueDays: 3, onDue: true, overdueDays: [1, 3, 7] },
    suspendAfterDays: 10,
    terminateAfterDays: 20,
    cancelPendingOrderAfterDays: 7,
    unsuspendOnPayment: true
  }
}

// --- the clock -----------------------------------------------------------------------------------------

/** An Effect clock that stands still until the test moves it (sleeping still takes real time). */
export interface ManualClock {
  readonly now: () => number
  readonly set: (at: number) => void
  readonly layer: Layer.Layer<never>
}

export const manualClock = (start: number): ManualClock => {
  let now = start
  const live = Clock.make()
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration: Duration.DurationInput) => live.sleep(Duration.decode(duration))
  }
  return {
    now: () => now,
    set: (at) => {
      now = at
    },
    layer: Layer.setClock(clock)
  }
}

// --- the store -----------------------------------------------------------------------------------------

export type StoreKind = "sqlite" | "mysql"

export const openDatabase = (kind: StoreKind, mysqlUrl: string): Promise<EngineTestDatabase> =>
  kind === "sqlite" ? sqliteTestDatabase() : mysqlTestDatabase(mysqlUrl, "e2e")

// --- the harness ---------------------------------------------------------------------------------------

/** What the webhook endpoint did with one delivery. */
export interface Receipt {
  readonly eventId: string
  readonly type: string
  readonly isNew: boolean
}

export interface WorkSummary {
  /** Jobs completed. */
  readonly completed: number
  readonly failures: ReadonlyArray<{ readonly kind: string; readonly error: string }>
}

export interface Harness<G extends PaymentGatewayService> {
  readonly db: EngineTestDatabase
  readonly clock: ManualClock
  readonly gateway: G
  readonly webhooks: GatewayWebhooks
  /** Where the fake delivers its webhooks. */
  readonly webhookUrl: string
  /** Every delivery the endpoint accepted, in arrival order. */
  readonly receipts: Array<Receipt>
  /** Deliveries the endpoint refused (signature, age...): none expected. */
  readonly rejections: Array<string>
  readonly run: <A, E>(effect: Effect.Effect<A, E, EngineServices | GatewayEvents>) => Promise<A>
  readonly work: () => Promise<WorkSummary>
  readonly close: () => Promise<void>
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

const handlers = { ...engineHandlers, ...gatewayEventHandlers }

export const startHarness = async <G extends PaymentGatewayService>(options: {
  readonly db: EngineTestDatabase
  readonly clock: ManualClock
  readonly gateway: G
  readonly webhooks: GatewayWebhooks
}): Promise<Harness<G>> => {
  const { db, clock, gateway, webhooks } = options
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      db.storeLayer(),
      SequentialIds.layer,
      Layer.succeed(PaymentGateway, gateway),
      Layer.succeed(GatewayEvents, webhooks),
      clock.layer
    )
  )
  const run = <A, E>(effect: Effect.Effect<A, E, EngineServices | GatewayEvents>): Promise<A> =>
    runtime.runPromise(effect)

  const receipts: Array<Receipt> = []
  const rejections: Array<string> = []
  // The host's webhook endpoint: verify with the tenant's secret, keep in the inbox, answer 200.
  const server: Server = createServer((request, response) => {
    void readBody(request).then(async (rawBody) => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers))
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value
      const exit = await runtime.runPromiseExit(
        Effect.flatMap(webhooks.verify({ rawBody, headers }), (verified) =>
          Effect.map(receiveWebhook({ tenantId, gateway: webhooks.gateway, verified }), (receipt) => ({
            eventId: verified.eventId,
            type: verified.type,
            isNew: receipt.isNew
          }))
        )
      )
      if (Exit.isSuccess(exit)) {
        receipts.push(exit.value)
        response.writeHead(200).end()
      } else {
        rejections.push(String(exit.cause))
        response.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/${webhooks.gateway}`

  const work = async (): Promise<WorkSummary> => {
    const failures: Array<{ kind: string; error: string }> = []
    let completed = 0
    for (let round = 0; round < 50; round++) {
      const done = await run(workOnce({ workerId: "e2e-worker", handlers, concurrency: 1 }))
      completed += done.completed
      for (const failure of done.failed) failures.push({ kind: failure.kind, error: failure.error })
      if (done.claimed === 0) return { completed, failures }
    }
    throw new Error("the worker did not run dry in 50 rounds")
  }

  return {
    db,
    clock,
    gateway,
    webhooks,
    webhookUrl,
    receipts,
    rejections,
    run,
    work,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
      await db.close()
    }
  }
}

// --- seeding -------------------------------------------------------------------------------------------

/**
 * The tenant (French seller, the dunning policy above, 20 % VAT), a French consumer and an active monthly
 * 10.00 EUR VPS (12.00 with VAT) renewing on `renewalDate`.
 */
export const seedRenewal = Effect.gen(function* () {
  const store = yield* Store
  const settings = Either.getOrThrow(decodeBillingSettings(billingSettings))
  yield* store.tenants.put(
    makeTenant({ id: tenantId, settings: { billing: encodeBillingSettings(settings) } })
  )
  yield* store.taxRules.replace(
    tenantId,
    Either.getOrThrow(decodeTaxRules([{ id: "fr", country: "FR", name: "TVA", rate: "20" }]))
  )
  yield* store.customers.insert(
    tenantId,
    makeCustomer({
      id: customerId,
      tenantId,
      name: "Camille Martin",
      email: "camille@example.test",
      country: "FR",
      isBusiness: false,
      timeZone: zone
    })
  )
  yield* store.subscriptions.insert(
    tenantId,
    makeSubscription({
      id: subscriptionId,
      tenantId,
      customerId,
      timeZone: zone,
      anchor: { year: 2026, month: 1, day: 15 },
      currentPeriod: { start: { year: 2026, month: 2, day: 15 }, end: renewalDate },
      nextRenewalAt: due,
      invoicedPeriods: 2,
      createdAt: startOfDayInZone({ year: 2026, month: 1, day: 15 }, zone)
    })
  )
})

/** Keeps a method the gateway saved as the customer's default (what the host does once setup completes). */
export const storeMethod = (gatewayCustomerId: string, method: PaymentMethod) =>
  Effect.gen(function* () {
    const store = yield* Store
    const ids = yield* Ids
    const gateway = yield* PaymentGateway
    const now = yield* Clock.currentTimeMillis
    const saved: SavedPaymentMethod = {
      id: yield* ids.next("spm"),
      customerId,
      gateway: gateway.name,
      gatewayCustomerId,
      gatewayMethodId: method.id,
      kind: method.kind,
      label: method.label,
      ...(method.expiresAt === undefined ? {} : { expiresAt: method.expiresAt }),
      isDefault: true,
      createdAt: now
    }
    return yield* store.paymentMethods.insert(tenantId, saved)
  })

/** The billing run as the scheduler starts it: a `billing_run` job (the worker plans and runs it). */
export const enqueueBillingRun = Effect.gen(function* () {
  const store = yield* Store
  const now = yield* Clock.currentTimeMillis
  return yield* store.jobs.enqueue(tenantId, {
    kind: "billing_run",
    payload: { slot: now },
    runAt: now,
    dedupeKey: `billing_run:${now}`
  })
})
