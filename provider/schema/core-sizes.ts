// SPDX-License-Identifier: Apache-2.0
/**
 * The 25 core-size keys of per-core-size ("customized core") VM pricing
 * (`coreMultiplier.individually`), as the API documents them.
 */
export const CORE_SIZE_KEYS = [
  "sharedcore",
  "1core",
  "2core",
  "4core",
  "6core",
  "8core",
  "10core",
  "12core",
  "16core",
  "20core",
  "24core",
  "32core",
  "36core",
  "40core",
  "44core",
  "48core",
  "60core",
  "64core",
  "72core",
  "80core",
  "96core",
  "120core",
  "128core",
  "208core",
  "416core",
] as const;

/** One documented core-size key. */
export type CoreSizeKey = (typeof CORE_SIZE_KEYS)[number];

const CORE_SIZE_SET: ReadonlySet<string> = new Set(CORE_SIZE_KEYS);

/** True when `key` is one of the 25 documented core-size keys. */
export function isCoreSizeKey(key: string): key is CoreSizeKey {
  return CORE_SIZE_SET.has(key);
}
