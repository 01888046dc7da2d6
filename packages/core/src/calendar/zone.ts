/**
 * IANA time zones. The only place in the calendar that turns civil dates into instants and back.
 *
 * `Instant` is a point in time as UTC epoch milliseconds (`Date.UTC`'s unit). Billing days are civil
 * dates in the customer's zone; instants appear only at the edges (invoice timestamps, schedulers).
 *
 * `Intl.DateTimeFormat` is used as a pure tz database lookup: one formatter per zone, and the UTC offset
 * is memoized per UTC day (with the exact transition instant on the days a zone changes offset), so
 * repeated conversions cost a Map lookup. Assumes a zone changes its offset at most once per UTC day,
 * which holds for every zone in the tz database.
 */
import { Either } from "effect"
import { type CivilDate, fromEpochDay, toEpochDay } from "./civil-date"
import { InvalidTimeZone } from "./errors"

/** A point in time: milliseconds since 1970-01-01T00:00:00Z. */
export type Instant = number

const MS_PER_DAY = 86_400_000
const MS_PER_SECOND = 1000
const CACHE_LIMIT = 100_000

interface Transition {
  /** First instant of the new offset. */
  readonly at: Instant
  readonly before: number
  readonly after: number
}

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat
  /** UTC epoch day -> offset (ms) valid for the whole day. */
  readonly offsets: Map<number, number>
  /** UTC epoch day -> the offset change inside that day. */
  readonly transitions: Map<number, Transition>
  /** Local epoch day -> first instant of that local day. */
  readonly startOfDay: Map<number, Instant>
}

const zones = new Map<string, ZoneCache>()

const makeFormatter = (zone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric"
  })

const isOffsetName = (zone: string): boolean => /^[+\-\u2212]|^(?:utc|gmt)[+-]/i.test(zone)

/**
 * Checks that `zone` is an IANA time zone name the runtime knows ("Europe/London", "UTC"); returns it
 * unchanged. Validate at the boundary: the other functions treat an unknown zone as a defect.
 */
export const validateTimeZone = (zone: string): Either.Either<string, InvalidTimeZone> => {
  if (zone.length === 0 || isOffsetName(zone)) return Either.left(new InvalidTimeZone({ zone }))
  if (zones.has(zone)) return Either.right(zone)
  try {
    zones.set(zone, newZoneCache(makeFormatter(zone)))
    return Either.right(zone)
  } catch {
    return Either.left(new InvalidTimeZone({ zone }))
  }
}

const newZoneCache = (formatter: Intl.DateTimeFormat): ZoneCache => ({
  formatter,
  offsets: new Map(),
  transitions: new Map(),
  startOfDay: new Map()
})

const zoneCache = (zone: string): ZoneCache => {
  let cache = zones.get(zone)
  if (cache === undefined) {
    cache = newZoneCache(makeFormatter(zone))
    zones.set(zone, cache)
  }
  return cache
}

/** Offset (ms, whole seconds) of the zone at `instant`, straight from Intl. */
const rawOffset = (formatter: Intl.DateTimeFormat, instant: Instant): number => {
  const seconds = Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  let bc = false
  for (const part of formatter.formatToParts(seconds)) {
    switch (part.type) {
      case "year":
        year = Number(part.value)
        break
      case "month":
        month = Number(part.value)
        break
      case "day":
        day = Number(part.value)
        break
      case "hour":
        hour = Number(part.value)
        break
      case "minute":
        minute = Number(part.value)
        break
      case "second":
        second = Number(part.value)
        break
      case "era":
        bc = part.value.startsWith("B")
        break
      default:
        break
    }
  }
  if (bc) year = 1 - year
  const local =
    toEpochDay({ year, month, day }) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * MS_PER_SECOND
  return local - seconds
}

const remember = <V>(map: Map<number, V>, key: number, value: V): void => {
  if (map.size >= CACHE_LIMIT) map.clear()
  map.set(key, value)
}

/** The zone's UTC offset in milliseconds at `instant` (local time = instant + offset). */
const offsetAt = (cache: ZoneCache, instant: Instant): number => {
  const utcDay = Math.floor(instant / MS_PER_DAY)
  const offset = cache.offsets.get(utcDay)
  if (offset !== undefined) return offset
  let transition = cache.transitions.get(utcDay)
  if (transition === undefined) {
    const dayStart = utcDay * MS_PER_DAY
    const before = rawOffset(cache.formatter, dayStart)
    const after = rawOffset(cache.formatter, dayStart + MS_PER_DAY)
    if (before === after) {
      remember(cache.offsets, utcDay, before)
      return before
    }
    // Binary search, in whole seconds, for the first instant carrying the new offset.
    let lo = dayStart / MS_PER_SECOND // has `before`
    let hi = lo + MS_PER_DAY / MS_PER_SECOND // has `after`
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (rawOffset(cache.formatter, mid * MS_PER_SECOND) === before) lo = mid
      else hi = mid
    }
    transition = { at: hi * MS_PER_SECOND, before, after }
    remember(cache.transitions, utcDay, transition)
  }
  return instant < transition.at ? transition.before : transition.after
}

/** The UTC offset of `zone` at `instant`, in milliseconds (e.g. 19_800_000 for Asia/Kolkata). */
export const zoneOffsetAt = (instant: Instant, zone: string): number => offsetAt(zoneCache(zone), instant)

/** The customer's calendar date at `instant` in `zone`. */
export const civilDateAt = (instant: Instant, zone: string): CivilDate => {
  const local = instant + offsetAt(zoneCache(zone), instant)
  return fromEpochDay(Math.floor(local / MS_PER_DAY))
}

/**
 * The first instant of the local day `date` in `zone`. When local midnight does not exist (a DST gap at
 * midnight, e.g. America/Santiago in September), it is the first instant that does (the transition).
 * When midnight happens twice (a fall-back across midnight), it is the earlier one.
 */
export const startOfDayInZone = (date: CivilDate, zone: string): Instant => {
  const cache = zoneCache(zone)
  const localDay = toEpochDay(date)
  const known = cache.startOfDay.get(localDay)
  if (known !== undefined) return known
  const localMidnight = localDay * MS_PER_DAY
  // The offsets in force around that midnight (a day either side bounds any real offset).
  const early = offsetAt(cache, localMidnight - MS_PER_DAY)
  const late = offsetAt(cache, localMidnight + MS_PER_DAY)
  let result: Instant | undefined
  for (const assumed of early === late ? [early] : [early, late]) {
    const candidate = localMidnight - assumed
    if (offsetAt(cache, candidate) === assumed && (result === undefined || candidate < result))
      result = candidate
  }
  if (result === undefined) {
    // Midnight falls in a gap: the day starts at the transition, somewhere in (midnight - late, midnight - early].
    let lo = localMidnight - late // still on the early offset
    let hi = localMidnight - early // already on the late offset
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (offsetAt(cache, mid) === early) lo = mid
      else hi = mid
    }
    result = hi
  }
  remember(cache.startOfDay, localDay, result)
  return result
}
