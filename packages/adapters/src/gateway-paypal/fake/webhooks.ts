/**
 * The fake's webhook side: event envelopes as PayPal sends them, signed as PayPal signs them —
 * RSA-SHA256 over `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body>`, base64, with
 * the certificate's URL in `PAYPAL-CERT-URL` — and delivered by HTTP POST to a URL.
 */
import { randomUUID, sign } from "node:crypto"
import { request } from "node:http"
import { crc32 } from "node:zlib"
import type { SigningIdentity } from "./certificate"

export interface PayPalEvent {
  readonly id: string
  readonly event_version: string
  readonly create_time: string
  readonly resource_type: string
  readonly resource_version?: string
  readonly event_type: string
  readonly summary: string
  readonly resource: Record<string, unknown>
  readonly links: ReadonlyArray<{ href: string; rel: string; method: string }>
}

/** A signed delivery: the exact bytes PayPal would POST and its headers (names in lower case). */
export interface PayPalDelivery {
  readonly event: PayPalEvent
  readonly rawBody: Uint8Array
  readonly headers: Readonly<Record<string, string>>
}

export const signDelivery = (options: {
  readonly event: PayPalEvent
  readonly identity: SigningIdentity
  readonly certUrl: string
  readonly webhookId: string
  readonly transmissionTime: Date
  /** Signs this body instead (to make a tampered delivery); defaults to the event's JSON. */
  readonly body?: string
}): PayPalDelivery => {
  const body = options.body ?? JSON.stringify(options.event)
  const rawBody = Buffer.from(body, "utf8")
  const transmissionId = randomUUID()
  const time = options.transmissionTime.toISOString()
  const signed = `${transmissionId}|${time}|${options.webhookId}|${crc32(rawBody)}`
  const signature = sign("sha256", Buffer.from(signed, "utf8"), options.identity.privateKey).toString(
    "base64"
  )
  return {
    event: options.event,
    rawBody,
    headers: {
      "content-type": "application/json",
      "paypal-transmission-id": transmissionId,
      "paypal-transmission-time": time,
      "paypal-transmission-sig": signature,
      "paypal-cert-url": options.certUrl,
      "paypal-auth-algo": "SHA256withRSA"
    }
  }
}

/** POSTs a delivery; resolves with the receiver's status code. */
export const postDelivery = (url: string, delivery: PayPalDelivery): Promise<number> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: "POST", headers: { ...delivery.headers, "content-length": delivery.rawBody.length } },
      (response) => {
        response.resume()
        response.on("end", () => resolve(response.statusCode ?? 0))
      }
    )
    outgoing.on("error", reject)
    outgoing.end(delivery.rawBody)
  })
