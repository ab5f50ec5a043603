// SPDX-License-Identifier: Apache-2.0
/** One problem with an input: the property path and what to do about it (Pulumi's CheckFailure). */
export interface InputFailure {
  property: string;
  reason: string;
}

/** Collects failures; `add` returns false so checks can `return f.add(...)` and stop. */
export class Failures {
  readonly list: InputFailure[] = [];
  add(property: string, reason: string): false {
    this.list.push({ property, reason });
    return false;
  }
}

/** True for `https://` URLs that parse. */
export function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** Describes a value for a message without echoing long or sensitive text. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string")
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
