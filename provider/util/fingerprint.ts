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
