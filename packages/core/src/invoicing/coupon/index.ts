export * from "./coupon"
export * from "./discounts"
export * from "./errors"
export * from "./redemption"
