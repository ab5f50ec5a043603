// SPDX-License-Identifier: Apache-2.0
/**
 * Durable ids of Product Ingestion API resources (docs/internals/api-notes.md §P3.1, §P3.2):
 * `<type>/<ids>`, with the product's GUID first and, for plan resources, the plan's GUID.
 */

import { DURABLE_ID_RE, SCHEMA_HOST, SCHEMA_VERSIONS } from "./schemas.js";

/** The retired schema host: a configure naming it is refused (§P1 "Schema hosts"). */
export const RETIRED_SCHEMA_HOST = "product-ingestion.azureedge.net";

/**
 * The schema version the emulator writes for each type it returns: a resource type's current
 * one (the table the schemas validate with), and those of the answers that are not resources.
 */
export const READ_VERSIONS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(SCHEMA_VERSIONS).map(([type, v]) => [type, v.current])),
  "resource-tree": "2022-03-01-preview5",
  "configure-status": "2022-03-01-preview2",
  "configure-detail": "2022-03-01-preview2",
};

/** The `$schema` URL of a type, as the emulator writes it. */
export function schemaUrl(type: string, version = READ_VERSIONS[type] ?? "2022-03-01-preview2"): string {
  return `https://${SCHEMA_HOST}/schema/${type}/${version}`;
}

/** A parsed durable id: its type and the segments after it. */
export function parseDurableId(id: unknown): { type: string; parts: string[] } | undefined {
  // The schemas' pattern (one without nested quantifiers: no backtracking on hostile input).
  if (typeof id !== "string" || !DURABLE_ID_RE.test(id)) return undefined;
  const [type, ...parts] = id.split("/");
  return { type, parts };
}

/** Resource types that exist once per product, by their durable id (§P3.2). */
export const PRODUCT_SINGLETONS: Readonly<Record<string, (p: string, lang: string) => string>> = {
  property: (p) => `property/${p}/public/main`,
  listing: (p, lang) => `listing/${p}/public/main/default/${lang}`,
  "price-and-availability-offer": (p) => `price-and-availability-offer/${p}`,
  reseller: (p) => `reseller/${p}`,
  "customer-leads": (p) => `customer-leads/${p}`,
  "test-drive": (p) => `test-drive/${p}`,
  "listing-trailer": (p) => `listing-trailer/${p}/public/main/default/1`,
};

/** Resource types that exist once per plan. */
export const PLAN_SINGLETONS: Readonly<Record<string, (p: string, l: string, lang: string) => string>> = {
  "plan-listing": (p, l, lang) => `plan-listing/${p}/public/main/${l}/${lang}`,
  "price-and-availability-plan": (p, l) => `price-and-availability-plan/${p}/${l}`,
  "virtual-machine-plan-technical-configuration": (p, l) => `virtual-machine-plan-technical-configuration/${p}/${l}`,
  "core-virtual-machine-plan-technical-configuration": (p, l) =>
    `core-virtual-machine-plan-technical-configuration/${p}/${l}`,
};

/** The durable id of a listing asset (`…/en-us/azurelogosmall/1`). */
export function assetId(p: string, lang: string, assetType: string, n: number): string {
  return `listing-asset/${p}/public/main/default/${lang}/${assetType.toLowerCase()}/${n}`;
}

/**
 * The next 19-digit submission number (§P3.2 `submission/<P>/<number>`): large and increasing,
 * like the service's, from a persisted counter.
 */
export function submissionNumber(seq: number): string {
  return (1_152_921_504_606_846_976n + BigInt(seq) * 7_919n).toString();
}
