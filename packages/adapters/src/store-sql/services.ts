/** Row <-> record mapping for provisioned services, identical for both dialects. */
import { type Service, StoreError, VersionConflict } from "@ezscale/core"
import { decodeJson, encodeJson } from "./json"

export interface ServiceRow {
  readonly tenantId: string
  readonly id: string
  readonly subscriptionId: string
  readonly customerId: string
  readonly provisioner: string
  /** The panel's ids, JSON text. */
  readonly externalIds: string
  readonly state: string
  /** The encrypted envelope and its key id: both set, or both NULL. */
  readonly credentialsCiphertext: string | null
  readonly credentialsKeyId: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

export const serviceToRow = (service: Service): ServiceRow => ({
  tenantId: service.tenantId,
  id: service.id,
  subscriptionId: service.subscriptionId,
  customerId: service.customerId,
  provisioner: service.provisioner,
  externalIds: encodeJson(service.externalIds),
  state: service.state,
  credentialsCiphertext: service.credentials?.ciphertext ?? null,
  credentialsKeyId: service.credentials?.keyId ?? null,
  createdAt: service.createdAt,
  updatedAt: service.updatedAt
})

export const serviceFromRow = (row: ServiceRow): Service => ({
  id: row.id,
  tenantId: row.tenantId,
  subscriptionId: row.subscriptionId,
  customerId: row.customerId,
  provisioner: row.provisioner,
  externalIds: decodeJson(row.externalIds) as Service["externalIds"],
  state: row.state as Service["state"],
  ...(row.credentialsCiphertext === null || row.credentialsKeyId === null
    ? {}
    : { credentials: { ciphertext: row.credentialsCiphertext, keyId: row.credentialsKeyId } }),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

/**
 * Why a compare-and-set update matched no row, from the row as it is now (`undefined`: gone): the
 * version moved on, or the update tried to move the service to another subscription.
 */
export const serviceUpdateRefusal = (
  service: Service,
  expectedVersion: number,
  current: { readonly version: number; readonly subscriptionId: string } | undefined
): StoreError | VersionConflict =>
  current === undefined
    ? StoreError.notFound("service", service.id)
    : current.version !== expectedVersion
      ? new VersionConflict({
          entity: "service",
          id: service.id,
          expected: expectedVersion,
          actual: current.version
        })
      : StoreError.conflict("service", service.id, "the subscription cannot change")
