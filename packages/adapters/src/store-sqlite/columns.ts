/**
 * SQLite column types. SQLite stores every integer as a signed 64-bit INTEGER; the connection reads them
 * as `bigint` (better-sqlite3 safe integers), so nothing is ever rounded through a double. These types
 * turn them into what the domain holds, with a range guard each way:
 *
 * - `minorUnits` (`*_minor`) and `int64` (quantities): `bigint` over the full signed 64-bit range;
 * - `instant` (`*_at`, epoch ms) and `integerNumber` (versions, counters, positions): a JavaScript
 *   number, refused (a `RangeError`, not a rounded value) outside the safe-integer range;
 * - `flag`: a boolean stored as 0 / 1.
 */
import { customType } from "drizzle-orm/sqlite-core"
import {
  bigintFromDriver,
  int64 as checkInt64,
  safeInteger,
  safeIntegerFromDriver
} from "../store-sql/integers"

type DriverInteger = bigint | number

export const minorUnits = customType<{ data: bigint; driverData: DriverInteger }>({
  dataType: () => "integer",
  toDriver: (value) => checkInt64(value),
  fromDriver: (value) => bigintFromDriver(value)
})

export const int64 = minorUnits

export const instant = customType<{ data: number; driverData: DriverInteger }>({
  dataType: () => "integer",
  toDriver: (value) => safeInteger(value),
  fromDriver: (value) => safeIntegerFromDriver(value)
})

export const integerNumber = instant

export const flag = customType<{ data: boolean; driverData: DriverInteger }>({
  dataType: () => "integer",
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) === 1
})
