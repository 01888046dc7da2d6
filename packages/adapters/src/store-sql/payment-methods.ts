/** Row <-> record mapping for saved payment methods, identical for both dialects. */
import type { SavedPaymentMethod } from "@ezscale/core"

export interface PaymentMethodRow {
  readonly tenantId: string
  readonly id: string
  readonly customerId: string
  readonly gateway: string
  readonly gatewayCustomerId: string
  readonly gatewayMethodId: string
  readonly kind: string
  readonly label: string
  readonly expiresMonth: number | null
  readonly expiresYear: number | null
  readonly createdAt: number
}

export const paymentMethodToRow = (tenantId: string, method: SavedPaymentMethod): PaymentMethodRow => ({
  tenantId,
  id: method.id,
  customerId: method.customerId,
  gateway: method.gateway,
  gatewayCustomerId: method.gatewayCustomerId,
  gatewayMethodId: method.gatewayMethodId,
  kind: method.kind,
  label: method.label,
  expiresMonth: method.expiresAt?.month ?? null,
  expiresYear: method.expiresAt?.year ?? null,
  createdAt: method.createdAt
})

/** The method of `row`; `defaultId` is the id its (customer, gateway) default row names. */
export const paymentMethodFromRow = (
  row: PaymentMethodRow,
  defaultId: string | undefined
): SavedPaymentMethod => ({
  id: row.id,
  customerId: row.customerId,
  gateway: row.gateway,
  gatewayCustomerId: row.gatewayCustomerId,
  gatewayMethodId: row.gatewayMethodId,
  kind: row.kind as SavedPaymentMethod["kind"],
  label: row.label,
  ...(row.expiresMonth === null || row.expiresYear === null
    ? {}
    : { expiresAt: { month: row.expiresMonth, year: row.expiresYear } }),
  isDefault: row.id === defaultId,
  createdAt: row.createdAt
})

/** The Conflict for a unique key of `payment_methods` (`primary` or the token key), if it is one. */
export const paymentMethodDuplicate = (method: SavedPaymentMethod, key: string) =>
  key === "primary"
    ? { key: method.id, detail: "id exists" }
    : key === "payment_methods_token_key"
      ? { key: method.gatewayMethodId, detail: "token exists" }
      : undefined
