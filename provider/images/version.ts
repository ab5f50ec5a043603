// SPDX-License-Identifier: Apache-2.0

/** The largest part a disk version may have (the service parses parts as 32-bit integers). */
export const MAX_VERSION_PART = 2_147_483_647;

/**
 * Parses a disk version `X.Y.Z` of non-negative integers without leading zeros (`1.01.0` and
 * `1.1.0` would name the same version); undefined when it is not one.
 */
export function parseVersion(value: string): [number, number, number] | undefined {
  const m = /^(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})$/.exec(value);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number];
  return parts.every((p) => p <= MAX_VERSION_PART) ? parts : undefined;
}

/**
 * Orders disk versions numerically (`1.10.0` after `1.9.0`). Keys that are not versions sort
 * before every version, by text, so a map holding one still has a stable order.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Versions sorted oldest first. */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort(compareVersions);
}

/** The highest version, or undefined for none. */
export function highestVersion(versions: Iterable<string>): string | undefined {
  const sorted = sortVersions(versions);
  return sorted[sorted.length - 1];
}
