// SPDX-License-Identifier: Apache-2.0
/**
 * A complete VM offer: two plans (BYOL and pay-as-you-go priced per core size), pricing owned
 * by VmPricing resources, and a publication to preview that republishes whenever the offer
 * changes, and goes live only with the content a reviewer approved. Run it against the emulator
 * with `bash scripts/demo.sh`, or against the real service by setting the `cloudpartner:*` config
 * keys (see the README).
 */
import * as pulumi from "@pulumi/pulumi";
import { Offer, OfferPublish, VmPricing, type VmPlan } from "pulumi-cloudpartner";

const config = new pulumi.Config("vm-offer");
const publisherId = config.get("publisherId") ?? "contoso";
const offerId = config.get("offerId") ?? "contoso-appliance";
const displayName = config.get("displayName") ?? "Contoso Appliance";
const summary = config.get("summary") ?? "A hardened network appliance image";
const imageUrl = config.get("imageUrl") ?? "https://contosoimages.blob.core.windows.net/vhds/appliance-1.0.0.vhd";

// Two settings exist on the Cloud Partner Portal API only: the Product Ingestion API
// (`cloudpartner:api: productIngestion`) forms the marketplace URL itself and sends no
// notification emails of its own. The rest of the program is the same on both APIs.
const onCpp = (new pulumi.Config("cloudpartner").get("api") ?? "cpp") === "cpp";

const mp = "microsoft-azure-marketplace.";
const vm = "microsoft-azure-virtualmachines.";
const asset = (name: string) => `https://contosoimages.blob.core.windows.net/assets/${name}`;

/** A plan without pricing: its VmPricing resource owns `virtualMachinePricing`. */
function plan(planId: string, title: string, description: string): VmPlan {
  return {
    planId,
    regions: ["US", "GB", "DE", "JP"],
    [vm + "skuTitle"]: title,
    [vm + "skuSummary"]: title,
    [vm + "skuDescription"]: description,
    [vm + "hideSKUForSolutionTemplate"]: false,
    [vm + "cloudAvailability"]: ["PublicAzure"],
    [vm + "operatingSystemFamily"]: "Linux",
    [vm + "osType"]: "Ubuntu",
    [vm + "operationSystem"]: "Ubuntu 22.04 LTS",
    [vm + "recommendedVMSizes"]: ["d2s-standard-v3", "d4s-standard-v3"],
    [vm + "openPorts"]: [],
    [vm + "vmImages"]: { "1.0.0": { osVhdUrl: imageUrl, lunVhdDetails: [] } },
  };
}

const offer = new Offer("appliance", {
  publisherId,
  offerId,
  definition: {
    displayText: displayName,
    offer: {
      [mp + "title"]: displayName,
      [mp + "summary"]: summary,
      [mp + "longSummary"]: `${summary}, ready to deploy on Azure`,
      [mp + "description"]: "<p>Firewall, VPN and traffic shaping in one image.</p>",
      ...(onCpp ? { [mp + "offerMarketingUrlIdentifier"]: offerId } : {}),
      [mp + "allowedSubscriptions"]: ["00000000-0000-0000-0000-000000000001"],
      [mp + "categoryMap"]: [{ categoryL1: "networking", "categoryL2-networking": ["firewalls"] }],
      [mp + "smallLogo"]: asset("logo-40.png"),
      [mp + "mediumLogo"]: asset("logo-90.png"),
      [mp + "largeLogo"]: asset("logo-115.png"),
      [mp + "wideLogo"]: asset("logo-255x115.png"),
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
      plan("byol", "Bring your own licence", "Use a licence you already own."),
      plan("payg", "Pay as you go", "Billed hourly per core size."),
    ],
  },
});

const byol = new VmPricing(
  "byol-pricing",
  {
    publisherId,
    offerId: offer.offerId,
    planId: "byol",
    pricing: { kind: "byol" },
  },
  { dependsOn: offer },
);

const payg = new VmPricing(
  "payg-pricing",
  {
    publisherId,
    offerId: offer.offerId,
    planId: "payg",
    pricing: {
      kind: "perCoreSize",
      pricesUsd: { sharedcore: 0.01, "1core": 0.02, "2core": 0.04, "4core": 0.08, "8core": 0.16, "16core": 0.32 },
      freeTrialMonths: 1,
    },
  },
  { dependsOn: offer },
);

// The pipeline pattern: `waitFor: "accepted"` in CI (the `up` ends once the service accepted the
// publish; a scheduled `refresh` + `up` follows certification), and going live as a separate,
// reviewed change that commits the reviewed preview's hash as `vm-offer:approvedContentHash`.
const approvedContentHash = config.get("approvedContentHash");
const publication = new OfferPublish(
  "preview",
  {
    publisherId,
    offerId: offer.offerId,
    target: approvedContentHash ? "live" : "preview",
    approvedContentHash,
    waitFor: config.get<"accepted" | "signoff" | "live">("waitFor"),
    ...(onCpp ? { notificationEmails: ["ops@contoso.example"] } : {}),
    // Republish when, and only when, the content this program owns changes: the listing and plans
    // (the Offer's fingerprint) or a plan's pricing. Never on a refresh or a VmPricing write.
    trigger: [offer.fingerprint, byol.fingerprint, payg.fingerprint],
    timeoutSeconds: config.getNumber("publishTimeoutSeconds") ?? 3600,
  },
  { dependsOn: [byol, payg] },
);

// A stack output with no value (no failure, no go-live yet, or a field the chosen API does not
// have) is shown as null: the SDK would leave an undefined one out and warn of it on every run.
const orNull = <T>(value: pulumi.Output<T | undefined>) => value.apply((v) => v ?? null);

export const offerName = offer.offerId;
export const publishStatus = publication.operationStatus;
// The offer's publishing status as the publication last read it, on both APIs (an Offer's own
// `status` and `etag` are the Cloud Partner Portal's; Partner Center has neither).
export const offerPublishingStatus = publication.offerStatus;
/** Where the publication is: inProgress, waitingForSignoff, live, failed or canceled. */
export const publishPhase = publication.phase;
export const publishStep = orNull(publication.step);
/** The hash a reviewer approves (as `vm-offer:approvedContentHash`) to take this preview live. */
export const publishedContentHash = publication.publishedContentHash;
export const publishFailure = orNull(publication.failure);
export const goLiveApproval = orNull(publication.approval);
export const paygPricing = payg.virtualMachinePricing;
