/**
 * Ports: what the engine needs from the outside world, as interfaces + Context tags. Adapters provide
 * them as Layers; `@ezscale/testkit` holds an in-memory adapter and a contract suite for each.
 */
export * from "./common"
export * from "./documents"
export * from "./ids"
export * from "./mailer"
export * from "./payment-gateway"
export * from "./provisioner"
export * from "./secrets"
export * from "./store"
export * from "./usage-source"
