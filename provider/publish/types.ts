// SPDX-License-Identifier: Apache-2.0

/** Where a publication stops: at publisher sign-off (`preview`) or after going live (`live`). */
export type PublishTarget = "preview" | "live";

/** Which long-running operation a pending publication waits for. */
export type PublishPhase = "publish" | "goLive";

/** Checked inputs of OfferPublish. */
export interface OfferPublishInputs {
  publisherId: string;
  offerId: string;
  target: PublishTarget;
  notificationEmails?: string[];
  /** Any value; a change republishes (the Offer's and VmPricing's `fingerprint`s). */
  trigger?: unknown;
  /** Deadline of one wait, in seconds (default: config `cloudpartner:operationTimeoutSeconds`). */
  timeoutSeconds?: number;
  /** Poll interval bounds in seconds (default: config, 5 and 600). */
  pollIntervalSeconds?: { min?: number; max?: number };
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
}

/** Outputs of OfferPublish. */
export interface OfferPublishOutputs extends OfferPublishInputs {
  /** URL of the last publish or go-live operation. */
  operationUrl?: string;
  /** Normalised status of that operation. */
  operationStatus?: string;
  /** The offer's status from the status endpoint. */
  offerStatus?: string;
  /** Set while an accepted operation has not finished within the deadline: the next up resumes it. */
  pendingOperationUrl?: string;
  pendingPhase?: PublishPhase;
  /** Hash of the Draft's content when it was last published (see publish/draft-hash.ts). */
  publishedDraftHash?: string;
  /** Hash of the Draft's content at the last refresh: when it differs, the next `up` republishes. */
  draftHash?: string;
  providerVersion?: string;
}
