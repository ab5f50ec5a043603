// SPDX-License-Identifier: Apache-2.0
/**
 * Adopting an offer that already exists (made in the portal, or by a script): `adopt: true`
 * makes the first `pulumi up` read the offer, print which listing keys and plans this program
 * changes, and write the program's document with the offer's current ETag — instead of failing
 * because the offer exists. From then on the offer is managed like any other: `pulumi preview`
 * shows drift and changes, `pulumi up` writes them with If-Match.
 */
import * as pulumi from "@pulumi/pulumi";
import { Offer } from "pulumi-cloudpartner";

const config = new pulumi.Config("adopt-existing");
const publisherId = config.get("publisherId") ?? "contoso";
const offerId = config.get("offerId") ?? "contoso-gateway";
const summary = config.get("summary") ?? "A managed VPN gateway, now maintained as code";
const imageUrl = config.get("imageUrl") ?? "https://contosoimages.blob.core.windows.net/vhds/gateway-2.1.0.vhd";

const mp = "microsoft-azure-marketplace.";
const vm = "microsoft-azure-virtualmachines.";
const asset = (name: string) => `https://contosoimages.blob.core.windows.net/assets/${name}`;

// The whole document, as the program wants it: adopting writes it over what the portal holds
// (keys left out here are removed from the offer), so start from a copy of the existing offer.
const gateway = new Offer("gateway", {
  publisherId,
  offerId,
  adopt: true,
  definition: {
    displayText: "Contoso Gateway",
    offer: {
      [mp + "title"]: "Contoso Gateway",
      [mp + "summary"]: summary,
      [mp + "longSummary"]: "Site-to-site and point-to-site VPN in one image",
      [mp + "description"]: "<p>IPsec and WireGuard VPN gateway.</p>",
      [mp + "offerMarketingUrlIdentifier"]: offerId,
      [mp + "allowedSubscriptions"]: ["00000000-0000-0000-0000-000000000001"],
      [mp + "categoryMap"]: [{ categoryL1: "networking", "categoryL2-networking": ["firewalls"] }],
      [mp + "smallLogo"]: asset("gateway-40.png"),
      [mp + "mediumLogo"]: asset("gateway-90.png"),
      [mp + "largeLogo"]: asset("gateway-115.png"),
      [mp + "wideLogo"]: asset("gateway-255x115.png"),
      [mp + "leadDestination"]: "None",
      [mp + "privacyURL"]: "https://contoso.example/privacy",
      [mp + "termsOfUse"]: "Standard contract.",
      [mp + "engineeringContactName"]: "Contoso Ops",
      [mp + "engineeringContactEmail"]: "ops@contoso.example",
      [mp + "engineeringContactPhone"]: "555-0100",
      [mp + "supportContactName"]: "Contoso Support",
      [mp + "supportContactEmail"]: "support@contoso.example",
      [mp + "supportContactPhone"]: "555-0101",
    },
    plans: [
      {
        planId: "standard",
        regions: ["US", "GB", "DE"],
        [vm + "skuTitle"]: "Standard",
        [vm + "skuSummary"]: "Standard gateway",
        [vm + "skuDescription"]: "Bring your own licence.",
        [vm + "hideSKUForSolutionTemplate"]: false,
        [vm + "cloudAvailability"]: ["PublicAzure"],
        [vm + "operatingSystemFamily"]: "Linux",
        [vm + "osType"]: "Ubuntu",
        [vm + "operationSystem"]: "Ubuntu 22.04 LTS",
        [vm + "recommendedVMSizes"]: ["d2s-standard-v3"],
        [vm + "openPorts"]: [],
        [vm + "vmImages"]: { "2.1.0": { osVhdUrl: imageUrl, lunVhdDetails: [] } },
        // This plan's pricing stays in the document (no VmPricing resource owns it).
        virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
      },
    ],
  },
});

export const offerName = gateway.offerId;
export const offerStatus = gateway.status;
export const offerEtag = gateway.etag;
