// SPDX-License-Identifier: Apache-2.0
/**
 * pulumi-cloudpartner: Pulumi resources for Azure Marketplace offers through the Cloud Partner
 * Portal API (2017-10-31).
 *
 * Resources: {@link Offer}, {@link OfferPublish}, {@link VmPricing}, {@link VmImageVersion}; lookups
 * {@link Offer.get}, {@link getOffer}, {@link listOffers}. The provider reads its credentials and
 * settings from the `cloudpartner:*` stack config (every key, its environment fallback and
 * default: docs/configuration.md in the package).
 */
export { Offer, type OfferArgs, type OfferLookupState } from "./resources/offer.js";
export {
  getOffer,
  getOfferOutput,
  listOffers,
  listOffersOutput,
  type GetOfferArgs,
  type GetOfferOutputArgs,
  type GetOfferResult,
  type ListOffersArgs,
  type ListOffersResult,
  type OfferSlot,
} from "./resources/lookups.js";
export { OfferPublish, type OfferPublishArgs } from "./resources/offer-publish.js";
export { VmPricing, type VmPricingArgs } from "./resources/vm-pricing.js";
export { VmImageVersion, type VmImageVersionArgs } from "./resources/vm-image-version.js";
export type { ConcurrencyMode, OfferDefinition, OfferInputs, OfferOutputs } from "./offer/types.js";
export type { DeepInput, Scalar } from "./util/input.js";
export type { SasSignatures } from "./util/sas.js";
export type { DelegatedParts } from "./offer/document.js";
export type { InputFailure } from "./validation/failure.js";
export type { JsonRecord } from "./util/json.js";
export type {
  CategoryMapEntry,
  UsefulLink,
  VmImage,
  VmImageDataDisk,
  VmOfferListing,
  VmPlan,
} from "./offer/listing.js";
export type {
  OfferPublishInputs,
  OfferPublishOutputs,
  PublicationPhase,
  PublishApproval,
  PublishFailure,
  PublishOperationKind,
  PublishPhase,
  PublishTarget,
  PublishWaitFor,
} from "./publish/types.js";
export type { VmPricingInputs, VmPricingOutputs } from "./vm-pricing/types.js";
export type { DataDisk, ImageDeleteMode, VmImageVersionInputs, VmImageVersionOutputs } from "./images/types.js";
export type { FreeTrialMonths, MarketPrice, VmPricingSpec, WireVmPricing } from "./pricing/spec.js";
export { CORE_SIZE_KEYS, type CoreSizeKey } from "./schema/core-sizes.js";
export { MARKET_CURRENCY } from "./schema/markets.js";
export { toWirePricing, fromWirePricing } from "./pricing/mapping.js";
export { validateOfferInputs } from "./validation/offer.js";
export { validatePricing } from "./validation/pricing.js";
/** Every error code the package raises (docs/errors.md); match on `error.code`. */
export { ERROR_CODES, isErrorCode, type CloudPartnerErrorCode } from "./client/errors.js";
export { validateVmImageVersionInputs } from "./validation/vm-image-version.js";
/** The typed Cloud Partner Portal client, for advanced use (also at `pulumi-cloudpartner/client`). */
export * as client from "./client/index.js";
