// SPDX-License-Identifier: Apache-2.0
import type { VmOfferListing, VmPlan } from "./listing.js";

/**
 * The offer definition as a program writes it: the wire `definition` object (cpp-api.md §5.1).
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

/** How updates guard against concurrent changes (DESIGN.md rule 7). */
export type ConcurrencyMode = "optimistic" | "lastWriterWins";

/** Checked inputs of the Offer resource (defaults applied). */
export interface OfferInputs {
  publisherId: string;
  offerId: string;
  offerTypeId: string;
  definition: OfferDefinition;
  /**
   * Secret field values by path inside `definition`, e.g.
   * `offer/microsoft-azure-marketplace.tableLeadConfiguration/storageAccountConnectionString`.
   * Merged into the document only when it is sent; stored encrypted in state.
   */
  secrets?: Record<string, string>;
  adopt?: boolean;
  concurrency?: ConcurrencyMode;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
}

/** Outputs of the Offer resource: the inputs plus what the service says. */
export interface OfferOutputs extends OfferInputs {
  etag?: string;
  version?: number;
  status?: string;
  changedTime?: string;
  providerVersion?: string;
}
