// SPDX-License-Identifier: Apache-2.0
import type { Doc } from "./state.js";

/** Listing keys a VM offer needs before publishing (emulator's publish checks → 422). */
export const REQUIRED_LISTING = ["title", "summary", "longSummary", "description", "smallLogo", "mediumLogo", "largeLogo", "wideLogo", "privacyURL"];

/**
 * What publishing a VM offer checks, as `{target, message}` details of a 422 (cpp-api.md §8 E9):
 * required listing keys; at least one plan; each plan with a disk version that has an
 * `osVhdUrl`, and with pricing. Other offer types are not checked.
 */
export function publishProblems(doc: Doc): Array<{ target: string; message: string }> {
  if (doc.offerTypeId !== "microsoft-azure-virtualmachines") return [];
  const out: Array<{ target: string; message: string }> = [];
  const offer = doc.definition?.offer ?? {};
  for (const key of REQUIRED_LISTING) {
    const full = `microsoft-azure-marketplace.${key}`;
    if (typeof offer[full] !== "string" || offer[full].trim() === "") out.push({ target: `definition.offer.${full}`, message: `${full} is required.` });
  }
  const plans: Doc[] = Array.isArray(doc.definition?.plans) ? doc.definition.plans : [];
  if (plans.length === 0) out.push({ target: "definition.plans", message: "At least one plan is required." });
  for (const plan of plans) {
    const images = plan["microsoft-azure-virtualmachines.vmImages"];
    const hasImage = images && typeof images === "object" && Object.values(images).some((i: any) => typeof i?.osVhdUrl === "string" && i.osVhdUrl !== "");
    if (!hasImage) out.push({ target: `definition.plans[${plan.planId}]`, message: `No virtual machine image was found for the plan ${plan.planId}.` });
    if (!plan.virtualMachinePricing || typeof plan.virtualMachinePricing !== "object") {
      out.push({ target: `definition.plans[${plan.planId}].virtualMachinePricing`, message: `The plan ${plan.planId} has no pricing.` });
    }
  }
  return out;
}
