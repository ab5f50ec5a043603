// SPDX-License-Identifier: Apache-2.0
/**
 * The translation between the package's CPP offer definition and Product Ingestion API resources
 * (docs/internals/api-notes.md §P4): pure functions, no I/O, no Pulumi import. The `Offer`
 * resource's PIA back end builds on it:
 * - {@link definitionToPia}: definition → the resources of a configure request, and the
 *   problems (what PIA cannot hold, each with its path, reason and fix);
 * - {@link piaToDefinition}: a resource tree → the definition (normal form) and the durable ids;
 * - {@link supportedDefinition}: the part of a definition a round trip keeps, in that normal form;
 * - {@link resourceContentKey} / {@link resourceSlot}: comparing resources without what the
 *   service adds, for the no-ETag lost-update check (§P6).
 */
export {
  definitionToPia,
  namespacesOf,
  PRODUCT_TYPES,
  TECHNICAL_CONFIGURATION_TYPES,
  COREVM_SOFTWARE_TYPE,
  type OfferNamespaces,
} from "./to-pia.js";
export {
  piaToDefinition,
  planIdsByReference,
  referenceKey,
  resourceTypeOf,
  REWRITTEN_LISTING_KEYS,
  type PiaToDefinitionOptions,
} from "./from-pia.js";
export { comparableDefinition, knownIdsOf, piaDraftFingerprint, type PiaDraftContext } from "./draft.js";
export { definitionDifferences, sameDefinitionContent, supportedDefinition } from "./normal-form.js";
export {
  resourceContent,
  resourceContentJson,
  resourceContentKey,
  resourceSlot,
  resourcesBySlot,
  SECRET_STAND_IN,
} from "./content-key.js";
export {
  LANGUAGE_ID,
  listingResourceName,
  MAX_RESOURCE_NAME,
  planResourceName,
  productResourceName,
  referenceTo,
  resourceNameFor,
} from "./names.js";
export { IGNORED_KEYS, UNKNOWN_KEY, type Unsupported } from "./unsupported.js";
export { itemPath, keyPath, leavesOf, prunePaths, type Leaf } from "./reader.js";
export type * from "./types.js";
