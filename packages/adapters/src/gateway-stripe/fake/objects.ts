/**
 * The JSON objects the fake answers with, shaped as Stripe's (fields from shared/specs/stripe/spec3.json
 * and fixtures3.json; the SDK's .d.ts decides where the 2024-04-10 spec and the SDK's 2026-10-28 version
 * differ: objects carry the fields the SDK types as always present, e.g. `allowed_payment_method_types`,
 * `customer_account`, `payment_record`, that the older spec lacks). Each builder gives a complete object; the handlers mutate the stored copy as the resource
 * moves on, and the server serializes it.
 */
import type { TestCard } from "./cards"

export type Json = { [key: string]: unknown }
export type Metadata = { [key: string]: string }

const address = () => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null
})

export const billingDetails = () => ({ address: address(), email: null, name: null, phone: null })

export const customerObject = (fields: {
  id: string
  created: number
  email: string | null
  name: string | null
  description: string | null
  metadata: Metadata
}): Json => ({
  id: fields.id,
  object: "customer",
  address: null,
  balance: 0,
  created: fields.created,
  currency: null,
  default_source: null,
  delinquent: false,
  description: fields.description,
  discount: null,
  email: fields.email,
  invoice_prefix: fields.id.slice(-7).toUpperCase(),
  invoice_settings: {
    custom_fields: null,
    default_payment_method: null,
    footer: null,
    rendering_options: null
  },
  livemode: false,
  metadata: fields.metadata,
  name: fields.name,
  next_invoice_sequence: 1,
  phone: null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: "none",
  test_clock: null
})

export const paymentMethodObject = (fields: {
  id: string
  created: number
  card: TestCard
  fingerprint: string
  customer: string | null
}): Json => ({
  id: fields.id,
  object: "payment_method",
  allow_redisplay: "unspecified",
  billing_details: billingDetails(),
  card: {
    brand: fields.card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
    country: "US",
    display_brand: fields.card.brand,
    exp_month: 12,
    exp_year: 2034,
    fingerprint: fields.fingerprint,
    funding: "credit",
    generated_from: null,
    last4: fields.card.last4,
    networks: { available: [fields.card.brand], preferred: null },
    three_d_secure_usage: { supported: true },
    wallet: null
  },
  created: fields.created,
  customer: fields.customer,
  customer_account: null,
  livemode: false,
  metadata: {},
  type: "card"
})

export const setupIntentObject = (fields: {
  id: string
  created: number
  clientSecret: string
  customer: string | null
  usage: string
  metadata: Metadata
  description: string | null
}): Json => ({
  id: fields.id,
  object: "setup_intent",
  allowed_payment_method_types: ["card"],
  application: null,
  automatic_payment_methods: null,
  cancellation_reason: null,
  client_secret: fields.clientSecret,
  created: fields.created,
  customer: fields.customer,
  description: fields.description,
  excluded_payment_method_types: null,
  flow_directions: null,
  last_setup_error: null,
  latest_attempt: null,
  livemode: false,
  mandate: null,
  metadata: fields.metadata,
  next_action: null,
  on_behalf_of: null,
  payment_method: null,
  payment_method_configuration_details: null,
  payment_method_options: {
    card: { mandate_options: null, network: null, request_three_d_secure: "automatic" }
  },
  payment_method_types: ["card"],
  single_use_mandate: null,
  status: "requires_payment_method",
  usage: fields.usage
})

export const paymentIntentObject = (fields: {
  id: string
  created: number
  amount: number
  currency: string
  customer: string | null
  description: string | null
  metadata: Metadata
  clientSecret: string
  offSession: boolean
}): Json => ({
  id: fields.id,
  object: "payment_intent",
  allowed_payment_method_types: ["card"],
  amount: fields.amount,
  amount_capturable: 0,
  amount_details: { tip: {} },
  amount_received: 0,
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: null,
  canceled_at: null,
  cancellation_reason: null,
  capture_method: "automatic",
  client_secret: fields.clientSecret,
  confirmation_method: "automatic",
  created: fields.created,
  currency: fields.currency,
  customer: fields.customer,
  customer_account: null,
  description: fields.description,
  excluded_payment_method_types: null,
  last_payment_error: null,
  latest_charge: null,
  livemode: false,
  managed_payments: null,
  metadata: fields.metadata,
  next_action: null,
  on_behalf_of: null,
  payment_method: null,
  payment_method_configuration_details: null,
  payment_method_options: {
    card: {
      installments: null,
      mandate_options: null,
      network: null,
      request_three_d_secure: "automatic"
    }
  },
  payment_method_types: ["card"],
  payment_record: null,
  processing: null,
  receipt_email: null,
  review: null,
  setup_future_usage: null,
  shipping: null,
  source: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  status: "requires_payment_method",
  transfer_data: null,
  transfer_group: null
})

export const chargeObject = (fields: {
  id: string
  created: number
  amount: number
  currency: string
  customer: string | null
  description: string | null
  metadata: Metadata
  paymentIntent: string
  paymentMethod: string
  card: TestCard
  fingerprint: string
  failure: { code: string; message: string; declineCode: string } | null
}): Json => {
  const paid = fields.failure === null
  return {
    id: fields.id,
    object: "charge",
    amount: fields.amount,
    amount_captured: paid ? fields.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: paid ? `txn_${fields.id.slice(3)}` : null,
    billing_details: billingDetails(),
    calculated_statement_descriptor: "EZSCALE BILLING",
    captured: paid,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    description: fields.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: fields.failure?.code ?? null,
    failure_message: fields.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: fields.metadata,
    on_behalf_of: null,
    outcome: paid
      ? {
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          seller_message: "Payment complete.",
          type: "authorized"
        }
      : {
          network_status: "declined_by_network",
          reason: fields.failure?.declineCode ?? null,
          risk_level: "normal",
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined"
        },
    paid,
    payment_intent: fields.paymentIntent,
    payment_method: fields.paymentMethod,
    payment_method_details: {
      card: {
        brand: fields.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
        country: "US",
        exp_month: 12,
        exp_year: 2034,
        fingerprint: fields.fingerprint,
        funding: "credit",
        installments: null,
        last4: fields.card.last4,
        mandate: null,
        network: fields.card.brand,
        three_d_secure: null,
        wallet: null
      },
      type: "card"
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: { object: "list", data: [], has_more: false, url: `/v1/charges/${fields.id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: paid ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null
  }
}

export const refundObject = (fields: {
  id: string
  created: number
  amount: number
  currency: string
  charge: string
  paymentIntent: string
  customer: string | null
  paymentMethod: string | null
  reason: string | null
  metadata: Metadata
  status: string
}): Json => ({
  id: fields.id,
  object: "refund",
  amount: fields.amount,
  balance_transaction: `txn_${fields.id.slice(3)}`,
  charge: fields.charge,
  created: fields.created,
  currency: fields.currency,
  customer: fields.customer,
  customer_account: null,
  destination_details: { card: { type: "refund" }, type: "card" },
  metadata: fields.metadata,
  payment_intent: fields.paymentIntent,
  payment_method: fields.paymentMethod,
  reason: fields.reason,
  receipt_number: null,
  source_transfer_reversal: null,
  status: fields.status,
  transfer_reversal: null
})

export const disputeObject = (fields: {
  id: string
  created: number
  amount: number
  currency: string
  charge: string
  paymentIntent: string
  reason: string
  dueBy: number
}): Json => ({
  id: fields.id,
  object: "dispute",
  amount: fields.amount,
  balance_transactions: [],
  charge: fields.charge,
  created: fields.created,
  currency: fields.currency,
  enhanced_eligibility_types: [],
  evidence: {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null
  },
  evidence_details: { due_by: fields.dueBy, has_evidence: false, past_due: false, submission_count: 0 },
  intended_submission_method: null,
  is_charge_refundable: false,
  livemode: false,
  metadata: {},
  payment_intent: fields.paymentIntent,
  reason: fields.reason,
  status: "needs_response"
})

export const listObject = (url: string, data: ReadonlyArray<unknown>, hasMore = false): Json => ({
  object: "list",
  data,
  has_more: hasMore,
  url
})

export const searchResultObject = (url: string, data: ReadonlyArray<unknown>): Json => ({
  object: "search_result",
  data,
  has_more: false,
  next_page: null,
  url
})

export interface StripeErrorFields {
  readonly type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error"
  readonly message: string
  readonly code?: string
  readonly declineCode?: string
  readonly param?: string
  readonly paymentIntent?: Json
  readonly paymentMethod?: Json
  readonly charge?: string
}

/** Stripe's error body: `{ error: { type, code, decline_code, message, param, payment_intent, ... } }`. */
export const errorBody = (fields: StripeErrorFields, requestId: string): Json => ({
  error: {
    type: fields.type,
    message: fields.message,
    ...(fields.code === undefined
      ? {}
      : {
          code: fields.code,
          doc_url: `https://stripe.com/docs/error-codes/${fields.code.replace(/_/g, "-")}`
        }),
    ...(fields.declineCode === undefined ? {} : { decline_code: fields.declineCode }),
    ...(fields.param === undefined ? {} : { param: fields.param }),
    ...(fields.charge === undefined ? {} : { charge: fields.charge }),
    ...(fields.paymentIntent === undefined ? {} : { payment_intent: fields.paymentIntent }),
    ...(fields.paymentMethod === undefined ? {} : { payment_method: fields.paymentMethod }),
    request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`
  }
})
