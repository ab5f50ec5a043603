// SPDX-License-Identifier: Apache-2.0
/**
 * Typed keys of a VM offer's definition, so editors complete them and catch wrong value types.
 * Every interface keeps an index signature: keys this package does not list (other offer
 * types, keys the service adds later) are accepted as they are. Limits are the portal's
 * (provider/schema/offer-types.ts); `check` enforces the ones it knows.
 */

/** A link under "Useful links" on the listing. */
export interface UsefulLink {
  linkTitle: string;
  /** https URL. */
  linkUrl: string;
  [key: string]: unknown;
}

/**
 * One category of the listing: a top-level category and up to 2 subcategories, the
 * subcategory key naming its parent, e.g. `{ categoryL1: "networking", "categoryL2-networking": ["firewalls"] }`.
 */
export interface CategoryMapEntry {
  /** Top-level category key, e.g. `compute`, `networking`, `security`, `databases`. */
  categoryL1: string;
  /** Subcategories of `categoryL1` (at most 2), under the key `categoryL2-<categoryL1>`. */
  [subcategories: `categoryL2-${string}`]: string[];
}

/**
 * The listing of a VM offer: `definition.offer`, keys under `microsoft-azure-marketplace.`.
 * Required before publishing: title, summary, longSummary, description, the four logos and
 * privacyURL.
 */
export interface VmOfferListing {
  /** Offer name in the marketplace; required; at most 50 characters. */
  "microsoft-azure-marketplace.title"?: string;
  /** One-line summary in search results; required; at most 100 characters. */
  "microsoft-azure-marketplace.summary"?: string;
  /** Longer summary on the offer page; required; at most 256 characters. */
  "microsoft-azure-marketplace.longSummary"?: string;
  /** Description; required; at most 3000 characters of text or simple HTML. */
  "microsoft-azure-marketplace.description"?: string;
  /**
   * The offer's URL part: `https://azuremarketplace.microsoft.com/marketplace/apps/<publisher>.<this>`;
   * at most 50 characters.
   */
  "microsoft-azure-marketplace.offerMarketingUrlIdentifier"?: string;
  /** Azure subscription ids (1 to 100 GUIDs) that may see the offer in Preview before go-live. */
  "microsoft-azure-marketplace.allowedSubscriptions"?: string[];
  /** Links shown under "Useful links". */
  "microsoft-azure-marketplace.usefulLinks"?: UsefulLink[];
  /** Categories: at most 2 entries, each with at most 2 subcategories. */
  "microsoft-azure-marketplace.categoryMap"?: CategoryMapEntry[];
  /** Legacy category list (e.g. `devService`, `networking`), from before `categoryMap`. */
  "microsoft-azure-marketplace.categories"?: string[];
  /** Logo 40×40 px, a publicly readable https URL (typically a blob SAS URL); required. */
  "microsoft-azure-marketplace.smallLogo"?: string;
  /** Logo 90×90 px, a publicly readable https URL; required. */
  "microsoft-azure-marketplace.mediumLogo"?: string;
  /** Logo 115×115 px, a publicly readable https URL; required. */
  "microsoft-azure-marketplace.largeLogo"?: string;
  /** Logo 255×115 px, a publicly readable https URL; required. */
  "microsoft-azure-marketplace.wideLogo"?: string;
  /** Hero image 815×290 px; optional, and cannot be removed once uploaded. */
  "microsoft-azure-marketplace.heroLogo"?: string;
  /** Screenshots, at most 5, 533×324 px. */
  "microsoft-azure-marketplace.screenshots"?: unknown[];
  /** Videos (YouTube or Vimeo link with a 533×324 px thumbnail). */
  "microsoft-azure-marketplace.videos"?: unknown[];
  /** Where leads go: `None`, or a lead target whose `…LeadConfiguration` is filled. */
  "microsoft-azure-marketplace.leadDestination"?: string;
  /** Azure Table lead target; its connection string is a secret field (use the Offer's `secrets`). */
  "microsoft-azure-marketplace.tableLeadConfiguration"?: Record<string, unknown>;
  /** Azure Blob lead target; `{}` when unused. */
  "microsoft-azure-marketplace.blobLeadConfiguration"?: Record<string, unknown>;
  /** Salesforce lead target; `{}` when unused. */
  "microsoft-azure-marketplace.salesForceLeadConfiguration"?: Record<string, unknown>;
  /** Dynamics CRM Online lead target; `{}` when unused. */
  "microsoft-azure-marketplace.crmLeadConfiguration"?: Record<string, unknown>;
  /** HTTPS endpoint lead target; `{}` when unused. */
  "microsoft-azure-marketplace.httpsEndpointLeadConfiguration"?: Record<string, unknown>;
  /** Marketo lead target (`clientId`/`clientSecret` since 12-2022); `{}` when unused. */
  "microsoft-azure-marketplace.marketoLeadConfiguration"?: Record<string, unknown>;
  /** Privacy policy, an https URL; required. */
  "microsoft-azure-marketplace.privacyURL"?: string;
  /** Terms of use, plain text or simple HTML. */
  "microsoft-azure-marketplace.termsOfUse"?: string;
  /** Use Microsoft's standard contract instead of `termsOfUse`. */
  "microsoft-azure-marketplace.useEnterpriseContract"?: boolean;
  /** Let Cloud Solution Provider resellers sell the offer. */
  "microsoft-azure-marketplace.cspOfferOptIn"?: boolean;
  /** Engineering contact Microsoft reaches about the offer. */
  "microsoft-azure-marketplace.engineeringContactName"?: string;
  "microsoft-azure-marketplace.engineeringContactEmail"?: string;
  "microsoft-azure-marketplace.engineeringContactPhone"?: string;
  /** Support contact Microsoft passes to customers. */
  "microsoft-azure-marketplace.supportContactName"?: string;
  "microsoft-azure-marketplace.supportContactEmail"?: string;
  "microsoft-azure-marketplace.supportContactPhone"?: string;
  /** Support URL for public Azure customers (may be `""`). */
  "microsoft-azure-marketplace.publicAzureSupportUrl"?: string;
  /** Support URL for Azure Government customers (may be `""`). */
  "microsoft-azure-marketplace.fairfaxSupportUrl"?: string;
  /** Any other key, passed through as written. */
  [key: string]: unknown;
}

/** A data disk of a VM image. */
export interface VmImageDataDisk {
  /** The data disk's LUN number. */
  lun?: number;
  /** SAS URL (read + list) of the data disk VHD. */
  lunVhdUrl?: string;
  [key: string]: unknown;
}

/**
 * One image version of a VM plan: a value of `microsoft-azure-virtualmachines.vmImages`, keyed
 * by disk version `X.Y.Z` (increasing; at most 8 per plan; the highest is the one listed).
 */
export interface VmImage {
  /** SAS URI (read + list) of the OS VHD. Its `sig=` is kept out of logs. */
  osVhdUrl: string;
  /**
   * Data disks, at most 15. Their number is locked after the first publish and must be the same
   * for every version.
   */
  lunVhdDetails?: VmImageDataDisk[];
  /** Core-VM image fields: media name, label, description. */
  mediaName?: string;
  label?: string;
  description?: string;
  /** `false` hides (deprecates) this version. */
  showInGui?: boolean;
  /** Publication date, `MM/DD/YYYY` (may be `""`). */
  publishedDate?: string;
  [key: string]: unknown;
}

/** A plan (SKU) of a VM offer: an item of `definition.plans`. */
export interface VmPlan {
  /** Plan id: at most 50 lowercase letters, digits and '-', not ending with '-'; fixed once published. */
  planId: string;
  /** Markets (ISO 3166-1 alpha-2 codes, e.g. `US`, `GB`) where the plan can be bought. */
  regions?: string[];
  /** Plan name; at most 50 characters. */
  "microsoft-azure-virtualmachines.skuTitle"?: string;
  /** Plan summary; at most 100 characters. */
  "microsoft-azure-virtualmachines.skuSummary"?: string;
  /** Plan description. */
  "microsoft-azure-virtualmachines.skuDescription"?: string;
  /** Hide the plan from the marketplace (e.g. only for solution templates). */
  "microsoft-azure-virtualmachines.hideSKUForSolutionTemplate"?: boolean;
  /** Clouds: `PublicAzure`, `Fairfax` (Azure Government), `Mooncake` (China), `Blackforest` (Germany). */
  "microsoft-azure-virtualmachines.cloudAvailability"?: string[];
  /** Returned as `[]`. */
  "microsoft-azure-virtualmachines.certificationsFairfax"?: unknown[];
  /** Whether the image supports accelerated networking. */
  "microsoft-azure-virtualmachines.supportsAcceleratedNetworking"?: boolean;
  /** `Windows` or `Linux`. */
  "microsoft-azure-virtualmachines.operatingSystemFamily"?: string;
  /** OS vendor or release for Linux, e.g. `Ubuntu`, `Other`. */
  "microsoft-azure-virtualmachines.osType"?: string;
  /** OS type for Windows (the docs' name). */
  "microsoft-azure-virtualmachines.windowsOSType"?: string;
  /** OS friendly name, e.g. `Ubuntu 22.04` (the service spells the key `operationSystem`). */
  "microsoft-azure-virtualmachines.operationSystem"?: string;
  /** Up to 6 recommended sizes, lowercase codes such as `d2s-standard-v3`. */
  "microsoft-azure-virtualmachines.recommendedVMSizes"?: string[];
  /** Ports to open (RDP/WinRM or SSH are added anyway). */
  "microsoft-azure-virtualmachines.openPorts"?: unknown[];
  /** Image versions by disk version `X.Y.Z`. */
  "microsoft-azure-virtualmachines.vmImages"?: Record<string, VmImage>;
  /**
   * Pricing (not namespaced; see VmPricingSpec/WireVmPricing). Leave it out to let a VmPricing
   * resource own this plan's pricing.
   */
  virtualMachinePricing?: Record<string, unknown>;
  /** Private plan audience. */
  restrictedAudience?: Record<string, unknown>;
  /** Any other key, passed through as written. */
  [key: string]: unknown;
}
