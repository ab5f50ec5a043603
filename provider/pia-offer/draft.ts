// SPDX-License-Identifier: Apache-2.0
/**
 * What the Offer's Product Ingestion API back end compares (docs/internals/api-notes.md §P6): PIA
 * has no ETag, so the Offer keeps a fingerprint of the draft's content in the normal form of
 * {@link supportedDefinition} — one fingerprint that a definition as sent and a resource tree as
 * read give alike when they hold the same content. Pure.
 */
import { contentFingerprint, type DelegatedParts } from "../offer/document.js";
import type { OfferDefinition } from "../offer/types.js";
import type { PiaResource } from "../pia/models.js";
import type { JsonRecord } from "../util/json.js";
import { compactFingerprint } from "../util/fingerprint.js";
import { resourceTypeOf } from "./from-pia.js";
import { LANGUAGE_ID } from "./names.js";
import { supportedDefinition } from "./normal-form.js";
import type { KnownPiaIds, PiaOfferIds, PiaOfferTypeId } from "./types.js";
import { LOGO_TYPES } from "./vocabulary.js";

/** How a logo URL is compared: the service copies assets to its own storage and rewrites their URLs (§P3.2). */
const ASSET_STAND_IN = "[asset]";

/** What {@link piaDraftFingerprint} needs besides the definition. */
export interface PiaDraftContext {
  offerId: string;
  offerTypeId: PiaOfferTypeId;
  /** The plans whose pricing or images other resources own: not compared. */
  delegated: DelegatedParts;
}

/**
 * The fingerprint of a definition's content as PIA holds it: the normal form (what a round trip
 * keeps), plans in plan-id order (a tree's order is not stable), logo URLs by presence only, and
 * the delegated parts left out. A definition as sent and the tree read after writing it give the
 * same fingerprint; anything else in the tree is someone else's change.
 */
export function piaDraftFingerprint(definition: OfferDefinition | JsonRecord, o: PiaDraftContext): string {
  // State keeps it only to compare (with sameFingerprint), so in the compact form: one per Offer entry.
  return compactFingerprint(piaDraftDigest(definition, o));
}

/**
 * {@link piaDraftFingerprint} in the full `sha256:` form, which state written by
 * earlier builds of pulumi-cloudpartner 0.2.0 hold (`sameFingerprint` compares the two forms).
 */
export function piaDraftDigest(definition: OfferDefinition | JsonRecord, o: PiaDraftContext): string {
  const normal = supportedDefinition({ offerId: o.offerId, offerTypeId: o.offerTypeId, definition });
  return contentFingerprint(comparableDefinition(normal), o.delegated);
}

/** A normal-form definition as {@link piaDraftFingerprint} compares it (also for messages: what differs). */
export function comparableDefinition(normal: OfferDefinition): OfferDefinition {
  const offer: JsonRecord = {};
  for (const [key, value] of Object.entries(normal.offer ?? {})) {
    offer[key] = LOGO_TYPES.some(([suffix]) => key.endsWith(`.${suffix}`)) && value ? ASSET_STAND_IN : value;
  }
  const plans = [...(normal.plans ?? [])].sort((a, b) => String(a.planId).localeCompare(String(b.planId)));
  return { ...normal, offer, plans } as OfferDefinition;
}

/**
 * The durable ids of a resource tree to write against (`definitionToPia`'s `known`): the
 * product's, the plans' (from the translation's reading) and the en-us listing's.
 */
export function knownIdsOf(resources: readonly PiaResource[], ids: PiaOfferIds): KnownPiaIds {
  const listing = resources.find(
    (r) => resourceTypeOf(r) === "listing" && (r.languageId === undefined || r.languageId === LANGUAGE_ID),
  );
  return {
    ...(ids.product ? { product: ids.product } : {}),
    plans: { ...ids.plans },
    ...(typeof listing?.id === "string" ? { listing: listing.id } : {}),
  };
}
