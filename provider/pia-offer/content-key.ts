// SPDX-License-Identifier: Apache-2.0
/**
 * Comparing resources without what the service adds (docs/internals/api-notes.md §P6): PIA has
 * no ETag, so a handler detects a lost update by comparing the content key of each resource as
 * it last saw it with the key of what the service holds now, and matches the resources it wants
 * to write with those of the tree by their slot. Pure.
 */
import type { PiaResource } from "../pia/models.js";
import { canonicalJson, fingerprint } from "../util/fingerprint.js";
import { isRecord, jsonClone, type JsonRecord } from "../util/json.js";
import { isSecretKey } from "../util/secrets.js";
import { planIdsByReference, referenceKey, resourceTypeOf } from "./from-pia.js";
import { LANGUAGE_ID } from "./names.js";

/** What a secret-named field's value is compared as: the service reads secrets masked (§P10.4). */
export const SECRET_STAND_IN = "[secret]";

/** Fields of any resource that identify it or that the service adds: left out of its content. */
const IDENTITY_FIELDS = ["$schema", "id", "resourceName", "validations", "product", "plan", "listing"];

/**
 * The content of a resource, as comparable between what was written and what the service holds:
 * - its resource type as `$type` instead of its `$schema` (schema versions differ between writes
 *   and reads);
 * - no `id`, `resourceName`, `validations` (read-only), nor the `product`/`plan`/`listing`
 *   references (a durable id in a tree, a `resourceName` in a request: the slot carries them);
 * - no `lifecycleState: "generallyAvailable"`, at the top or on an image version (the default the
 *   service fills in, §P12), and no `null` fields (`trial: null` is no trial);
 * - secret-named fields (…password, …secret, …connectionString) as {@link SECRET_STAND_IN}.
 * Everything else is kept as it is, array order included.
 */
export function resourceContent(resource: PiaResource): JsonRecord {
  const copy = jsonClone(resource) as JsonRecord;
  // `$type`, not `type`: listing assets and products have a `type` field of their own.
  const out: JsonRecord = { $type: resourceTypeOf(resource) ?? null };
  for (const [field, value] of Object.entries(copy)) {
    if (IDENTITY_FIELDS.includes(field) || value === null) continue;
    if (field === "lifecycleState" && value === "generallyAvailable") continue;
    out[field] = value;
  }
  if (Array.isArray(out.vmImageVersions)) {
    out.vmImageVersions = out.vmImageVersions.map((v) => {
      if (!isRecord(v) || v.lifecycleState !== "generallyAvailable") return v;
      const { lifecycleState: _state, ...rest } = v;
      return rest;
    });
  }
  maskSecrets(out);
  return out;
}

/**
 * A key of {@link resourceContent}: equal keys mean the same content. A handler stores the keys
 * of the resources it read or wrote, and before its next write compares them with the keys of the
 * tree read then — a difference is someone else's change (the no-ETag lost-update check, §P6).
 */
export function resourceContentKey(resource: PiaResource): string {
  return fingerprint(resourceContent(resource));
}

/** The canonical JSON of {@link resourceContent}, for messages and debugging. */
export function resourceContentJson(resource: PiaResource): string {
  return canonicalJson(resourceContent(resource));
}

/**
 * Where a resource sits in a product, independently of ids and names: `product`, `property`,
 * `listing:en-us`, `listing-asset:en-us:azureLogoLarge`, `price-and-availability-offer`,
 * `customer-leads`, `reseller`, `plan:<planId>`, `plan-listing:<planId>:en-us`,
 * `price-and-availability-plan:<planId>`, `<technical configuration type>:<planId>`;
 * `submission:<id>` and `<type>` otherwise. `planIds` resolves plan references (from
 * {@link planIdsByReference} of the same list): a generated request and a tree give the same
 * slots for the same resources.
 */
export function resourceSlot(resource: PiaResource, planIds: ReadonlyMap<string, string>): string {
  const type = resourceTypeOf(resource) ?? "unknown";
  const lang = typeof resource.languageId === "string" ? resource.languageId.toLowerCase() : LANGUAGE_ID;
  const planId = () => {
    const key = referenceKey(resource.plan);
    return (key && planIds.get(key)) ?? (key ? `?${key}` : "?");
  };
  switch (type) {
    case "plan":
      return `plan:${isRecord(resource.identity) ? String(resource.identity.externalId) : "?"}`;
    case "listing":
      return `listing:${lang}`;
    case "listing-asset":
      return `listing-asset:${lang}:${String(resource.type)}`;
    case "plan-listing":
      return `plan-listing:${planId()}:${lang}`;
    case "price-and-availability-plan":
    case "virtual-machine-plan-technical-configuration":
    case "core-virtual-machine-plan-technical-configuration":
      return `${type}:${planId()}`;
    case "submission":
      return `submission:${String(resource.id ?? "new")}`;
    default:
      return type;
  }
}

/** The resources of a list by slot (see {@link resourceSlot}); a later resource of a slot wins. */
export function resourcesBySlot(resources: readonly PiaResource[]): Map<string, PiaResource> {
  const planIds = planIdsByReference(resources);
  return new Map(resources.map((r) => [resourceSlot(r, planIds), r]));
}

function maskSecrets(value: unknown): void {
  if (Array.isArray(value)) value.forEach(maskSecrets);
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (isSecretKey(k) && typeof v === "string") value[k] = SECRET_STAND_IN;
      else maskSecrets(v);
    }
  }
}
