// SPDX-License-Identifier: Apache-2.0
import { jsonEqual } from "../util/json.js";
import { containsUnknown } from "../util/unknown.js";
import type { ResourceDiff } from "../offer/diff.js";
import { approvalMismatch, isSpent } from "./approval.js";
import { defaultWaitFor, waitsFurther } from "./phase.js";
import type { OfferPublishInputs, OfferPublishOutputs } from "./types.js";

/** What an OfferPublish update has to do on the service. */
export type PublishAction =
  /** Wait further for the operation the state follows (never start a second one). */
  | { kind: "resume" }
  /** Publish the Draft to preview: its content differs from what was last published. */
  | { kind: "publish" }
  /** The preview waits for sign-off and the program wants it live: the gate decides. */
  | { kind: "goLive" }
  /** The last operation failed or was canceled and the content is the same: say so, start nothing. */
  | { kind: "reportEnded" }
  /** Target `live` approves content other than what the publish in flight carries: fail, start nothing. */
  | { kind: "approvalMismatch"; reason: string }
  | { kind: "none"; note?: string };

const SETTINGS = [
  "waitFor",
  "failOnTimeout",
  "approvedContentHash",
  "notificationEmails",
  "timeoutSeconds",
  "pollIntervalSeconds",
  "account",
] as const;

/**
 * diff: the offer's identity replaces; otherwise a change is anything {@link planUpdate} would
 * start on the service, or a changed setting. An operation that runs on the service while the
 * program is unchanged is no change, whatever `waitFor` says, so a preview shows nothing for it.
 * `olds` is the state as {@link normalizeState} reads it, with the operation's status as the
 * service reports it now where that was read.
 */
export function diffPublish(
  olds: OfferPublishOutputs,
  news: OfferPublishInputs,
  providerVersion?: string,
): ResourceDiff {
  const replaces = (["publisherId", "offerId"] as const).filter(
    (k) => !containsUnknown(news[k]) && olds[k] !== news[k],
  );
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const action = planUpdate(olds, news).kind;
  // Following an operation that runs is no change: a preview shows nothing for it, and `refresh`
  // moves its phase (an `up` after a partial failure still follows it: the engine updates a
  // resource with init errors whatever the diff says).
  const changes =
    containsUnknown(news) ||
    (action !== "none" && action !== "resume") ||
    olds.target !== news.target ||
    SETTINGS.some((k) => !jsonEqual(olds[k], news[k])) ||
    (providerVersion !== undefined && olds.providerVersion !== providerVersion);
  return { changes, replaces: [] };
}

/**
 * Decides what an update does. Publishing follows content: a new trigger, or a Draft that a
 * refresh found changed since the last publish, publishes (exactly once). With the same content,
 * a failed or canceled operation is reported and not resubmitted (change `trigger` to resubmit);
 * an operation still running is waited for only as far as `waitFor` asks; a preview waiting for
 * sign-off goes live only for target `live`, through the approval gate.
 */
export function planUpdate(olds: OfferPublishOutputs, news: OfferPublishInputs): PublishAction {
  if (contentChanged(olds, news)) return { kind: "publish" };
  const phase = olds.phase;
  if (phase === "failed" || phase === "canceled") return { kind: "reportEnded" };
  const waitFor = news.waitFor ?? defaultWaitFor(news.target);
  if (phase === "inProgress" && olds.operationKind !== undefined) {
    if (news.target === "live" && olds.operationKind === "publish" && olds.publishedContentHash !== undefined) {
      const where = "the publish in progress carries";
      const reason = approvalMismatch(
        news.approvedContentHash,
        olds.publishedContentHash,
        olds,
        publishId(olds),
        where,
      );
      if (reason) return { kind: "approvalMismatch", reason };
    }
    if (waitsFurther(waitFor, olds.operationKind, phase)) return { kind: "resume" };
    return { kind: "none" };
  }
  if (phase === "waitingForSignoff" && news.target === "live") {
    const approved = news.approvedContentHash;
    if (approved !== undefined && isSpent(approved, olds) && approved !== olds.publishedContentHash) {
      return {
        kind: "none",
        note: `the preview holds content ${olds.publishedContentHash ?? "(unknown)"}, which waits for review; approvedContentHash still names the content already live, so nothing goes live`,
      };
    }
    return { kind: "goLive" };
  }
  if (phase === "live" && news.target === "preview") {
    return {
      kind: "none",
      note: "the offer is already live; the API cannot take a live offer back to preview, so nothing is done",
    };
  }
  return { kind: "none" };
}

/** A new trigger, or a Draft that no longer holds what was last published. */
export function contentChanged(olds: OfferPublishOutputs, news: OfferPublishInputs): boolean {
  return !jsonEqual(olds.trigger, news.trigger) || draftChangedSincePublished(olds);
}

/**
 * Whether a refresh found the Draft different from what was last published (a portal edit, or
 * drift of pricing): the next `up`, after the Offer and VmPricing have corrected the Draft,
 * publishes once more, since what the service published may no longer be what the program says.
 */
export function draftChangedSincePublished(olds: OfferPublishOutputs): boolean {
  const { publishedContentHash: published, draftHash: seen } = olds;
  return published !== undefined && seen !== undefined && seen !== published;
}

function publishId(o: { publisherId: string; offerId: string }): string {
  return `${o.publisherId}/${o.offerId}`;
}
