import { describe, expect, it } from "@effect/vitest"
import { Mailer } from "@ezscale/core"
import { Effect } from "effect"
import {
  documentsContract,
  idsContract,
  mailerContract,
  provisionerContract,
  usageSourceContract
} from "../contracts"
import { InMemoryDocuments } from "./documents"
import { InMemoryIds, SequentialIds } from "./ids"
import { InMemoryInbox, InMemoryMailer } from "./mailer"
import { InMemoryProvisioner } from "./provisioner"
import { InMemoryUsageSource } from "./usage-source"

const hour = 3_600_000
const samples = Array.from({ length: 24 }, (_, i) => ({
  at: 1_800_000_000_000 - (1_800_000_000_000 % 300_000) + i * 300_000,
  bytesIn: BigInt(i * 1000),
  bytesOut: BigInt(i * 10)
}))
const first = samples[0]?.at ?? 0

idsContract("in-memory (ULID)", InMemoryIds.layer)
idsContract("sequential", SequentialIds.layer)
mailerContract("in-memory", InMemoryMailer.layer)
documentsContract("in-memory", InMemoryDocuments.layer)
usageSourceContract(
  "in-memory",
  InMemoryUsageSource.layer({ services: { "svc-1": [...samples].reverse() } }),
  {
    serviceId: "svc-1",
    window: { from: first, to: first + 2 * hour }
  }
)
provisionerContract("in-memory", InMemoryProvisioner.layer(), { packageId: "small", otherPackageId: "large" })
provisionerContract(
  "in-memory without optional operations",
  InMemoryProvisioner.layer({
    capabilities: { power: false, resetPassword: false, loginLink: false, usage: false, changePackage: false }
  }),
  { packageId: "small", otherPackageId: "large" }
)

describe("InMemoryMailer", () => {
  it.effect("keeps what it sent in an inbox", () =>
    Effect.gen(function* () {
      const mailer = yield* Mailer
      yield* mailer.send({ to: "a@example.com", subject: "Invoice INV-1", text: "Due", idempotencyKey: "k1" })
      yield* mailer.send({ to: "a@example.com", subject: "Invoice INV-1", text: "Due", idempotencyKey: "k1" })
      yield* mailer.send({ to: "b@example.com", subject: "Welcome", text: "Hi", idempotencyKey: "k2" })
      const inbox = yield* InMemoryInbox
      expect(inbox.messages().map((m) => m.subject)).toEqual(["Invoice INV-1", "Welcome"])
      expect(inbox.to("b@example.com")).toHaveLength(1)
    }).pipe(Effect.provide(InMemoryMailer.layer))
  )
})
