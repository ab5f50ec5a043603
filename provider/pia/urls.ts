// SPDX-License-Identifier: Apache-2.0
/**
 * URLs of the Product Ingestion API, written as its public clients write them (docs/internals/api-notes.md §P12):
 * `$version` with a literal `$`, durable ids in a query with a literal `/`
 * (`plan?product=product/<P>`).
 */

/** The name of the version parameter every call carries. */
export const VERSION_PARAM = "$version";

/** Query values as the service's clients send them: percent-encoded, except `/`. Pure. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, "/");
}

/**
 * `<endpoint>/<segments>?$version=<version>&<query>`: each path segment percent-encoded, query
 * entries whose value is undefined left out. Pure.
 */
export function piaUrl(
  endpoint: string,
  segments: readonly string[],
  version: string,
  query: Readonly<Record<string, string | undefined>> = {},
): string {
  const path = segments.map((s) => encodeURIComponent(s)).join("/");
  const params = [`${VERSION_PARAM}=${encodeQueryValue(version)}`];
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && k !== VERSION_PARAM)
      params.push(`${encodeURIComponent(k).replace(/%24/g, "$")}=${encodeQueryValue(v)}`);
  }
  return `${endpoint}/${path}?${params.join("&")}`;
}

/** The query parameters of a URL as raw `name=value` pairs, in order (no decoding). Pure. */
function rawParams(search: string): Array<[string, string]> {
  return search
    .replace(/^\?/, "")
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const i = p.indexOf("=");
      return i < 0 ? [p, ""] : [p.slice(0, i), p.slice(i + 1)];
    });
}

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/**
 * `url` with query parameter `name` set to `value` (replacing any), every other parameter kept
 * byte for byte. Pure.
 */
export function withQueryParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  const params = rawParams(u.search).filter(([k]) => decodedName(k) !== name);
  params.push([name === VERSION_PARAM ? VERSION_PARAM : encodeURIComponent(name), encodeQueryValue(value)]);
  return `${u.origin}${u.pathname}?${params.map(([k, v]) => `${k}=${v}`).join("&")}${u.hash}`;
}

/** True when `url` has query parameter `name` (in any encoding). Pure. */
export function hasQueryParam(url: string, name: string): boolean {
  return rawParams(new URL(url).search).some(([k]) => decodedName(k) === name);
}
