/**
 * MySQL / MariaDB column types. The pool reads BIGINT as digit strings (`supportBigNumbers` +
 * `bigNumberStrings`), so no 64-bit value is ever rounded through a double; these types turn them into
 * what the domain holds, with a range guard each way:
 *
 * - `minorUnits` (`*_minor`) and `int64` (quantities): BIGINT <-> `bigint`, the full signed 64-bit range;
 * - `instant` (`*_at`, epoch ms): BIGINT <-> number, refused outside the safe-integer range.
 *
 * Small counters (versions, attempts, positions) are plain INT (read as numbers by the driver).
 */
import { customType } from "drizzle-orm/mysql-core"
import {
  bigintFromDriver,
  int64 as checkInt64,
  safeInteger,
  safeIntegerFromDriver
} from "../store-sql/integers"

type DriverInteger = bigint | number | string

export const minorUnits = customType<{ data: bigint; driverData: DriverInteger }>({
  dataType: () => "bigint",
  toDriver: (value) => checkInt64(value),
  fromDriver: (value) => bigintFromDriver(value)
})

export const int64 = minorUnits

export const instant = customType<{ data: number; driverData: DriverInteger }>({
  dataType: () => "bigint",
  toDriver: (value) => safeInteger(value),
  fromDriver: (value) => safeIntegerFromDriver(value)
})
