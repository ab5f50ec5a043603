// SPDX-License-Identifier: Apache-2.0
import { isRecord } from "./json.js";

/**
 * What stands in for a SAS signature (`sig=` query value) in definitions kept in state, shown in
 * previews and compared by diffs. The real signatures travel apart, as a secret input.
 */
export const SAS_PLACEHOLDER = "[secret]";

/** SAS signatures by JSON-pointer path of the string that holds them, in order of appearance. */
export type SasSignatures = Record<string, string[]>;

/** A value with its SAS signatures replaced by {@link SAS_PLACEHOLDER}, and the signatures. */
export interface SasSplit<T> {
  value: T;
  signatures: SasSignatures;
}

// A `sig` query parameter inside any URL of a string (also within HTML text): `?sig=` or `&sig=`.
const SIG = /([?&](?:amp;)?sig=)([^&#\s"'<>]*)/gi;

/**
 * Replaces every SAS signature in `value` (any string at any depth: VHD URLs, logos, pricing
 * sheets, links in descriptions) with the placeholder and returns the signatures by path.
 * Pure; the input is not modified. `splitSas(x).value` of an already split value is unchanged.
 */
export function splitSas<T>(value: T): SasSplit<T> {
  const signatures: SasSignatures = {};
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === "string") {
      const found: string[] = [];
      const masked = v.replace(SIG, (_m, head: string, sig: string) => {
        found.push(sig);
        return head + SAS_PLACEHOLDER;
      });
      if (found.length > 0 && found.some((s) => s !== SAS_PLACEHOLDER)) signatures[path] = found;
      return masked;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}/${i}`));
    if (isRecord(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, `${path}/${escape(k)}`)]));
    }
    return v;
  };
  return { value: walk(value, "") as T, signatures };
}

/**
 * Puts signatures back where {@link splitSas} took them: the inverse, so that
 * `mergeSas(splitSas(x).value, splitSas(x).signatures)` equals `x`. A path that no longer
 * exists, or a string with fewer placeholders than signatures, keeps what it has.
 */
export function mergeSas<T>(value: T, signatures: SasSignatures | undefined): T {
  if (!signatures || Object.keys(signatures).length === 0) return value;
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === "string") {
      const sigs = signatures[path];
      if (!sigs) return v;
      let i = 0;
      return v.replace(SIG, (m, head: string, sig: string) => {
        const next = sig === SAS_PLACEHOLDER && i < sigs.length ? head + sigs[i] : m;
        i++;
        return next;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}/${i}`));
    if (isRecord(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, `${path}/${escape(k)}`)]));
    }
    return v;
  };
  return walk(value, "") as T;
}

/** Merges two signature maps; entries of `b` win. */
export function combineSas(a: SasSignatures | undefined, b: SasSignatures | undefined): SasSignatures {
  return { ...(a ?? {}), ...(b ?? {}) };
}

/** RFC 6901 escaping of one path segment. */
function escape(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
