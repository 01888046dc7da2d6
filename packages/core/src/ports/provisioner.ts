/**
 * `Provisioner` — a control panel that creates and manages the service a subscription pays for
 * (VirtFusion VPS, Pterodactyl game servers, SynergyCP dedicated servers, Enhance web hosting, a fake).
 * The engine calls it from outbox jobs, never inside a store transaction.
 *
 * Guarantees an adapter must give:
 * - `create` is idempotent by `idempotencyKey` (derive it with {@link provisionKey} from the service id):
 *   a second create with the same key returns the first resource and creates nothing;
 * - suspend / unsuspend / terminate are idempotent: suspending a suspended service succeeds; a terminated
 *   service stays terminated (any later action but `status` and terminate is `Conflict`);
 * - an id the panel does not know is `NotFound`, never a generic failure;
 * - capability flags say which optional operations the panel has; one it lacks fails with `Unsupported`.
 *
 * Errors: `ProvisionerError` with `reason` `NotFound | Conflict | InvalidRequest | Auth | RateLimited |
 * Unavailable | Unsupported | Unknown`, `retryable`, `vendorCode`.
 */
import { Context, type Effect, Schema } from "effect"
import type { Instant } from "../calendar/zone"

export class ProvisionerError extends Schema.TaggedError<ProvisionerError>()("ProvisionerError", {
  reason: Schema.Literal(
    "NotFound",
    "Conflict",
    "InvalidRequest",
    "Auth",
    "RateLimited",
    "Unavailable",
    "Unsupported",
    "Unknown"
  ),
  retryable: Schema.Boolean,
  provisioner: Schema.String,
  /** The panel's id of the service concerned, when there is one. */
  externalId: Schema.optionalWith(Schema.String, { exact: true }),
  vendorCode: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message() {
    return `${this.provisioner}: ${this.reason}${this.externalId === undefined ? "" : ` (${this.externalId})`}${this.detail === undefined ? "" : `: ${this.detail}`}`
  }
}

/** The idempotency key of a service's creation: the same service is never created twice. */
export const provisionKey = (serviceId: string): string => `provision:${serviceId}`

export type ServiceStatus = "provisioning" | "active" | "suspended" | "terminated"

export type PowerAction = "start" | "stop" | "restart" | "reboot"

export interface ProvisionerCapabilities {
  readonly power: boolean
  readonly resetPassword: boolean
  readonly loginLink: boolean
  readonly usage: boolean
  readonly changePackage: boolean
}

export interface CreateServiceRequest {
  readonly serviceId: string
  readonly idempotencyKey: string
  /** The panel's package / plan / egg id, from the catalog's provisioning mapping. */
  readonly packageId: string
  readonly customer: { readonly id: string; readonly email: string; readonly name: string }
  readonly hostname?: string
  /** Configurable options as the panel names them (location, OS image, RAM...). */
  readonly options?: { readonly [name: string]: string }
}

export interface ProvisionedService {
  /** The panel's id: every later call names the service by it. */
  readonly externalId: string
  readonly status: ServiceStatus
  readonly packageId: string
  /** Login details shown once to the customer (encrypted at rest by the caller). */
  readonly credentials?: { readonly username: string; readonly password?: string }
  readonly addresses?: ReadonlyArray<string>
}

export interface ServiceUsage {
  readonly from: Instant
  readonly to: Instant
  readonly transferInBytes: bigint
  readonly transferOutBytes: bigint
  readonly diskBytes?: bigint
}

export interface PanelPackage {
  readonly id: string
  readonly name: string
}

export interface ProvisionerService {
  /** `virtfusion`, `pterodactyl`, `fake`... */
  readonly name: string
  readonly capabilities: ProvisionerCapabilities
  readonly create: (request: CreateServiceRequest) => Effect.Effect<ProvisionedService, ProvisionerError>
  readonly suspend: (externalId: string, reason?: string) => Effect.Effect<void, ProvisionerError>
  readonly unsuspend: (externalId: string) => Effect.Effect<void, ProvisionerError>
  readonly terminate: (externalId: string) => Effect.Effect<void, ProvisionerError>
  readonly changePackage: (externalId: string, packageId: string) => Effect.Effect<void, ProvisionerError>
  readonly power: (externalId: string, action: PowerAction) => Effect.Effect<void, ProvisionerError>
  /** The new password (when the panel returns one). */
  readonly resetPassword: (
    externalId: string
  ) => Effect.Effect<{ readonly password?: string }, ProvisionerError>
  /** A single sign-on link into the panel. */
  readonly loginLink: (
    externalId: string
  ) => Effect.Effect<{ readonly url: string; readonly expiresAt?: Instant }, ProvisionerError>
  readonly usage: (
    externalId: string,
    window: { readonly from: Instant; readonly to: Instant }
  ) => Effect.Effect<ServiceUsage, ProvisionerError>
  readonly status: (externalId: string) => Effect.Effect<ProvisionedService, ProvisionerError>
  /** The packages the panel offers, for mapping catalog plans to them. */
  readonly listCatalog: () => Effect.Effect<ReadonlyArray<PanelPackage>, ProvisionerError>
}

export class Provisioner extends Context.Tag("@ezscale/core/Provisioner")<
  Provisioner,
  ProvisionerService
>() {}
