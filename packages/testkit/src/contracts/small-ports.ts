/** Contracts of the small ports: Mailer, Documents, UsageSource, Ids. */

import { describe, expect, layer } from "@effect/vitest"
import { Documents, Ids, Mailer, MailerError, USAGE_SAMPLE_MS, UsageError, UsageSource } from "@ezscale/core"
import { Effect, type Layer, TestClock } from "effect"
import { makeCustomer, makeInvoice } from "../factories"

let run = 0

export const mailerContract = (name: string, mailerLayer: Layer.Layer<Mailer>): void => {
  describe(`Mailer contract: ${name}`, () => {
    layer(mailerLayer)((it) => {
      it.effect("send returns a message id; the same idempotency key sends once", () =>
        Effect.gen(function* () {
          const mailer = yield* Mailer
          const email = {
            to: "customer@example.com",
            subject: "Invoice",
            text: "Hello",
            idempotencyKey: `mail-${name}-${++run}`
          }
          const first = yield* mailer.send(email)
          expect(first.messageId).not.toBe("")
          expect(yield* mailer.send(email)).toEqual(first)
          const other = yield* mailer.send({ ...email, idempotencyKey: `${email.idempotencyKey}-b` })
          expect(other.messageId).not.toBe(first.messageId)
        })
      )
      it.effect("a malformed address is Rejected, not retryable", () =>
        Effect.gen(function* () {
          const mailer = yield* Mailer
          const error = yield* Effect.flip(
            mailer.send({ to: "not an address", subject: "x", text: "x", idempotencyKey: `bad-${++run}` })
          )
          expect(error).toBeInstanceOf(MailerError)
          expect(error).toMatchObject({ reason: "Rejected", retryable: false })
        })
      )
    })
  })
}

export const documentsContract = (name: string, documentsLayer: Layer.Layer<Documents>): void => {
  describe(`Documents contract: ${name}`, () => {
    layer(documentsLayer)((it) => {
      const input = {
        invoice: makeInvoice({ number: "INV-2026-00042" }),
        seller: { name: "Example Hosting Ltd", addressLines: ["1 Main St", "Dublin"], taxId: "IE1234567T" },
        customer: makeCustomer()
      }
      it.effect("renders an invoice deterministically, with a content type", () =>
        Effect.gen(function* () {
          const documents = yield* Documents
          const a = yield* documents.renderInvoice(input)
          const b = yield* documents.renderInvoice(input)
          expect(a.bytes.length).toBeGreaterThan(0)
          expect(a.contentType).not.toBe("")
          expect(Array.from(a.bytes)).toEqual(Array.from(b.bytes))
          const other = yield* documents.renderInvoice({
            ...input,
            invoice: makeInvoice({ number: "INV-2026-00043" })
          })
          expect(Array.from(other.bytes)).not.toEqual(Array.from(a.bytes))
        })
      )
    })
  })
}

export interface UsageFixtures {
  /** A service with traffic inside `window`. */
  readonly serviceId: string
  readonly window: { readonly from: number; readonly to: number }
}

export const usageSourceContract = (
  name: string,
  usageLayer: Layer.Layer<UsageSource>,
  fixtures: UsageFixtures
): void => {
  describe(`UsageSource contract: ${name}`, () => {
    layer(usageLayer)((it) => {
      it.effect("samples lie in the window, on 5-minute slots, ascending, non-negative; halves add up", () =>
        Effect.gen(function* () {
          const usage = yield* UsageSource
          const { from, to } = fixtures.window
          const samples = yield* usage.samples({ serviceId: fixtures.serviceId, from, to })
          expect(samples.length).toBeGreaterThan(0)
          samples.forEach((sample, i) => {
            expect(sample.at).toBeGreaterThanOrEqual(from)
            expect(sample.at).toBeLessThan(to)
            expect(sample.at % USAGE_SAMPLE_MS).toBe(0)
            expect(sample.bytesIn >= 0n && sample.bytesOut >= 0n).toBe(true)
            if (i > 0) expect(sample.at).toBeGreaterThan(samples[i - 1]?.at ?? Number.NEGATIVE_INFINITY)
          })
          const middle = from + Math.floor((to - from) / USAGE_SAMPLE_MS / 2) * USAGE_SAMPLE_MS
          const left = yield* usage.samples({ serviceId: fixtures.serviceId, from, to: middle })
          const right = yield* usage.samples({ serviceId: fixtures.serviceId, from: middle, to })
          expect([...left, ...right]).toEqual(samples)
          expect(yield* usage.samples({ serviceId: fixtures.serviceId, from: to, to: from })).toEqual([])
        })
      )
      it.effect("an unknown service is NotFound", () =>
        Effect.gen(function* () {
          const usage = yield* UsageSource
          const error = yield* Effect.flip(
            usage.samples({ serviceId: "no-such-service", ...fixtures.window })
          )
          expect(error).toBeInstanceOf(UsageError)
          expect(error.reason).toBe("NotFound")
        })
      )
    })
  })
}

export const idsContract = (name: string, idsLayer: Layer.Layer<Ids>): void => {
  describe(`Ids contract: ${name}`, () => {
    layer(idsLayer)((it) => {
      it.effect("ids are unique and sort in creation order, even within one millisecond", () =>
        Effect.gen(function* () {
          const ids = yield* Ids
          const made: Array<string> = []
          for (let i = 0; i < 2000; i++) made.push(yield* ids.next("inv"))
          expect(new Set(made).size).toBe(made.length)
          expect([...made].sort()).toEqual(made)
          expect(made.every((id) => id.startsWith("inv_"))).toBe(true)
          const bare = yield* ids.next()
          expect(bare.length).toBeGreaterThan(0)
        })
      )
      it.effect("ids made later sort after ids made earlier", () =>
        Effect.gen(function* () {
          const ids = yield* Ids
          const before = yield* ids.next("x")
          yield* TestClock.adjust("2 millis")
          const after = yield* ids.next("x")
          expect(before < after).toBe(true)
        })
      )
    })
  })
}
