/**
 * Contract suites, one per port. An adapter's test file calls the suite with its layer; the suite
 * registers vitest `describe` / `it` blocks that assert the port's documented guarantees.
 */
export { type GatewayFixtures, gatewayContract } from "./gateway"
export { type ProvisionerFixtures, provisionerContract } from "./provisioner"
export {
  documentsContract,
  idsContract,
  mailerContract,
  type UsageFixtures,
  usageSourceContract
} from "./small-ports"
export { type StoreCapabilities, storeContract } from "./store"
