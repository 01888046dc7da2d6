/**
 * `Mailer` — sends one email (SMTP, an email API, a fake inbox). The engine sends from outbox jobs.
 *
 * Guarantees an adapter must give:
 * - idempotent by `idempotencyKey` (e.g. `invoice-issued:<invoiceId>`): sending again with a key already
 *   sent sends nothing and returns the first message id;
 * - `to` is one address; an address the adapter can tell is malformed is `Rejected`, not retryable.
 *
 * Errors: `MailerError` with `reason` `Rejected | RateLimited | Auth | Unavailable | Unknown`,
 * `retryable`, `vendorCode`.
 */
import { Context, type Effect, Schema } from "effect"

export class MailerError extends Schema.TaggedError<MailerError>()("MailerError", {
  reason: Schema.Literal("Rejected", "RateLimited", "Auth", "Unavailable", "Unknown"),
  retryable: Schema.Boolean,
  vendorCode: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    return `Mail ${this.reason}${this.detail === undefined ? "" : `: ${this.detail}`}`
  }
}

export interface Email {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  readonly from?: string
  readonly replyTo?: string
  readonly idempotencyKey: string
}

export interface MailerService {
  readonly send: (email: Email) => Effect.Effect<{ readonly messageId: string }, MailerError>
}

export class Mailer extends Context.Tag("@ezscale/core/Mailer")<Mailer, MailerService>() {}
