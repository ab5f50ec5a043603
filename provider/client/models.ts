// SPDX-License-Identifier: Apache-2.0
/** Wire models of the Cloud Partner Portal API, 2017-10-31 (docs/internals/api-notes.md §5, §7, §8). */

/** A JSON object with namespaced keys (e.g. `microsoft-azure-marketplace.title`). */
export type NamespacedProperties = Record<string, unknown>;

/** Plan pricing as stored in `virtualMachinePricing` (docs/internals/api-notes.md §6). */
export interface VirtualMachinePricing {
  isByol: boolean;
  freeTrialDurationInMonths?: number;
  coreMultiplier?: { currency: string; single?: number; individually?: Record<string, number> };
  spreadSheetPricing?: { uri: string };
  regionPrices?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A plan (SKU) of an offer; VM plans carry `microsoft-azure-virtualmachines.*` keys (§5.3). */
export interface Plan extends NamespacedProperties {
  planId: string;
  regions?: string[];
  virtualMachinePricing?: VirtualMachinePricing;
  virtualMachinePricingV2?: VirtualMachinePricing;
}

/** The offer document (§5.1). */
export interface OfferDocument {
  id: string;
  publisherId: string;
  offerTypeId: string;
  offerTypeVersions?: Record<string, number>;
  definition: { displayText: string; offer: NamespacedProperties; plans: Plan[] };
  status?: string;
  version?: number;
  changedTime?: string;
  pcMigrationStatus?: string;
  pcRedirectUri?: string;
  isvUpgradeRequest?: boolean;
  [key: string]: unknown;
}

/** An item of the offer list (E3). */
export interface OfferSummary {
  id: string;
  publisherId: string;
  offerTypeId: string;
  status: string;
  version: number;
  definition: { displayText: string };
  changedTime?: string;
}

/** A publisher visible to the caller (E1). */
export interface Publisher {
  id: string;
  definition?: { displayText?: string; offerTypeCategories?: string[]; sellerId?: number };
}

/** An offer type (E2; body undocumented, `id` observed). */
export interface OfferType {
  id: string;
  [key: string]: unknown;
}

/** A progress or error message of a step or operation (§7.2). */
export interface Message {
  messageHtml: string;
  level: string;
  timestamp?: string;
}

/** One step of a publishing operation (§7.2). */
export interface Step {
  id: string;
  stepName?: string;
  description?: string;
  status: string;
  estimatedTimeFrame?: string;
  progressPercentage?: number;
  messages?: Message[];
}

/** The offer status document (E8, §7.4). */
export interface OfferStatusDocument {
  status: string;
  messages?: Message[];
  steps?: Step[];
  previewLinks?: unknown[];
  liveLinks?: unknown[];
  notificationEmails?: string;
}

/** An item of the operation list (E12, §7.5). */
export interface OperationSummary {
  id: string;
  offerId?: string;
  offerVersion?: number;
  offerTypeId?: string;
  publisherId?: string;
  submissionType?: string;
  submissionState?: string;
  publishingVersion?: number;
  slot?: string;
  version?: number;
  changedTime?: string;
  definition?: { metadata?: { emails?: string } };
  [key: string]: unknown;
}

/** One operation in detail (E13/E14, §7.6). */
export interface OperationDetail {
  status: string;
  messages?: Message[];
  steps?: Step[];
  publishingVersion?: number;
  offerVersion?: number;
  cancellationRequestState?: string;
  previewLinks?: unknown[];
  liveLinks?: unknown[];
  notificationEmails?: string;
  [key: string]: unknown;
}
