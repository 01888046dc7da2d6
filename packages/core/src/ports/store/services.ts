/**
 * Provisioned services: what a subscription runs on a control panel (a VPS on VirtFusion, a game server
 * on Pterodactyl...). The store keeps the panel's ids and the service's state, and the service's
 * credentials only encrypted (AES-256-GCM by the host, with a key id so keys rotate): it never sees a
 * plaintext secret.
 */
import { Either, type Option, Schema } from "effect"
import type { Instant } from "../../calendar/zone"
import type { Json } from "../common"
import type { ServiceStatus } from "../provisioner"
import type { VersionConflict } from "./errors"
import type { Versioned } from "./records"
import type { Op } from "./repositories"

/**
 * `pending`: waiting for its provisioning job; then the panel's own states (`provisioning`, `active`,
 * `suspended`, `terminated`); `failed`: provisioning gave up, waiting for a person.
 */
export type ServiceState = "pending" | ServiceStatus | "failed"

export const ServiceStates = [
  "pending",
  "provisioning",
  "active",
  "suspended",
  "terminated",
  "failed"
] as const satisfies ReadonlyArray<ServiceState>

/** A secret as the store keeps it: encrypted elsewhere, with the id of the key that can open it. */
export interface EncryptedSecret {
  /** The AES-256-GCM envelope (nonce, ciphertext, tag), base64. */
  readonly ciphertext: string
  /** Which key encrypted it (1-64 characters). */
  readonly keyId: string
}

export interface Service {
  readonly id: string
  readonly tenantId: string
  /** The subscription it serves: one service per subscription. */
  readonly subscriptionId: string
  readonly customerId: string
  /** The panel it runs on: `virtfusion`, `pterodactyl`, `synergycp`, `enhance` (1-32 characters). */
  readonly provisioner: string
  /** The panel's ids for it (server id, user id, ...), as the panel adapter needs them. */
  readonly externalIds: { readonly [key: string]: Json }
  readonly state: ServiceState
  /** The login the panel made for the customer, encrypted; absent until there is one. */
  readonly credentials?: EncryptedSecret
  readonly createdAt: Instant
  readonly updatedAt: Instant
}

/** A service the store refuses to keep; nothing is written. */
export class InvalidService extends Schema.TaggedError<InvalidService>()("InvalidService", {
  serviceId: Schema.String,
  issue: Schema.String
}) {
  override get message() {
    return `Service ${this.serviceId} cannot be saved: ${this.issue}`
  }
}

/** Base64 of at least 12 (nonce) + 1 + 16 (tag) bytes: what AES-256-GCM gives for a non-empty secret. */
const envelope = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const MIN_ENVELOPE_CHARS = 40

/**
 * Why `secret` is not something the store may keep, or `undefined` when it is: the ciphertext must be
 * base64 of an AES-256-GCM envelope (at least 29 bytes: nonce, one byte, tag) and the key id 1-64
 * characters. Every aggregate holding a secret (services, gateway accounts) checks it with this.
 */
export const encryptedSecretIssue = (secret: EncryptedSecret): string | undefined => {
  if (
    typeof secret !== "object" ||
    secret === null ||
    typeof secret.ciphertext !== "string" ||
    typeof secret.keyId !== "string"
  ) {
    return "are an encrypted envelope and its key id"
  }
  if (secret.ciphertext.length < MIN_ENVELOPE_CHARS || !envelope.test(secret.ciphertext)) {
    return "are stored encrypted only: base64 of an AES-256-GCM envelope"
  }
  if (secret.keyId.trim() === "" || secret.keyId.length > 64) return "keyId is 1-64 characters"
  return undefined
}

/**
 * The first reason `service` cannot be saved: an unknown state, an empty or long provisioner, panel ids
 * that are not a JSON object, credentials that are not an encrypted envelope (base64 of at least 29
 * bytes) or lack a key id.
 */
export const checkService = (service: Service): Either.Either<Service, InvalidService> => {
  const invalid = (issue: string) => Either.left(new InvalidService({ serviceId: service.id, issue }))
  if (!(ServiceStates as ReadonlyArray<string>).includes(service.state)) {
    return invalid(`unknown state ${service.state}`)
  }
  if (service.provisioner.trim() === "" || service.provisioner.length > 32) {
    return invalid("provisioner is 1-32 characters")
  }
  const ids = service.externalIds as unknown
  if (typeof ids !== "object" || ids === null || Array.isArray(ids))
    return invalid("externalIds is a JSON object")
  const secret = service.credentials
  if (secret !== undefined) {
    const issue = encryptedSecretIssue(secret)
    if (issue !== undefined) return invalid(`credentials ${issue}`)
  }
  return Either.right(service)
}

/**
 * Provisioned services, versioned like subscriptions (1 after insert, +1 per update; an update names the
 * version it read). Unique keys: (tenant, id) and (tenant, subscription) — a subscription has at most
 * one service (`Conflict` for a second). A service never moves to another subscription (`Conflict`).
 */
export interface ServiceRepository {
  readonly get: (tenantId: string, serviceId: string) => Op<Versioned<Service>>
  /** The service of the subscription, if it has one. */
  readonly getBySubscription: (
    tenantId: string,
    subscriptionId: string
  ) => Op<Option.Option<Versioned<Service>>>
  /** Stores version 1. `Conflict` when the id exists or the subscription has a service. */
  readonly insert: (tenantId: string, service: Service) => Op<Versioned<Service>, InvalidService>
  /** Compare-and-set on the version read: `VersionConflict` when it moved on, `NotFound` when gone. */
  readonly update: (
    tenantId: string,
    service: Service,
    expectedVersion: number
  ) => Op<Versioned<Service>, VersionConflict | InvalidService>
}
