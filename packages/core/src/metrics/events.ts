/**
 * Revenue events: what the engine records, in the same transaction as the subscription change, for
 * every change to what a subscription contributes to MRR. Each carries the subscription's new
 * {@link RevenueSnapshot} (except a churn, after which it contributes nothing), so the metrics never
 * need the catalog or the coupons again.
 *
 * Where they come from (the engine's mapping from subscription events):
 *
 * | subscription event                                            | revenue event                |
 * | ------------------------------------------------------------- | ---------------------------- |
 * | `SubscriptionActivated`; `TrialEnded` converted / payment_due | `RevenueStarted`             |
 * | plan change, option change, repricing, a coupon redeemed      | `RevenueChanged`             |
 * | the last invoice a recurring coupon discounts is issued        | `RevenueCouponEnded`         |
 * | `SubscriptionCancelled`, `SubscriptionTerminated`, `SubscriptionMarkedFraud` of a started subscription | `RevenueChurned` |
 * | staff reinstate a churned subscription                        | `RevenueReactivated`         |
 *
 * A trial, a pending order, a suspension or a past-due spell changes nothing: the subscription is
 * counted from its first paid (or payable) period until it churns.
 */
import type { Instant } from "../calendar/zone"
import type { RevenueSnapshot } from "./snapshot"

/** The subscription starts counting in MRR. */
export interface RevenueStarted {
  readonly _tag: "RevenueStarted"
  readonly at: Instant
  readonly snapshot: RevenueSnapshot
}

/** Why a live subscription's snapshot changed. */
export type RevenueChangeReason = "plan_change" | "option_change" | "reprice" | "coupon_applied"

/** A live subscription now contributes what `snapshot` says (upgrade, downgrade, new coupon...). */
export interface RevenueChanged {
  readonly _tag: "RevenueChanged"
  readonly at: Instant
  readonly reason: RevenueChangeReason
  readonly snapshot: RevenueSnapshot
}

/** A recurring coupon stopped discounting: `snapshot` is the subscription without it. */
export interface RevenueCouponEnded {
  readonly _tag: "RevenueCouponEnded"
  readonly at: Instant
  readonly couponId: string
  readonly snapshot: RevenueSnapshot
}

/** Why a subscription left MRR. */
export type ChurnReason = "cancelled" | "terminated" | "fraud"

/** The subscription stops counting in MRR. */
export interface RevenueChurned {
  readonly _tag: "RevenueChurned"
  readonly at: Instant
  readonly subscriptionId: string
  readonly customerId: string
  readonly reason: ChurnReason
}

/** A churned subscription counts again, as `snapshot` says. */
export interface RevenueReactivated {
  readonly _tag: "RevenueReactivated"
  readonly at: Instant
  readonly snapshot: RevenueSnapshot
}

/** Every change to what a subscription contributes to MRR, as the engine records it. */
export type RevenueEvent =
  | RevenueStarted
  | RevenueChanged
  | RevenueCouponEnded
  | RevenueChurned
  | RevenueReactivated

/** The subscription a revenue event is about. */
export const revenueEventSubscription = (event: RevenueEvent): string =>
  event._tag === "RevenueChurned" ? event.subscriptionId : event.snapshot.subscriptionId

/** The customer a revenue event is about. */
export const revenueEventCustomer = (event: RevenueEvent): string =>
  event._tag === "RevenueChurned" ? event.customerId : event.snapshot.customerId
