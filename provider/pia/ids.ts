// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError } from "../client/errors.js";

/**
 * The grammar of a durable id, `<resource-type>/<ids>` (docs/internals/api-notes.md §P3.1): a lower-case type
 * (words joined by single `-`), then one or more `/`-separated segments of lower-case letters,
 * digits and `-`. The published pattern's strings, written without its nested quantifiers, which
 * backtrack exponentially on a long hostile value.
 */
export const DURABLE_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\/[a-z0-9-]+(?:\/[a-z0-9-]+)*$/;

/** The submission number of a product's draft: `submission/<P>/0` (docs/internals/api-notes.md §P5.4). */
export const DRAFT_SUBMISSION_NUMBER = "0";

/** A durable id taken apart: the resource type and the segments after it. */
export interface DurableId {
  /** `product`, `plan`, `submission`, `virtual-machine-plan-technical-configuration`, … */
  type: string;
  /** The segments after the type: `[<P>]` for a product, `[<P>, <L>]` for a plan, … */
  ids: string[];
}

/** Parses a durable id; undefined when `id` is not one. Pure. */
export function parseDurableId(id: string): DurableId | undefined {
  if (typeof id !== "string" || !DURABLE_ID_PATTERN.test(id)) return undefined;
  const [type, ...ids] = id.split("/");
  return { type, ids };
}

/** True when `id` is a durable id. Pure. */
export function isDurableId(id: string): boolean {
  return parseDurableId(id) !== undefined;
}

/**
 * Formats a durable id from its type and segments (GUIDs are lower-cased, as the service writes
 * them). Throws CPP_INVALID_ID when the result is not a durable id. Pure.
 */
export function formatDurableId(type: string, ...ids: string[]): string {
  const id = [type, ...ids.map((s) => String(s).toLowerCase())].join("/");
  if (ids.length === 0 || parseDurableId(id) === undefined) {
    throw new CloudPartnerError(
      "CPP_INVALID_ID",
      `"${id}" is not a durable id (<resource-type>/<ids>, lower-case letters, digits and -)`,
      { fix: "pass the id as the service returned it, e.g. product/<guid> or plan/<product guid>/<plan guid>" },
    );
  }
  return id;
}

/**
 * Parses a durable id of the given type, or throws CPP_INVALID_ID naming what was expected. Pure.
 */
export function requireDurableId(id: string, type: string, segments?: number): DurableId {
  const parsed = parseDurableId(id);
  if (!parsed || parsed.type !== type || (segments !== undefined && parsed.ids.length !== segments)) {
    const shape = type === "product" ? "product/<guid>" : `${type}/<ids>`;
    throw new CloudPartnerError("CPP_INVALID_ID", `"${id}" is not a durable id of a ${type} (${shape})`, {
      fix: `pass the ${type}'s durable id as the service returned it (${shape})`,
    });
  }
  return parsed;
}

/**
 * The product GUID of a product reference: a bare GUID (`<P>`), the product's durable id
 * (`product/<P>`), or the durable id of any resource of the product (`plan/<P>/<L>`,
 * `submission/<P>/<n>`, …: their first segment is the product). Throws CPP_INVALID_ID. Pure.
 */
export function productGuidOf(product: string): string {
  const bare = typeof product === "string" ? product.toLowerCase() : "";
  if (/^[a-z0-9-]+$/.test(bare)) return bare;
  const parsed = parseDurableId(bare);
  if (!parsed) {
    throw new CloudPartnerError("CPP_INVALID_ID", `"${product}" is neither a product GUID nor a durable id`, {
      fix: "pass the product as product/<guid> (its durable id) or as the bare GUID",
    });
  }
  return parsed.ids[0];
}

/** `product/<P>` from a product reference (see {@link productGuidOf}). Pure. */
export function productDurableId(product: string): string {
  return formatDurableId("product", productGuidOf(product));
}

/** `plan/<P>/<L>`. Pure. */
export function planDurableId(product: string, planGuid: string): string {
  return formatDurableId("plan", productGuidOf(product), planGuid);
}

/** `submission/<P>/<number>` (number `0` is the draft). Pure. */
export function submissionDurableId(product: string, submissionNumber: string | number): string {
  return formatDurableId("submission", productGuidOf(product), String(submissionNumber));
}

/** The product GUID and submission number of `submission/<P>/<number>`; throws CPP_INVALID_ID. Pure. */
export function parseSubmissionId(id: string): { productGuid: string; submissionNumber: string } {
  const { ids } = requireDurableId(id, "submission", 2);
  return { productGuid: ids[0], submissionNumber: ids[1] };
}
