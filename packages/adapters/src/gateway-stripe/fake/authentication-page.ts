/**
 * The page `next_action.redirect_to_url.url` points to: Stripe's 3-D Secure test page, for the demo mode
 * and browser tests. `GET /fake/3ds/<intent>` shows it; `POST /fake/3ds/<intent>?outcome=succeed|fail`
 * completes (or fails) the authentication and sends the customer back to the intent's `return_url`.
 * Not part of Stripe's API, so not authenticated and not validated against the spec.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { FakeStripeState } from "./account"
import type { Json } from "./objects"

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (intentId: string, amount: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>3D Secure test page</title></head>
<body>
<h1>3D Secure 2 test page</h1>
<p>Authenticate ${escapeHtml(amount)} for ${escapeHtml(intentId)} (Stripe fake).</p>
<form method="post" action="/fake/3ds/${escapeHtml(intentId)}?outcome=succeed"><button>Complete</button></form>
<form method="post" action="/fake/3ds/${escapeHtml(intentId)}?outcome=fail"><button>Fail</button></form>
</body></html>`

/** Answers `/fake/3ds/...` requests; false when the path is not one of them. */
export const authenticationPage = (
  state: FakeStripeState,
  method: string,
  url: URL,
  response: ServerResponse<IncomingMessage>
): boolean => {
  const match = /^\/fake\/3ds\/([^/]+)$/.exec(url.pathname)
  if (match === null) return false
  const intentId = decodeURIComponent(match[1] ?? "")
  const intent: Json | undefined = state.paymentIntents.get(intentId) ?? state.setupIntents.get(intentId)
  if (intent === undefined || intent.status !== "requires_action") {
    response.writeHead(404, { "content-type": "text/plain" }).end("nothing to authenticate")
    return true
  }
  if (method === "GET") {
    const amount =
      typeof intent.amount === "number" ? `${intent.amount} ${String(intent.currency)}` : "a saved card"
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(intentId, amount))
    return true
  }
  const next = intent.next_action as { redirect_to_url?: { return_url?: string | null } } | null
  const returnUrl = next?.redirect_to_url?.return_url
  state.completeAction(intentId, url.searchParams.get("outcome") !== "fail")
  if (typeof returnUrl === "string") {
    const back = new URL(returnUrl)
    back.searchParams.set(intentId.startsWith("seti_") ? "setup_intent" : "payment_intent", intentId)
    response.writeHead(303, { location: back.toString() }).end()
  } else {
    response
      .writeHead(200, { "content-type": "text/plain" })
      .end(
        `authentication ${String(state.paymentIntents.get(intentId)?.status ?? state.setupIntents.get(intentId)?.status)}`
      )
  }
  return true
}
