// SPDX-License-Identifier: Apache-2.0
import type { OfferPublishOutputs } from "./types.js";

/** The `approvedContentHash` that takes whatever the preview holds live, reviewed or not. */
export const UNREVIEWED = "unreviewed";

/** What the go-live gate decides (see {@link goLiveGate}). */
export type GoLiveDecision =
  | { go: true; reviewed: boolean }
  /** Nothing to take live yet: the preview holds content nobody has approved, and none is asked. */
  | { go: false; waitForReview: true; note: string }
  /** The program approves content the preview does not hold: fail before any go-live. */
  | { go: false; waitForReview: false; reason: string };

/**
 * Why `approved` cannot take `contentHash` live, or undefined when it can (the same hash, or
 * `"unreviewed"`) or when it is spent: an approval that already took its content live (the state's
 * recorded approval) says nothing about new content, which then waits for a new approval without
 * failing the run, since publishing new content to preview for review is the normal path. Pure.
 */
export function approvalMismatch(
  approved: string | undefined,
  contentHash: string,
  state: SpentState | undefined,
  id: string,
  where = "the preview waiting for sign-off holds",
): string | undefined {
  if (approved === UNREVIEWED || (approved !== undefined && approved === contentHash)) return undefined;
  if (approved !== undefined && isSpent(approved, state)) return undefined;
  return `OfferPublish ${id}: not going live: approvedContentHash is ${approved === undefined ? "not set" : `"${approved}"`}, but ${where} content "${contentHash}". Nothing was taken live. Fix: review the preview once it waits for sign-off and set approvedContentHash to "${contentHash}" (the OfferPublish's publishedContentHash after \`pulumi refresh\`), or to "${UNREVIEWED}" to go live without a review`;
}

/** What of the state tells whether an approval is spent. */
export type SpentState = Pick<OfferPublishOutputs, "approval" | "phase" | "publishedContentHash">;

/**
 * True when `approved` already took its content live: the reviewed approval recorded at the last
 * go-live, or, for state written before approvals were recorded, the content of an offer that
 * state shows live.
 */
export function isSpent(approved: string, state: SpentState | undefined): boolean {
  if (state?.approval) return state.approval.reviewed && state.approval.contentHash === approved;
  return state?.phase === "live" && state.publishedContentHash === approved;
}

/**
 * The go-live gate. `approved` is the program's `approvedContentHash`; `previewHash` the content
 * hash of what the Preview slot holds now, while it waits for sign-off. The gate opens only for
 * that exact content (or for `"unreviewed"`); a spent approval waits for a new one; any other
 * fails, naming both hashes (see {@link approvalMismatch}). Pure.
 */
export function goLiveGate(
  approved: string | undefined,
  previewHash: string,
  state: SpentState | undefined,
  id: string,
): GoLiveDecision {
  const reason = approvalMismatch(approved, previewHash, state, id);
  if (reason) return { go: false, waitForReview: false, reason };
  if (approved !== UNREVIEWED && approved !== previewHash) {
    return {
      go: false,
      waitForReview: true,
      note: `OfferPublish ${id}: the preview holds content ${previewHash}, which waits for review; approvedContentHash still names ${approved}, which is already live. To take the new content live, set approvedContentHash to "${previewHash}" once a person has reviewed the preview`,
    };
  }
  return { go: true, reviewed: approved !== UNREVIEWED };
}
