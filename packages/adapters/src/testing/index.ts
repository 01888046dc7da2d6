/**
 * `@ezscale/adapters/testing` — helpers for the adapters' own tests and the benchmarks, not for
 * production: a private MariaDB server, and the stores' id generator, document encoder and the columns of
 * the billing run's tables (bench rows carry ids and documents made exactly as the store makes them, in
 * the store's column order).
 */
export { makeIdGenerator } from "../store-sql/ids"
export { encodeDocument } from "../store-sql/json"
export {
  customerFields,
  invoiceColumns,
  itemFields,
  jobColumns,
  lineColumns,
  subscriptionFields
} from "../store-sql/renewals"
export { findMariadb, type PrivateMariadb, type PrivateMariadbOptions, startPrivateMariadb } from "./mariadb"
