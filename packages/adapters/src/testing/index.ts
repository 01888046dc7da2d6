/**
 * `@ezscale/adapters/testing` — helpers for the adapters' own tests and the benchmarks, not for
 * production: a private MariaDB server, and the stores' id generator (bench rows carry ids made exactly
 * as the store makes them).
 */
export { makeIdGenerator } from "../store-sql/ids"
export { findMariadb, type PrivateMariadb, type PrivateMariadbOptions, startPrivateMariadb } from "./mariadb"
