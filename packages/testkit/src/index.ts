/**
 * @ezscale/testkit — in-memory adapters for every port and test-data factories. The contract suites are
 * at `@ezscale/testkit/contracts`.
 */
export * from "./factories"
export * from "./in-memory"
