/**
 * @ezscale/core — the pure billing core: values in, values out, no IO. The engine's effects go through
 * the ports declared in `ports/`, implemented by `@ezscale/adapters` and, for tests, `@ezscale/testkit`.
 */
export * from "./calendar"
export * from "./catalog"
export * from "./customer"
export * from "./dunning"
export * from "./engine"
export * from "./errors"
export * from "./invoicing"
export * from "./metrics"
export * from "./money"
export * from "./ports"
export * from "./proration"
export * from "./subscription"
export * from "./usage"
