/**
 * Row <-> record mapping for tenants, customers and subscriptions, identical for both dialects: each
 * dialect's drizzle table selects rows of exactly these shapes (nullable columns are `null`, money is
 * `bigint`, instants are numbers).
 */
import type {
  CouponGrant,
  Customer,
  PricedItem,
  Subscription,
  SubscriptionState,
  Tenant
} from "@ezscale/core"
import { dateFromColumn, dateToColumn, periodFromColumns } from "./dates"
import { decodeDocument, decodeJson, encodeDocument, encodeJson } from "./json"

export interface TenantRow {
  readonly tenantId: string
  readonly name: string
  readonly settings: string
}

export const tenantToRow = (tenant: Tenant): TenantRow => ({
  tenantId: tenant.id,
  name: tenant.name,
  settings: encodeJson(tenant.settings)
})

export const tenantFromRow = (row: TenantRow): Tenant => ({
  id: row.tenantId,
  name: row.name,
  settings: decodeJson(row.settings) as Tenant["settings"]
})

export interface CustomerRow {
  readonly tenantId: string
  readonly id: string
  readonly name: string
  readonly email: string
  readonly country: string
  readonly region: string | null
  readonly locality: string | null
  readonly isBusiness: boolean
  readonly vatId: string | null
  readonly taxExemptReason: string | null
  readonly timeZone: string
  readonly currency: string
  readonly locale: string
}

export const customerToRow = (customer: Customer): CustomerRow => ({
  tenantId: customer.tenantId,
  id: customer.id,
  name: customer.name,
  email: customer.email,
  country: customer.country,
  region: customer.region ?? null,
  locality: customer.locality ?? null,
  isBusiness: customer.isBusiness,
  vatId: customer.vatId ?? null,
  taxExemptReason: customer.taxExempt?.reason ?? null,
  timeZone: customer.timeZone,
  currency: customer.currency,
  locale: customer.locale
})

export const customerFromRow = (row: CustomerRow): Customer => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  email: row.email,
  country: row.country,
  ...(row.region === null ? {} : { region: row.region }),
  ...(row.locality === null ? {} : { locality: row.locality }),
  isBusiness: row.isBusiness,
  ...(row.vatId === null ? {} : { vatId: row.vatId }),
  ...(row.taxExemptReason === null ? {} : { taxExempt: { reason: row.taxExemptReason } }),
  timeZone: row.timeZone,
  currency: row.currency as Customer["currency"],
  locale: row.locale
})

export interface SubscriptionRow {
  readonly tenantId: string
  readonly id: string
  readonly customerId: string
  readonly productId: string
  readonly productKind: string
  readonly planId: string
  readonly currency: string
  readonly cycle: string
  readonly pricing: string
  readonly timeZone: string
  readonly anchor: string
  readonly currentPeriodStart: string | null
  readonly currentPeriodEnd: string | null
  readonly nextRenewalAt: number | null
  readonly coupons: string
  readonly invoicedPeriods: number
  readonly status: string
  readonly suspensionReason: string | null
  readonly suspendedAt: number | null
  readonly cancellationMode: string | null
  readonly cancellationReason: string | null
  readonly cancellationRequestedAt: number | null
  readonly cancellationEffectiveAt: number | null
  readonly trialEndsAt: number | null
  readonly createdAt: number
  readonly version: number
}

export interface SubscriptionItemRow {
  readonly tenantId: string
  readonly subscriptionId: string
  readonly position: number
  readonly kind: string
  readonly itemId: string
  readonly choiceId: string | null
  readonly description: string
  readonly cycle: string
  readonly quantity: bigint
  readonly unitAmountMinor: bigint
  readonly amountMinor: bigint
  readonly setupFeeMinor: bigint
}

/** The subscription's columns without its version (the repository sets that). */
export const subscriptionToRow = (subscription: Subscription): Omit<SubscriptionRow, "version"> => {
  const { lifecycle } = subscription
  return {
    tenantId: subscription.tenantId,
    id: subscription.id,
    customerId: subscription.customerId,
    productId: subscription.productId,
    productKind: subscription.productKind,
    planId: subscription.planId,
    currency: subscription.currency,
    cycle: subscription.cycle,
    pricing: subscription.pricing,
    timeZone: subscription.timeZone,
    anchor: dateToColumn(subscription.anchor),
    currentPeriodStart:
      subscription.currentPeriod === undefined ? null : dateToColumn(subscription.currentPeriod.start),
    currentPeriodEnd:
      subscription.currentPeriod === undefined ? null : dateToColumn(subscription.currentPeriod.end),
    nextRenewalAt: subscription.nextRenewalAt ?? null,
    coupons: encodeDocument(subscription.coupons),
    invoicedPeriods: subscription.invoicedPeriods,
    status: lifecycle.status,
    suspensionReason: lifecycle.suspension?.reason ?? null,
    suspendedAt: lifecycle.suspension?.at ?? null,
    cancellationMode: lifecycle.cancellation?.mode ?? null,
    cancellationReason: lifecycle.cancellation?.reason ?? null,
    cancellationRequestedAt: lifecycle.cancellation?.requestedAt ?? null,
    cancellationEffectiveAt: lifecycle.cancellation?.effectiveAt ?? null,
    trialEndsAt: lifecycle.trialEndsAt ?? null,
    createdAt: subscription.createdAt
  }
}

export const subscriptionItemsToRows = (subscription: Subscription): Array<SubscriptionItemRow> =>
  subscription.items.map((item, position) => ({
    tenantId: subscription.tenantId,
    subscriptionId: subscription.id,
    position,
    kind: item.kind,
    itemId: item.itemId,
    choiceId: item.choiceId ?? null,
    description: item.description,
    cycle: item.cycle,
    quantity: item.quantity,
    unitAmountMinor: item.unitAmount,
    amountMinor: item.amount,
    setupFeeMinor: item.setupFee
  }))

const itemFromRow = (row: SubscriptionItemRow): PricedItem => ({
  kind: row.kind as PricedItem["kind"],
  itemId: row.itemId,
  ...(row.choiceId === null ? {} : { choiceId: row.choiceId }),
  description: row.description,
  cycle: row.cycle as PricedItem["cycle"],
  quantity: row.quantity,
  unitAmount: row.unitAmountMinor,
  amount: row.amountMinor,
  setupFee: row.setupFeeMinor
})

const lifecycleFromRow = (row: SubscriptionRow): SubscriptionState => ({
  status: row.status as SubscriptionState["status"],
  suspension:
    row.suspensionReason === null || row.suspendedAt === null
      ? undefined
      : {
          reason: row.suspensionReason as NonNullable<SubscriptionState["suspension"]>["reason"],
          at: row.suspendedAt
        },
  cancellation:
    row.cancellationMode === null ||
    row.cancellationReason === null ||
    row.cancellationRequestedAt === null ||
    row.cancellationEffectiveAt === null
      ? undefined
      : {
          mode: row.cancellationMode as NonNullable<SubscriptionState["cancellation"]>["mode"],
          reason: row.cancellationReason,
          requestedAt: row.cancellationRequestedAt,
          effectiveAt: row.cancellationEffectiveAt
        },
  trialEndsAt: row.trialEndsAt ?? undefined
})

/** A subscription from its row and its item rows (in position order). */
export const subscriptionFromRows = (
  row: SubscriptionRow,
  items: ReadonlyArray<SubscriptionItemRow>
): Subscription => {
  const currentPeriod = periodFromColumns(row.currentPeriodStart, row.currentPeriodEnd)
  return {
    id: row.id,
    tenantId: row.tenantId,
    customerId: row.customerId,
    productId: row.productId,
    productKind: row.productKind as Subscription["productKind"],
    planId: row.planId,
    currency: row.currency as Subscription["currency"],
    cycle: row.cycle as Subscription["cycle"],
    pricing: row.pricing as Subscription["pricing"],
    items: [...items].sort((a, b) => a.position - b.position).map(itemFromRow),
    timeZone: row.timeZone,
    anchor: dateFromColumn(row.anchor),
    ...(currentPeriod === undefined ? {} : { currentPeriod }),
    ...(row.nextRenewalAt === null ? {} : { nextRenewalAt: row.nextRenewalAt }),
    coupons: decodeDocument<ReadonlyArray<CouponGrant>>(row.coupons),
    invoicedPeriods: row.invoicedPeriods,
    lifecycle: lifecycleFromRow(row),
    createdAt: row.createdAt
  }
}
