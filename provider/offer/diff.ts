// SPDX-License-Identifier: Apache-2.0
import { jsonEqual } from "../util/json.js";
import { containsUnknown } from "../util/unknown.js";
import { sameDefinition } from "./document.js";
import type { OfferInputs, OfferOutputs } from "./types.js";

/** Identifiers that cannot change in place (cpp-api.md §5.8): a change replaces the resource. */
export const OFFER_REPLACE_KEYS = ["publisherId", "offerId", "offerTypeId"] as const;

/** The diff result the dynamic provider returns (subset of Pulumi's DiffResult). */
export interface ResourceDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/**
 * Compares the Offer's last outputs with new inputs. Output-only fields (etag, version, status,
 * changedTime) never count; pricing of plans left to VmPricing is ignored; `adopt` only matters
 * at creation. Unknown values (preview) count as a possible change, never as an error.
 */
export function diffOffer(olds: OfferOutputs, news: OfferInputs, providerVersion?: string): ResourceDiff {
  const replaces = OFFER_REPLACE_KEYS.filter((k) => news[k] !== undefined && !containsUnknown(news[k]) && olds[k] !== news[k]);
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const changes =
    OFFER_REPLACE_KEYS.some((k) => containsUnknown(news[k])) ||
    containsUnknown(news.definition) ||
    !sameDefinition(olds.definition, news.definition) ||
    !jsonEqual(olds.secrets ?? {}, news.secrets ?? {}) ||
    (olds.concurrency ?? "optimistic") !== (news.concurrency ?? "optimistic") ||
    containsUnknown(news.account) || olds.account !== news.account ||
    (providerVersion !== undefined && olds.providerVersion !== providerVersion);
  return { changes, replaces: [] };
}

/** True when only bookkeeping changed, so update needs no request to the service. */
export function definitionUnchanged(olds: OfferOutputs, news: OfferInputs): boolean {
  return sameDefinition(olds.definition, news.definition) && jsonEqual(olds.secrets ?? {}, news.secrets ?? {});
}
