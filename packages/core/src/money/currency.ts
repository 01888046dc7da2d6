/**
 * ISO 4217 currencies and their minor-unit exponents. The exponent says how many decimal places the
 * minor unit has: 2 for USD (cents), 0 for JPY (no minor unit), 3 for KWD (fils).
 */
const exponents = {
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  VND: 0,
  ZAR: 2
} as const satisfies Record<string, 0 | 2 | 3>

export type CurrencyCode = keyof typeof exponents

/** Every currency the engine knows, in alphabetical order. */
export const currencyCodes: ReadonlyArray<CurrencyCode> = Object.keys(exponents) as Array<CurrencyCode>

export const isCurrencyCode = (code: string): code is CurrencyCode => Object.hasOwn(exponents, code)

/** Decimal places of the currency's minor unit (0, 2 or 3). */
export const exponentOf = (currency: CurrencyCode): 0 | 2 | 3 => exponents[currency]

const scales: Record<number, bigint> = { 0: 1n, 2: 100n, 3: 1000n }

/** Minor units in one major unit: 1n, 100n or 1000n. */
export const minorPerMajor = (currency: CurrencyCode): bigint => scales[exponents[currency]] as bigint
