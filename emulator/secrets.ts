// SPDX-License-Identifier: Apache-2.0
/**
 * Secret-typed fields (docs/internals/api-notes.md §5.2, §13.11): the API never returns them. Our rule, by name:
 * a key ending in password, secret or connectionString. Values are kept apart from the
 * document, so a GET cannot leak them and a PUT that omits them keeps them.
 */
export function isSecretKey(key: string): boolean {
  return /(password|secret|connectionstring)$/i.test(key);
}

type Json = Record<string, any>;

/** Moves secret values out of `doc` (in place) into a path → value map. */
export function extractSecrets(
  doc: unknown,
  path: string[] = [],
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (Array.isArray(doc)) doc.forEach((v, i) => extractSecrets(v, [...path, keyOf(v, i)], out));
  else if (doc && typeof doc === "object") {
    for (const [k, v] of Object.entries(doc as Json)) {
      if (isSecretKey(k) && v !== undefined && v !== null && v !== "") {
        out[[...path, k].join("\u0000")] = v;
        delete (doc as Json)[k];
      } else extractSecrets(v, [...path, k], out);
    }
  }
  return out;
}

/** Puts secret values back into a copy of the document (for the control API's internal view). */
export function restoreSecrets(doc: Json, secrets: Record<string, unknown>): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  for (const [joined, value] of Object.entries(secrets)) {
    const path = joined.split("\u0000");
    let target: any = copy;
    for (const seg of path.slice(0, -1)) {
      if (Array.isArray(target)) target = target.find((item: any, i: number) => keyOf(item, i) === seg);
      // Own keys only: a document key named `__proto__` must never lead to Object.prototype.
      else target = target && typeof target === "object" && Object.hasOwn(target, seg) ? target[seg] : undefined;
      if (!target || typeof target !== "object") break;
    }
    if (target && typeof target === "object") defineOwn(target, path[path.length - 1], value);
  }
  return copy;
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
export function defineOwn(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Plans are addressed by planId, so secrets follow a plan when plans are reordered. */
function keyOf(item: unknown, index: number): string {
  const id = item && typeof item === "object" ? (item as Json).planId : undefined;
  return typeof id === "string" ? `plan:${id}` : String(index);
}
