// SPDX-License-Identifier: Apache-2.0
/**
 * The offer every benchmark creates: a complete VM offer definition (the document shape of
 * docs/internals/api-notes.md) with two plans, `byol` priced inside the definition and `payg` left to a
 * VmPricing resource, so each offer exercises Offer + VmPricing + OfferPublish as a real stack
 * does.
 */
import type { OfferDefinition } from "../../provider/offer/types.js";

/** The publisher the emulator grants the default principal. */
export const BENCH_PUBLISHER = "contoso";
/** The plan whose pricing a VmPricing resource (or the plain script's read-modify-write) owns. */
export const DELEGATED_PLAN = "payg";
/** That plan's price, typed as VmPricing takes it. */
export const DELEGATED_PRICING = { kind: "perCore" as const, pricePerCoreUsd: 0.05 };
/** The same price as the wire object a plain script writes into the plan. */
export const DELEGATED_WIRE_PRICING = {
  isByol: false,
  freeTrialDurationInMonths: 0,
  coreMultiplier: { currency: "USD", single: 0.05 },
};

/** The offer id of offer `index` of one sample (≤ 50 characters, unique per sample). */
export function benchOfferId(arm: string, count: number, sample: number, index: number): string {
  return `${arm}-${count}-s${sample}-${index}`;
}

/** The definition (a fresh object each call). */
export function benchDefinition(): OfferDefinition {
  const ns = "microsoft-azure-marketplace.";
  const vm = "microsoft-azure-virtualmachines.";
  const plan = (planId: string, title: string, pricing?: Record<string, unknown>) => ({
    planId,
    regions: ["US", "GB", "DE", "FR"],
    [vm + "skuTitle"]: title,
    [vm + "skuSummary"]: `${title}: the appliance image with support`,
    [vm + "skuDescription"]: `<p>${title} plan of the Fabrikam network appliance.</p>`,
    [vm + "hideSKUForSolutionTemplate"]: false,
    [vm + "cloudAvailability"]: ["PublicAzure"],
    [vm + "operatingSystemFamily"]: "Linux",
    [vm + "osType"]: "Ubuntu",
    [vm + "operationSystem"]: "Ubuntu 22.04",
    [vm + "recommendedVMSizes"]: ["d2s-standard-v3", "d4s-standard-v3"],
    [vm + "openPorts"]: [{ protocol: "TCP", fromPort: 443, toPort: 443 }],
    [vm + "vmImages"]: {
      "1.0.0": { osVhdUrl: "https://fab.blob.core.windows.net/vhd/os-1.0.0.vhd", lunVhdDetails: [] },
    },
    ...(pricing ? { virtualMachinePricing: pricing } : {}),
  });
  return {
    displayText: "Fabrikam Appliance",
    offer: {
      [ns + "title"]: "Fabrikam Appliance",
      [ns + "summary"]: "Network appliance image",
      [ns + "longSummary"]: "Network appliance image for Azure, with firewalling and VPN",
      [ns + "description"]: "<p>The Fabrikam appliance filters traffic and terminates VPN tunnels.</p>",
      [ns + "offerMarketingUrlIdentifier"]: "fabrikam-appliance",
      [ns + "allowedSubscriptions"]: ["aaaaaaaa-0000-0000-0000-000000000001"],
      [ns + "categoryMap"]: [{ categoryL1: "networking", "categoryL2-networking": ["firewalls"] }],
      [ns + "smallLogo"]: "https://fab.blob.core.windows.net/a/s.png",
      [ns + "mediumLogo"]: "https://fab.blob.core.windows.net/a/m.png",
      [ns + "largeLogo"]: "https://fab.blob.core.windows.net/a/l.png",
      [ns + "wideLogo"]: "https://fab.blob.core.windows.net/a/w.png",
      [ns + "leadDestination"]: "None",
      [ns + "privacyURL"]: "https://fabrikam.example/privacy",
      [ns + "termsOfUse"]: "Standard terms.",
      [ns + "engineeringContactName"]: "Ops",
      [ns + "engineeringContactEmail"]: "ops@fabrikam.example",
      [ns + "engineeringContactPhone"]: "555-0100",
      [ns + "supportContactName"]: "Support",
      [ns + "supportContactEmail"]: "help@fabrikam.example",
      [ns + "supportContactPhone"]: "555-0101",
    },
    plans: [
      plan("byol", "Bring your own licence", { isByol: true, freeTrialDurationInMonths: 0 }),
      plan(DELEGATED_PLAN, "Pay as you go"),
    ],
  };
}

/** The definition with the delegated plan priced inline too (for work without a VmPricing). */
export function pricedDefinition(): OfferDefinition {
  const d = benchDefinition();
  d.plans.find((p) => p.planId === DELEGATED_PLAN)!.virtualMachinePricing = DELEGATED_WIRE_PRICING;
  return d;
}
