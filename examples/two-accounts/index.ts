// SPDX-License-Identifier: Apache-2.0
/**
 * Two publisher accounts in one program: offers of two publishers, in two Azure AD tenants, each
 * written with its own service principal. The first offer uses the stack's own credentials
 * (`cloudpartner:tenantId`, `clientId`, `clientSecret`); the second names a credential set of
 * the secret stack config `cloudpartner:accounts` with its `account` input. Only that name is a
 * resource input: the credentials stay (encrypted) in stack config and never reach the state.
 * The listing and plan use the package's typed keys (VmOfferListing, VmPlan), so an editor
 * completes them and a wrong value type is a compile error.
 */
import * as pulumi from "@pulumi/pulumi";
import { Offer, type OfferDefinition, type VmOfferListing, type VmPlan } from "pulumi-cloudpartner";

const config = new pulumi.Config("two-accounts");
const publisherA = config.get("publisherA") ?? "contoso";
const publisherB = config.get("publisherB") ?? "northwind";
const accountB = config.get("accountB") ?? "northwind";

const asset = (publisher: string, name: string) => `https://${publisher}images.blob.core.windows.net/assets/${name}`;

/** The same appliance, listed by each publisher under its own name. */
function definition(publisher: string, title: string): OfferDefinition {
  const offer: VmOfferListing = {
    "microsoft-azure-marketplace.title": title,
    "microsoft-azure-marketplace.summary": `${title}: a hardened web gateway`,
    "microsoft-azure-marketplace.longSummary": "A reverse proxy and web application firewall in one image",
    "microsoft-azure-marketplace.description": "<p>Reverse proxy with a web application firewall.</p>",
    "microsoft-azure-marketplace.offerMarketingUrlIdentifier": `${publisher}-web-gateway`,
    "microsoft-azure-marketplace.allowedSubscriptions": ["00000000-0000-0000-0000-000000000001"],
    "microsoft-azure-marketplace.categoryMap": [{ categoryL1: "networking", "categoryL2-networking": ["firewalls"] }],
    "microsoft-azure-marketplace.smallLogo": asset(publisher, "logo-40.png"),
    "microsoft-azure-marketplace.mediumLogo": asset(publisher, "logo-90.png"),
    "microsoft-azure-marketplace.largeLogo": asset(publisher, "logo-115.png"),
    "microsoft-azure-marketplace.wideLogo": asset(publisher, "logo-255x115.png"),
    "microsoft-azure-marketplace.leadDestination": "None",
    "microsoft-azure-marketplace.privacyURL": `https://${publisher}.example/privacy`,
    "microsoft-azure-marketplace.termsOfUse": "Standard contract.",
    "microsoft-azure-marketplace.engineeringContactName": "Ops",
    "microsoft-azure-marketplace.engineeringContactEmail": `ops@${publisher}.example`,
    "microsoft-azure-marketplace.engineeringContactPhone": "555-0100",
    "microsoft-azure-marketplace.supportContactName": "Support",
    "microsoft-azure-marketplace.supportContactEmail": `support@${publisher}.example`,
    "microsoft-azure-marketplace.supportContactPhone": "555-0101",
  };
  const plan: VmPlan = {
    planId: "byol",
    regions: ["US", "GB"],
    "microsoft-azure-virtualmachines.skuTitle": "Bring your own licence",
    "microsoft-azure-virtualmachines.skuSummary": "BYOL",
    "microsoft-azure-virtualmachines.skuDescription": "Use a licence you already have.",
    "microsoft-azure-virtualmachines.hideSKUForSolutionTemplate": false,
    "microsoft-azure-virtualmachines.cloudAvailability": ["PublicAzure"],
    "microsoft-azure-virtualmachines.operatingSystemFamily": "Linux",
    "microsoft-azure-virtualmachines.osType": "Ubuntu",
    "microsoft-azure-virtualmachines.operationSystem": "Ubuntu 22.04 LTS",
    "microsoft-azure-virtualmachines.recommendedVMSizes": ["d2s-standard-v3"],
    "microsoft-azure-virtualmachines.openPorts": [],
    "microsoft-azure-virtualmachines.vmImages": {
      "1.0.0": {
        osVhdUrl: `https://${publisher}images.blob.core.windows.net/vhds/web-gateway-1.0.0.vhd`,
        lunVhdDetails: [],
      },
    },
    virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
  };
  return { displayText: title, offer, plans: [plan] };
}

// The stack's own credentials.
const a = new Offer("gateway-a", {
  publisherId: publisherA,
  offerId: `${publisherA}-web-gateway`,
  definition: definition(publisherA, "Contoso Web Gateway"),
});

// The credential set `accountB` of cloudpartner:accounts: another principal, in another tenant.
const b = new Offer("gateway-b", {
  publisherId: publisherB,
  offerId: `${publisherB}-web-gateway`,
  definition: definition(publisherB, "Northwind Web Gateway"),
  account: accountB,
});

export const offerA = pulumi.interpolate`${a.publisherId}/${a.offerId} (${a.status})`;
export const offerB = pulumi.interpolate`${b.publisherId}/${b.offerId} (${b.status}) via account ${b.account}`;
