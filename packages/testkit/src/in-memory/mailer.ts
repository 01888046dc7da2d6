/** A fake `Mailer`: an inbox you can read (`InMemoryInbox`), idempotent by key. */
import { type Email, Mailer, MailerError, type MailerService } from "@ezscale/core"
import { Context, Effect, Layer } from "effect"

export interface SentEmail extends Email {
  readonly messageId: string
}

export interface Inbox {
  readonly messages: () => ReadonlyArray<SentEmail>
  readonly to: (address: string) => ReadonlyArray<SentEmail>
}

export class InMemoryInbox extends Context.Tag("@ezscale/testkit/InMemoryInbox")<InMemoryInbox, Inbox>() {}

const address = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const makeInMemoryMailer = (): { readonly service: MailerService; readonly inbox: Inbox } => {
  const sent: Array<SentEmail> = []
  const service: MailerService = {
    send: (email) =>
      Effect.suspend(() => {
        const previous = sent.find((message) => message.idempotencyKey === email.idempotencyKey)
        if (previous !== undefined) return Effect.succeed({ messageId: previous.messageId })
        if (!address.test(email.to)) {
          return Effect.fail(
            new MailerError({ reason: "Rejected", retryable: false, detail: `bad address ${email.to}` })
          )
        }
        const messageId = `msg-${sent.length + 1}@fake.test`
        sent.push({ ...email, messageId })
        return Effect.succeed({ messageId })
      })
  }
  const inbox: Inbox = {
    messages: () => [...sent],
    to: (to) => sent.filter((message) => message.to === to)
  }
  return { service, inbox }
}

export const InMemoryMailer = {
  make: makeInMemoryMailer,
  /** Provides `Mailer` and the `InMemoryInbox` that reads what it sent. */
  layer: Layer.effectContext(
    Effect.sync(() => {
      const { service, inbox } = makeInMemoryMailer()
      return Context.make(Mailer, service).pipe(Context.add(InMemoryInbox, inbox))
    })
  )
} as const
