// SPDX-License-Identifier: Apache-2.0
import type { Doc } from "./state.js";

/** Listing keys a VM offer needs before publishing (emulator's publish checks → 422). */
export const REQUIRED_LISTING = [
  "title",
  "summary",
  "longSummary",
  "description",
  "smallLogo",
  "mediumLogo",
  "largeLogo",
  "wideLogo",
  "privacyURL",
];

/**
 * What publishing a VM offer checks, as `{target, message}` details of a 422 (docs/internals/api-notes.md §8 E9):
 * required listing keys; at least one plan; each plan with a disk version that has an
 * `osVhdUrl`, and with pricing. Other offer types are not checked.
 */
export function publishProblems(doc: Doc): Array<{ target: string; message: string }> {
  if (doc.offerTypeId !== "microsoft-azure-virtualmachines") return [];
  const out: Array<{ target: string; message: string }> = [];
  const offer = doc.definition?.offer ?? {};
  for (const key of REQUIRED_LISTING) {
    const full = `microsoft-azure-marketplace.${key}`;
    if (typeof offer[full] !== "string" || offer[full].trim() === "")
      out.push({ target: `definition.offer.${full}`, message: `${full} is required.` });
  }
  const plans: Doc[] = Array.isArray(doc.definition?.plans) ? doc.definition.plans : [];
  if (plans.length === 0) out.push({ target: "definition.plans", message: "At least one plan is required." });
  for (const plan of plans) {
    const images = plan["microsoft-azure-virtualmachines.vmImages"];
    const hasImage =
      images &&
      typeof images === "object" &&
      Object.values(images).some((i: any) => typeof i?.osVhdUrl === "string" && i.osVhdUrl !== "");
    if (!hasImage)
      out.push({
        target: `definition.plans[${plan.planId}]`,
        message: `No virtual machine image was found for the plan ${plan.planId}.`,
      });
    if (!plan.virtualMachinePricing || typeof plan.virtualMachinePricing !== "object") {
      out.push({
        target: `definition.plans[${plan.planId}].virtualMachinePricing`,
        message: `The plan ${plan.planId} has no pricing.`,
      });
    }
  }
  return out;
}

/**
 * Offer ids the service accepts (docs/internals/api-notes.md §5.1): ≤ 50 lowercase letters,
 * digits, '-', not ending with '-'. An offer made in Partner Center (migrated) may also carry '_'
 * (its id is the product's external id, §P3.1: e.g. `almalinux-x86_64`).
 */
export function isValidOfferId(id: string, migrated = false): boolean {
  return (migrated ? /^[a-z0-9][a-z0-9_-]{0,49}$/ : /^[a-z0-9][a-z0-9-]{0,49}$/).test(id) && !id.endsWith("-");
}

/** Plan ids (docs/internals/api-notes.md §5.3): as offer ids; '_' is accepted too (older plans carry it). */
export function isValidPlanId(id: string): boolean {
  return /^[a-z0-9][a-z0-9_-]{0,49}$/.test(id) && !id.endsWith("-");
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What a PUT (or a seed, or an out-of-band edit) of an offer document is refused for, as the
 * service validates it before storing (400): the offer id of the URL; `offerTypeId`, `definition`,
 * `definition.displayText`, `definition.offer` of the right types; `definition.plans` an array of
 * objects each with a valid `planId`, unique in the offer. Undefined when the shape is valid
 * (publishing checks the content: publishProblems).
 */
export function documentProblem(
  offerId: string,
  doc: unknown,
  migrated = false,
): { target: string; message: string } | undefined {
  if (!isValidOfferId(offerId, migrated)) {
    return {
      target: "id",
      message: `The offer id '${offerId}' is not valid: use at most 50 lowercase letters, digits and '-', not ending with '-'.`,
    };
  }
  if (!isObject(doc)) return { target: "", message: "The request body must be an offer document (a JSON object)." };
  if (
    doc.offerTypeId !== undefined &&
    (typeof doc.offerTypeId !== "string" || !/^[a-z0-9][a-z0-9.-]{0,99}$/.test(doc.offerTypeId))
  ) {
    return {
      target: "offerTypeId",
      message: "offerTypeId must be an offer type id such as 'microsoft-azure-virtualmachines'.",
    };
  }
  if (doc.offerTypeVersions !== undefined && !isObject(doc.offerTypeVersions))
    return { target: "offerTypeVersions", message: "offerTypeVersions must be an object." };
  const def = doc.definition;
  if (def === undefined) return undefined;
  if (!isObject(def))
    return { target: "definition", message: "definition must be an object { displayText, offer, plans }." };
  if (def.displayText !== undefined && typeof def.displayText !== "string")
    return { target: "definition.displayText", message: "definition.displayText must be a string." };
  if (def.offer !== undefined && !isObject(def.offer))
    return { target: "definition.offer", message: "definition.offer must be an object of listing properties." };
  if (def.plans === undefined) return undefined;
  if (!Array.isArray(def.plans))
    return { target: "definition.plans", message: "definition.plans must be an array of plans." };
  const seen = new Set<string>();
  for (const [i, plan] of def.plans.entries()) {
    if (!isObject(plan))
      return {
        target: `definition.plans[${i}]`,
        message: `definition.plans[${i}] must be a plan object with a planId.`,
      };
    if (typeof plan.planId !== "string" || !isValidPlanId(plan.planId)) {
      return {
        target: `definition.plans[${i}].planId`,
        message: `definition.plans[${i}].planId is not valid: use at most 50 lowercase letters, digits, '-' and '_', not ending with '-'.`,
      };
    }
    if (seen.has(plan.planId))
      return {
        target: `definition.plans[${i}].planId`,
        message: `The plan id '${plan.planId}' is used by more than one plan.`,
      };
    seen.add(plan.planId);
  }
  return undefined;
}

/** Deepest nesting of a JSON value, computed without recursion (a hostile body cannot overflow the stack). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d > max) max = d;
    for (const child of Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, d + 1]);
  }
  return max;
}

/** Path segments, percent-decoded; undefined for malformed percent-encoding (never a throw). */
export function decodePath(path: string): string[] | undefined {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
