// SPDX-License-Identifier: Apache-2.0
import { jsonEqual } from "../util/json.js";
import { containsUnknown } from "../util/unknown.js";
import type { ResourceDiff } from "../offer/diff.js";
import type { OfferPublishInputs, OfferPublishOutputs, PublishPhase } from "./types.js";

/** What an OfferPublish update has to do on the service. */
export type PublishAction =
  | { kind: "resume"; operationUrl: string; phase: PublishPhase }
  | { kind: "publish" }
  | { kind: "goLive" }
  | { kind: "none"; note?: string };

const SETTINGS = ["notificationEmails", "timeoutSeconds", "pollIntervalSeconds", "account"] as const;

/** diff: the offer's identity replaces; a pending operation always needs an update (resume). */
export function diffPublish(
  olds: OfferPublishOutputs,
  news: OfferPublishInputs,
  providerVersion?: string,
): ResourceDiff {
  const replaces = (["publisherId", "offerId"] as const).filter(
    (k) => !containsUnknown(news[k]) && olds[k] !== news[k],
  );
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const changes =
    olds.pendingOperationUrl !== undefined ||
    draftChangedSincePublished(olds) ||
    containsUnknown(news) ||
    olds.target !== news.target ||
    !jsonEqual(olds.trigger, news.trigger) ||
    SETTINGS.some((k) => !jsonEqual(olds[k], news[k])) ||
    (providerVersion !== undefined && olds.providerVersion !== providerVersion);
  return { changes, replaces: [] };
}

/**
 * Decides what an update does: resume a pending operation (never start a second one), republish
 * on a new trigger, go live when the target moves from preview to live, or nothing.
 */
export function planUpdate(olds: OfferPublishOutputs, news: OfferPublishInputs): PublishAction {
  if (olds.pendingOperationUrl)
    return { kind: "resume", operationUrl: olds.pendingOperationUrl, phase: olds.pendingPhase ?? "publish" };
  if (!jsonEqual(olds.trigger, news.trigger) || draftChangedSincePublished(olds)) return { kind: "publish" };
  if (olds.target === "preview" && news.target === "live") return { kind: "goLive" };
  if (olds.target === "live" && news.target === "preview") {
    return {
      kind: "none",
      note: "the offer is already live; the API cannot take a live offer back to preview, so nothing is done",
    };
  }
  return { kind: "none" };
}

/**
 * Whether a refresh found the Draft different from what was last published (a portal edit, or
 * drift of pricing): the next `up`, after the Offer and VmPricing have corrected the Draft,
 * publishes once more, since what the service published may no longer be what the program says.
 */
export function draftChangedSincePublished(olds: OfferPublishOutputs): boolean {
  const { publishedDraftHash: published, draftHash: seen } = olds;
  return published !== undefined && seen !== undefined && seen !== published;
}
