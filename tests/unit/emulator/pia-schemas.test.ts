// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import {
  CONFIGURE_VERSIONS,
  KNOWN_TYPES,
  MAX_RESOURCES,
  SCHEMA_VERSIONS,
  schemaType,
  validateConfigure,
} from "../../../emulator/pia/schemas.js";

const P = "2f7a4b3c-1d2e-4f50-9a6b-7c8d9e0f1a2b";
const L = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
const url = (type: string, version = SCHEMA_VERSIONS[type]?.current ?? "2022-03-01-preview2") =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`;
const configure = (resources: unknown, version = "2022-03-01-preview2") => ({
  $schema: url("configure", version),
  resources,
});
const TECH = "virtual-machine-plan-technical-configuration";
const CORE_TECH = "core-virtual-machine-plan-technical-configuration";

/** A full VM offer as one configure body: product by resourceName, everything else referencing it. */
function fullBody(): any {
  return configure([
    {
      $schema: url("product"),
      resourceName: "newProduct",
      identity: { externalId: "contoso-vm" },
      type: "azureVirtualMachine",
      alias: "Contoso VM",
    },
    {
      $schema: url("plan"),
      resourceName: "byol",
      product: { resourceName: "newProduct" },
      identity: { externalId: "byol" },
      alias: "BYOL",
      azureRegions: ["azureGlobal"],
    },
    {
      $schema: url("listing"),
      kind: "azureVM",
      product: { resourceName: "newProduct" },
      languageId: "en-us",
      title: "Contoso VM",
      searchResultSummary: "A VM",
      shortDescription: "A longer summary",
      description: "<p>Description</p>",
      privacyPolicyLink: "https://contoso.example/privacy",
      generalLinks: [{ displayText: "Docs", link: "https://contoso.example/docs" }],
      supportContact: { name: "Support", email: "support@contoso.example", phone: "+1 555 0100" },
      engineeringContact: { name: "Eng", email: "eng@contoso.example", phone: "+1 555 0101" },
    },
    {
      $schema: url("price-and-availability-plan"),
      product: { resourceName: "newProduct" },
      plan: { resourceName: "byol" },
      visibility: "visible",
      audience: "public",
      customerMarkets: "customMarkets",
      markets: ["us", "gb"],
      pricing: { licenseModel: "payAsYouGo", corePricing: { priceInputOption: "perCore", pricePerCore: 0.02 } },
      trial: { type: "month", value: 1 },
      softwareReservation: [{ type: "year", term: 1, percentageSave: 20 }],
    },
    {
      $schema: url(TECH),
      product: { resourceName: "newProduct" },
      plan: { resourceName: "byol" },
      operatingSystem: { family: "linux", type: "ubuntu", friendlyName: "Ubuntu 22.04" },
      recommendedVmSizes: ["standard-d2s-v3"],
      openPorts: [{ label: "ssh", portRange: "22", protocol: "tcp" }],
      vmProperties: { supportsExtensions: true, supportsAcceleratedNetworking: true, supportsNVMe: false },
      skus: [
        { skuId: "byol", imageType: "x64Gen2" },
        { skuId: "byol-gen1", imageType: "x64Gen1" },
      ],
      vmImageVersions: [
        {
          versionNumber: "1.0.0",
          lifecycleState: "generallyAvailable",
          vmImages: [
            {
              imageType: "x64Gen2",
              source: {
                sourceType: "sasUri",
                osDisk: { uri: "https://contoso.blob.core.windows.net/vhds/os.vhd?sv=2020-10-02&sig=x" },
                dataDisks: [{ lunNumber: 0, uri: "https://contoso.blob.core.windows.net/vhds/data0.vhd?sig=x" }],
              },
            },
            {
              imageType: "x64Gen1",
              source: {
                sourceType: "sharedImageGallery",
                sharedImage: {
                  tenantId: "00000000-0000-4000-8000-000000000000",
                  resourceId:
                    "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/x/images/y/versions/1.0.0",
                },
              },
            },
          ],
        },
      ],
    },
    {
      $schema: url("submission"),
      product: { resourceName: "newProduct" },
      target: { targetType: "preview" },
    },
  ]);
}

/** A body holding one resource. */
const one = (resource: unknown, version?: string) => configure([resource], version);

/** The tech config a client reads and posts back (§P12): refs by externalId, no id. */
const partialTechConfig = (type = TECH, version = "2022-03-01-preview5"): any => ({
  $schema: url(type, version),
  product: { externalId: "flatcar-container-linux" },
  plan: { externalId: "stable" },
  skus: [{ skuId: "stable", imageType: "x64Gen2", securityType: ["trusted"] }],
  vmImageVersions: [
    {
      versionNumber: "2026.12.01",
      vmImages: [
        { imageType: "x64Gen2", source: { sourceType: "sasUri", osDisk: { uri: "https://a.example/os.vhd" } } },
      ],
    },
  ],
});

const messages = (body: unknown) => validateConfigure(body).map((p) => p.message);

describe("PIA configure schemas (emulator/pia/schemas)", () => {
  describe("schemaType", () => {
    it("reads type, version and host of a schema URL", () => {
      expect(schemaType(url(TECH, "2022-03-01-preview6"))).to.deep.equal({
        type: TECH,
        version: "2022-03-01-preview6",
        host: "schema.mp.microsoft.com",
      });
      expect(schemaType("https://schema.mp.microsoft.com/schema/configure/2022-07-01")).to.deep.equal({
        type: "configure",
        version: "2022-07-01",
        host: "schema.mp.microsoft.com",
      });
    });

    it("still parses the retired host and reports it", () => {
      expect(schemaType("https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2")).to.deep.equal({
        type: "configure",
        version: "2022-03-01-preview2",
        host: "product-ingestion.azureedge.net",
      });
    });

    it("is undefined for anything that is not such a URL", () => {
      for (const v of [
        undefined,
        null,
        42,
        {},
        "",
        "product/2022-03-01-preview2",
        "http://schema.mp.microsoft.com/schema/product/2022-03-01-preview2",
        "https://schema.mp.microsoft.com/schema/product",
        "https://schema.mp.microsoft.com/schema/Product/2022-03-01-preview2",
        "https://schema.mp.microsoft.com/schema/product/latest",
        "https://schema.mp.microsoft.com/schema/product/2022-03-01-preview2/",
      ])
        expect(schemaType(v), String(v)).to.equal(undefined);
    });
  });

  describe("the version table", () => {
    it("covers the 15 VM-offer types, each accepting its current version", () => {
      expect(KNOWN_TYPES).to.have.length(15);
      for (const type of KNOWN_TYPES) expect(SCHEMA_VERSIONS[type].accepted).to.include(SCHEMA_VERSIONS[type].current);
      expect(KNOWN_TYPES).to.not.include("configure");
    });

    it("accepts the technical-configuration versions clients send (preview3, preview5, preview6)", () => {
      for (const v of ["2022-03-01-preview3", "2022-03-01-preview5", "2022-03-01-preview6"]) {
        expect(validateConfigure(one(partialTechConfig(TECH, v))), v).to.deep.equal([]);
        expect(
          validateConfigure(one({ ...partialTechConfig(CORE_TECH, v), softwareType: "operatingSystem" })),
          v,
        ).to.deep.equal([]);
      }
    });

    it("accepts both envelope versions", () => {
      for (const v of CONFIGURE_VERSIONS)
        expect(validateConfigure(configure(fullBody().resources, v))).to.deep.equal([]);
    });
  });

  describe("valid bodies", () => {
    it("accepts a full VM offer", () => {
      expect(validateConfigure(fullBody())).to.deep.equal([]);
    });

    it("accepts the shapes public clients send (§P12)", () => {
      const tech = partialTechConfig();
      tech.validations = [{ level: "warning", code: "businessValidationError", message: "echoed", resourceId: "x" }];
      tech.vmImageVersions.push(
        { versionNumber: "9.7.202512150", lifecycleState: "deprecated", vmImages: tech.vmImageVersions[0].vmImages },
        { versionNumber: "3717.0.0", lifecycleState: "deleted", vmImages: tech.vmImageVersions[0].vmImages },
        {
          versionNumber: "8.10.2025090501",
          lifecycleState: "deprecated",
          deprecationSchedule: { dateOffset: "P90D", reason: "endOfSupport" },
          vmImages: tech.vmImageVersions[0].vmImages,
        },
      );
      const body = configure([
        tech,
        // Preview submission by externalId, with the read-only fields a client may echo.
        {
          $schema: url("submission"),
          id: `submission/${P}/1152921505698684121`,
          product: { externalId: "flatcar-container-linux" },
          target: { targetType: "preview" },
          status: "completed",
          result: "succeeded",
          created: "2024-01-02T03:04:05.1234567Z",
        },
        // Live submission with the durable id of the preview one; unknown top-level fields tolerated.
        {
          $schema: url("submission"),
          id: `submission/${P}/1152921505698684121`,
          product: `product/${P}`,
          target: { targetType: "live" },
          someFieldFromANewerSchema: { anything: true },
        },
      ]);
      expect(validateConfigure(body)).to.deep.equal([]);
    });

    it("accepts a read tree resource posted back with durable ids", () => {
      const body = one({
        $schema: url(TECH),
        id: `${TECH}/${P}/${L}`,
        product: `product/${P}`,
        plan: `plan/${P}/${L}`,
        resourceName: "tc",
        validations: [],
        skus: [{ skuId: "payg", imageType: "arm64Gen2" }],
        vmImageVersions: [],
      });
      expect(validateConfigure(body)).to.deep.equal([]);
    });

    it("accepts supportsSriov and supportsBackup on a core VM technical configuration", () => {
      const tech = { ...partialTechConfig(CORE_TECH, "2022-03-01-preview6"), softwareType: "operatingSystem" };
      tech.vmProperties = { supportsSriov: true, supportsBackup: true, supportsNVMe: true, supportsCloudInit: true };
      expect(validateConfigure(one(tech))).to.deep.equal([]);
    });

    it("accepts the other resource types of a VM offer", () => {
      const product = `product/${P}`;
      const body = configure([
        {
          $schema: url("property"),
          kind: "azureVM",
          product,
          categories: { compute: ["operating-systems"] },
          termsConditions: "standardMicrosoft",
        },
        {
          $schema: url("listing-asset"),
          kind: "azure",
          product,
          listing: `listing/${P}/public/main/default/en-us`,
          languageId: "en-us",
          type: "azureLogoLarge",
          url: "https://contoso.example/logo.png",
        },
        {
          $schema: url("listing-trailer"),
          kind: "azure",
          product,
          listing: `listing/${P}/public/main/default/en-us`,
          streamingUrl: "https://contoso.example/video",
          assets: { "en-us": { title: "Intro", imageList: [{ url: "https://contoso.example/thumb.png" }] } },
        },
        {
          $schema: url("plan-listing"),
          kind: "azureVM-plan",
          product,
          plan: { externalId: "a" },
          languageId: "en-us",
          name: "Plan",
          summary: "S",
          description: "D",
        },
        {
          $schema: url("price-and-availability-offer"),
          product,
          previewAudiences: [{ type: "subscription", id: "s1", label: "x" }],
        },
        { $schema: url("reseller"), product, resellerChannelState: "none" },
        {
          $schema: url("customer-leads"),
          product,
          leadDestination: "email",
          emailLeadConfiguration: { contactEmail: ["leads@contoso.example"] },
        },
        { $schema: url("customer-leads"), product, leadDestination: "none" },
        { $schema: url("test-drive"), product, enabled: false },
        {
          $schema: url("price-and-availability-plan"),
          product,
          plan: `plan/${P}/${L}`,
          visibility: "hidden",
          audience: "private",
          privateAudiences: [{ type: "tenant", id: "t1" }],
          customerMarkets: "allMarkets",
          pricing: { licenseModel: "byol" },
          trial: null,
        },
        {
          $schema: url("price-and-availability-plan"),
          product,
          plan: `plan/${P}/${L}`,
          visibility: "visible",
          audience: "public",
          pricing: {
            licenseModel: "payAsYouGo",
            corePricing: {
              priceInputOption: "perMarketAndCoreSize",
              prices: [{ currency: "usd", markets: ["us"], prices: { "1core": 0.1, "2core": 0.2 } }],
            },
          },
        },
        {
          $schema: url("plan"),
          product,
          identity: { externalId: "old" },
          alias: "Old",
          lifecycleState: "deprecated",
          deprecationSchedule: { dateOffset: "P1Y", reason: "other", alternative: { plan: `plan/${P}/${L}` } },
        },
      ]);
      expect(validateConfigure(body)).to.deep.equal([]);
    });
  });

  describe("invalid bodies", () => {
    it("names the resource, its type, the path and the fault in one line", () => {
      const body = fullBody();
      body.resources[1].identity.externalId = "BYOL!";
      expect(validateConfigure(body)).to.deep.equal([
        {
          index: 1,
          resourceName: "byol",
          type: "plan",
          path: "/identity/externalId",
          message: 'resources[1] (plan "byol") /identity/externalId: must match ^[a-z0-9-_]{1,50}$',
        },
      ]);
    });

    const table: Array<[string, (b: any) => void, RegExp]> = [
      ["resources missing", (b) => delete b.resources, /^\/resources: is required$/],
      ["resources not an array", (b) => (b.resources = { a: 1 }), /^\/resources: must be an array$/],
      ["resources empty", (b) => (b.resources = []), /^\/resources: must have at least 1 item \(has 0\)$/],
      [
        "too many resources",
        (b) => (b.resources = Array.from({ length: MAX_RESOURCES + 1 }, () => b.resources[0])),
        /^\/resources: must have at most 1000 items \(has 1001\)$/,
      ],
      ["a resource not an object", (b) => (b.resources[2] = "listing"), /^resources\[2\]: must be a resource object/],
      ["a resource without $schema", (b) => delete b.resources[2].$schema, /^resources\[2\] \/\$schema: is required/],
      [
        "unknown envelope version",
        (b) => (b.$schema = url("configure", "2021-01-01")),
        /^\/\$schema: configure schema version 2021-01-01 is not accepted \(accepted: 2022-03-01-preview2, 2022-07-01\)$/,
      ],
      [
        "envelope naming another type",
        (b) => (b.$schema = url("product")),
        /^\/\$schema: must name the configure schema .*, not product$/,
      ],
      [
        "envelope on the retired host",
        (b) => (b.$schema = "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2"),
        /^\/\$schema: must use the host schema\.mp\.microsoft\.com, not product-ingestion\.azureedge\.net$/,
      ],
      ["envelope $schema not a URL", (b) => (b.$schema = "configure"), /^\/\$schema: must be the configure schema URL/],
      [
        "unknown resource type",
        (b) => (b.resources[2].$schema = url("listing-video", "2022-03-01-preview2")),
        /^resources\[2\] \(listing-video\) \/\$schema: unknown resource type "listing-video" \(known: product, /,
      ],
      [
        "unknown resource version",
        (b) => (b.resources[4].$schema = url(TECH, "2022-03-01-preview9")),
        /^resources\[4\] \(virtual-machine-plan-technical-configuration\) \/\$schema: schema version 2022-03-01-preview9 of virtual-machine-plan-technical-configuration is not accepted \(accepted: 2022-03-01-preview2, /,
      ],
      [
        "resource on the retired host",
        (b) => (b.resources[2].$schema = "https://product-ingestion.azureedge.net/schema/listing/2022-03-01-preview5"),
        /^resources\[2\] \(listing\) \/\$schema: must use the host schema\.mp\.microsoft\.com/,
      ],
      [
        "product externalId too short",
        (b) => (b.resources[0].identity.externalId = "ab"),
        /^resources\[0\] \(product "newProduct"\) \/identity\/externalId: must match \^\[a-z0-9\]\[a-z0-9-_\]\{2,49\}\$$/,
      ],
      ["product without alias", (b) => delete b.resources[0].alias, /\(product "newProduct"\) \/alias: is required$/],
      [
        "product alias too long",
        (b) => (b.resources[0].alias = "x".repeat(121)),
        /\/alias: must be at most 120 characters long$/,
      ],
      [
        "product type",
        (b) => (b.resources[0].type = "vm"),
        /\/type: must be one of azureApplication, .* \(got "vm"\)$/,
      ],
      [
        "plan alias too long",
        (b) => (b.resources[1].alias = "x".repeat(126)),
        /\(plan "byol"\) \/alias: must be at most 125/,
      ],
      [
        "bad lifecycleState",
        (b) => (b.resources[1].lifecycleState = "retired"),
        /\/lifecycleState: must be one of generallyAvailable, deprecated, deleted/,
      ],
      [
        "bad azureRegions",
        (b) => (b.resources[1].azureRegions = ["azureMars"]),
        /\/azureRegions\/0: must be one of azureGlobal/,
      ],
      ["bad durable id", (b) => (b.resources[1].id = "Plan/X"), /\(plan "byol"\) \/id: must be a durable id/],
      [
        "id of another type",
        (b) => (b.resources[1].id = `product/${P}`),
        /\(plan "byol"\) \/id: must be the durable id of a plan resource \(plan\/…\), not of a product$/,
      ],
      [
        "externalId reference on listing",
        (b) => (b.resources[2].product = { externalId: "x" }),
        /\(listing\) \/product\/externalId: must match/,
      ],
      [
        "reference with two keys",
        (b) => (b.resources[1].product = { resourceName: "newProduct", externalId: "contoso-vm" }),
        /\(plan "byol"\) \/product: must be a durable id, \{"externalId": "…"\} or \{"resourceName": "…"\}$/,
      ],
      [
        "reference with an unknown key",
        (b) => (b.resources[1].product = { name: "newProduct" }),
        /\/product\/name: is not a known property \(expected one of: resourceName, externalId\)$/,
      ],
      ["reference as a number", (b) => (b.resources[1].product = 7), /\/product: must be a durable id, /],
      [
        "resourceName used twice",
        (b) => (b.resources[2].resourceName = "byol"),
        /^resources\[2\] \(listing "byol"\) \/resourceName: is already used by resources\[1\]$/,
      ],
      ["listing kind", (b) => (b.resources[2].kind = "azureApp"), /\(listing\) \/kind: must be "azureVM"$/],
      [
        "two price fields",
        (b) => (b.resources[3].pricing.corePricing.price = 5),
        /\(price-and-availability-plan\) \/pricing\/corePricing\/price: is not allowed when priceInputOption is perCore$/,
      ],
      [
        "price field missing",
        (b) => (b.resources[3].pricing.corePricing = { priceInputOption: "perCoreSize" }),
        /\/pricing\/corePricing\/pricePerCoreSize: is required when priceInputOption is perCoreSize$/,
      ],
      [
        "free with a price",
        (b) => (b.resources[3].pricing.corePricing = { priceInputOption: "free", pricePerCoreSize: { "1core": 1 } }),
        /\/pricing\/corePricing\/pricePerCoreSize: is not allowed when priceInputOption is free$/,
      ],
      [
        "byol with corePricing",
        (b) => (b.resources[3].pricing.licenseModel = "byol"),
        /\/pricing\/corePricing: is not allowed when licenseModel is byol$/,
      ],
      [
        "negative price",
        (b) => (b.resources[3].pricing.corePricing.pricePerCore = -1),
        /\/pricePerCore: must be at least 0$/,
      ],
      [
        "trial type",
        (b) => (b.resources[3].trial = { type: "fortnight", value: 1 }),
        /\/trial\/type: must be one of day, week, month, year/,
      ],
      [
        "markets with allMarkets",
        (b) => (b.resources[3].customerMarkets = "allMarkets"),
        /\/markets: is not allowed when customerMarkets is allMarkets$/,
      ],
      ["upper-case market", (b) => (b.resources[3].markets = ["US"]), /\/markets\/0: must be a lower-case market code/],
      [
        "no visibility",
        (b) => delete b.resources[3].visibility,
        /\(price-and-availability-plan\) \/visibility: is required$/,
      ],
      [
        "unknown vmProperty on a regular VM",
        (b) => (b.resources[4].vmProperties.supportsSriov = true),
        /\(virtual-machine-plan-technical-configuration\) \/vmProperties\/supportsSriov: is not a known property \(expected one of: isNetworkVirtualAppliance, /,
      ],
      [
        "vmProperty not a boolean",
        (b) => (b.resources[4].vmProperties.supportsNVMe = "yes"),
        /\/vmProperties\/supportsNVMe: must be a boolean/,
      ],
      [
        "3 skus",
        (b) => b.resources[4].skus.push({ skuId: "third", imageType: "arm64Gen2" }),
        /\/skus: must have at most 2 items \(has 3\)$/,
      ],
      ["no skus", (b) => (b.resources[4].skus = []), /\/skus: must have at least 1 item \(has 0\)$/],
      [
        "skuId pattern",
        (b) => (b.resources[4].skus[0].skuId = "Gen 2"),
        /\/skus\/0\/skuId: must match \^\[a-z0-9-_\]\+\$$/,
      ],
      [
        "sku imageType",
        (b) => (b.resources[4].skus[0].imageType = "x86Gen2"),
        /\/skus\/0\/imageType: must be one of x64Gen1, x64Gen2, arm64Gen2 \(got "x86Gen2"\)$/,
      ],
      [
        "LUN 16",
        (b) => (b.resources[4].vmImageVersions[0].vmImages[0].source.dataDisks[0].lunNumber = 16),
        /\/vmImageVersions\/0\/vmImages\/0\/source\/dataDisks\/0\/lunNumber: must be at most 15$/,
      ],
      [
        "17 data disks",
        (b) => {
          const src = b.resources[4].vmImageVersions[0].vmImages[0].source;
          src.dataDisks = Array.from({ length: 17 }, (_, i) => ({ lunNumber: i % 16, uri: "https://a.example/d.vhd" }));
        },
        /\/source\/dataDisks: must have at most 16 items \(has 17\)$/,
      ],
      [
        "sasUri without osDisk",
        (b) => delete b.resources[4].vmImageVersions[0].vmImages[0].source.osDisk,
        /\/source\/osDisk: is required when sourceType is sasUri$/,
      ],
      [
        "sharedImageGallery with osDisk",
        (b) => (b.resources[4].vmImageVersions[0].vmImages[1].source.osDisk = { uri: "https://a.example/os.vhd" }),
        /\/vmImages\/1\/source\/osDisk: is not allowed when sourceType is sharedImageGallery$/,
      ],
      [
        "unknown sourceType",
        (b) => (b.resources[4].vmImageVersions[0].vmImages[0].source.sourceType = "blob"),
        /\/source\/sourceType: must be one of sasUri, sharedImageGallery/,
      ],
      [
        "3 vmImages",
        (b) => {
          const v = b.resources[4].vmImageVersions[0];
          v.vmImages.push(v.vmImages[0]);
        },
        /\/vmImageVersions\/0\/vmImages: must have at most 2 items \(has 3\)$/,
      ],
      [
        "two-part version",
        (b) => (b.resources[4].vmImageVersions[0].versionNumber = "1.0"),
        /\/versionNumber: must match/,
      ],
      [
        "version longer than 32",
        (b) => (b.resources[4].vmImageVersions[0].versionNumber = `1.0.${"1".repeat(40)}`),
        /\/versionNumber: must be at most 32 characters long$/,
      ],
      [
        "version lifecycleState",
        (b) => (b.resources[4].vmImageVersions[0].lifecycleState = "preview"),
        /\/vmImageVersions\/0\/lifecycleState: must be one of generallyAvailable, deprecated, deleted/,
      ],
      [
        "open port protocol",
        (b) => (b.resources[4].openPorts[0].protocol = "icmp"),
        /\/openPorts\/0\/protocol: must be one of tcp, udp, both \(got "icmp"\)$/,
      ],
      [
        "open port range",
        (b) => (b.resources[4].openPorts[0].portRange = "ssh"),
        /\/openPorts\/0\/portRange: must be a port or a port range/,
      ],
      [
        "101 open ports",
        (b) =>
          (b.resources[4].openPorts = Array.from({ length: 101 }, () => ({
            label: "p",
            portRange: "1",
            protocol: "tcp",
          }))),
        /\/openPorts: must have at most 100 items/,
      ],
      [
        "7 recommended sizes",
        (b) => (b.resources[4].recommendedVmSizes = Array.from({ length: 7 }, (_, i) => `size-${i}`)),
        /\/recommendedVmSizes: must have at most 6 items \(has 7\)$/,
      ],
      [
        "operating system type of another family",
        (b) => (b.resources[4].operatingSystem.type = "windowsServer2019"),
        /\/operatingSystem\/type: must be one of debian, .* \(got "windowsServer2019"\) when family is linux$/,
      ],
      [
        "operating system family",
        (b) => (b.resources[4].operatingSystem.family = "bsd"),
        /\/operatingSystem\/family: must be one of linux, windows/,
      ],
      [
        "friendlyName too long",
        (b) => (b.resources[4].operatingSystem.friendlyName = "x".repeat(101)),
        /\/friendlyName: must be at most 100/,
      ],
      [
        "tech config without plan",
        (b) => delete b.resources[4].plan,
        /\(virtual-machine-plan-technical-configuration\) \/plan: is required$/,
      ],
      [
        "submission target",
        (b) => (b.resources[5].target = { targetType: "production" }),
        /\(submission\) \/target\/targetType: must be one of draft, preview, live/,
      ],
      ["submission without target", (b) => delete b.resources[5].target, /\(submission\) \/target: is required$/],
    ];

    for (const [name, mutate, expected] of table) {
      it(`refuses: ${name}`, () => {
        const body = fullBody();
        mutate(body);
        const found = messages(body);
        expect(
          found.some((m) => expected.test(m)),
          `${expected} not in:\n${found.join("\n")}`,
        ).to.equal(true);
      });
    }

    it("refuses a body that is not an object, or is an array", () => {
      for (const body of [undefined, null, "x", 3, [fullBody()]])
        expect(messages(body)).to.deep.equal(['body: must be a JSON object {"$schema": …, "resources": […]}']);
    });

    it("refuses a body without $schema", () => {
      expect(messages({ resources: fullBody().resources })).to.deep.equal(["/$schema: is required"]);
    });

    it("refuses unknown vmProperties on a core VM too", () => {
      const tech = { ...partialTechConfig(CORE_TECH), softwareType: "solution", vmProperties: { supportsMagic: true } };
      expect(messages(one(tech))).to.deep.equal([
        `resources[0] (${CORE_TECH}) /vmProperties/supportsMagic: is not a known property (expected one of: isNetworkVirtualAppliance, requiresCustomArmTemplate, supportsAadLogin, supportsAcceleratedNetworking, supportsBackup, supportsCloudInit, supportsExtensions, supportsHibernation, supportsNVMe, supportsRemoteConnection, supportsSriov)`,
      ]);
    });

    it("requires softwareType on a core VM technical configuration", () => {
      expect(messages(one(partialTechConfig(CORE_TECH)))).to.deep.equal([
        `resources[0] (${CORE_TECH}) /softwareType: is required`,
      ]);
    });

    it("checks customer-leads destinations against their configurations", () => {
      const base = { $schema: url("customer-leads"), product: `product/${P}` };
      expect(messages(one({ ...base, leadDestination: "table" }))).to.deep.equal([
        "resources[0] (customer-leads) /tableLeadConfiguration: is required when leadDestination is table",
      ]);
      expect(messages(one({ ...base, leadDestination: "none", blobLeadConfiguration: {} }))).to.deep.equal([
        "resources[0] (customer-leads) /blobLeadConfiguration: is not allowed when leadDestination is none",
      ]);
    });

    it("requires a test-drive type when it is enabled", () => {
      expect(messages(one({ $schema: url("test-drive"), product: `product/${P}`, enabled: true }))).to.deep.equal([
        "resources[0] (test-drive) /type: is required when enabled is true",
      ]);
    });

    it("reports every fault of a body, capped at 100 problems", () => {
      const bad = { $schema: url("plan"), product: 1, identity: {}, alias: "" };
      const found = validateConfigure(configure(Array.from({ length: 60 }, () => bad)));
      expect(found).to.have.length(100);
      expect(found[0].message).to.match(/^resources\[0\] \(plan\) /);
      expect(found[99].message).to.match(/^… and \d+ more problems$/);
    });

    it("checks long hostile strings quickly (no catastrophic backtracking)", () => {
      const long = "a".repeat(50_000) + "!";
      const body = fullBody();
      body.resources[1].id = long;
      body.resources[1].product = long;
      body.resources[4].vmImageVersions[0].versionNumber = "1.1." + "1".repeat(50_000) + "x";
      body.resources[4].openPorts[0].portRange = "1" + " ".repeat(50_000) + "x";
      const start = Date.now();
      const found = messages(body);
      // Backtracking on 50 000 characters would take minutes; 3 s only allows for a busy machine.
      expect(Date.now() - start).to.be.below(3000);
      expect(found.some((m) => m.includes("/id: must be a durable id"))).to.equal(true);
    });

    it("is the same on a second call (compiled once)", () => {
      const body = fullBody();
      body.resources[4].skus = [];
      expect(validateConfigure(body)).to.deep.equal(validateConfigure(body));
    });
  });
});
