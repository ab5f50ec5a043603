// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError } from "../client/errors.js";
import type { PiaResourceType } from "./models.js";

/** The host of the resource schemas (docs/internals/api-notes.md §P1: the only one that still answers). */
export const SCHEMA_HOST = "https://schema.mp.microsoft.com";

/**
 * The schema host the API no longer accepts (it fails with "could not be accessed", api-notes
 * §P1). The client never sends it: a `$schema` on it is moved to {@link SCHEMA_HOST}.
 */
export const RETIRED_SCHEMA_HOST = "https://product-ingestion.azureedge.net";

/**
 * The schema version this client writes for each resource type (docs/internals/api-notes.md §P3.2, the 2023
 * documentation's current versions; the configure envelope on the default `$version`).
 * Override one with the `schemaVersions` option of the client.
 */
export const SCHEMA_VERSIONS: Readonly<Record<PiaResourceType, string>> = {
  configure: "2022-07-01",
  product: "2022-03-01-preview3",
  property: "2022-03-01-preview5",
  listing: "2022-03-01-preview5",
  "listing-asset": "2022-03-01-preview5",
  "listing-trailer": "2022-03-01-preview5",
  plan: "2022-03-01-preview2",
  "plan-listing": "2022-03-01-preview5",
  "price-and-availability-offer": "2022-03-01-preview3",
  "price-and-availability-plan": "2022-03-01-preview4",
  "price-and-availability-update-private-audiences": "2022-03-01-preview3",
  "virtual-machine-plan-technical-configuration": "2022-03-01-preview3",
  "core-virtual-machine-plan-technical-configuration": "2022-03-01-preview5",
  submission: "2022-03-01-preview2",
  reseller: "2022-03-01-preview2",
  "customer-leads": "2022-03-01-preview3",
  "test-drive": "2022-03-01-preview2",
};

/** Resource type names: lower-case words joined by `-` (the durable-id prefix grammar). */
const TYPE_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Schema versions: a date, optionally with a `-previewN` suffix. */
const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(-preview\d+)?$/;

/**
 * The `$schema` URL of a resource type: `https://schema.mp.microsoft.com/schema/<type>/<version>`,
 * the version from `overrides` or else {@link SCHEMA_VERSIONS}. A type with no pinned version
 * needs one in `overrides`. Pure.
 */
export function schemaUrl(type: string, overrides: Readonly<Record<string, string>> = {}): string {
  if (!TYPE_PATTERN.test(type)) {
    throw new CloudPartnerError("CPP_CONFIGURATION", `"${type}" is not a Product Ingestion API resource type`);
  }
  const version = overrides[type] ?? (SCHEMA_VERSIONS as Readonly<Record<string, string>>)[type];
  if (version === undefined) {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `no schema version is pinned for resource type "${type}": give one in the client's schemaVersions option`,
    );
  }
  if (!VERSION_PATTERN.test(version)) {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `the schema version "${version}" of resource type "${type}" is not a version (e.g. 2022-03-01-preview2); fix the client's schemaVersions option`,
    );
  }
  return `${SCHEMA_HOST}/schema/${type}/${version}`;
}

/**
 * The resource type and version a `$schema` URL names, on either schema host; undefined for
 * anything else. Pure.
 */
export function parseSchemaUrl(url: string): { type: string; version: string } | undefined {
  const m =
    /^https:\/\/(schema\.mp\.microsoft\.com|product-ingestion\.azureedge\.net)\/schema\/([^/?#]+)\/([^/?#]+)$/.exec(
      url,
    );
  return m && TYPE_PATTERN.test(m[2]) ? { type: m[2], version: m[3] } : undefined;
}

/**
 * A `$schema` as the client sends it: one on the retired host {@link RETIRED_SCHEMA_HOST} moves
 * to {@link SCHEMA_HOST} (same path, as Microsoft's own clients fixed it); anything else is kept.
 * Pure.
 */
export function currentSchemaUrl(url: string): string {
  return url.startsWith(`${RETIRED_SCHEMA_HOST}/`)
    ? `${SCHEMA_HOST}/${url.slice(RETIRED_SCHEMA_HOST.length + 1)}`
    : url;
}
