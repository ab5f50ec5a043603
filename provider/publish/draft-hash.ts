// SPDX-License-Identifier: Apache-2.0
import { normalizeDefinition, type WireOffer } from "../offer/document.js";
import type { OfferDefinition } from "../offer/types.js";
import { fingerprint } from "../util/fingerprint.js";
import { isRecord } from "../util/json.js";

// The query string of a URL inside any text: SAS parameters (which the service may hand out
// afresh on each GET for assets it hosts) are not content.
const QUERY = /(https?:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi;

/**
 * A hash of the content of an offer document as read from the service, for OfferPublish to
 * tell whether the Draft still holds what it published. Only `definition` counts (the envelope's
 * status, version and times change with every operation); read-only listing keys, secret-named
 * keys (never returned), empty listing objects and URL query strings are left out, so two reads
 * of an unchanged Draft hash alike. Pricing counts: the whole document is published.
 */
export function draftContentHash(doc: WireOffer): string {
  const def = normalizeDefinition((doc.definition ?? {}) as Partial<OfferDefinition>, { pricing: [] });
  return fingerprint(withoutQueries(def));
}

function withoutQueries(value: unknown): unknown {
  if (typeof value === "string") return value.replace(QUERY, "$1");
  if (Array.isArray(value)) return value.map(withoutQueries);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutQueries(v)]));
  return value;
}
