// SPDX-License-Identifier: Apache-2.0
/** Test helpers for VmImageVersion: SAS URLs with a planted signature, offers whose plans leave images out. */
import { sampleDefinition } from "./offers.js";

/** The plan keys of the two image maps. */
export const VM_IMAGES = "microsoft-azure-virtualmachines.vmImages";
export const COREVM_IMAGES = "microsoft-azure-corevm.vmImagesPublicAzure";

/** The signature planted in every test SAS URL: it must never be found in state, logs or errors. */
export const PLANTED_SIG = "planted-image-sas-signature";

const DAY_MS = 86_400_000;
/**
 * Midnight (UTC) of the day this process started: the same name gives the same URL for the whole
 * run, even across midnight (a row builds a URL, then builds it again for the expected result).
 */
const START_DAY = Math.floor(Date.now() / DAY_MS) * DAY_MS;

/** An https SAS URL of a VHD, read + list, expiring `days` (default 60) after START_DAY. */
export function sasUrl(name: string, options: { days?: number; sp?: string } = {}): string {
  const se = new Date(START_DAY + (options.days ?? 60) * DAY_MS).toISOString().slice(0, 19) + "Z";
  const query = `sv=2022-11-02&sr=b&sp=${options.sp ?? "rl"}&se=${encodeURIComponent(se)}&sig=${PLANTED_SIG}-${name}`;
  return `https://fab.blob.core.windows.net/vhds/${name}.vhd?${query}`;
}

/** A priced VM offer definition whose plans (`planIds`, default byol and payg) leave their image maps out. */
export function vmDefinitionWithoutImages(planIds?: string[], o: { forPia?: boolean } = {}) {
  const definition = sampleDefinition({ pricedPlans: true, forPia: o.forPia });
  const template = definition.plans[0];
  if (planIds) definition.plans = planIds.map((planId) => ({ ...template, planId }));
  for (const plan of definition.plans) delete (plan as Record<string, unknown>)[VM_IMAGES];
  return definition;
}

/** A core-VM offer definition (`microsoft-azure-corevm`) whose plans leave their image maps out. */
export function coreVmDefinitionWithoutImages(planIds: string[] = ["gen1"]) {
  const ns = "microsoft-azure-corevm.";
  return {
    displayText: "Fabrikam Linux",
    offer: {
      [ns + "title"]: "Fabrikam Linux",
      [ns + "summary"]: "Fabrikam Linux images",
      [ns + "description"]: "<p>Linux.</p>",
    },
    plans: planIds.map((planId) => ({
      planId,
      [ns + "skuTitle"]: `Fabrikam Linux ${planId}`,
      [ns + "skuSummary"]: "Linux",
      [ns + "operatingSystemFamily"]: "Linux",
      [ns + "cloudAvailability"]: ["PublicAzure"],
      [ns + "generation"]: "1",
    })),
  };
}
