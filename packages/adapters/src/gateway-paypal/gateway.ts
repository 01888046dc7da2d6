/**
 * `PaymentGatewayService` on PayPal (Orders v2, Payments v2, Vault v3) through the official SDK.
 *
 * - Charges: an order with `intent: CAPTURE`. With a vault payment token (`methodId`) it is
 *   merchant-initiated: PayPal either completes it at create (a capture comes back) or leaves it APPROVED
 *   and we capture; with `methodId: "paypal"` (`payPalCheckout`) it is a one-off checkout that needs the
 *   payer's approval (`requires_action` with the link; charging again with the same key after approval
 *   captures it).
 * - Idempotency: `PayPal-Request-Id` is derived from our idempotency key (create, capture and refund each
 *   their own), and our retry loop repeats a call with the same id; PayPal answers a repeat with the
 *   current state of what the first request made. The order's `invoice_id` is the idempotency key too, and
 *   PayPal refuses a second payment with the same invoice id, so even past PayPal's retention (orders:
 *   6 h) a replay cannot charge twice.
 * - `retrieveCharge` by key: an order id we saw for the key is read with GET. Otherwise (the create timed
 *   out, or another process made it) we repeat the create with the same request id but *without* a payment
 *   source: PayPal returns the original order if there was one; if there was none it makes a bare
 *   CREATED order that nobody can pay without approving it — "never seen". The lookup never charges.
 *   Reconcile `unknown` outcomes well within PayPal's 6 h order retention.
 * - Timeouts and 5xx after the request may have left, still failing after our retries: `unknown`.
 */
import { createHash, randomUUID } from "node:crypto"
import {
  type ChargeOutcome,
  type ChargeRequest,
  type CurrencyCode,
  type GatewayCapabilities,
  GatewayError,
  minorPerMajor,
  type PaymentGatewayService,
  type PaymentMethod
} from "@ezscale/core"
import {
  CheckoutPaymentIntent,
  type Client,
  OrdersController,
  PaymentsController,
  PaypalPaymentTokenUsageType,
  VaultController,
  VaultTokenRequestType
} from "@paypal/paypal-server-sdk"
import { Effect, Either, Option } from "effect"
import {
  declineIssues,
  gatewayError,
  isRetryable,
  type PayPalCallFailure,
  payerActionIssues,
  readFailure
} from "./errors"
import { payPalCanExpress, payPalCurrencies, toPayPalAmount } from "./money"
import {
  captureOutcome,
  captureView,
  linksOf,
  type OrderView,
  orderOutcome,
  orderView,
  refundOutcome
} from "./outcomes"

/** `methodId` for a one-off PayPal checkout: the payer approves at PayPal, nothing is saved. */
export const payPalCheckout = "paypal"

export interface PayPalGatewayOptions {
  readonly client: Client
  /** Our retries of a failed call (same PayPal-Request-Id each time); default 2. */
  readonly retries?: number
  /** First back-off in ms, doubled each retry; default 500. */
  readonly retryDelayMs?: number
  readonly currencies?: ReadonlyArray<CurrencyCode>
  /** Where PayPal sends the payer back after approving a checkout or a saved method. */
  readonly returnUrl?: string
  readonly cancelUrl?: string
  readonly brandName?: string
  /** Where the order id each key led to is kept; default in memory (see `PayPalChargeIndex`). */
  readonly index?: PayPalChargeIndex
}

/**
 * The order id each idempotency key led to. A cache, not the source of truth: without an entry (a new
 * process, a create that timed out) the adapter asks PayPal by repeating the create's request id. A host
 * may keep it durably to skip that round trip.
 */
export interface PayPalChargeIndex {
  readonly get: (idempotencyKey: string) => string | undefined
  readonly set: (idempotencyKey: string, orderId: string) => void
}

export const inMemoryChargeIndex = (): PayPalChargeIndex => {
  const orders = new Map<string, string>()
  return { get: (key) => orders.get(key), set: (key, orderId) => void orders.set(key, orderId) }
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex")

/** Deterministic PayPal-Request-Id per (operation, our key); within PayPal's 108 characters. */
export const payPalRequestId = (operation: "order" | "capture" | "refund" | "token", key: string) =>
  `ezs-${operation}-${hash(key).slice(0, 48)}`

/** PayPal's `invoice_id` for a charge: the key itself when it fits (127 chars), so events lead back to it. */
export const payPalInvoiceId = (key: string) => (key.length <= 127 ? key : `ezs-${hash(key)}`)

/** PayPal's vault customer id for our customer: stable, 22 characters of [A-Za-z0-9_-]. */
export const payPalCustomerId = (customerId: string) =>
  createHash("sha256").update(`ezscale-customer:${customerId}`).digest("base64url").slice(0, 22)

/**
 * An order with no payment source waiting in CREATED: only a `retrieveCharge` lookup makes one (our
 * charges always carry a payment source: a vault token, or PayPal with an experience context, which
 * waits in PAYER_ACTION_REQUIRED). Nobody can pay it without approving it; it expires unpaid.
 */
const isBareOrder = (order: OrderView) => order.status === "CREATED" && order.capture === undefined

const sleep = (ms: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), ms)
    return Effect.sync(() => clearTimeout(timer))
  })

export const makePayPalGateway = (options: PayPalGatewayOptions): PaymentGatewayService => {
  const orders = new OrdersController(options.client)
  const payments = new PaymentsController(options.client)
  const vault = new VaultController(options.client)
  const retries = options.retries ?? 2
  const retryDelayMs = options.retryDelayMs ?? 500
  const capabilities: GatewayCapabilities = {
    refunds: true,
    partialRefunds: true,
    offSession: true,
    currencies: options.currencies ?? payPalCurrencies
  }
  const probeCurrency = capabilities.currencies[0] ?? "USD"
  /** The amount of the bare order a lookup may leave behind (one major unit; nobody can pay it unapproved). */
  const probeAmount = { amount: minorPerMajor(probeCurrency), currency: probeCurrency }
  const index = options.index ?? inMemoryChargeIndex()

  const invalid = (detail: string, vendorCode?: string) =>
    new GatewayError({
      reason: "InvalidRequest",
      retryable: false,
      gateway: "paypal",
      detail,
      ...(vendorCode === undefined ? {} : { vendorCode })
    })

  /**
   * One SDK call with our retries (same arguments, so the same PayPal-Request-Id). Left: what the last
   * attempt got — PayPal's refusal, or a failure still there after the retries.
   */
  const call = <A>(run: (signal: AbortSignal) => Promise<{ result: A }>) => {
    const attempt = (n: number): Effect.Effect<Either.Either<A, PayPalCallFailure>> =>
      Effect.tryPromise({ try: (signal) => run(signal), catch: readFailure }).pipe(
        Effect.map((response) => Either.right(response.result)),
        Effect.catchAll((failure) =>
          n < retries && isRetryable(failure)
            ? Effect.zipRight(sleep(retryDelayMs * 2 ** n), attempt(n + 1))
            : Effect.succeed(Either.left(failure))
        )
      )
    return attempt(0)
  }

  const orFail = <A>(result: Either.Either<A, PayPalCallFailure>) =>
    Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(gatewayError(result.left))

  const unknownOutcome = (request: ChargeRequest, failure: PayPalCallFailure): ChargeOutcome => ({
    status: "unknown",
    idempotencyKey: request.idempotencyKey,
    amount: request.amount,
    reason: failure._tag === "Answered" ? `PayPal answered ${failure.status}` : failure.message
  })

  const refusedOutcome = (
    request: ChargeRequest,
    failure: PayPalCallFailure & { _tag: "Answered" },
    order?: OrderView
  ) => {
    const issue = failure.issue ?? "UNKNOWN"
    if (payerActionIssues.has(issue)) {
      const url =
        failure.links.find((link) => link.rel === "payer-action" || link.rel === "approve")?.href ??
        order?.links.find((link) => link.rel === "payer-action" || link.rel === "approve")?.href
      return {
        status: "requires_action",
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        reason: failure.message,
        ...(url === undefined ? {} : { actionUrl: url })
      } satisfies ChargeOutcome
    }
    return {
      status: "failed",
      idempotencyKey: request.idempotencyKey,
      amount: request.amount,
      reason: failure.message,
      declineCode: issue
    } satisfies ChargeOutcome
  }

  const orderBody = (request: ChargeRequest) => {
    const cancelUrl = options.cancelUrl ?? options.returnUrl
    const experienceContext = {
      ...(options.returnUrl === undefined ? {} : { returnUrl: options.returnUrl }),
      ...(cancelUrl === undefined ? {} : { cancelUrl }),
      ...(options.brandName === undefined ? {} : { brandName: options.brandName })
    }
    return {
      intent: CheckoutPaymentIntent.Capture,
      purchaseUnits: [
        {
          referenceId: "default",
          amount: toPayPalAmount(request.amount),
          customId: request.invoiceId,
          invoiceId: payPalInvoiceId(request.idempotencyKey),
          ...(request.description === undefined ? {} : { description: request.description.slice(0, 127) })
        }
      ],
      paymentSource: {
        paypal: request.methodId === payPalCheckout ? { experienceContext } : { vaultId: request.methodId }
      }
    }
  }

  const createOrder = (request: ChargeRequest) =>
    call((abortSignal) =>
      orders.createOrder(
        {
          body: orderBody(request),
          paypalRequestId: payPalRequestId("order", request.idempotencyKey),
          prefer: "return=representation"
        },
        { abortSignal }
      )
    )

  /** From an order to an outcome, capturing an APPROVED order (with its own stable request id). */
  const settle = (request: ChargeRequest, order: OrderView): Effect.Effect<ChargeOutcome> => {
    if (order.status !== "APPROVED" || order.capture !== undefined)
      return Effect.succeed(orderOutcome(order, request.idempotencyKey, request.amount))
    return call((abortSignal) =>
      orders.captureOrder(
        {
          id: order.id,
          paypalRequestId: payPalRequestId("capture", request.idempotencyKey),
          prefer: "return=representation"
        },
        { abortSignal }
      )
    ).pipe(
      Effect.map((captured) => {
        if (Either.isLeft(captured)) {
          const failure = captured.left
          if (failure._tag === "Answered" && failure.status < 500 && failure.status !== 429)
            return refusedOutcome(request, failure, order)
          return unknownOutcome(request, failure)
        }
        const view = orderView(captured.right)
        return view === undefined
          ? unknownOutcome(request, { _tag: "MaybeSent", message: "unreadable capture response" })
          : orderOutcome(view, request.idempotencyKey, request.amount)
      })
    )
  }

  const checkCharge = (request: ChargeRequest) => {
    if (request.amount.amount <= 0n)
      return Effect.fail(invalid("amount must be positive", "CANNOT_BE_ZERO_OR_NEGATIVE"))
    if (!capabilities.currencies.includes(request.amount.currency))
      return Effect.fail(
        invalid(
          `currency ${request.amount.currency} not supported by this PayPal account`,
          "CURRENCY_NOT_SUPPORTED"
        )
      )
    if (!payPalCanExpress(request.amount))
      return Effect.fail(
        invalid(`PayPal takes whole ${request.amount.currency} amounts only`, "DECIMALS_NOT_SUPPORTED")
      )
    if (request.offSession && request.methodId === payPalCheckout)
      return Effect.fail(
        invalid("a PayPal checkout needs the payer present; charge a saved method off-session")
      )
    return Effect.void
  }

  const charge = (request: ChargeRequest): Effect.Effect<ChargeOutcome, GatewayError> =>
    Effect.gen(function* () {
      yield* checkCharge(request)
      const seen = index.get(request.idempotencyKey)
      if (seen !== undefined) {
        const current = yield* call((abortSignal) => orders.getOrder({ id: seen }, { abortSignal })).pipe(
          Effect.flatMap(orFail)
        )
        const order = orderView(current)
        if (order !== undefined) return yield* settle(request, order)
      }
      const created = yield* createOrder(request)
      if (Either.isLeft(created)) {
        const failure = created.left
        if (failure._tag === "Answered" && failure.status < 500 && failure.status !== 429) {
          if (
            failure.issue !== undefined &&
            (declineIssues.has(failure.issue) || payerActionIssues.has(failure.issue))
          )
            return refusedOutcome(request, failure)
          return yield* Effect.fail(gatewayError(failure))
        }
        if (failure._tag === "NotSent" || (failure._tag === "Answered" && failure.status === 429))
          return yield* Effect.fail(gatewayError(failure))
        return unknownOutcome(request, failure)
      }
      const order = orderView(created.right)
      if (order === undefined)
        return unknownOutcome(request, { _tag: "MaybeSent", message: "unreadable order response" })
      if (isBareOrder(order)) {
        // PayPal replayed the bare order a lookup made for this key: nothing was or will be charged with it.
        return {
          status: "canceled",
          idempotencyKey: request.idempotencyKey,
          amount: request.amount,
          reason: "this idempotency key was looked up before it charged anything; charge with a new key"
        } satisfies ChargeOutcome
      }
      index.set(request.idempotencyKey, order.id)
      return yield* settle(request, order)
    })

  const retrieveByKey = (idempotencyKey: string) =>
    Effect.gen(function* () {
      const orderId = index.get(idempotencyKey)
      const found =
        orderId === undefined
          ? // Same request id, no payment source: the original order if PayPal has one, else a bare CREATED order.
            yield* call((abortSignal) =>
              orders.createOrder(
                {
                  body: {
                    intent: CheckoutPaymentIntent.Capture,
                    purchaseUnits: [{ referenceId: "default", amount: toPayPalAmount(probeAmount) }]
                  },
                  paypalRequestId: payPalRequestId("order", idempotencyKey),
                  prefer: "return=representation"
                },
                { abortSignal }
              )
            )
          : yield* call((abortSignal) => orders.getOrder({ id: orderId }, { abortSignal }))
      if (Either.isLeft(found)) return yield* Effect.fail(gatewayError(found.left))
      const order = orderView(found.right)
      if (order === undefined || isBareOrder(order)) return Option.none()
      index.set(idempotencyKey, order.id)
      if (order.amount === undefined) return Option.none()
      return Option.some(orderOutcome(order, idempotencyKey, order.amount))
    })

  const retrieveByChargeId = (chargeId: string) =>
    Effect.gen(function* () {
      const found = yield* call((abortSignal) =>
        payments.getCapturedPayment({ captureId: chargeId }, { abortSignal })
      )
      if (Either.isLeft(found)) {
        if (found.left._tag === "Answered" && found.left.status === 404) return Option.none()
        return yield* Effect.fail(gatewayError(found.left))
      }
      const capture = captureView(found.right)
      if (capture?.amount === undefined) return Option.none()
      return Option.some(captureOutcome(capture, capture.invoiceId ?? "", capture.amount))
    })

  const methodOf = (token: unknown): PaymentMethod | undefined => {
    const value = token as { id?: string; paymentSource?: { paypal?: { emailAddress?: string } } } | undefined
    if (value?.id === undefined) return undefined
    const email = value.paymentSource?.paypal?.emailAddress
    return { id: value.id, kind: "paypal", label: email === undefined ? "PayPal" : `PayPal (${email})` }
  }

  return {
    name: "paypal",
    capabilities,
    ensureCustomer: (request) => Effect.succeed({ gatewayCustomerId: payPalCustomerId(request.customerId) }),
    createSetup: (request) =>
      Effect.gen(function* () {
        const returnUrl = request.returnUrl ?? options.returnUrl
        if (returnUrl === undefined)
          return yield* Effect.fail(invalid("a return URL is needed for PayPal's approval"))
        // A new setup session each time; the retries of this call share one request id.
        const requestId = `ezs-setup-${randomUUID()}`
        const created = yield* call((abortSignal) =>
          vault.createSetupToken(
            {
              body: {
                customer: { id: request.gatewayCustomerId },
                paymentSource: {
                  paypal: {
                    usageType: PaypalPaymentTokenUsageType.Merchant,
                    experienceContext: {
                      returnUrl,
                      cancelUrl: options.cancelUrl ?? returnUrl,
                      ...(options.brandName === undefined ? {} : { brandName: options.brandName })
                    }
                  }
                }
              },
              paypalRequestId: requestId
            },
            { abortSignal }
          )
        ).pipe(Effect.flatMap(orFail))
        const approvalUrl = linksOf(created.links).find((link) => link.rel === "approve")?.href
        if (created.id === undefined || approvalUrl === undefined)
          return yield* Effect.fail(invalid("PayPal returned a setup token without an approval link"))
        return { setupId: created.id, approvalUrl }
      }),
    completeSetup: (setupId) =>
      Effect.gen(function* () {
        const created = yield* call((abortSignal) =>
          vault.createPaymentToken(
            {
              body: { paymentSource: { token: { id: setupId, type: VaultTokenRequestType.SetupToken } } },
              paypalRequestId: payPalRequestId("token", setupId)
            },
            { abortSignal }
          )
        ).pipe(Effect.flatMap(orFail))
        const method = methodOf(created)
        if (method === undefined)
          return yield* Effect.fail(invalid("PayPal returned a payment token without an id"))
        return method
      }),
    listMethods: (gatewayCustomerId) =>
      call((abortSignal) =>
        vault.listCustomerPaymentTokens({ customerId: gatewayCustomerId }, { abortSignal })
      ).pipe(
        Effect.flatMap(orFail),
        Effect.map((list) => (list.paymentTokens ?? []).flatMap((token) => methodOf(token) ?? []))
      ),
    detachMethod: (methodId) =>
      call((abortSignal) => vault.deletePaymentToken(methodId, { abortSignal })).pipe(
        Effect.flatMap(orFail),
        Effect.asVoid
      ),
    charge,
    retrieveCharge: (reference) =>
      "idempotencyKey" in reference
        ? retrieveByKey(reference.idempotencyKey)
        : retrieveByChargeId(reference.chargeId),
    refund: (request) =>
      Effect.gen(function* () {
        if (request.amount.amount <= 0n) return yield* Effect.fail(invalid("refund amount must be positive"))
        if (!capabilities.currencies.includes(request.amount.currency) || !payPalCanExpress(request.amount))
          return yield* Effect.fail(
            invalid(`PayPal cannot refund ${request.amount.currency} ${request.amount.amount}`)
          )
        const refunded = yield* call((abortSignal) =>
          payments.refundCapturedPayment(
            {
              captureId: request.chargeId,
              paypalRequestId: payPalRequestId("refund", request.idempotencyKey),
              prefer: "return=representation",
              body: {
                amount: toPayPalAmount(request.amount),
                ...(request.reason === undefined ? {} : { noteToPayer: request.reason.slice(0, 255) })
              }
            },
            { abortSignal }
          )
        ).pipe(Effect.flatMap(orFail))
        const outcome = refundOutcome(refunded, request.chargeId, request.amount)
        if (outcome === undefined) return yield* Effect.fail(invalid("PayPal returned an unreadable refund"))
        return outcome
      })
  }
}
