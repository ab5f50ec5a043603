// SPDX-License-Identifier: Apache-2.0
/**
 * Resolves an operation location from a 202 response (docs/internals/api-notes.md §9.1): relative or absolute,
 * the legacy `/api/operations/{pub}${offer}$n$slot` form or the GUID form, with `api-version`
 * added when missing (and never twice). Pure.
 */
export function resolveOperationUrl(location: string, endpoint: string, apiVersion: string): string {
  const url = new URL(location.trim(), endpoint.endsWith("/") ? endpoint : `${endpoint}/`);
  if (!url.searchParams.has("api-version")) url.searchParams.set("api-version", apiVersion);
  return url.toString();
}

/** The operation id and offer of a GUID-form operation URL, or undefined for the legacy form. */
export function parseOperationUrl(
  url: string,
): { publisherId: string; offerId: string; operationId?: string; legacy: boolean } | undefined {
  const path = new URL(url).pathname;
  const guid = /\/api\/publishers\/([^/]+)\/offers\/([^/]+)\/operations\/([^/]+)\/?$/.exec(path);
  if (guid)
    return {
      publisherId: decodeURIComponent(guid[1]),
      offerId: decodeURIComponent(guid[2]),
      operationId: decodeURIComponent(guid[3]),
      legacy: false,
    };
  const legacy = /\/api\/operations\/([^/]+)$/.exec(path);
  if (legacy) {
    const [publisherId, offerId] = decodeURIComponent(legacy[1]).split("$");
    if (publisherId && offerId) return { publisherId, offerId, legacy: true };
  }
  return undefined;
}
