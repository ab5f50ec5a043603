// SPDX-License-Identifier: Apache-2.0
/**
 * An image pipeline: each image build appends its version and the SAS URL of its VHD to a
 * builds file (`record-build.mjs`); this program keeps the newest `keep` builds as disk versions
 * of the offer's plan and republishes when they change. One VmImageVersion per slot
 * (`build index mod keep`): a new build updates the slot that held the oldest version, so the new
 * version lands and the oldest leaves the plan in one write, before the one publish.
 */
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "fs";
import { isAbsolute, join } from "path";
import { Offer, OfferPublish, VmImageVersion } from "pulumi-cloudpartner";

const config = new pulumi.Config("image-pipeline");
const publisherId = config.get("publisherId") ?? "contoso";
const offerId = config.get("offerId") ?? "contoso-linux";
const planId = config.get("planId") ?? "standard";
const keep = config.getNumber("keep") ?? 3;
// Going live takes the content a person approved: the reviewed preview's publishedContentHash,
// committed as `image-pipeline:approvedContentHash` (or "unreviewed").
const approvedContentHash = config.get("approvedContentHash");
const target = config.get("target") === "live" ? "live" : "preview";
const buildsFile = config.get("buildsFile") ?? "builds.json";

/** One image build as the build step recorded it. */
interface Build {
  version: string;
  osVhdUrl: string;
}

/** The builds file: an absolute path, or relative to the working directory or this project. */
function readBuilds(): Build[] {
  const candidates = isAbsolute(buildsFile)
    ? [buildsFile]
    : [buildsFile, join(__dirname, buildsFile), join(__dirname, "..", buildsFile)];
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    throw new Error(
      `image-pipeline: no builds file at ${buildsFile}; run the build step ` +
        "(node record-build.mjs <version> <SAS URL>) first",
    );
  }
  return JSON.parse(readFileSync(path, "utf8")) as Build[];
}

const mp = "microsoft-azure-marketplace.";
const vm = "microsoft-azure-virtualmachines.";
const asset = (name: string) => `https://contosoimages.blob.core.windows.net/assets/${name}`;

const offer = new Offer("offer", {
  publisherId,
  offerId,
  definition: {
    displayText: "Contoso Linux",
    offer: {
      [mp + "title"]: "Contoso Linux",
      [mp + "summary"]: "A hardened Linux image, rebuilt weekly",
      [mp + "longSummary"]: "A hardened Linux image with the latest security updates, rebuilt weekly",
      [mp + "description"]: "<p>Minimal, hardened and patched every week.</p>",
      [mp + "offerMarketingUrlIdentifier"]: offerId,
      [mp + "allowedSubscriptions"]: ["00000000-0000-0000-0000-000000000001"],
      [mp + "categoryMap"]: [{ categoryL1: "compute", "categoryL2-compute": ["operating-systems"] }],
      [mp + "smallLogo"]: asset("linux-40.png"),
      [mp + "mediumLogo"]: asset("linux-90.png"),
      [mp + "largeLogo"]: asset("linux-115.png"),
      [mp + "wideLogo"]: asset("linux-255x115.png"),
      [mp + "leadDestination"]: "None",
      [mp + "privacyURL"]: "https://contoso.example/privacy",
      [mp + "termsOfUse"]: "Standard contract.",
      [mp + "engineeringContactName"]: "Contoso Images",
      [mp + "engineeringContactEmail"]: "images@contoso.example",
      [mp + "engineeringContactPhone"]: "555-0100",
      [mp + "supportContactName"]: "Contoso Support",
      [mp + "supportContactEmail"]: "support@contoso.example",
      [mp + "supportContactPhone"]: "555-0101",
    },
    plans: [
      {
        planId,
        regions: ["US", "GB", "DE"],
        [vm + "skuTitle"]: "Contoso Linux",
        [vm + "skuSummary"]: "Hardened Linux",
        [vm + "skuDescription"]: "Bring your own licence.",
        [vm + "hideSKUForSolutionTemplate"]: false,
        [vm + "cloudAvailability"]: ["PublicAzure"],
        [vm + "operatingSystemFamily"]: "Linux",
        [vm + "osType"]: "Other",
        [vm + "operationSystem"]: "Contoso Linux",
        [vm + "recommendedVMSizes"]: ["d2s-standard-v3"],
        [vm + "openPorts"]: [],
        // No `vmImages` here: the plan's disk versions belong to the VmImageVersion resources.
        virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
      },
    ],
  },
});

const builds = readBuilds();
const images = builds
  .map((build, index) => ({ build, index }))
  .slice(-keep)
  .map(
    ({ build, index }) =>
      new VmImageVersion(
        `slot-${index % keep}`,
        {
          publisherId,
          offerId: offer.offerId,
          planId,
          version: build.version,
          osVhdUrl: build.osVhdUrl,
          // The version a new build replaces leaves the plan; the next publish drops it.
          onDelete: "remove",
        },
        { dependsOn: offer },
      ),
  );

const publish = new OfferPublish(
  "publish",
  {
    publisherId,
    offerId: offer.offerId,
    target,
    approvedContentHash,
    waitFor: config.get<"accepted" | "signoff" | "live">("waitFor"),
    // Publishing follows content: a new or rotated version changes its fingerprint.
    trigger: [offer.fingerprint, ...images.map((image) => image.fingerprint)],
  },
  { dependsOn: images },
);

export const versions = images.map((image) => image.version);
export const publishStatus = publish.operationStatus;
export const publishPhase = publish.phase;
export const publishedContentHash = publish.publishedContentHash;
