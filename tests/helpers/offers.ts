// SPDX-License-Identifier: Apache-2.0
/**
 * A complete, valid VM offer definition for tests (docs/internals/api-notes.md §5.9 shape), with two plans.
 * Its VHD URLs carry a SAS signature (`sig=planted-sas-signature`) unless `withoutSas`.
 */
export function sampleDefinition(
  overrides: {
    displayText?: string;
    summary?: string;
    pricedPlans?: boolean;
    withoutSas?: boolean;
    /** Without the one key the Product Ingestion API cannot hold (the marketplace URL identifier). */
    forPia?: boolean;
  } = {},
) {
  const ns = "microsoft-azure-marketplace.";
  const vm = "microsoft-azure-virtualmachines.";
  const plan = (planId: string, title: string, pricing?: Record<string, unknown>) => ({
    planId,
    regions: ["US", "GB"],
    [vm + "skuTitle"]: title,
    [vm + "skuSummary"]: title,
    [vm + "skuDescription"]: `${title} plan`,
    [vm + "hideSKUForSolutionTemplate"]: false,
    [vm + "cloudAvailability"]: ["PublicAzure"],
    [vm + "operatingSystemFamily"]: "Linux",
    [vm + "osType"]: "Ubuntu",
    [vm + "operationSystem"]: "Ubuntu 22.04",
    [vm + "recommendedVMSizes"]: ["d2s-standard-v3"],
    [vm + "openPorts"]: [],
    [vm + "vmImages"]: {
      "1.0.0": {
        osVhdUrl: overrides.withoutSas
          ? "https://fab.blob.core.windows.net/vhd/os.vhd"
          : "https://fab.blob.core.windows.net/vhd/os.vhd?sp=rl&sig=planted-sas-signature",
        lunVhdDetails: [],
      },
    },
    ...(pricing ? { virtualMachinePricing: pricing } : {}),
  });
  return {
    displayText: overrides.displayText ?? "Fabrikam Appliance",
    offer: {
      [ns + "title"]: "Fabrikam Appliance",
      [ns + "summary"]: overrides.summary ?? "Network appliance image",
      [ns + "longSummary"]: "Network appliance image for Azure",
      [ns + "description"]: "<p>Appliance.</p>",
      ...(overrides.forPia ? {} : { [ns + "offerMarketingUrlIdentifier"]: "fabrikam-appliance" }),
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
      plan(
        "byol",
        "Bring your own licence",
        overrides.pricedPlans ? { isByol: true, freeTrialDurationInMonths: 0 } : undefined,
      ),
      plan(
        "payg",
        "Pay as you go",
        overrides.pricedPlans
          ? { isByol: false, freeTrialDurationInMonths: 0, coreMultiplier: { currency: "USD", single: 0.05 } }
          : undefined,
      ),
    ],
  };
}
