// SPDX-License-Identifier: Apache-2.0
/**
 * What a CPP definition can hold and PIA cannot (docs/internals/api-notes.md §P4, §P8 "Cannot be
 * supported as today"), and the read-only keys the service sets, which are ignored. Each entry
 * says why and what to do; the translation reports them as {@link TranslationProblem}s. Pure.
 */
import { COREVM_NS, MARKETPLACE_NS, TESTDRIVE_NS, VM_NS } from "../schema/offer-types.js";

/** Why a key cannot be translated, and what to do. */
export interface Unsupported {
  reason: string;
  fix: string;
}

/** Listing key suffixes (either listing namespace) that PIA has no place for. */
export const UNSUPPORTED_LISTING_KEYS: Readonly<Record<string, Unsupported>> = {
  offerMarketingUrlIdentifier: {
    reason:
      "PIA has no field for the marketplace URL identifier (docs/internals/api-notes.md §P4, §P8): Partner Center forms the offer's marketplace URL itself",
    fix: "remove the key; the marketplace URL of the product is the one Partner Center shows",
  },
  categories: {
    reason:
      "the legacy category list has no PIA form; property.categories takes only the categoryMap model (docs/internals/api-notes.md §5.5, §P4)",
    fix: 'use categoryMap, e.g. [{ categoryL1: "compute", "categoryL2-compute": ["operating-systems"] }]',
  },
  screenshots: {
    reason:
      "CPP screenshot elements have no documented shape (docs/internals/api-notes.md §5.2), so they cannot be turned into azureLogoScreenshot listing assets",
    fix: "remove the key and manage screenshots in Partner Center",
  },
  videos: {
    reason:
      "CPP video elements have no documented shape (docs/internals/api-notes.md §5.2), so they cannot be turned into listing-trailer resources",
    fix: "remove the key and manage videos in Partner Center",
  },
  leadNotificationEmails: {
    reason: "customer-leads has no documented field for lead notification emails (docs/internals/api-notes.md §P3.2)",
    fix: "remove the key; set the contact email inside the lead configuration, or in Partner Center",
  },
};

/** VM offer-level keys (`microsoft-azure-virtualmachines.` in `definition.offer`) whose PIA field is a guess. */
export const GUESSED_VM_OFFER_KEYS: Readonly<Record<string, Unsupported>> = Object.fromEntries(
  ["gtmMaterials", "managerContactName", "managerContactEmail", "managerContactPhone"].map((k) => [
    k,
    {
      reason:
        "its PIA place (listing.cloudSolutionProviderMarketingMaterials / cloudSolutionProviderContact) is an unverified guess (docs/internals/api-notes.md §P4 [?]); writing it there could show it where it does not belong",
      fix: "remove the key; set Cloud Solution Provider materials and contacts in Partner Center",
    },
  ]),
);

/** Test-drive keys (any `microsoft-azure-marketplace-testdrive.` key other than `enabled: false`). */
export const TEST_DRIVE: Unsupported = {
  reason:
    "a PIA test drive needs a test-drive resource, its listing and a virtual-machine-test-drive-technical-configuration, which this translation does not model (docs/internals/api-notes.md §P3.2, §P4)",
  fix: "remove the test-drive keys and configure the test drive in Partner Center",
};

/** Core-VM plan keys (`microsoft-azure-corevm.` in a plan) with no PIA field. */
export const UNSUPPORTED_COREVM_PLAN_KEYS: Readonly<Record<string, Unsupported>> = {
  skuLongSummary: {
    reason: "a PIA plan listing has a name, a summary and a description only (docs/internals/api-notes.md §P3.2)",
    fix: "fold the text into skuSummary or skuDescriptionPublicAzure, and remove the key",
  },
  ...Object.fromEntries(
    ["skuDescriptionFairfax", "skuDescriptionMooncake", "skuDescriptionBlackforest"].map((k) => [
      k,
      {
        reason:
          "a PIA plan listing has one description for every cloud (docs/internals/api-notes.md §P3.2); per-cloud descriptions have no place",
        fix: "keep the public description in skuDescriptionPublicAzure and remove the key",
      },
    ]),
  ),
  ...Object.fromEntries(
    [
      "usefulLinksPublicAzure",
      "usefulLinksFairfax",
      "usefulLinksMooncake",
      "smallLogo",
      "mediumLogo",
      "largeLogo",
      "wideLogo",
      "heroLogo",
      "screenshots",
      "videos",
      "privacyURL",
      "termsOfUseURL",
      "categories",
      "leadGenerationId",
    ].map((k) => [
      k,
      {
        reason:
          "PIA listings, assets and properties belong to the product, not to a plan (docs/internals/api-notes.md §P3.2): a per-plan value has no place",
        fix: `set it once for the offer in definition.offer (listing keys under ${COREVM_NS}), and remove the plan key`,
      },
    ]),
  ),
  ...Object.fromEntries(
    [
      "pricingDetailsUrl",
      "hardened",
      "imageType",
      "imageVisibility",
      "freeTierEligible",
      "defaultImageSizeGB",
      "supportsHub",
      "supportsHubOnOffSwitch",
      "supportsClientHub",
      "isPremiumThirdParty",
    ].map((k) => [
      k,
      {
        reason:
          "a core-VM plan key with no field in the PIA plan, plan listing, price-and-availability or technical configuration resources (docs/internals/api-notes.md §P3.2–§P3.4)",
        fix: "remove the key; if Partner Center shows the setting, set it there",
      },
    ]),
  ),
};

/** The core-VM `diskGenerations` child plans. */
export const DISK_GENERATIONS: Unsupported = {
  reason:
    "a PIA plan holds its second generation as a second SKU of its technical configuration (docs/internals/api-notes.md §P3.4); this translation maps one generation per plan",
  fix: "make the child a plan of its own (with its own generation), or manage the second generation in Partner Center",
};

/** Pricing that PIA has no form for (docs/internals/api-notes.md §P3.3, §P4, §P8). */
export const UNSUPPORTED_PRICING: Readonly<Record<string, Unsupported>> = {
  spreadSheetPricing: {
    reason: "PIA has no spreadsheet pricing upload (docs/internals/api-notes.md §P3.3, §P8)",
    fix: "price the plan per core (coreMultiplier.single) or per core size (coreMultiplier.individually)",
  },
  regionPrices: {
    reason:
      "per-market prices have no PIA form this translation can write: perMarketAndCoreSize takes per-core-size prices per currency, and its key names are unverified (docs/internals/api-notes.md §P3.3, §P10.5)",
    fix: "price the plan in USD per core or per core size and let the service convert, or set market prices in Partner Center",
  },
  virtualMachinePricingV2: {
    reason: "a PIA plan has one pricing; the translation reads it from virtualMachinePricing",
    fix: "move the pricing to virtualMachinePricing (same shape) and remove virtualMachinePricingV2",
  },
};

/** A key the translation does not know: translating would lose it. */
export const UNKNOWN_KEY: Unsupported = {
  reason: "not a key the translation to the Product Ingestion API knows, so it would be lost",
  fix: "remove the key, or set the equivalent in Partner Center",
};

/** A key of another offer type's namespace. */
export function wrongNamespace(offerTypeId: string, namespaces: string[]): Unsupported {
  return {
    reason: `not a key of a ${offerTypeId} offer (its keys are under ${namespaces.join(" and ")})`,
    fix: `rename it into ${namespaces[0]} if it has an equivalent there, or remove it`,
  };
}

/**
 * Keys the service sets and CPP GETs return, which PIA has no use for and a client cannot
 * write (docs/internals/api-notes.md §5.6, §5.8): ignored, not problems. Listing keys of core-VM
 * offers and plan keys of core-VM plans.
 */
export const IGNORED_KEYS: Readonly<{ offer: readonly string[]; plan: readonly string[] }> = {
  offer: [`${COREVM_NS}legacyOfferId`, `${COREVM_NS}legacyPublisherId`],
  plan: [`${COREVM_NS}migratedOffer`],
};

/** Namespaces by role, for messages. */
export const NAMESPACES = { marketplace: MARKETPLACE_NS, vm: VM_NS, corevm: COREVM_NS, testDrive: TESTDRIVE_NS };
