/**
 * A fake `Provisioner`: a panel holding services in memory. `create` is idempotent by key; actions on an
 * unknown id are `NotFound`, on a terminated service `Conflict`; capabilities can be switched off.
 */
import {
  type PanelPackage,
  type ProvisionedService,
  Provisioner,
  type ProvisionerCapabilities,
  ProvisionerError,
  type ProvisionerService
} from "@ezscale/core"
import { Effect, Layer } from "effect"

export interface InMemoryProvisionerOptions {
  readonly name?: string
  readonly capabilities?: Partial<ProvisionerCapabilities>
  readonly packages?: ReadonlyArray<PanelPackage>
}

export const makeInMemoryProvisioner = (options: InMemoryProvisionerOptions = {}): ProvisionerService => {
  const name = options.name ?? "fake-panel"
  const packages = options.packages ?? [
    { id: "small", name: "Small" },
    { id: "large", name: "Large" }
  ]
  const capabilities: ProvisionerCapabilities = {
    power: true,
    resetPassword: true,
    loginLink: true,
    usage: true,
    changePackage: true,
    ...options.capabilities
  }
  const services = new Map<string, ProvisionedService>()
  const byKey = new Map<string, string>()
  let serial = 0

  const fail = (reason: ProvisionerError["reason"], detail: string, externalId?: string) =>
    Effect.fail(
      new ProvisionerError({
        reason,
        retryable: reason === "RateLimited" || reason === "Unavailable",
        provisioner: name,
        detail,
        ...(externalId === undefined ? {} : { externalId })
      })
    )
  const unsupported = (capability: keyof ProvisionerCapabilities) =>
    capabilities[capability] ? undefined : fail("Unsupported", `${name} has no ${capability}`)
  const knownPackage = (packageId: string) => packages.some((p) => p.id === packageId)

  /** The service, for an action that needs it alive (not terminated). */
  const live = (externalId: string) => {
    const service = services.get(externalId)
    if (service === undefined) return fail("NotFound", "no such service", externalId)
    if (service.status === "terminated") return fail("Conflict", "service is terminated", externalId)
    return Effect.succeed(service)
  }
  const setStatus = (externalId: string, status: ProvisionedService["status"]) =>
    Effect.map(live(externalId), (service) => {
      services.set(externalId, { ...service, status })
    })

  return {
    name,
    capabilities,
    create: (request) =>
      Effect.suspend(() => {
        const existing = byKey.get(request.idempotencyKey)
        const found = existing === undefined ? undefined : services.get(existing)
        if (found !== undefined) return Effect.succeed(found)
        if (!knownPackage(request.packageId))
          return fail("InvalidRequest", `unknown package ${request.packageId}`)
        serial += 1
        const service: ProvisionedService = {
          externalId: `srv-${serial}`,
          status: "active",
          packageId: request.packageId,
          credentials: { username: `user${serial}`, password: `initial-${serial}` },
          addresses: [`192.0.2.${serial % 250}`]
        }
        services.set(service.externalId, service)
        byKey.set(request.idempotencyKey, service.externalId)
        return Effect.succeed(service)
      }),
    suspend: (externalId) => setStatus(externalId, "suspended"),
    unsuspend: (externalId) => setStatus(externalId, "active"),
    terminate: (externalId) =>
      Effect.suspend(() => {
        const service = services.get(externalId)
        if (service === undefined) return fail("NotFound", "no such service", externalId)
        services.set(externalId, { ...service, status: "terminated" })
        return Effect.void
      }),
    changePackage: (externalId, packageId) =>
      unsupported("changePackage") ??
      Effect.flatMap(live(externalId), (service) => {
        if (!knownPackage(packageId))
          return fail("InvalidRequest", `unknown package ${packageId}`, externalId)
        services.set(externalId, { ...service, packageId })
        return Effect.void
      }),
    power: (externalId) =>
      unsupported("power") ??
      Effect.flatMap(live(externalId), (service) =>
        service.status === "suspended" ? fail("Conflict", "service is suspended", externalId) : Effect.void
      ),
    resetPassword: (externalId) =>
      unsupported("resetPassword") ??
      Effect.map(live(externalId), () => ({ password: `reset-${externalId}` })),
    loginLink: (externalId) =>
      unsupported("loginLink") ??
      Effect.map(live(externalId), () => ({ url: `https://panel.fake.test/sso/${externalId}` })),
    usage: (externalId, window) =>
      unsupported("usage") ??
      Effect.flatMap(
        Effect.suspend(() =>
          services.has(externalId) ? Effect.void : fail("NotFound", "no such service", externalId)
        ),
        () => Effect.succeed({ from: window.from, to: window.to, transferInBytes: 0n, transferOutBytes: 0n })
      ),
    status: (externalId) =>
      Effect.suspend(() => {
        const service = services.get(externalId)
        return service === undefined
          ? fail("NotFound", "no such service", externalId)
          : Effect.succeed(service)
      }),
    listCatalog: () => Effect.succeed(packages)
  }
}

export const InMemoryProvisioner = {
  make: makeInMemoryProvisioner,
  layer: (options: InMemoryProvisionerOptions = {}) =>
    Layer.sync(Provisioner, () => makeInMemoryProvisioner(options))
} as const
