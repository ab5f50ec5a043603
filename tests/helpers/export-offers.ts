// SPDX-License-Identifier: Apache-2.0
/**
 * Real-shaped offers of one publisher for the export tests (docs/internals/api-notes.md §5, §6): VM offers priced
 * BYOL, per core, per core size, per market and by spreadsheet, data disks, a private plan with
 * a restricted audience, several image versions, a core-VM offer, an offer with a secret lead
 * configuration, a migrated offer, and pricing the typed union cannot reproduce exactly.
 */
import { sampleDefinition } from "./offers.js";

const VM = "microsoft-azure-virtualmachines";
const mp = "microsoft-azure-marketplace.";
const vm = "microsoft-azure-virtualmachines.";
const cvm = "microsoft-azure-corevm.";

/** The secret the lead-configuration offer holds (planted: it must never show up in output). */
export const PLANTED_LEAD_SECRET =
  "DefaultEndpointsProtocol=https;AccountName=leads;AccountKey=planted-lead-account-key";

/** Wire pricing the typed union cannot reproduce exactly, by offer/plan: it must stay as is. */
export const UNMODELLED_PRICING = {
  byolWithoutTrial: { isByol: true },
  unknownCurrencyMarket: {
    isByol: false,
    freeTrialDurationInMonths: 0,
    regionPrices: { US: { currency: "USD", single: 0.05 }, AF: { currency: "USD", single: 0.04 } },
  },
  evaluatedSpreadsheet: {
    isByol: false,
    freeTrialDurationInMonths: 0,
    spreadSheetPricing: { uri: "https://contoso.example/prices-2.xlsx" },
    regionPrices: { US: { currency: "USD", single: 0.07 }, GB: { currency: "GBP", single: 0.06 } },
  },
};

function vmOffer(
  offerId: string,
  title: string,
  plans: Array<Record<string, unknown>>,
  offerExtra: Record<string, unknown> = {},
) {
  const def = sampleDefinition({ displayText: title, summary: `${title} summary` });
  const base = def.plans[0] as Record<string, unknown>;
  return {
    id: offerId,
    publisherId: "contoso",
    offerTypeId: VM,
    definition: {
      displayText: title,
      offer: { ...def.offer, [mp + "title"]: title, [mp + "offerMarketingUrlIdentifier"]: offerId, ...offerExtra },
      plans: plans.map((p) => ({ ...base, ...p })),
    },
  };
}

/** A SAS query VmImageVersion accepts (read and list, an expiry far ahead); its signature is planted. */
export const IMAGE_SAS = "sv=2020-08-04&sp=rl&se=2099-01-01T00:00:00Z&sig=planted-image-signature";

const image = (version: string, disks = 0) => ({
  osVhdUrl: `https://contosoimages.blob.core.windows.net/vhds/os-${version}.vhd?${IMAGE_SAS}`,
  lunVhdDetails: Array.from({ length: disks }, (_, lun) => ({
    lun,
    uri: `https://contosoimages.blob.core.windows.net/vhds/data-${version}-${lun}.vhd?${IMAGE_SAS}`,
  })),
});

/** The seed: `{ publisherId, offer, migrated }` for the control API's `/seed`. */
export function exportSeedOffers(): Array<{ publisherId: string; offer: Record<string, unknown>; migrated?: boolean }> {
  return [
    {
      publisherId: "contoso",
      migrated: true,
      offer: vmOffer("appliance", "Contoso Appliance", [
        {
          planId: "byol",
          [vm + "skuTitle"]: "BYOL",
          virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
          [vm + "vmImages"]: { "1.0.0": image("1.0.0", 2), "1.1.0": image("1.1.0", 2), "2.0.0": image("2.0.0", 2) },
        },
        {
          planId: "per-core",
          [vm + "skuTitle"]: "Per core",
          virtualMachinePricing: {
            isByol: false,
            freeTrialDurationInMonths: 1,
            coreMultiplier: { currency: "USD", single: 0.05 },
          },
          [vm + "vmImages"]: { "1.0.0": image("1.0.0") },
        },
      ]),
    },
    {
      publisherId: "contoso",
      offer: vmOffer("priced", "Contoso Priced", [
        {
          planId: "sizes",
          virtualMachinePricing: {
            isByol: false,
            freeTrialDurationInMonths: 0,
            coreMultiplier: { currency: "USD", individually: { "1core": 0.02, "2core": 0.04, "4core": 0.08 } },
          },
        },
        {
          planId: "markets",
          virtualMachinePricing: {
            isByol: false,
            freeTrialDurationInMonths: 3,
            regionPrices: {
              DE: { currency: "EUR", single: 0.045 },
              GB: { currency: "GBP", single: 0.04 },
              JP: { currency: "JPY", individually: { "1core": 6, "2core": 12 } },
              US: { currency: "USD", single: 0.05 },
            },
          },
        },
        {
          planId: "sheet",
          virtualMachinePricing: {
            isByol: false,
            freeTrialDurationInMonths: 0,
            spreadSheetPricing: { uri: "https://contoso.example/prices.xlsx" },
          },
        },
      ]),
    },
    {
      publisherId: "contoso",
      offer: vmOffer("private", "Contoso Private", [
        {
          planId: "partners",
          [vm + "skuTitle"]: "Partners only",
          virtualMachinePricing: UNMODELLED_PRICING.byolWithoutTrial,
          restrictedAudience: {
            manualEntries: [
              { type: "subscriptionId", id: "aaaaaaaa-0000-0000-0000-000000000002", description: "Fabrikam" },
              { type: "tenantId", id: "bbbbbbbb-0000-0000-0000-000000000003", description: "Woodgrove" },
            ],
          },
        },
        { planId: "regional", virtualMachinePricing: UNMODELLED_PRICING.unknownCurrencyMarket },
        { planId: "evaluated", virtualMachinePricing: UNMODELLED_PRICING.evaluatedSpreadsheet },
      ]),
    },
    {
      publisherId: "contoso",
      offer: vmOffer(
        "leads",
        "Contoso Leads",
        [{ planId: "standard", virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 } }],
        {
          [mp + "leadDestination"]: "AzureTable",
          [mp + "tableLeadConfiguration"]: { storageAccountConnectionString: PLANTED_LEAD_SECRET },
          [mp + "leadNotificationEmails"]: "sales@contoso.example",
        },
      ),
    },
    {
      publisherId: "contoso",
      offer: {
        id: "core-image",
        publisherId: "contoso",
        offerTypeId: "microsoft-azure-corevm",
        definition: {
          displayText: "Contoso Core Image",
          offer: {
            [cvm + "title"]: "Contoso Core Image",
            [cvm + "summary"]: "A base image",
            [cvm + "description"]: "<p>Base image.</p>",
            [cvm + "leadDestination"]: "None",
            [cvm + "legacyOfferId"]: "contoso-core-image-legacy",
            [cvm + "legacyPublisherId"]: "contoso-legacy",
            [cvm + "tableLeadConfiguration"]: {},
          },
          plans: [
            {
              planId: "base-2024",
              [cvm + "skuTitle"]: "Base 2024",
              [cvm + "cloudAvailability"]: ["PublicAzure"],
              [cvm + "generation"]: "1",
              [cvm + "vmImagesPublicAzure"]: {
                "2024.1.0": {
                  osVhdUrl: "https://contosoimages.blob.core.windows.net/vhds/core-2024.1.0.vhd",
                  lunVhdDetails: [],
                },
              },
              diskGenerations: [
                {
                  planId: "base-2024-gen2",
                  [cvm + "generation"]: "2",
                  [cvm + "vmImagesPublicAzure"]: {
                    "2024.1.0": {
                      osVhdUrl: "https://contosoimages.blob.core.windows.net/vhds/core-2024.1.0-g2.vhd",
                      lunVhdDetails: [],
                    },
                  },
                },
              ],
            },
          ],
        },
      },
    },
  ];
}
