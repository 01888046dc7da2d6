/**
 * PayPal webhooks, verified here rather than by PayPal's postback (PayPal's stated preference; no
 * network round trip per event): the signed string is
 * `<PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<our webhook id>|<CRC32 of the raw body, unsigned decimal>`,
 * the signature (`PAYPAL-TRANSMISSION-SIG`, base64, SHA256withRSA) is checked with the public key of the
 * certificate at `PAYPAL-CERT-URL`. In production that URL must be https on a paypal.com host and the
 * certificate in its validity window; certificates are cached per URL. A delivery for another webhook
 * (another id) fails the signature, since the id is part of what PayPal signed.
 *
 * Events read into `GatewayEvent`: PAYMENT.CAPTURE.COMPLETED / PENDING / DECLINED / DENIED (charges),
 * PAYMENT.CAPTURE.REFUNDED / REVERSED (refunds; a reversal is money taken back by the payer's bank),
 * CHECKOUT.ORDER.COMPLETED (its capture), VAULT.PAYMENT-TOKEN.CREATED / DELETED, CUSTOMER.DISPUTE.CREATED
 * / UPDATED / RESOLVED; everything else is Ignored.
 */
import { createPublicKey, verify, X509Certificate } from "node:crypto"
import { crc32 } from "node:zlib"
import type { GatewayEvent, GatewayWebhooks, Money, VerifiedWebhook } from "@ezscale/core"
import { WebhookRejected } from "@ezscale/core"
import { Clock, Effect } from "effect"
import { fromPayPalAmount } from "./money"
import { captureOutcome, captureView, linksOf, orderView, refundOutcome } from "./outcomes"

const gateway = "paypal"

const reject = (reason: WebhookRejected["reason"], detail: string) =>
  new WebhookRejected({ gateway, reason, detail })

/** Where certificates come from, and which URLs may serve them. */
export interface CertificateSource {
  /** The PEM certificate at `url`, or `Certificate` when the URL is not trusted or the download fails. */
  readonly fetch: (url: string) => Effect.Effect<string, WebhookRejected>
}

const cachedSource = (
  trusted: (url: URL) => boolean,
  download: (url: string) => Promise<string>
): CertificateSource => {
  const cache = new Map<string, string>()
  return {
    fetch: (url) =>
      Effect.gen(function* () {
        const cached = cache.get(url)
        if (cached !== undefined) return cached
        const parsed = yield* Effect.try({
          try: () => new URL(url),
          catch: () => reject("Certificate", `not a URL: ${url}`)
        })
        if (!trusted(parsed))
          return yield* Effect.fail(reject("Certificate", `untrusted certificate URL ${url}`))
        const pem = yield* Effect.tryPromise({
          try: () => download(url),
          catch: (error) => reject("Certificate", `cannot download ${url}: ${String(error)}`)
        })
        cache.set(url, pem)
        return pem
      })
  }
}

const download = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return response.text()
}

/** Production: https on paypal.com or a subdomain (api.paypal.com, api-m.sandbox.paypal.com), cached. */
export const payPalCertificates = (options: { readonly download?: (url: string) => Promise<string> } = {}) =>
  cachedSource(
    (url) =>
      url.protocol === "https:" && (url.hostname === "paypal.com" || url.hostname.endsWith(".paypal.com")),
    options.download ?? download
  )

/** Tests and demo mode: trusts only URLs under `prefix` (the fake's loopback URL), cached. */
export const trustedCertificatesFrom = (prefix: string): CertificateSource =>
  cachedSource((url) => url.href.startsWith(prefix), download)

export interface PayPalWebhooksConfig {
  /** The id of our webhook subscription at PayPal (not an event id). */
  readonly webhookId: string
  /** Default: `payPalCertificates()` (https, paypal.com only). */
  readonly certificates?: CertificateSource
  /** Refuse deliveries whose transmission time is further than this from now (either way); default none. */
  readonly maxAgeSeconds?: number
}

type Loose = Record<string, unknown>
const record = (value: unknown): Loose | undefined =>
  typeof value === "object" && value !== null ? (value as Loose) : undefined
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

const moneyOf = (value: unknown): Money | undefined => {
  const amount = record(value)
  const figure = text(amount?.value)
  return figure === undefined
    ? undefined
    : fromPayPalAmount({ currency_code: text(amount?.currency_code), value: figure })
}

const ignored: GatewayEvent = { _tag: "Ignored" }

const chargeEvent = (resource: unknown, denied: boolean): GatewayEvent => {
  const capture = captureView(resource)
  if (capture?.amount === undefined) return ignored
  const outcome = captureOutcome(
    denied ? { ...capture, status: "DECLINED", responseCode: capture.responseCode ?? "DENIED" } : capture,
    capture.invoiceId ?? "",
    capture.amount
  )
  return {
    _tag: "ChargeUpdated",
    outcome,
    ...(capture.customId === undefined ? {} : { invoiceId: capture.customId })
  }
}

const refundEvent = (resource: unknown): GatewayEvent => {
  const refund = record(resource)
  const captureLink = linksOf(refund?.links).find((link) => link.rel === "up")?.href
  const chargeId = captureLink?.split("/").pop()
  if (chargeId === undefined) return ignored
  const outcome = refundOutcome(resource, chargeId)
  if (outcome === undefined) return ignored
  const invoiceId = text(refund?.custom_id)
  return { _tag: "RefundUpdated", refund: outcome, ...(invoiceId === undefined ? {} : { invoiceId }) }
}

const disputeEvent = (resource: unknown): GatewayEvent => {
  const dispute = record(resource)
  const disputeId = text(dispute?.dispute_id)
  const transactions = dispute?.disputed_transactions
  const transaction = record(Array.isArray(transactions) ? transactions[0] : undefined)
  const chargeId = text(transaction?.seller_transaction_id)
  const amount = moneyOf(dispute?.dispute_amount)
  if (disputeId === undefined || chargeId === undefined || amount === undefined) return ignored
  const outcome = text(record(dispute?.dispute_outcome)?.outcome_code)
  const status =
    text(dispute?.status) === "RESOLVED"
      ? outcome === "RESOLVED_SELLER_FAVOUR" || outcome === "CANCELED_BY_BUYER" || outcome === "DENIED"
        ? "won"
        : "lost"
      : "open"
  const reason = text(dispute?.reason)
  const invoiceId = text(transaction?.custom)
  return {
    _tag: "DisputeUpdated",
    disputeId,
    chargeId,
    amount,
    status,
    ...(reason === undefined ? {} : { reason }),
    ...(invoiceId === undefined ? {} : { invoiceId })
  }
}

const tokenEvent = (resource: unknown, saved: boolean): GatewayEvent => {
  const token = record(resource)
  const id = text(token?.id)
  const customerId = text(record(token?.customer)?.id)
  if (id === undefined) return ignored
  if (!saved)
    return {
      _tag: "MethodRemoved",
      methodId: id,
      ...(customerId === undefined ? {} : { gatewayCustomerId: customerId })
    }
  if (customerId === undefined) return ignored
  const email = text(record(record(token?.payment_source)?.paypal)?.email_address)
  return {
    _tag: "MethodSaved",
    gatewayCustomerId: customerId,
    method: { id, kind: "paypal", label: email === undefined ? "PayPal" : `PayPal (${email})` }
  }
}

/** What an event (already verified, or re-read from the inbox) means for billing. */
export const interpretPayPalEvent = (payload: unknown): GatewayEvent => {
  const event = record(payload)
  const resource = event?.resource
  switch (text(event?.event_type)) {
    case "PAYMENT.CAPTURE.COMPLETED":
    case "PAYMENT.CAPTURE.PENDING":
    case "PAYMENT.CAPTURE.DECLINED":
      return chargeEvent(resource, false)
    case "PAYMENT.CAPTURE.DENIED":
      return chargeEvent(resource, true)
    case "PAYMENT.CAPTURE.REFUNDED":
    case "PAYMENT.CAPTURE.REVERSED":
      return refundEvent(resource)
    case "CHECKOUT.ORDER.COMPLETED": {
      const order = orderView(resource)
      const units = record(resource)?.purchase_units
      const captures = record(record(Array.isArray(units) ? units[0] : undefined)?.payments)?.captures
      if (order?.capture === undefined) return ignored
      return chargeEvent(Array.isArray(captures) ? captures[0] : undefined, false)
    }
    case "VAULT.PAYMENT-TOKEN.CREATED":
      return tokenEvent(resource, true)
    case "VAULT.PAYMENT-TOKEN.DELETED":
      return tokenEvent(resource, false)
    case "CUSTOMER.DISPUTE.CREATED":
    case "CUSTOMER.DISPUTE.UPDATED":
    case "CUSTOMER.DISPUTE.RESOLVED":
      return disputeEvent(resource)
    default:
      return ignored
  }
}

export const makePayPalWebhooks = (config: PayPalWebhooksConfig): GatewayWebhooks => {
  const certificates = config.certificates ?? payPalCertificates()
  return {
    gateway,
    interpret: interpretPayPalEvent,
    verify: (request) =>
      Effect.gen(function* () {
        const header = (name: string) => request.headers[name]
        const transmissionId = header("paypal-transmission-id")
        const transmissionTime = header("paypal-transmission-time")
        const signature = header("paypal-transmission-sig")
        const certUrl = header("paypal-cert-url")
        const algorithm = header("paypal-auth-algo")
        if (
          transmissionId === undefined ||
          transmissionTime === undefined ||
          signature === undefined ||
          certUrl === undefined
        )
          return yield* Effect.fail(
            reject("Malformed", "missing PAYPAL-TRANSMISSION-* or PAYPAL-CERT-URL headers")
          )
        if (algorithm !== undefined && algorithm !== "SHA256withRSA")
          return yield* Effect.fail(reject("Signature", `unsupported PAYPAL-AUTH-ALGO ${algorithm}`))
        if (config.maxAgeSeconds !== undefined) {
          const sent = Date.parse(transmissionTime)
          const now = yield* Clock.currentTimeMillis
          if (Number.isNaN(sent))
            return yield* Effect.fail(reject("Malformed", `bad transmission time ${transmissionTime}`))
          if (Math.abs(now - sent) > config.maxAgeSeconds * 1000)
            return yield* Effect.fail(reject("Expired", `transmitted at ${transmissionTime}`))
        }
        const pem = yield* certificates.fetch(certUrl)
        const key = yield* Effect.try({
          try: () => {
            const certificate = new X509Certificate(pem)
            const now = Date.now()
            if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo))
              throw new Error(`certificate valid ${certificate.validFrom} to ${certificate.validTo}`)
            return createPublicKey(pem)
          },
          catch: (error) => reject("Certificate", `unusable certificate from ${certUrl}: ${String(error)}`)
        })
        const signed = `${transmissionId}|${transmissionTime}|${config.webhookId}|${crc32(request.rawBody)}`
        const valid = verify("sha256", Buffer.from(signed, "utf8"), key, Buffer.from(signature, "base64"))
        if (!valid)
          return yield* Effect.fail(reject("Signature", "signature does not match (body, webhook id or key)"))
        const payload = yield* Effect.try({
          try: () => JSON.parse(Buffer.from(request.rawBody).toString("utf8")) as unknown,
          catch: () => reject("Malformed", "body is not JSON")
        })
        const eventId = text(record(payload)?.id)
        const type = text(record(payload)?.event_type)
        if (eventId === undefined || type === undefined)
          return yield* Effect.fail(reject("Malformed", "event without id or event_type"))
        return { eventId, type, payload, event: interpretPayPalEvent(payload) } satisfies VerifiedWebhook
      })
  }
}
