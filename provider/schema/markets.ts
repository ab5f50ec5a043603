// SPDX-License-Identifier: Apache-2.0
/**
 * Market (ISO 3166-1 alpha-2) → settlement currency for customised VM pricing, after the 2018
 * "Simplified Currency Pricing" change.
 */
const LEGACY: Record<string, string> = {
  DZ: "DZD",
  AR: "ARS",
  AU: "AUD",
  AT: "EUR",
  BH: "BHD",
  BY: "RUB",
  BE: "EUR",
  BR: "USD",
  BG: "BGN",
  CA: "CAD",
  CL: "CLP",
  CO: "COP",
  CR: "CRC",
  HR: "HRK",
  CY: "EUR",
  CZ: "CZK",
  DK: "DKK",
  DO: "USD",
  EC: "USD",
  EG: "EGP",
  SV: "USD",
  EE: "EUR",
  FI: "EUR",
  FR: "EUR",
  DE: "EUR",
  GR: "EUR",
  GT: "GTQ",
  HK: "HKD",
  HU: "HUF",
  IS: "ISK",
  IN: "INR",
  ID: "IDR",
  IE: "EUR",
  IL: "ILS",
  IT: "EUR",
  JP: "JPY",
  JO: "JOD",
  KZ: "KZT",
  KE: "KES",
  KR: "KRW",
  KW: "KWD",
  LV: "EUR",
  LI: "CHF",
  LT: "EUR",
  LU: "EUR",
  MK: "MKD",
  MY: "MYR",
  MT: "EUR",
  MX: "MXN",
  ME: "EUR",
  MA: "MAD",
  NL: "EUR",
  NZ: "NZD",
  NG: "NGN",
  NO: "NOK",
  OM: "OMR",
  PK: "PKR",
  PA: "USD",
  PY: "PYG",
  PE: "PEN",
  PH: "PHP",
  PL: "PLN",
  PT: "EUR",
  PR: "USD",
  QA: "QAR",
  RO: "RON",
  RU: "RUB",
  SA: "SAR",
  RS: "RSD",
  SG: "SGD",
  SK: "EUR",
  SI: "EUR",
  ZA: "ZAR",
  ES: "EUR",
  LK: "USD",
  SE: "SEK",
  CH: "CHF",
  TW: "TWD",
  TH: "THB",
  TT: "TTD",
  TN: "TND",
  TR: "TRY",
  UA: "UAH",
  AE: "EUR",
  GB: "GBP",
  US: "USD",
  UY: "UYU",
  VE: "USD",
};

const TO_USD =
  "DZ AR BH BY CL CO CR EG GT HK ID IL JO KZ KE KW MK MY MX ME MA NG OM PK PY PE PH QA SA RS SG ZA TH TT TN TR UA AE UY";
const TO_EUR = "BG HR CZ HU IS LI PL RO";

function simplified(): Record<string, string> {
  const out = { ...LEGACY };
  for (const m of TO_USD.split(" ")) out[m] = "USD";
  for (const m of TO_EUR.split(" ")) out[m] = "EUR";
  out.BR = "BRL";
  return out;
}

/** The 84 markets with a documented price currency, mapped to the currency in force today. */
export const MARKET_CURRENCY: Readonly<Record<string, string>> = Object.freeze(simplified());

/**
 * A market code as plans accept it: two upper-case letters. Real offers list markets outside
 * the 84-entry currency table (AF, AL, AD…), so `regions` accepts any ISO-shaped code; only
 * per-market prices need a known currency.
 */
export function isMarketCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code);
}
