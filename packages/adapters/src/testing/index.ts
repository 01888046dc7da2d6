/**
 * `@ezscale/adapters/testing` — helpers for the adapters' own tests and the benchmarks, not for
 * production: a private MariaDB server, and the stores' id generator and renewal columns (bench rows carry
 * ids made exactly as the store makes them, in the store's column order).
 */
export { makeIdGenerator } from "../store-sql/ids"
export { invoiceColumns, jobColumns, lineColumns } from "../store-sql/renewals"
export { findMariadb, type PrivateMariadb, type PrivateMariadbOptions, startPrivateMariadb } from "./mariadb"
