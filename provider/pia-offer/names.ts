// SPDX-License-Identifier: Apache-2.0
/**
 * Names and references of the resources a definition translates to (docs/internals/api-notes.md
 * §P3.1): request-local `resourceName`s derived from the CPP ids, so that the same definition
 * always gives the same request, and references by durable id where the service already knows
 * the resource. Pure.
 */
import { createHash } from "node:crypto";
import type { PiaResourceRef } from "../pia/models.js";

/** The only listing language the translation writes and reads (CPP listings have one language). */
export const LANGUAGE_ID = "en-us";

/** A `resourceName` is at most this long (the schemas' reference pattern, §P3.1). */
export const MAX_RESOURCE_NAME = 50;

/**
 * A stable `resourceName`: `<kind>-<id>` when that fits {@link MAX_RESOURCE_NAME} characters of
 * `[a-zA-Z0-9-_]`; otherwise the id is cut and the first 8 hex digits of its SHA-256 appended,
 * `<kind>-<start of id>-<hash>`, which keeps two long ids with the same start apart. CPP offer
 * and plan ids are lower-case letters, digits, `-` and `_`, so the short form is the id itself.
 */
export function resourceNameFor(kind: string, id: string): string {
  const plain = `${kind}-${id}`;
  if (plain.length <= MAX_RESOURCE_NAME && /^[a-zA-Z0-9_-]+$/.test(plain)) return plain;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  const room = MAX_RESOURCE_NAME - kind.length - hash.length - 2;
  const safe = id.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, room);
  return `${kind}-${safe}-${hash}`;
}

/** The `resourceName` of the product of offer `offerId`: `product-<offerId>`. */
export function productResourceName(offerId: string): string {
  return resourceNameFor("product", offerId);
}

/** The `resourceName` of the en-us listing of offer `offerId`: `listing-<offerId>`. */
export function listingResourceName(offerId: string): string {
  return resourceNameFor("listing", offerId);
}

/** The `resourceName` of plan `planId`: `plan-<planId>`. */
export function planResourceName(planId: string): string {
  return resourceNameFor("plan", planId);
}

/** A reference: the durable id when known, else the `resourceName` of the same request. */
export function referenceTo(durableId: string | undefined, resourceName: string): PiaResourceRef {
  return durableId ?? { resourceName };
}
