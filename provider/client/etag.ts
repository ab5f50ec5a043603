// SPDX-License-Identifier: Apache-2.0
/**
 * Quotes an entity tag per RFC 7232 for If-Match, leaving `*`, quoted and weak (`W/"…"`) tags
 * alone. The service's tags are weak, with a URL-encoded timestamp inside the quotes
 * (docs/internals/api-notes.md §4.2); they are sent back byte for byte. Idempotent.
 */
export function quoteETag(etag: string): string {
  if (etag === "*" || etag.startsWith('W/"') || (etag.startsWith('"') && etag.endsWith('"') && etag.length >= 2))
    return etag;
  return `"${etag}"`;
}
