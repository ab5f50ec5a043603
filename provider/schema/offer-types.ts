// SPDX-License-Identifier: Apache-2.0
/** Offer type of publisher-created VM offers, the default of `Offer.offerTypeId`. */
export const VM_OFFER_TYPE = "microsoft-azure-virtualmachines";
/** Offer type of "core VM" offers (large and first-party publishers). */
export const COREVM_OFFER_TYPE = "microsoft-azure-corevm";

/** Listing namespace used by VM offers. */
export const MARKETPLACE_NS = "microsoft-azure-marketplace.";
/** Plan namespace of VM offers. */
export const VM_NS = "microsoft-azure-virtualmachines.";
/** Listing and plan namespace of core-VM offers (docs/internals/api-notes.md §5.6). */
export const COREVM_NS = "microsoft-azure-corevm.";
/** Test-drive namespace, used inside other offer types (docs/internals/api-notes.md §5.2, §5.6). */
export const TESTDRIVE_NS = "microsoft-azure-marketplace-testdrive.";

/**
 * Listing keys a VM offer needs before it can be published (the API's "required",
 * plus the fields every documented example sets).
 */
export const REQUIRED_VM_LISTING_KEYS = [
  "title",
  "summary",
  "longSummary",
  "description",
  "smallLogo",
  "mediumLogo",
  "largeLogo",
  "wideLogo",
  "privacyURL",
].map((k) => MARKETPLACE_NS + k);

/** Maximum lengths of listing fields from the portal's rules. */
export const LISTING_MAX_LENGTH: Readonly<Record<string, number>> = {
  [MARKETPLACE_NS + "title"]: 50,
  [MARKETPLACE_NS + "summary"]: 100,
  [MARKETPLACE_NS + "longSummary"]: 256,
  [MARKETPLACE_NS + "description"]: 3000,
  [MARKETPLACE_NS + "offerMarketingUrlIdentifier"]: 50,
};
