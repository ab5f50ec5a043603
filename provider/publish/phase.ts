// SPDX-License-Identifier: Apache-2.0
import type {
  OfferPublishOutputs,
  PublicationPhase,
  PublishOperationKind,
  PublishTarget,
  PublishWaitFor,
} from "./types.js";

/** The `waitFor` an OfferPublish has when its program gives none: as far as its target goes. */
export function defaultWaitFor(target: PublishTarget): PublishWaitFor {
  return target === "live" ? "live" : "signoff";
}

/**
 * The phase of a publication from its operation's kind and normalised status (client/status.ts).
 * A publish that reached sign-off reports `waitingForSignoff`, or `succeeded` where the service
 * ends the publish operation there: both mean the preview waits for sign-off.
 */
export function phaseOf(kind: PublishOperationKind, status: string | undefined): PublicationPhase {
  if (status === "failed") return "failed";
  if (status === "canceled") return "canceled";
  if (kind === "publish")
    return status === "succeeded" || status === "waitingForSignoff" ? "waitingForSignoff" : "inProgress";
  return status === "succeeded" ? "live" : "inProgress";
}

/**
 * True when `waitFor` asks one `up` to follow an operation of `kind` further than it now is:
 * a publish in progress for `signoff` or `live`, a go-live in progress for `live`.
 */
export function waitsFurther(waitFor: PublishWaitFor, kind: PublishOperationKind, phase: PublicationPhase): boolean {
  if (phase !== "inProgress") return false;
  return kind === "publish" ? waitFor !== "accepted" : waitFor === "live";
}

/**
 * State as this version reads it: 0.1 kept a running operation in `pendingOperationUrl` and
 * `pendingPhase`, and the published hash in `publishedDraftHash`; those become `operationUrl`,
 * `operationKind`, `phase: "inProgress"` and `publishedContentHash`. Outputs that predate
 * `phase` get it from their operation's status. Pure; the old keys are dropped.
 */
export function normalizeState(olds: OfferPublishOutputs): OfferPublishOutputs {
  const { pendingOperationUrl, pendingPhase, publishedDraftHash, ...rest } = olds;
  const out: OfferPublishOutputs = { ...rest };
  out.publishedContentHash ??= publishedDraftHash;
  if (pendingOperationUrl !== undefined) {
    out.operationUrl = pendingOperationUrl;
    out.operationKind = pendingPhase ?? "publish";
    out.phase = "inProgress";
    out.operationStatus = "running";
  }
  if (out.operationUrl !== undefined && out.operationKind === undefined)
    out.operationKind = out.target === "live" && out.operationStatus === "succeeded" ? "goLive" : "publish";
  if (out.phase === undefined && out.operationUrl !== undefined && out.operationKind !== undefined)
    out.phase = phaseOf(out.operationKind, out.operationStatus);
  return out;
}

/** True while the service still moves the operation the state follows (no write of ours needed). */
export function operationInFlight(olds: OfferPublishOutputs): boolean {
  return olds.operationUrl !== undefined && olds.phase === "inProgress";
}
