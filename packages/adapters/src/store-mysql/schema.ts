/**
 * The MySQL / MariaDB schema (drizzle mysql-core), the twin of the SQLite one (same tables, columns,
 * keys and index names). Every table carries `tenant_id`, first in every primary key,
 * unique key and index — except the job queue's claim indexes and the job id key: `jobs.claim`,
 * `complete` and `fail` work across tenants by the port's design. Money is `*_minor` (BIGINT, read as
 * bigint), instants are `*_at` (BIGINT epoch ms), civil dates are `YYYY-MM-DD` CHAR(10), ids VARCHAR(64),
 * and small value objects that are never queried are JSON in TEXT columns (exact round trip; MariaDB's
 * JSON is LONGTEXT anyway). Migrations: `npm run db:generate -w @ezscale/adapters`.
 */
import { sql } from "drizzle-orm"
import {
  boolean,
  char,
  check,
  index,
  int,
  mediumtext,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar
} from "drizzle-orm/mysql-core"
import { instant, int64, minorUnits } from "./columns"

export const tenants = mysqlTable("tenants", {
  tenantId: varchar("tenant_id", { length: 64 }).primaryKey(),
  name: varchar("name", { length: 255 }).notNull(),
  settings: mediumtext("settings").notNull()
})

export const customers = mysqlTable(
  "customers",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    email: varchar("email", { length: 255 }).notNull(),
    country: char("country", { length: 2 }).notNull(),
    region: varchar("region", { length: 64 }),
    locality: varchar("locality", { length: 128 }),
    isBusiness: boolean("is_business").notNull(),
    vatId: varchar("vat_id", { length: 64 }),
    taxExemptReason: varchar("tax_exempt_reason", { length: 255 }),
    timeZone: varchar("time_zone", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    locale: varchar("locale", { length: 35 }).notNull()
  },
  (t) => [
    primaryKey({ name: "customers_pk", columns: [t.tenantId, t.id] }),
    index("customers_email_idx").on(t.tenantId, t.email)
  ]
)

/** One catalog document per tenant (products, plans, prices, options, add-ons), read and written whole. */
export const catalogs = mysqlTable("catalogs", {
  tenantId: varchar("tenant_id", { length: 64 }).primaryKey(),
  document: mediumtext("document").notNull()
})

export const subscriptions = mysqlTable(
  "subscriptions",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    productId: varchar("product_id", { length: 64 }).notNull(),
    productKind: varchar("product_kind", { length: 32 }).notNull(),
    planId: varchar("plan_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    cycle: varchar("cycle", { length: 32 }).notNull(),
    pricing: varchar("pricing", { length: 16 }).notNull(),
    timeZone: varchar("time_zone", { length: 64 }).notNull(),
    anchor: char("anchor", { length: 10 }).notNull(),
    currentPeriodStart: char("current_period_start", { length: 10 }),
    currentPeriodEnd: char("current_period_end", { length: 10 }),
    nextRenewalAt: instant("next_renewal_at"),
    coupons: text("coupons").notNull(),
    invoicedPeriods: int("invoiced_periods").notNull(),
    status: varchar("status", { length: 32 }).notNull(),
    suspensionReason: varchar("suspension_reason", { length: 32 }),
    suspendedAt: instant("suspended_at"),
    cancellationMode: varchar("cancellation_mode", { length: 32 }),
    cancellationReason: varchar("cancellation_reason", { length: 255 }),
    cancellationRequestedAt: instant("cancellation_requested_at"),
    cancellationEffectiveAt: instant("cancellation_effective_at"),
    trialEndsAt: instant("trial_ends_at"),
    createdAt: instant("created_at").notNull(),
    version: int("version").notNull()
  },
  (t) => [
    primaryKey({ name: "subscriptions_pk", columns: [t.tenantId, t.id] }),
    index("subscriptions_renewal_idx").on(t.tenantId, t.nextRenewalAt, t.id),
    index("subscriptions_customer_idx").on(t.tenantId, t.customerId, t.id),
    index("subscriptions_status_idx").on(t.tenantId, t.status, t.id)
  ]
)

export const subscriptionItems = mysqlTable(
  "subscription_items",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }).notNull(),
    position: int("position").notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    itemId: varchar("item_id", { length: 64 }).notNull(),
    choiceId: varchar("choice_id", { length: 64 }),
    description: text("description").notNull(),
    cycle: varchar("cycle", { length: 32 }).notNull(),
    quantity: int64("quantity").notNull(),
    unitAmountMinor: minorUnits("unit_amount_minor").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    setupFeeMinor: minorUnits("setup_fee_minor").notNull()
  },
  (t) => [primaryKey({ name: "subscription_items_pk", columns: [t.tenantId, t.subscriptionId, t.position] })]
)

export const invoices = mysqlTable(
  "invoices",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }),
    kind: varchar("kind", { length: 32 }).notNull(),
    renewalKind: varchar("renewal_kind", { length: 32 }),
    status: varchar("status", { length: 32 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    number: varchar("number", { length: 64 }),
    issuedAt: instant("issued_at"),
    dueAt: instant("due_at").notNull(),
    paidAt: instant("paid_at"),
    voidedAt: instant("voided_at"),
    periodStart: char("period_start", { length: 10 }),
    periodEnd: char("period_end", { length: 10 }),
    pricing: varchar("pricing", { length: 16 }).notNull(),
    taxDecision: text("tax_decision").notNull(),
    taxSummary: mediumtext("tax_summary").notNull(),
    notes: text("notes").notNull(),
    subtotalMinor: minorUnits("subtotal_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    totalMinor: minorUnits("total_minor").notNull(),
    discountMinor: minorUnits("discount_minor").notNull(),
    creditAppliedMinor: minorUnits("credit_applied_minor").notNull(),
    paidMinor: minorUnits("paid_minor").notNull(),
    refundedMinor: minorUnits("refunded_minor").notNull(),
    creditedMinor: minorUnits("credited_minor").notNull()
  },
  (t) => [
    primaryKey({ name: "invoices_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("invoices_renewal_key").on(
      t.tenantId,
      t.subscriptionId,
      t.periodStart,
      t.periodEnd,
      t.renewalKind
    ),
    uniqueIndex("invoices_number_key").on(t.tenantId, t.number),
    index("invoices_customer_idx").on(t.tenantId, t.customerId, t.id),
    index("invoices_status_due_idx").on(t.tenantId, t.status, t.dueAt),
    index("invoices_issued_idx").on(t.tenantId, t.issuedAt)
  ]
)

export const invoiceLines = mysqlTable(
  "invoice_lines",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    invoiceId: varchar("invoice_id", { length: 64 }).notNull(),
    position: int("position").notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    description: text("description").notNull(),
    quantity: int64("quantity").notNull(),
    unitAmountMinor: minorUnits("unit_amount_minor").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    grossMinor: minorUnits("gross_minor").notNull(),
    taxes: text("taxes").notNull(),
    periodStart: char("period_start", { length: 10 }),
    periodEnd: char("period_end", { length: 10 }),
    itemId: varchar("item_id", { length: 64 }),
    couponId: varchar("coupon_id", { length: 64 }),
    reduces: text("reduces")
  },
  (t) => [primaryKey({ name: "invoice_lines_pk", columns: [t.tenantId, t.invoiceId, t.position] })]
)

export const creditNotes = mysqlTable(
  "credit_notes",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    invoiceId: varchar("invoice_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    number: varchar("number", { length: 64 }),
    currency: char("currency", { length: 3 }).notNull(),
    issuedAt: instant("issued_at").notNull(),
    reason: text("reason").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    totalMinor: minorUnits("total_minor").notNull(),
    insertOrder: varchar("insert_order", { length: 32 }).notNull()
  },
  (t) => [
    primaryKey({ name: "credit_notes_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("credit_notes_number_key").on(t.tenantId, t.number),
    index("credit_notes_invoice_idx").on(t.tenantId, t.invoiceId, t.insertOrder)
  ]
)

export const creditNoteLines = mysqlTable(
  "credit_note_lines",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    creditNoteId: varchar("credit_note_id", { length: 64 }).notNull(),
    position: int("position").notNull(),
    invoiceLine: int("invoice_line").notNull(),
    description: text("description").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    grossMinor: minorUnits("gross_minor").notNull()
  },
  (t) => [primaryKey({ name: "credit_note_lines_pk", columns: [t.tenantId, t.creditNoteId, t.position] })]
)

export const payments = mysqlTable(
  "payments",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    invoiceId: varchar("invoice_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    status: varchar("status", { length: 32 }).notNull(),
    gateway: varchar("gateway", { length: 32 }).notNull(),
    chargeId: varchar("charge_id", { length: 255 }),
    // The gateway's words, of any length (a longer reason must not stop the attempt being recorded).
    failureReason: text("failure_reason"),
    declineCode: varchar("decline_code", { length: 255 }),
    idempotencyKey: varchar("idempotency_key", { length: 255 }).notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "payments_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("payments_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("payments_invoice_idx").on(t.tenantId, t.invoiceId, t.id),
    index("payments_occurred_idx").on(t.tenantId, t.occurredAt)
  ]
)

export const refunds = mysqlTable(
  "refunds",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    paymentId: varchar("payment_id", { length: 64 }).notNull(),
    invoiceId: varchar("invoice_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    destination: varchar("destination", { length: 32 }).notNull(),
    // Refunds booked before 0010 were booked as done.
    status: varchar("status", { length: 16 }).notNull().default("succeeded"),
    gatewayRefundId: varchar("gateway_refund_id", { length: 255 }),
    idempotencyKey: varchar("idempotency_key", { length: 255 }).notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "refunds_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("refunds_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("refunds_invoice_idx").on(t.tenantId, t.invoiceId, t.id),
    index("refunds_payment_idx").on(t.tenantId, t.paymentId)
  ]
)

export const ledgerEntries = mysqlTable(
  "ledger_entries",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    invoiceId: varchar("invoice_id", { length: 64 }),
    note: text("note"),
    occurredAt: instant("occurred_at").notNull(),
    balanceAfterMinor: minorUnits("balance_after_minor").notNull()
  },
  (t) => [
    primaryKey({ name: "ledger_entries_pk", columns: [t.tenantId, t.id] }),
    index("ledger_entries_customer_idx").on(t.tenantId, t.customerId, t.id)
  ]
)

/** The running balance per (customer, currency): the row `append` locks, checks and moves. */
export const accountBalances = mysqlTable(
  "account_balances",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    balanceMinor: minorUnits("balance_minor").notNull()
  },
  (t) => [
    primaryKey({ name: "account_balances_pk", columns: [t.tenantId, t.customerId, t.currency] }),
    check("account_balances_never_negative", sql`balance_minor >= 0`)
  ]
)

export const coupons = mysqlTable(
  "coupons",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    code: varchar("code", { length: 64 }).notNull(),
    maxRedemptions: int("max_redemptions"),
    oncePerCustomer: boolean("once_per_customer").notNull(),
    redemptionCount: int("redemption_count").notNull(),
    document: mediumtext("document").notNull()
  },
  (t) => [
    primaryKey({ name: "coupons_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("coupons_code_key").on(t.tenantId, t.code)
  ]
)

export const couponRedemptions = mysqlTable(
  "coupon_redemptions",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    couponId: varchar("coupon_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }),
    redeemedAt: instant("redeemed_at").notNull(),
    onceCustomerId: varchar("once_customer_id", { length: 64 })
  },
  (t) => [
    primaryKey({ name: "coupon_redemptions_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("coupon_redemptions_once_key").on(t.tenantId, t.couponId, t.onceCustomerId),
    index("coupon_redemptions_customer_idx").on(t.tenantId, t.couponId, t.customerId)
  ]
)

/** Gapless counters: the row and its moves belong to the drawing transaction (rolled back with it). */
export const numberSequences = mysqlTable(
  "number_sequences",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    sequenceKey: varchar("sequence_key", { length: 191 }).notNull(),
    lastValue: int("last_value").notNull()
  },
  (t) => [primaryKey({ name: "number_sequences_pk", columns: [t.tenantId, t.sequenceKey] })]
)

export const jobs = mysqlTable(
  "jobs",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    kind: varchar("kind", { length: 128 }).notNull(),
    payload: mediumtext("payload").notNull(),
    runAt: instant("run_at").notNull(),
    dedupeKey: varchar("dedupe_key", { length: 255 }),
    state: varchar("state", { length: 16 }).notNull(),
    attempts: int("attempts").notNull(),
    maxAttempts: int("max_attempts").notNull(),
    lastError: text("last_error"),
    lockedBy: varchar("locked_by", { length: 255 }),
    lockedUntil: instant("locked_until")
  },
  (t) => [
    primaryKey({ name: "jobs_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("jobs_dedupe_key").on(t.tenantId, t.dedupeKey),
    index("jobs_tenant_state_idx").on(t.tenantId, t.state, t.id),
    // Cross-tenant by the port's design (claim, complete, fail name no tenant):
    uniqueIndex("jobs_id_key").on(t.id),
    index("jobs_due_idx").on(t.state, t.runAt, t.id),
    index("jobs_lease_idx").on(t.state, t.lockedUntil)
  ]
)

export const idempotencyRecords = mysqlTable(
  "idempotency_records",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    idempotencyKey: varchar("idempotency_key", { length: 255 }).notNull(),
    result: mediumtext("result").notNull(),
    createdAt: instant("created_at").notNull()
  },
  (t) => [primaryKey({ name: "idempotency_records_pk", columns: [t.tenantId, t.idempotencyKey] })]
)

/** A tenant's tax rule set, in the order given; the rate is its exact percentage string ("9.975"). */
export const taxRules = mysqlTable(
  "tax_rules",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    position: int("position").notNull(),
    country: char("country", { length: 2 }).notNull(),
    region: varchar("region", { length: 64 }),
    locality: varchar("locality", { length: 128 }),
    name: varchar("name", { length: 255 }).notNull(),
    ratePercent: varchar("rate_percent", { length: 40 }).notNull(),
    priority: int("priority"),
    compound: boolean("compound"),
    productKinds: text("product_kinds")
  },
  (t) => [
    primaryKey({ name: "tax_rules_pk", columns: [t.tenantId, t.id] }),
    index("tax_rules_position_idx").on(t.tenantId, t.position)
  ]
)

/** Exchange rates: one per (pair, day); the rate is exact, numerator and denominator in decimal digits. */
export const exchangeRates = mysqlTable(
  "exchange_rates",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    fromCurrency: char("from_currency", { length: 3 }).notNull(),
    toCurrency: char("to_currency", { length: 3 }).notNull(),
    rateDate: char("rate_date", { length: 10 }).notNull(),
    rateNum: varchar("rate_num", { length: 64 }).notNull(),
    rateDen: varchar("rate_den", { length: 64 }).notNull(),
    source: varchar("source", { length: 64 }).notNull()
  },
  (t) => [
    primaryKey({
      name: "exchange_rates_pk",
      columns: [t.tenantId, t.fromCurrency, t.toCurrency, t.rateDate]
    })
  ]
)

/** Saved payment methods: the gateway's token, never a card number. The default is a row of its own below. */
export const paymentMethods = mysqlTable(
  "payment_methods",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    gateway: varchar("gateway", { length: 32 }).notNull(),
    gatewayCustomerId: varchar("gateway_customer_id", { length: 255 }).notNull(),
    gatewayMethodId: varchar("gateway_method_id", { length: 255 }).notNull(),
    kind: varchar("kind", { length: 16 }).notNull(),
    label: varchar("label", { length: 255 }).notNull(),
    expiresMonth: int("expires_month"),
    expiresYear: int("expires_year"),
    createdAt: instant("created_at").notNull()
  },
  (t) => [
    primaryKey({ name: "payment_methods_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("payment_methods_token_key").on(t.tenantId, t.gateway, t.gatewayMethodId),
    index("payment_methods_customer_idx").on(t.tenantId, t.customerId, t.gateway, t.id)
  ]
)

/**
 * The default method of each (customer, gateway) that has methods: one row by its primary key, so never
 * two defaults; the row every change to the pair's methods locks first, so changes to one pair queue up.
 */
export const paymentMethodDefaults = mysqlTable(
  "payment_method_defaults",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    gateway: varchar("gateway", { length: 32 }).notNull(),
    methodId: varchar("method_id", { length: 64 }).notNull()
  },
  (t) => [primaryKey({ name: "payment_method_defaults_pk", columns: [t.tenantId, t.customerId, t.gateway] })]
)

/** Inbound webhooks: one row per (source, event id), processed later by a job. */
export const webhookEvents = mysqlTable(
  "webhook_events",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    source: varchar("source", { length: 64 }).notNull(),
    eventId: varchar("event_id", { length: 255 }).notNull(),
    type: varchar("type", { length: 255 }).notNull(),
    payload: mediumtext("payload").notNull(),
    receivedAt: instant("received_at").notNull(),
    state: varchar("state", { length: 16 }).notNull(),
    failures: int("failures").notNull(),
    lastError: text("last_error"),
    failedAt: instant("failed_at"),
    processedAt: instant("processed_at")
  },
  (t) => [
    primaryKey({ name: "webhook_events_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("webhook_events_event_key").on(t.tenantId, t.source, t.eventId),
    index("webhook_events_pending_idx").on(t.tenantId, t.processedAt, t.id)
  ]
)

/** The audit log: append-only (the store never updates or deletes a row). */
export const auditEntries = mysqlTable(
  "audit_entries",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    actorKind: varchar("actor_kind", { length: 16 }).notNull(),
    actorId: varchar("actor_id", { length: 128 }).notNull(),
    action: varchar("action", { length: 128 }).notNull(),
    targetType: varchar("target_type", { length: 64 }).notNull(),
    targetId: varchar("target_id", { length: 128 }).notNull(),
    details: mediumtext("details").notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "audit_entries_pk", columns: [t.tenantId, t.id] }),
    index("audit_entries_time_idx").on(t.tenantId, t.occurredAt, t.id),
    index("audit_entries_target_idx").on(t.tenantId, t.targetType, t.targetId, t.occurredAt, t.id)
  ]
)

/** Provisioned services: one per subscription, versioned; credentials only as an encrypted envelope. */
export const services = mysqlTable(
  "services",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    provisioner: varchar("provisioner", { length: 32 }).notNull(),
    externalIds: text("external_ids").notNull(),
    state: varchar("state", { length: 16 }).notNull(),
    credentialsCiphertext: text("credentials_ciphertext"),
    credentialsKeyId: varchar("credentials_key_id", { length: 64 }),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: int("version").notNull()
  },
  (t) => [
    primaryKey({ name: "services_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("services_subscription_key").on(t.tenantId, t.subscriptionId),
    index("services_customer_idx").on(t.tenantId, t.customerId, t.id),
    index("services_state_idx").on(t.tenantId, t.state, t.id)
  ]
)

/** 5-minute usage samples: one row per (service, slot); a repeated slot keeps the larger counts. */
export const usageSamples = mysqlTable(
  "usage_samples",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    serviceId: varchar("service_id", { length: 64 }).notNull(),
    slotAt: instant("slot_at").notNull(),
    bytesIn: int64("bytes_in").notNull(),
    bytesOut: int64("bytes_out").notNull()
  },
  (t) => [primaryKey({ name: "usage_samples_pk", columns: [t.tenantId, t.serviceId, t.slotAt] })]
)

/** Revenue events per subscription, in order (`seq` 1, 2, ...): the event as a document. */
export const revenueEvents = mysqlTable(
  "revenue_events",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }).notNull(),
    seq: int("seq").notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    occurredAt: instant("occurred_at").notNull(),
    document: mediumtext("document").notNull()
  },
  (t) => [primaryKey({ name: "revenue_events_pk", columns: [t.tenantId, t.subscriptionId, t.seq] })]
)

/** Each subscription's revenue row (what it contributes to MRR now); `event_count` is its last `seq`. */
export const revenueSubscriptions = mysqlTable(
  "revenue_subscriptions",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: varchar("status", { length: 16 }).notNull(),
    snapshot: mediumtext("snapshot").notNull(),
    mrrUnits: int64("mrr_units").notNull(),
    sinceAt: instant("since_at").notNull(),
    churnedAt: instant("churned_at"),
    eventCount: int("event_count").notNull()
  },
  (t) => [
    primaryKey({ name: "revenue_subscriptions_pk", columns: [t.tenantId, t.subscriptionId] }),
    index("revenue_subscriptions_customer_idx").on(t.tenantId, t.customerId)
  ]
)

/** Each customer's revenue row: MRR per currency, whether they ever paid, their period cohorts. */
export const revenueCustomers = mysqlTable(
  "revenue_customers",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    mrr: text("mrr").notNull(),
    everPaid: boolean("ever_paid").notNull(),
    lastAt: instant("last_at").notNull(),
    dayPeriod: varchar("day_period", { length: 10 }).notNull(),
    dayStart: text("day_start").notNull(),
    monthPeriod: varchar("month_period", { length: 7 }).notNull(),
    monthStart: text("month_start").notNull()
  },
  (t) => [primaryKey({ name: "revenue_customers_pk", columns: [t.tenantId, t.customerId] })]
)

/** Every MRR movement, in MRR units (1/72 minor unit); listed by time. */
export const mrrMovements = mysqlTable(
  "mrr_movements",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    id: varchar("id", { length: 64 }).notNull(),
    occurredAt: instant("occurred_at").notNull(),
    day: char("day", { length: 10 }).notNull(),
    month: char("month", { length: 7 }).notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    subscriptionId: varchar("subscription_id", { length: 64 }).notNull(),
    customerId: varchar("customer_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    units: int64("units").notNull(),
    cause: varchar("cause", { length: 32 }).notNull(),
    payers: int("payers").notNull(),
    cohort: text("cohort").notNull()
  },
  (t) => [
    primaryKey({ name: "mrr_movements_pk", columns: [t.tenantId, t.id] }),
    index("mrr_movements_time_idx").on(t.tenantId, t.occurredAt, t.id)
  ]
)

/** Additive summary rows per (day or month, currency): each movement adds to two of them. */
export const revenueSummaries = mysqlTable(
  "revenue_summaries",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    granularity: varchar("granularity", { length: 8 }).notNull(),
    period: varchar("period", { length: 10 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    newUnits: int64("new_units").notNull(),
    expansionUnits: int64("expansion_units").notNull(),
    contractionUnits: int64("contraction_units").notNull(),
    churnedUnits: int64("churned_units").notNull(),
    reactivationUnits: int64("reactivation_units").notNull(),
    payersGained: int("payers_gained").notNull(),
    payersLost: int("payers_lost").notNull(),
    cohortLostUnits: int64("cohort_lost_units").notNull(),
    cohortChangeUnits: int64("cohort_change_units").notNull(),
    customersNew: int("customers_new").notNull(),
    customersReactivated: int("customers_reactivated").notNull(),
    customersChurned: int("customers_churned").notNull(),
    cohortCustomersLost: int("cohort_customers_lost").notNull()
  },
  (t) => [
    primaryKey({ name: "revenue_summaries_pk", columns: [t.tenantId, t.granularity, t.period, t.currency] })
  ]
)

/** MRR and payers now, per currency: the sums of every movement. */
export const revenueTotals = mysqlTable(
  "revenue_totals",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    mrrUnits: int64("mrr_units").notNull(),
    payers: int("payers").notNull()
  },
  (t) => [primaryKey({ name: "revenue_totals_pk", columns: [t.tenantId, t.currency] })]
)

/** Customers paying now, in any currency (one row per tenant). */
export const revenueTenantTotals = mysqlTable("revenue_tenant_totals", {
  tenantId: varchar("tenant_id", { length: 64 }).primaryKey(),
  payingCustomers: int("paying_customers").notNull()
})

/** A tenant's payment gateway accounts: one per (tenant, gateway), versioned; credentials only sealed. */
export const gatewayAccounts = mysqlTable(
  "gateway_accounts",
  {
    tenantId: varchar("tenant_id", { length: 64 }).notNull(),
    gateway: varchar("gateway", { length: 32 }).notNull(),
    mode: varchar("mode", { length: 8 }).notNull(),
    currencies: text("currencies").notNull(),
    credentialsCiphertext: text("credentials_ciphertext").notNull(),
    credentialsKeyId: varchar("credentials_key_id", { length: 64 }).notNull(),
    enabled: boolean("enabled").notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: int("version").notNull()
  },
  (t) => [primaryKey({ name: "gateway_accounts_pk", columns: [t.tenantId, t.gateway] })]
)
