// SPDX-License-Identifier: Apache-2.0

/** Where a publication stops: at publisher sign-off (`preview`) or after going live (`live`). */
export type PublishTarget = "preview" | "live";

/**
 * How far one `pulumi up` follows the operation it starts: until the service has accepted it
 * (`accepted`), until the preview waits for publisher sign-off (`signoff`), or until the offer is
 * live (`live`, target `live` only). Whatever is left is followed by the next `refresh` or `up`.
 */
export type PublishWaitFor = "accepted" | "signoff" | "live";

/** Which long-running operation of the service an OfferPublish follows. */
export type PublishOperationKind = "publish" | "goLive";

/**
 * @deprecated Use {@link PublishOperationKind}; kept so that code written against 0.1 compiles.
 */
export type PublishPhase = PublishOperationKind;

/**
 * Where a publication is on the service: its operation runs (`inProgress`), the preview waits for
 * publisher sign-off (`waitingForSignoff`), the offer is live (`live`), or the operation ended
 * `failed` or `canceled`.
 */
export type PublicationPhase = "inProgress" | "waitingForSignoff" | "live" | "failed" | "canceled";

/** The go-live approval recorded in state when a go-live starts. */
export interface PublishApproval {
  /** The content hash that was taken live (the preview's `publishedContentHash`). */
  contentHash: string;
  /** False when the program said `approvedContentHash: "unreviewed"`. */
  reviewed: boolean;
  /** When the go-live was requested (ISO 8601, UTC). */
  recordedAt: string;
}

/** Why an operation failed: the failing step and its messages, as the service gave them. */
export interface PublishFailure {
  step?: string;
  messages: string[];
  /** True when certification rejected the offer (the step is `rejected`). */
  rejected?: boolean;
}

/** Checked inputs of OfferPublish. */
export interface OfferPublishInputs {
  publisherId: string;
  offerId: string;
  target: PublishTarget;
  /** Default: `signoff` for target `preview`, `live` for target `live`. */
  waitFor?: PublishWaitFor;
  /** When a wait reaches its deadline: false (default) ends the run green with a warning; true fails it. */
  failOnTimeout?: boolean;
  /** Target `live`: the `publishedContentHash` of the reviewed preview, or `"unreviewed"`. */
  approvedContentHash?: string;
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
  /** Where the publication is (see {@link PublicationPhase}). */
  phase?: PublicationPhase;
  /** The operation `operationUrl` points at. */
  operationKind?: PublishOperationKind;
  /** URL of the last publish or go-live operation. */
  operationUrl?: string;
  /** Normalised status of that operation. */
  operationStatus?: string;
  /** The operation's current step (its name) and that step's percentage. */
  step?: string;
  stepPercentage?: number;
  /** Set when the phase is `failed`: the failing step and its messages. */
  failure?: PublishFailure;
  /** The offer's status from the status endpoint. */
  offerStatus?: string;
  /** Hash of the Draft content the last publish carried (see publish/draft-hash.ts). */
  publishedContentHash?: string;
  /** Hash of the Draft's content at the last refresh: when it differs, the next `up` republishes. */
  draftHash?: string;
  /** The approval of the last go-live. */
  approval?: PublishApproval;
  /**
   * `productIngestion` when the content hashes above were computed on the Product Ingestion API
   * (whose reads give the definition in another form): a stack that moves between the APIs has
   * them computed again from what the other API reads, never a republish for it.
   */
  hashApi?: "productIngestion";
  providerVersion?: string;
  /** State written by 0.1 (read as `operationUrl`, `operationKind` and `publishedContentHash`; never written). */
  pendingOperationUrl?: string;
  pendingPhase?: PublishOperationKind;
  publishedDraftHash?: string;
}
