/**
 * The SQLite schema (drizzle sqlite-core). Every table carries `tenant_id`, first in every primary key,
 * unique key and index — except the job queue's claim indexes and the job id key: `jobs.claim`,
 * `complete` and `fail` work across tenants by the port's design. Money is `*_minor` (INTEGER, read as
 * bigint), instants are `*_at` (INTEGER epoch ms), civil dates are `YYYY-MM-DD` text, and small value
 * objects that are never queried are JSON text. Migrations: `npm run db:generate -w @ezscale/adapters`.
 */
import { sql } from "drizzle-orm"
import { check, index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core"
import { flag, instant, int64, integerNumber, minorUnits } from "./columns"

export const tenants = sqliteTable("tenants", {
  tenantId: text("tenant_id").primaryKey(),
  name: text("name").notNull(),
  settings: text("settings").notNull()
})

export const customers = sqliteTable(
  "customers",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    country: text("country").notNull(),
    region: text("region"),
    locality: text("locality"),
    isBusiness: flag("is_business").notNull(),
    vatId: text("vat_id"),
    taxExemptReason: text("tax_exempt_reason"),
    timeZone: text("time_zone").notNull(),
    currency: text("currency").notNull(),
    locale: text("locale").notNull()
  },
  (t) => [
    primaryKey({ name: "customers_pk", columns: [t.tenantId, t.id] }),
    index("customers_email_idx").on(t.tenantId, t.email)
  ]
)

/** One catalog document per tenant (products, plans, prices, options, add-ons), read and written whole. */
export const catalogs = sqliteTable("catalogs", {
  tenantId: text("tenant_id").primaryKey(),
  document: text("document").notNull()
})

export const subscriptions = sqliteTable(
  "subscriptions",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    customerId: text("customer_id").notNull(),
    productId: text("product_id").notNull(),
    productKind: text("product_kind").notNull(),
    planId: text("plan_id").notNull(),
    currency: text("currency").notNull(),
    cycle: text("cycle").notNull(),
    pricing: text("pricing").notNull(),
    timeZone: text("time_zone").notNull(),
    anchor: text("anchor").notNull(),
    currentPeriodStart: text("current_period_start"),
    currentPeriodEnd: text("current_period_end"),
    nextRenewalAt: instant("next_renewal_at"),
    coupons: text("coupons").notNull(),
    invoicedPeriods: integerNumber("invoiced_periods").notNull(),
    status: text("status").notNull(),
    suspensionReason: text("suspension_reason"),
    suspendedAt: instant("suspended_at"),
    cancellationMode: text("cancellation_mode"),
    cancellationReason: text("cancellation_reason"),
    cancellationRequestedAt: instant("cancellation_requested_at"),
    cancellationEffectiveAt: instant("cancellation_effective_at"),
    trialEndsAt: instant("trial_ends_at"),
    createdAt: instant("created_at").notNull(),
    version: integerNumber("version").notNull()
  },
  (t) => [
    primaryKey({ name: "subscriptions_pk", columns: [t.tenantId, t.id] }),
    index("subscriptions_renewal_idx").on(t.tenantId, t.nextRenewalAt, t.id),
    index("subscriptions_customer_idx").on(t.tenantId, t.customerId, t.id),
    index("subscriptions_status_idx").on(t.tenantId, t.status, t.id)
  ]
)

export const subscriptionItems = sqliteTable(
  "subscription_items",
  {
    tenantId: text("tenant_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    position: integerNumber("position").notNull(),
    kind: text("kind").notNull(),
    itemId: text("item_id").notNull(),
    choiceId: text("choice_id"),
    description: text("description").notNull(),
    cycle: text("cycle").notNull(),
    quantity: int64("quantity").notNull(),
    unitAmountMinor: minorUnits("unit_amount_minor").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    setupFeeMinor: minorUnits("setup_fee_minor").notNull()
  },
  (t) => [primaryKey({ name: "subscription_items_pk", columns: [t.tenantId, t.subscriptionId, t.position] })]
)

export const invoices = sqliteTable(
  "invoices",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    customerId: text("customer_id").notNull(),
    subscriptionId: text("subscription_id"),
    kind: text("kind").notNull(),
    renewalKind: text("renewal_kind"),
    status: text("status").notNull(),
    currency: text("currency").notNull(),
    number: text("number"),
    issuedAt: instant("issued_at"),
    dueAt: instant("due_at").notNull(),
    paidAt: instant("paid_at"),
    voidedAt: instant("voided_at"),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
    pricing: text("pricing").notNull(),
    taxDecision: text("tax_decision").notNull(),
    taxSummary: text("tax_summary").notNull(),
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

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    position: integerNumber("position").notNull(),
    kind: text("kind").notNull(),
    description: text("description").notNull(),
    quantity: int64("quantity").notNull(),
    unitAmountMinor: minorUnits("unit_amount_minor").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    grossMinor: minorUnits("gross_minor").notNull(),
    taxes: text("taxes").notNull(),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
    itemId: text("item_id"),
    couponId: text("coupon_id"),
    reduces: text("reduces")
  },
  (t) => [primaryKey({ name: "invoice_lines_pk", columns: [t.tenantId, t.invoiceId, t.position] })]
)

export const creditNotes = sqliteTable(
  "credit_notes",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    number: text("number"),
    currency: text("currency").notNull(),
    issuedAt: instant("issued_at").notNull(),
    reason: text("reason").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    totalMinor: minorUnits("total_minor").notNull(),
    insertOrder: text("insert_order").notNull()
  },
  (t) => [
    primaryKey({ name: "credit_notes_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("credit_notes_number_key").on(t.tenantId, t.number),
    index("credit_notes_invoice_idx").on(t.tenantId, t.invoiceId, t.insertOrder)
  ]
)

export const creditNoteLines = sqliteTable(
  "credit_note_lines",
  {
    tenantId: text("tenant_id").notNull(),
    creditNoteId: text("credit_note_id").notNull(),
    position: integerNumber("position").notNull(),
    invoiceLine: integerNumber("invoice_line").notNull(),
    description: text("description").notNull(),
    netMinor: minorUnits("net_minor").notNull(),
    taxMinor: minorUnits("tax_minor").notNull(),
    grossMinor: minorUnits("gross_minor").notNull()
  },
  (t) => [primaryKey({ name: "credit_note_lines_pk", columns: [t.tenantId, t.creditNoteId, t.position] })]
)

export const payments = sqliteTable(
  "payments",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    status: text("status").notNull(),
    gateway: text("gateway").notNull(),
    chargeId: text("charge_id"),
    failureReason: text("failure_reason"),
    declineCode: text("decline_code"),
    idempotencyKey: text("idempotency_key").notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "payments_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("payments_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("payments_invoice_idx").on(t.tenantId, t.invoiceId, t.id),
    index("payments_occurred_idx").on(t.tenantId, t.occurredAt)
  ]
)

export const refunds = sqliteTable(
  "refunds",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    paymentId: text("payment_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    destination: text("destination").notNull(),
    // Refunds booked before 0010 were booked as done.
    status: text("status").notNull().default("succeeded"),
    gatewayRefundId: text("gateway_refund_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "refunds_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("refunds_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("refunds_invoice_idx").on(t.tenantId, t.invoiceId, t.id),
    index("refunds_payment_idx").on(t.tenantId, t.paymentId)
  ]
)

export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    amountMinor: minorUnits("amount_minor").notNull(),
    kind: text("kind").notNull(),
    invoiceId: text("invoice_id"),
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
export const accountBalances = sqliteTable(
  "account_balances",
  {
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    balanceMinor: minorUnits("balance_minor").notNull()
  },
  (t) => [
    primaryKey({ name: "account_balances_pk", columns: [t.tenantId, t.customerId, t.currency] }),
    check("account_balances_never_negative", sql`balance_minor >= 0`)
  ]
)

export const coupons = sqliteTable(
  "coupons",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    code: text("code").notNull(),
    maxRedemptions: integerNumber("max_redemptions"),
    oncePerCustomer: flag("once_per_customer").notNull(),
    redemptionCount: integerNumber("redemption_count").notNull(),
    document: text("document").notNull()
  },
  (t) => [
    primaryKey({ name: "coupons_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("coupons_code_key").on(t.tenantId, t.code)
  ]
)

export const couponRedemptions = sqliteTable(
  "coupon_redemptions",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    couponId: text("coupon_id").notNull(),
    customerId: text("customer_id").notNull(),
    subscriptionId: text("subscription_id"),
    redeemedAt: instant("redeemed_at").notNull(),
    onceCustomerId: text("once_customer_id")
  },
  (t) => [
    primaryKey({ name: "coupon_redemptions_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("coupon_redemptions_once_key").on(t.tenantId, t.couponId, t.onceCustomerId),
    index("coupon_redemptions_customer_idx").on(t.tenantId, t.couponId, t.customerId)
  ]
)

/** Gapless counters: the row and its moves belong to the drawing transaction (rolled back with it). */
export const numberSequences = sqliteTable(
  "number_sequences",
  {
    tenantId: text("tenant_id").notNull(),
    sequenceKey: text("sequence_key").notNull(),
    lastValue: integerNumber("last_value").notNull()
  },
  (t) => [primaryKey({ name: "number_sequences_pk", columns: [t.tenantId, t.sequenceKey] })]
)

export const jobs = sqliteTable(
  "jobs",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind").notNull(),
    payload: text("payload").notNull(),
    runAt: instant("run_at").notNull(),
    dedupeKey: text("dedupe_key"),
    state: text("state").notNull(),
    attempts: integerNumber("attempts").notNull(),
    maxAttempts: integerNumber("max_attempts").notNull(),
    lastError: text("last_error"),
    lockedBy: text("locked_by"),
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

export const idempotencyRecords = sqliteTable(
  "idempotency_records",
  {
    tenantId: text("tenant_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    result: text("result").notNull(),
    createdAt: instant("created_at").notNull()
  },
  (t) => [primaryKey({ name: "idempotency_records_pk", columns: [t.tenantId, t.idempotencyKey] })]
)

/** A tenant's tax rule set, in the order given; the rate is its exact percentage string ("9.975"). */
export const taxRules = sqliteTable(
  "tax_rules",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    position: integerNumber("position").notNull(),
    country: text("country").notNull(),
    region: text("region"),
    locality: text("locality"),
    name: text("name").notNull(),
    ratePercent: text("rate_percent").notNull(),
    priority: integerNumber("priority"),
    compound: flag("compound"),
    productKinds: text("product_kinds")
  },
  (t) => [
    primaryKey({ name: "tax_rules_pk", columns: [t.tenantId, t.id] }),
    index("tax_rules_position_idx").on(t.tenantId, t.position)
  ]
)

/** Exchange rates: one per (pair, day); the rate is exact, numerator and denominator in decimal digits. */
export const exchangeRates = sqliteTable(
  "exchange_rates",
  {
    tenantId: text("tenant_id").notNull(),
    fromCurrency: text("from_currency").notNull(),
    toCurrency: text("to_currency").notNull(),
    rateDate: text("rate_date").notNull(),
    rateNum: text("rate_num").notNull(),
    rateDen: text("rate_den").notNull(),
    source: text("source").notNull()
  },
  (t) => [
    primaryKey({
      name: "exchange_rates_pk",
      columns: [t.tenantId, t.fromCurrency, t.toCurrency, t.rateDate]
    })
  ]
)

/** Saved payment methods: the gateway's token, never a card number. The default is a row of its own below. */
export const paymentMethods = sqliteTable(
  "payment_methods",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    customerId: text("customer_id").notNull(),
    gateway: text("gateway").notNull(),
    gatewayCustomerId: text("gateway_customer_id").notNull(),
    gatewayMethodId: text("gateway_method_id").notNull(),
    kind: text("kind").notNull(),
    label: text("label").notNull(),
    expiresMonth: integerNumber("expires_month"),
    expiresYear: integerNumber("expires_year"),
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
export const paymentMethodDefaults = sqliteTable(
  "payment_method_defaults",
  {
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id").notNull(),
    gateway: text("gateway").notNull(),
    methodId: text("method_id").notNull()
  },
  (t) => [primaryKey({ name: "payment_method_defaults_pk", columns: [t.tenantId, t.customerId, t.gateway] })]
)

/** Inbound webhooks: one row per (source, event id), processed later by a job. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    source: text("source").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    payload: text("payload").notNull(),
    receivedAt: instant("received_at").notNull(),
    state: text("state").notNull(),
    failures: integerNumber("failures").notNull(),
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
export const auditEntries = sqliteTable(
  "audit_entries",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    details: text("details").notNull(),
    occurredAt: instant("occurred_at").notNull()
  },
  (t) => [
    primaryKey({ name: "audit_entries_pk", columns: [t.tenantId, t.id] }),
    index("audit_entries_time_idx").on(t.tenantId, t.occurredAt, t.id),
    index("audit_entries_target_idx").on(t.tenantId, t.targetType, t.targetId, t.occurredAt, t.id)
  ]
)

/** Provisioned services: one per subscription, versioned; credentials only as an encrypted envelope. */
export const services = sqliteTable(
  "services",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    customerId: text("customer_id").notNull(),
    provisioner: text("provisioner").notNull(),
    externalIds: text("external_ids").notNull(),
    state: text("state").notNull(),
    credentialsCiphertext: text("credentials_ciphertext"),
    credentialsKeyId: text("credentials_key_id"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: integerNumber("version").notNull()
  },
  (t) => [
    primaryKey({ name: "services_pk", columns: [t.tenantId, t.id] }),
    uniqueIndex("services_subscription_key").on(t.tenantId, t.subscriptionId),
    index("services_customer_idx").on(t.tenantId, t.customerId, t.id),
    index("services_state_idx").on(t.tenantId, t.state, t.id)
  ]
)

/** 5-minute usage samples: one row per (service, slot); a repeated slot keeps the larger counts. */
export const usageSamples = sqliteTable(
  "usage_samples",
  {
    tenantId: text("tenant_id").notNull(),
    serviceId: text("service_id").notNull(),
    slotAt: instant("slot_at").notNull(),
    bytesIn: int64("bytes_in").notNull(),
    bytesOut: int64("bytes_out").notNull()
  },
  (t) => [primaryKey({ name: "usage_samples_pk", columns: [t.tenantId, t.serviceId, t.slotAt] })]
)

/** Revenue events per subscription, in order (`seq` 1, 2, ...): the event as a document. */
export const revenueEvents = sqliteTable(
  "revenue_events",
  {
    tenantId: text("tenant_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    seq: integerNumber("seq").notNull(),
    customerId: text("customer_id").notNull(),
    kind: text("kind").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    document: text("document").notNull()
  },
  (t) => [primaryKey({ name: "revenue_events_pk", columns: [t.tenantId, t.subscriptionId, t.seq] })]
)

/** Each subscription's revenue row (what it contributes to MRR now); `event_count` is its last `seq`. */
export const revenueSubscriptions = sqliteTable(
  "revenue_subscriptions",
  {
    tenantId: text("tenant_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    snapshot: text("snapshot").notNull(),
    mrrUnits: int64("mrr_units").notNull(),
    sinceAt: instant("since_at").notNull(),
    churnedAt: instant("churned_at"),
    eventCount: integerNumber("event_count").notNull()
  },
  (t) => [
    primaryKey({ name: "revenue_subscriptions_pk", columns: [t.tenantId, t.subscriptionId] }),
    index("revenue_subscriptions_customer_idx").on(t.tenantId, t.customerId)
  ]
)

/** Each customer's revenue row: MRR per currency, whether they ever paid, their period cohorts. */
export const revenueCustomers = sqliteTable(
  "revenue_customers",
  {
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id").notNull(),
    mrr: text("mrr").notNull(),
    everPaid: flag("ever_paid").notNull(),
    lastAt: instant("last_at").notNull(),
    dayPeriod: text("day_period").notNull(),
    dayStart: text("day_start").notNull(),
    monthPeriod: text("month_period").notNull(),
    monthStart: text("month_start").notNull()
  },
  (t) => [primaryKey({ name: "revenue_customers_pk", columns: [t.tenantId, t.customerId] })]
)

/** Every MRR movement, in MRR units (1/72 minor unit); listed by time. */
export const mrrMovements = sqliteTable(
  "mrr_movements",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    day: text("day").notNull(),
    month: text("month").notNull(),
    kind: text("kind").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    units: int64("units").notNull(),
    cause: text("cause").notNull(),
    payers: integerNumber("payers").notNull(),
    cohort: text("cohort").notNull()
  },
  (t) => [
    primaryKey({ name: "mrr_movements_pk", columns: [t.tenantId, t.id] }),
    index("mrr_movements_time_idx").on(t.tenantId, t.occurredAt, t.id)
  ]
)

/** Additive summary rows per (day or month, currency): each movement adds to two of them. */
export const revenueSummaries = sqliteTable(
  "revenue_summaries",
  {
    tenantId: text("tenant_id").notNull(),
    granularity: text("granularity").notNull(),
    period: text("period").notNull(),
    currency: text("currency").notNull(),
    newUnits: int64("new_units").notNull(),
    expansionUnits: int64("expansion_units").notNull(),
    contractionUnits: int64("contraction_units").notNull(),
    churnedUnits: int64("churned_units").notNull(),
    reactivationUnits: int64("reactivation_units").notNull(),
    payersGained: integerNumber("payers_gained").notNull(),
    payersLost: integerNumber("payers_lost").notNull(),
    cohortLostUnits: int64("cohort_lost_units").notNull(),
    cohortChangeUnits: int64("cohort_change_units").notNull(),
    customersNew: integerNumber("customers_new").notNull(),
    customersReactivated: integerNumber("customers_reactivated").notNull(),
    customersChurned: integerNumber("customers_churned").notNull(),
    cohortCustomersLost: integerNumber("cohort_customers_lost").notNull()
  },
  (t) => [
    primaryKey({ name: "revenue_summaries_pk", columns: [t.tenantId, t.granularity, t.period, t.currency] })
  ]
)

/** MRR and payers now, per currency: the sums of every movement. */
export const revenueTotals = sqliteTable(
  "revenue_totals",
  {
    tenantId: text("tenant_id").notNull(),
    currency: text("currency").notNull(),
    mrrUnits: int64("mrr_units").notNull(),
    payers: integerNumber("payers").notNull()
  },
  (t) => [primaryKey({ name: "revenue_totals_pk", columns: [t.tenantId, t.currency] })]
)

/** Customers paying now, in any currency (one row per tenant). */
export const revenueTenantTotals = sqliteTable("revenue_tenant_totals", {
  tenantId: text("tenant_id").primaryKey(),
  payingCustomers: integerNumber("paying_customers").notNull()
})

/** A tenant's payment gateway accounts: one per (tenant, gateway), versioned; credentials only sealed. */
export const gatewayAccounts = sqliteTable(
  "gateway_accounts",
  {
    tenantId: text("tenant_id").notNull(),
    gateway: text("gateway").notNull(),
    mode: text("mode").notNull(),
    currencies: text("currencies").notNull(),
    credentialsCiphertext: text("credentials_ciphertext").notNull(),
    credentialsKeyId: text("credentials_key_id").notNull(),
    enabled: flag("enabled").notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: integerNumber("version").notNull()
  },
  (t) => [primaryKey({ name: "gateway_accounts_pk", columns: [t.tenantId, t.gateway] })]
)
