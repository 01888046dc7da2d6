/**
 * A customer's saved payment methods: what the gateway stored for them (Stripe `pm_...`, a PayPal vault
 * token), with what the customer sees. The store keeps the gateway's token, never a card number: a
 * method whose token, label or gateway customer id holds one ({@link looksLikeCardNumber}) is refused.
 */
import { Either, Schema } from "effect"
import type { Instant } from "../../calendar/zone"
import type { PaymentMethod } from "../payment-gateway"
import type { Op } from "./repositories"

/** The kinds of method a gateway reports. */
export const PaymentMethodKinds = [
  "card",
  "paypal",
  "bank_account",
  "other"
] as const satisfies ReadonlyArray<PaymentMethod["kind"]>

export interface SavedPaymentMethod {
  readonly id: string
  readonly customerId: string
  /** The gateway holding it: `stripe`, `paypal`... (at most 32 characters). */
  readonly gateway: string
  /** The gateway's customer the method is attached to (Stripe `cus_...`). */
  readonly gatewayCustomerId: string
  /** The gateway's token for the method (Stripe `pm_...`): what a charge names. Never a card number. */
  readonly gatewayMethodId: string
  readonly kind: PaymentMethod["kind"]
  /** For display: "Visa •••• 4242", "PayPal a@b.example". */
  readonly label: string
  /** When a card expires (month 1-12). */
  readonly expiresAt?: { readonly month: number; readonly year: number }
  /**
   * The method charged for this customer at this gateway when none is named. The store keeps exactly
   * one default per (customer, gateway) that has methods (see {@link PaymentMethodRepository}).
   */
  readonly isDefault: boolean
  readonly createdAt: Instant
}

/** A payment method the store refuses to keep; nothing is written. */
export class InvalidPaymentMethod extends Schema.TaggedError<InvalidPaymentMethod>()("InvalidPaymentMethod", {
  methodId: Schema.String,
  issue: Schema.String
}) {
  override get message() {
    return `Payment method ${this.methodId} cannot be saved: ${this.issue}`
  }
}

/** Runs of digits, allowing the single spaces and dashes card numbers are written with. */
const digitRuns = /\d(?:[ -]?\d)*/g

/** Luhn's checksum, which every card number passes. */
const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * Whether `value` holds a card number: a run of 13-19 digits (spaces or dashes between them allowed)
 * starting with a card issuer's digit (1-6) that passes the Luhn check.
 */
export const looksLikeCardNumber = (value: string): boolean => {
  for (const run of value.match(digitRuns) ?? []) {
    const digits = run.replace(/[ -]/g, "")
    if (digits.length >= 13 && digits.length <= 19 && /^[1-6]/.test(digits) && luhn(digits)) return true
  }
  return false
}

const text = (value: string, max: number) => value.trim() !== "" && value.length <= max

/**
 * The first reason `method` cannot be saved: a card number in it, an empty or too
 * long field (gateway 32 characters, ids, token and label 255), an unknown kind, an impossible expiry.
 */
export const checkPaymentMethod = (
  method: SavedPaymentMethod
): Either.Either<SavedPaymentMethod, InvalidPaymentMethod> => {
  const invalid = (issue: string) => Either.left(new InvalidPaymentMethod({ methodId: method.id, issue }))
  for (const [field, value] of [
    ["gatewayMethodId", method.gatewayMethodId],
    ["gatewayCustomerId", method.gatewayCustomerId],
    ["label", method.label]
  ] as const) {
    if (looksLikeCardNumber(value))
      return invalid(`${field} looks like a card number; save the gateway's token`)
  }
  if (!text(method.id, 64) || !text(method.customerId, 64))
    return invalid("id and customerId are 1-64 characters")
  if (!text(method.gateway, 32)) return invalid("gateway is 1-32 characters")
  if (
    !text(method.gatewayCustomerId, 255) ||
    !text(method.gatewayMethodId, 255) ||
    !text(method.label, 255)
  ) {
    return invalid("gatewayCustomerId, gatewayMethodId and label are 1-255 characters")
  }
  if (!(PaymentMethodKinds as ReadonlyArray<string>).includes(method.kind))
    return invalid(`unknown kind ${method.kind}`)
  const expiry = method.expiresAt
  if (
    expiry !== undefined &&
    !(
      Number.isInteger(expiry.month) &&
      expiry.month >= 1 &&
      expiry.month <= 12 &&
      Number.isInteger(expiry.year) &&
      expiry.year >= 2000 &&
      expiry.year <= 9999
    )
  ) {
    return invalid("expiresAt is a month 1-12 of a year 2000-9999")
  }
  return Either.right(method)
}

/**
 * Saved payment methods. Unique keys: (tenant, id) and (tenant, gateway, gatewayMethodId) — the same
 * gateway token is saved once (`Conflict`).
 *
 * Exactly one default per (customer, gateway) that has methods, kept by the store through every call:
 * the first method a customer saves at a gateway is its default whatever `isDefault` says; a later one
 * saved with `isDefault: true` takes over; `setDefault` moves it; removing the default hands it to the
 * newest method left at that gateway (by id: ids are time-ordered). Concurrent calls for one customer and
 * gateway queue up, so they cannot leave two defaults or none.
 */
export interface PaymentMethodRepository {
  /** `NotFound` for an unknown id. */
  readonly get: (tenantId: string, methodId: string) => Op<SavedPaymentMethod>
  /** The customer's methods at every gateway, ordered by id (oldest first), each with its default flag. */
  readonly list: (tenantId: string, customerId: string) => Op<ReadonlyArray<SavedPaymentMethod>>
  /** Saves the method and returns it as stored (its `isDefault` as the rule above decided). */
  readonly insert: (
    tenantId: string,
    method: SavedPaymentMethod
  ) => Op<SavedPaymentMethod, InvalidPaymentMethod>
  /** Removes the method (`NotFound` when it is not there); a default is handed on as above. */
  readonly remove: (tenantId: string, methodId: string) => Op<void>
  /** Makes the method its customer's default at its gateway (`NotFound` for an unknown id). */
  readonly setDefault: (tenantId: string, methodId: string) => Op<SavedPaymentMethod>
}
