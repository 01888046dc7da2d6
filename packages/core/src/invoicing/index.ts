export * from "./coupon"
export * from "./invoice"
export * from "./numbering"
export * from "./tax"
