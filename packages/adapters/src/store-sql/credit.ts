/** Row <-> record mapping for the account ledger, coupons and coupon redemptions. */
import type { Coupon, CouponRedemption, LedgerEntry, LedgerEntryInput } from "@ezscale/core"
import { decodeDocument, encodeDocument } from "./json"

export interface LedgerEntryRow {
  readonly tenantId: string
  readonly id: string
  readonly customerId: string
  readonly currency: string
  readonly amountMinor: bigint
  readonly kind: string
  readonly invoiceId: string | null
  readonly note: string | null
  readonly occurredAt: number
  readonly balanceAfterMinor: bigint
}

export const ledgerEntryToRow = (
  tenantId: string,
  id: string,
  input: LedgerEntryInput,
  balanceAfter: bigint
): LedgerEntryRow => ({
  tenantId,
  id,
  customerId: input.customerId,
  currency: input.currency,
  amountMinor: input.amount,
  kind: input.kind,
  invoiceId: input.invoiceId ?? null,
  note: input.note ?? null,
  occurredAt: input.at,
  balanceAfterMinor: balanceAfter
})

export const ledgerEntryFromRow = (row: LedgerEntryRow): LedgerEntry => ({
  id: row.id,
  customerId: row.customerId,
  currency: row.currency as LedgerEntry["currency"],
  amount: row.amountMinor,
  kind: row.kind as LedgerEntry["kind"],
  ...(row.invoiceId === null ? {} : { invoiceId: row.invoiceId }),
  ...(row.note === null ? {} : { note: row.note }),
  at: row.occurredAt,
  balanceAfter: row.balanceAfterMinor
})

/** The entry as `append` returns it: the input, its id and the balance after it. */
export const ledgerEntryOf = (id: string, input: LedgerEntryInput, balanceAfter: bigint): LedgerEntry => ({
  ...input,
  id,
  balanceAfter
})

export interface CouponRow {
  readonly tenantId: string
  readonly id: string
  readonly code: string
  readonly maxRedemptions: number | null
  readonly oncePerCustomer: boolean
  /** Kept on the coupon row, which `redeem` locks: the limit check reads one row, not a count. */
  readonly redemptionCount: number
  /** The whole coupon (rules, amounts, rate) as a document: read whole, never queried. */
  readonly document: string
}

/** The coupon's columns; `redemptionCount` belongs to the store and is left out of a put. */
export const couponToRow = (tenantId: string, coupon: Coupon): Omit<CouponRow, "redemptionCount"> => ({
  tenantId,
  id: coupon.id,
  code: coupon.code,
  maxRedemptions: coupon.maxRedemptions ?? null,
  oncePerCustomer: coupon.oncePerCustomer === true,
  document: encodeDocument(coupon)
})

export const couponFromRow = (row: Pick<CouponRow, "document">): Coupon =>
  decodeDocument<Coupon>(row.document)

export interface CouponRedemptionRow {
  readonly tenantId: string
  readonly id: string
  readonly couponId: string
  readonly customerId: string
  readonly subscriptionId: string | null
  readonly redeemedAt: number
  /**
   * The customer again when the coupon is once per customer, NULL otherwise: the unique key
   * (tenant, coupon, once_customer_id) then allows one redemption per customer exactly when the coupon
   * says so (NULLs never collide in a unique index, in MySQL as in SQLite).
   */
  readonly onceCustomerId: string | null
}

export const redemptionToRow = (
  tenantId: string,
  id: string,
  redemption: CouponRedemption,
  oncePerCustomer: boolean
): CouponRedemptionRow => ({
  tenantId,
  id,
  couponId: redemption.couponId,
  customerId: redemption.customerId,
  subscriptionId: redemption.subscriptionId ?? null,
  redeemedAt: redemption.at,
  onceCustomerId: oncePerCustomer ? redemption.customerId : null
})
