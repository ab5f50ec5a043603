// SPDX-License-Identifier: Apache-2.0
import { createHash } from "node:crypto";
import { isRecord } from "./json.js";

/**
 * Canonical JSON: object keys sorted, `undefined` members dropped (as on the wire and in
 * Pulumi state), arrays kept in order. Two values that `jsonEqual` calls equal serialise alike.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A stable fingerprint of a JSON value: `sha256:` and the hex digest of its canonical JSON.
 * Resources expose the fingerprint of the part of the offer they own, so that a publication
 * can follow content (it changes when, and only when, that content changes) rather than ETags.
 */
export function fingerprint(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

/** A `sha256:` fingerprint as {@link fingerprint} writes it. */
const FULL_FINGERPRINT = /^sha256:([0-9a-f]{64})$/;

/**
 * The compact form of a {@link fingerprint}, for one that state keeps only to compare with a
 * later one (never for a value a program passes on, such as a publication's trigger): the first
 * 128 bits of the digest in 22 base64url characters instead of 71 characters. Any other string
 * is returned as it is.
 */
export function compactFingerprint(fp: string): string {
  const m = FULL_FINGERPRINT.exec(fp);
  return m ? Buffer.from(m[1].slice(0, 32), "hex").toString("base64url") : fp;
}

/**
 * Whether two fingerprints are of the same content, either in the compact form or in the full
 * `sha256:` form that state written by earlier builds of 0.2.0 holds.
 */
export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return compactFingerprint(a) === compactFingerprint(b);
}
