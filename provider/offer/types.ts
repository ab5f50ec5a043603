// SPDX-License-Identifier: Apache-2.0
import type { VmOfferListing, VmPlan } from "./listing.js";
import type { DelegatedParts } from "./document.js";
import type { SasSignatures } from "../util/sas.js";

/**
 * The offer definition as a program writes it: the wire `definition` object.
 * Known VM offer keys are typed (see provider/offer/listing.ts); any other key is accepted.
 */
export interface OfferDefinition {
  /** Offer name shown in the portal (≤ 50 characters). */
  displayText: string;
  /** Listing properties with namespaced keys, e.g. `microsoft-azure-marketplace.title` (§5.2). */
  offer: VmOfferListing;
  /** Plans (SKUs), each with `planId` and namespaced keys (§5.3). */
  plans: VmPlan[];
}

/** How updates guard against concurrent changes (README, `Offer`: optimistic by default). */
export type ConcurrencyMode = "optimistic" | "lastWriterWins";

/** Checked inputs of the Offer resource (defaults applied). */
export interface OfferInputs {
  publisherId: string;
  offerId: string;
  offerTypeId: string;
  /** The definition, with SAS signatures replaced by a placeholder (the Offer class splits them out). */
  definition: OfferDefinition;
  /**
   * Secret field values by path inside `definition`, e.g.
   * `offer/microsoft-azure-marketplace.tableLeadConfiguration/storageAccountConnectionString`.
   * Merged into the document only when it is sent; a secret input, so encrypted in state.
   */
  secrets?: Record<string, string>;
  /** SAS signatures taken out of `definition`, by path; a secret input, put back only on PUT. */
  sasSignatures?: SasSignatures;
  adopt?: boolean;
  concurrency?: ConcurrencyMode;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
  /** Set by check: counts changes of `secrets`, so that diff sees one without the secrets. */
  secretsRevision?: number;
}

/**
 * Outputs of the Offer resource: the small inputs and what the service says. The definition is
 * not repeated (it is in the inputs): diff, update and drift detection work from fingerprints.
 */
export interface OfferOutputs extends Omit<OfferInputs, "definition" | "secrets" | "sasSignatures"> {
  /**
   * Fingerprint of what this Offer owns as applied (the definition without the parts left to
   * VmPricing, SAS signatures and secrets): the value to put in an OfferPublish `trigger`.
   * Refresh never moves it. Outputs hold no secret, nor a hash of one.
   */
  fingerprint?: string;
  /**
   * Fingerprint of the owned content of the Draft as this Offer last wrote it or, after a
   * refresh, read it: a difference with the program's definition is a change to apply. Stored
   * only when it differs from `fingerprint`: read it with `lastDraftFingerprint` (offer/diff.ts).
   */
  draftFingerprint?: string;
  /** What the definition applied leaves to other resources. */
  delegated?: DelegatedParts;
  /**
   * Fingerprint of the Draft's content in the form both APIs give alike (the Product Ingestion
   * API's normal form, pia-offer/draft.ts), as last written or read: the Product Ingestion API
   * has no ETag, so its writes compare the draft with this first.
   */
  piaDraftFingerprint?: string;
  /** The product's durable id on the Product Ingestion API, `product/<guid>` (set once read through it). */
  productId?: string;
  /** The plans' durable ids on the Product Ingestion API, `plan/<product guid>/<plan guid>`, by plan id. */
  planIds?: Record<string, string>;
  etag?: string;
  version?: number;
  status?: string;
  changedTime?: string;
  providerVersion?: string;
  /** Only in state written by pulumi-cloudpartner 0.1.0 (outputs repeated the inputs). */
  definition?: OfferDefinition;
  secrets?: Record<string, string>;
}
