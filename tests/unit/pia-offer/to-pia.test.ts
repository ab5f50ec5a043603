// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import {
  definitionToPia,
  piaToDefinition,
  planResourceName,
  productResourceName,
  resourceNameFor,
  supportedDefinition,
  type DefinitionToPiaResult,
  type PiaOfferTypeId,
  type PiaResource,
} from "../../../provider/pia-offer/index.js";
import { parseSchemaUrl, SCHEMA_VERSIONS } from "../../../provider/pia/index.js";
import { coreVmDefinitionWithoutImages } from "../../helpers/images.js";
import { sampleDefinition } from "../../helpers/offers.js";

/**
 * The translation CPP definition → PIA resources, key by key: one case per row of
 * docs/internals/api-notes.md §P4's table, for VM and core-VM offers, and one per unsupported key.
 */
const VM: PiaOfferTypeId = "microsoft-azure-virtualmachines";
const CORE: PiaOfferTypeId = "microsoft-azure-corevm";
const MP = "microsoft-azure-marketplace.";
const VMNS = "microsoft-azure-virtualmachines.";
const CVM = "microsoft-azure-corevm.";
type Def = { displayText: string; offer: Record<string, unknown>; plans: Array<Record<string, unknown>> } & Record<
  string,
  unknown
>;
type AnyPlan = Record<string, unknown>;

const typeOf = (r: PiaResource) => parseSchemaUrl(r.$schema)?.type;
const all = (res: DefinitionToPiaResult, type: string) => res.resources.filter((r) => typeOf(r) === type);
const one = (res: DefinitionToPiaResult, type: string, planId?: string): PiaResource => {
  const found = all(res, type).filter(
    (r) =>
      planId === undefined || JSON.stringify(r.plan) === JSON.stringify({ resourceName: planResourceName(planId) }),
  );
  expect(found, `${type}${planId ? ` of ${planId}` : ""}`).to.have.length(1);
  return found[0];
};
const vm = (definition: unknown, known?: Parameters<typeof definitionToPia>[0]["known"]) =>
  definitionToPia({ offerId: "fab-vm", offerTypeId: VM, definition: definition as Def, known });
const core = (definition: unknown) =>
  definitionToPia({ offerId: "fab-core", offerTypeId: CORE, definition: definition as Def });
const paths = (res: DefinitionToPiaResult) => res.problems.map((p) => p.path);
const def = (mutate: (d: Def, plan: AnyPlan) => void = () => {}) => {
  const d = sampleDefinition({ pricedPlans: true }) as unknown as Def;
  mutate(d, d.plans[0] as AnyPlan);
  return d;
};
const PLAN0 = "definition.plans[byol]";

describe("pia-offer: definitionToPia, key by key (§P4)", () => {
  it("the sample VM definition: the resource types of §P3.2 in reference order, one problem (the marketing URL id)", () => {
    const res = vm(def());
    expect(res.resources.map(typeOf)).to.deep.equal([
      "product",
      "property",
      "listing",
      "listing-asset",
      "listing-asset",
      "listing-asset",
      "listing-asset",
      "price-and-availability-offer",
      "customer-leads",
      ...["byol", "payg"].flatMap(() => [
        "plan",
        "plan-listing",
        "price-and-availability-plan",
        "virtual-machine-plan-technical-configuration",
      ]),
    ]);
    expect(paths(res)).to.deep.equal([`definition.offer.${MP}offerMarketingUrlIdentifier`]);
    expect(res.ignored).to.deep.equal([]);
    // Pinned $schema versions of provider/pia/schema.ts, on the current host.
    for (const r of res.resources) {
      const parsed = parseSchemaUrl(r.$schema)!;
      expect(r.$schema).to.match(/^https:\/\/schema\.mp\.microsoft\.com\/schema\//);
      expect(parsed.version).to.equal(SCHEMA_VERSIONS[parsed.type as keyof typeof SCHEMA_VERSIONS]);
    }
  });

  it("offerId, offerTypeId, displayText → product identity, type, alias; resourceName from the offer id", () => {
    const p = one(vm(def()), "product");
    expect(p).to.include({ type: "azureVirtualMachine", alias: "Fabrikam Appliance", resourceName: "product-fab-vm" });
    expect(p.identity).to.deep.equal({ externalId: "fab-vm" });
    expect(p.id).to.equal(undefined);
    expect(one(core(coreVmDefinitionWithoutImages()), "product").type).to.equal("coreVirtualMachine");
    const missing = vm({ offer: {}, plans: [] });
    expect(one(missing, "product").alias).to.equal("fab-vm");
    expect(paths(missing)).to.include("definition.displayText");
  });

  it("new resources are referenced by resourceName, known ones by durable id", () => {
    const fresh = vm(def());
    for (const r of fresh.resources.filter((x) => typeOf(x) !== "product")) {
      expect(r.product, String(typeOf(r))).to.deep.equal({ resourceName: "product-fab-vm" });
    }
    expect(one(fresh, "plan-listing", "byol").plan).to.deep.equal({ resourceName: "plan-byol" });
    expect(one(fresh, "listing").resourceName).to.equal("listing-fab-vm");
    expect(all(fresh, "listing-asset")[0].listing).to.deep.equal({ resourceName: "listing-fab-vm" });
    const P = "product/11111111-1111-1111-1111-111111111111";
    const L = "plan/11111111-1111-1111-1111-111111111111/22222222-2222-2222-2222-222222222222";
    const LISTING = "listing/11111111-1111-1111-1111-111111111111/public/main/default/en-us";
    const known = vm(def(), { product: P, plans: { byol: L }, listing: LISTING });
    expect(one(known, "product").id).to.equal(P);
    for (const r of known.resources.filter((x) => typeOf(x) !== "product")) expect(r.product).to.equal(P);
    const plans = all(known, "plan");
    expect(plans.map((p) => p.id)).to.deep.equal([L, undefined]);
    const tcs = all(known, "virtual-machine-plan-technical-configuration");
    expect(tcs.map((t) => t.plan)).to.deep.equal([L, { resourceName: "plan-payg" }]);
    expect(all(known, "listing-asset")[0].listing).to.equal(LISTING);
  });

  it("names.ts: <kind>-<id>, cut with a hash beyond 50 characters; long ids stay apart", () => {
    expect(productResourceName("fab")).to.equal("product-fab");
    expect(planResourceName("a_b-c")).to.equal("plan-a_b-c");
    const long1 = "x".repeat(50);
    const long2 = "x".repeat(49) + "y";
    const n1 = planResourceName(long1);
    const n2 = planResourceName(long2);
    expect(n1)
      .to.have.length.at.most(50)
      .and.match(/^plan-x+-[0-9a-f]{8}$/);
    expect(n1).to.not.equal(n2);
    expect(planResourceName(long1)).to.equal(n1);
    expect(resourceNameFor("plan", "a.b")).to.match(/^plan-a_b-[0-9a-f]{8}$/);
  });

  it("listing texts, links, privacy URL, contacts and support websites → listing", () => {
    const res = vm(
      def((d) => {
        d.offer[MP + "usefulLinks"] = [{ linkTitle: "Docs", linkUrl: "https://fab.example/docs" }];
        d.offer[MP + "publicAzureSupportUrl"] = "https://fab.example/support";
        d.offer[MP + "fairfaxSupportUrl"] = "";
      }),
    );
    const l = one(res, "listing");
    expect(l).to.deep.include({
      kind: "azureVM",
      languageId: "en-us",
      title: "Fabrikam Appliance",
      searchResultSummary: "Network appliance image",
      shortDescription: "Network appliance image for Azure",
      description: "<p>Appliance.</p>",
      privacyPolicyLink: "https://fabrikam.example/privacy",
      generalLinks: [{ displayText: "Docs", link: "https://fab.example/docs" }],
      supportContact: { name: "Support", email: "help@fabrikam.example", phone: "555-0101" },
      engineeringContact: { name: "Ops", email: "ops@fabrikam.example", phone: "555-0100" },
      globalSupportWebsite: "https://fab.example/support",
      governmentSupportWebsite: "",
    });
  });

  it("logos → one listing-asset each (azureLogoSmall/Medium/Large/Wide/Hero)", () => {
    const res = vm(def((d) => (d.offer[MP + "heroLogo"] = "https://fab.blob.core.windows.net/a/hero.png")));
    const assets = all(res, "listing-asset");
    expect(assets.map((a) => [a.type, a.url, a.fileName])).to.deep.equal([
      ["azureLogoSmall", "https://fab.blob.core.windows.net/a/s.png", "s.png"],
      ["azureLogoMedium", "https://fab.blob.core.windows.net/a/m.png", "m.png"],
      ["azureLogoLarge", "https://fab.blob.core.windows.net/a/l.png", "l.png"],
      ["azureLogoWide", "https://fab.blob.core.windows.net/a/w.png", "w.png"],
      ["azureLogoHero", "https://fab.blob.core.windows.net/a/hero.png", "hero.png"],
    ]);
    for (const a of assets) expect(a).to.include({ kind: "azure", languageId: "en-us" });
  });

  it("allowedSubscriptions → price-and-availability-offer.previewAudiences (none: an empty list)", () => {
    expect(one(vm(def()), "price-and-availability-offer").previewAudiences).to.deep.equal([
      {
        type: "subscription",
        id: "aaaaaaaa-0000-0000-0000-000000000001",
        label: "aaaaaaaa-0000-0000-0000-000000000001",
      },
    ]);
    const none = vm(def((d) => delete d.offer[MP + "allowedSubscriptions"]));
    expect(one(none, "price-and-availability-offer").previewAudiences).to.deep.equal([]);
  });

  it("categoryMap → property.categories; termsOfUse / useEnterpriseContract → termsConditions", () => {
    const res = vm(
      def((d) => {
        d.offer[MP + "categoryMap"] = [
          { categoryL1: "networking", "categoryL2-networking": ["firewalls", "other"] },
          { categoryL1: "security" },
        ];
      }),
    );
    const p = one(res, "property");
    expect(p).to.deep.include({
      kind: "azureVM",
      categories: { networking: ["firewalls", "other"], security: [] },
      termsConditions: "custom",
      termsOfUse: "Standard terms.",
    });
    const standard = one(vm(def((d) => (d.offer[MP + "useEnterpriseContract"] = true))), "property");
    expect(standard.termsConditions).to.equal("standardMicrosoft");
    const bare = one(vm({ displayText: "x", offer: {}, plans: [] }), "property");
    expect(bare).to.deep.include({ categories: {}, termsConditions: "custom" });
    // An L2 list under another category's key, and a repeated category, are problems.
    const odd = vm(
      def((d) => {
        d.offer[MP + "categoryMap"] = [
          { categoryL1: "compute", "categoryL2-networking": ["firewalls"] },
          { categoryL1: "compute" },
          { "categoryL2-web": ["blogs-and-cmss"] },
        ];
      }),
    );
    const base = `definition.offer.${MP}categoryMap`;
    expect(paths(odd)).to.include.members([`${base}[0].categoryL2-networking`, `${base}[1]`, `${base}[2]`]);
  });

  it("cspOfferOptIn → reseller.resellerChannelState all / none", () => {
    expect(one(vm(def((d) => (d.offer[MP + "cspOfferOptIn"] = true))), "reseller").resellerChannelState).to.equal(
      "all",
    );
    expect(one(vm(def((d) => (d.offer[MP + "cspOfferOptIn"] = false))), "reseller").resellerChannelState).to.equal(
      "none",
    );
    expect(all(vm(def()), "reseller")).to.have.length(0);
  });

  it("leadDestination + its configuration → customer-leads, configurations renamed, values lower-camel, secrets in place", () => {
    const table: Array<[string, string, string, string]> = [
      ["AzureTable", "tableLeadConfiguration", "table", "tableLeadConfiguration"],
      ["AzureBlob", "blobLeadConfiguration", "blob", "blobLeadConfiguration"],
      ["Dynamics CRM Online", "crmLeadConfiguration", "dynamics", "dynamicsLeadConfiguration"],
      ["Marketo", "marketoLeadConfiguration", "marketo", "marketoLeadConfiguration"],
      ["Salesforce", "salesForceLeadConfiguration", "salesforce", "salesforceLeadConfiguration"],
      ["HttpsEndpoint", "httpsEndpointLeadConfiguration", "httpsEndpoint", "httpsEndpointLeadConfiguration"],
    ];
    for (const [destination, cppConfig, piaDestination, piaConfig] of table) {
      const config = { contactEmail: "leads@fab.example", clientSecret: "s3cret", password: "pw" };
      const res = vm(
        def((d) => {
          d.offer[MP + "leadDestination"] = destination;
          d.offer[MP + cppConfig] = config;
          const unused = cppConfig === "blobLeadConfiguration" ? "tableLeadConfiguration" : "blobLeadConfiguration";
          d.offer[MP + unused] = {};
        }),
      );
      const leads = one(res, "customer-leads");
      expect(leads.leadDestination, destination).to.equal(piaDestination);
      expect(leads[piaConfig], destination).to.deep.equal(config);
      expect(Object.keys(leads).filter((k) => k.endsWith("LeadConfiguration"))).to.deep.equal([piaConfig]);
      expect(
        paths(res).filter((p) => p.includes("Lead")),
        destination,
      ).to.deep.equal([]);
      // The unused empty configuration the service fills in is ignored, not a problem.
      expect(res.ignored).to.have.length(1);
    }
    expect(one(vm(def()), "customer-leads")).to.deep.include({ leadDestination: "none" });
    expect(all(vm(def((d) => delete d.offer[MP + "leadDestination"])), "customer-leads")).to.have.length(0);
    const wrong = vm(
      def((d) => {
        d.offer[MP + "leadDestination"] = "AzureTable";
        d.offer[MP + "tableLeadConfiguration"] = { contactEmail: "a@b.c" };
        d.offer[MP + "marketoLeadConfiguration"] = { clientId: "x" };
      }),
    );
    expect(paths(wrong)).to.include(`definition.offer.${MP}marketoLeadConfiguration`);
    const unknown = vm(def((d) => (d.offer[MP + "leadDestination"] = "Carrier pigeon")));
    expect(paths(unknown)).to.include(`definition.offer.${MP}leadDestination`);
    expect(all(unknown, "customer-leads")).to.have.length(0);
  });

  it("planId, skuTitle, skuSummary, skuDescription → plan identity and alias, plan-listing", () => {
    const res = vm(def());
    const plan = all(res, "plan")[0];
    expect(plan).to.deep.include({
      resourceName: "plan-byol",
      identity: { externalId: "byol" },
      alias: "Bring your own licence",
    });
    expect(one(res, "plan-listing", "byol")).to.deep.include({
      kind: "azureVM-plan",
      languageId: "en-us",
      name: "Bring your own licence",
      summary: "Bring your own licence",
      description: "Bring your own licence plan",
    });
    const untitled = vm(def((_, p) => delete p[VMNS + "skuTitle"]));
    expect(all(untitled, "plan")[0].alias).to.equal("byol");
    expect(one(untitled, "plan-listing", "byol").name).to.equal(undefined);
  });

  it("cloudAvailability → plan.azureRegions (PublicAzure, Fairfax, Mooncake, Blackforest); an unknown cloud is a problem", () => {
    const res = vm(
      def((_, p) => (p[VMNS + "cloudAvailability"] = ["PublicAzure", "Fairfax", "Mooncake", "Blackforest", "Mars"])),
    );
    expect(all(res, "plan")[0].azureRegions).to.deep.equal([
      "azureGlobal",
      "azureGovernment",
      "azureChina",
      "azureGermany",
    ]);
    expect(paths(res)).to.include(`${PLAN0}.${VMNS}cloudAvailability[4]`);
  });

  it("certificationsFairfax: [] is nothing; elements (undocumented shape) are a problem", () => {
    expect(paths(vm(def((_, p) => (p[VMNS + "certificationsFairfax"] = []))))).to.not.include(
      `${PLAN0}.${VMNS}certificationsFairfax`,
    );
    expect(paths(vm(def((_, p) => (p[VMNS + "certificationsFairfax"] = [{ name: "FedRAMP" }]))))).to.include(
      `${PLAN0}.${VMNS}certificationsFairfax`,
    );
  });

  it("hideSKUForSolutionTemplate → visibility; regions → markets lower-case; restrictedAudience → audience private", () => {
    const res = vm(
      def((_, p) => {
        p[VMNS + "hideSKUForSolutionTemplate"] = true;
        p.restrictedAudience = {
          manualEntries: [
            { type: "subscriptionId", id: "aaaaaaaa-0000-0000-0000-000000000002", description: "Fabrikam" },
            { type: "tenantId", id: "bbbbbbbb-0000-0000-0000-000000000003" },
          ],
        };
      }),
    );
    const pa = one(res, "price-and-availability-plan", "byol");
    expect(pa).to.deep.include({
      visibility: "hidden",
      audience: "private",
      markets: ["us", "gb"],
      privateAudiences: [
        { type: "subscription", id: "aaaaaaaa-0000-0000-0000-000000000002", label: "Fabrikam" },
        { type: "tenant", id: "bbbbbbbb-0000-0000-0000-000000000003" },
      ],
    });
    expect(one(res, "price-and-availability-plan", "payg")).to.deep.include({
      visibility: "visible",
      audience: "public",
    });
    const csv = vm(def((_, p) => (p.restrictedAudience = { uploadedCsvUri: "https://fab.example/a.csv" })));
    expect(paths(csv)).to.include(`${PLAN0}.restrictedAudience.uploadedCsvUri`);
    expect(one(csv, "price-and-availability-plan", "byol").audience).to.equal("public");
  });

  describe("pricing (§P3.3): only when the plan carries virtualMachinePricing", () => {
    const priced = (pricing: unknown) => {
      const res = vm(def((_, p) => (p.virtualMachinePricing = pricing)));
      return { res, pa: one(res, "price-and-availability-plan", "byol") };
    };

    it("byol → licenseModel byol, no corePricing, no trial", () => {
      const { res, pa } = priced({ isByol: true, freeTrialDurationInMonths: 0 });
      expect(pa.pricing).to.deep.equal({ licenseModel: "byol" });
      expect(pa.trial).to.equal(null);
      expect(paths(res)).to.not.include(`${PLAN0}.virtualMachinePricing`);
    });

    it("per core (coreMultiplier.single) → corePricing perCore / pricePerCore", () => {
      const { pa } = priced({
        isByol: false,
        freeTrialDurationInMonths: 0,
        coreMultiplier: { currency: "USD", single: 0.05 },
      });
      expect(pa.pricing).to.deep.equal({
        licenseModel: "payAsYouGo",
        corePricing: { priceInputOption: "perCore", pricePerCore: 0.05 },
      });
    });

    it("per core size (coreMultiplier.individually) → corePricing perCoreSize / pricePerCoreSize, keys as they are", () => {
      const individually = { sharedcore: 0.01, "1core": 0.02, "2core": 0.04, "416core": 8 };
      const { pa } = priced({ isByol: false, coreMultiplier: { currency: "USD", individually } });
      expect(pa.pricing).to.deep.equal({
        licenseModel: "payAsYouGo",
        corePricing: { priceInputOption: "perCoreSize", pricePerCoreSize: individually },
      });
    });

    it("free trial of 1 and 3 months → trial {type: month, value}", () => {
      for (const months of [1, 3]) {
        const { pa } = priced({
          isByol: false,
          freeTrialDurationInMonths: months,
          coreMultiplier: { currency: "USD", single: 0.1 },
        });
        expect(pa.trial).to.deep.equal({ type: "month", value: months });
      }
    });

    it("spreadsheet, per-market region prices, V2, other currencies, odd trials: problems naming the path", () => {
      const cases: Array<[unknown, string]> = [
        [
          { isByol: false, spreadSheetPricing: { uri: "https://fab.example/p.xlsx" } },
          "virtualMachinePricing.spreadSheetPricing",
        ],
        [
          { isByol: false, regionPrices: { US: { currency: "USD", single: 0.05 } } },
          "virtualMachinePricing.regionPrices",
        ],
        [{ isByol: false, coreMultiplier: { currency: "EUR", single: 0.05 } }, "virtualMachinePricing.coreMultiplier"],
        [
          { isByol: false, freeTrialDurationInMonths: 2, coreMultiplier: { single: 1 } },
          "virtualMachinePricing.freeTrialDurationInMonths",
        ],
        [{ isByol: true, freeTrialDurationInMonths: 1 }, "virtualMachinePricing.freeTrialDurationInMonths"],
        [{ isByol: true, coreMultiplier: { currency: "USD", single: 1 } }, "virtualMachinePricing.coreMultiplier"],
        [
          { isByol: false, coreMultiplier: { single: 1, individually: { "1core": 1 } } },
          "virtualMachinePricing.coreMultiplier",
        ],
        [
          { isByol: false, coreMultiplier: { individually: { "3core": 1, "1core": 1 } } },
          "virtualMachinePricing.coreMultiplier.individually[3core]",
        ],
        [{ isByol: false, bonus: 1, coreMultiplier: { single: 1 } }, "virtualMachinePricing.bonus"],
        [{ freeTrialDurationInMonths: 0 }, "virtualMachinePricing"],
        ["cheap", "virtualMachinePricing"],
      ];
      for (const [pricing, path] of cases) {
        expect(paths(priced(pricing).res), JSON.stringify(pricing)).to.include(`${PLAN0}.${path}`);
      }
      // Spreadsheet or region prices alone leave no price: the whole pricing is not written.
      const sheet = priced({ isByol: false, spreadSheetPricing: { uri: "https://fab.example/p.xlsx" } });
      expect(paths(sheet.res)).to.include(`${PLAN0}.virtualMachinePricing`);
      expect(sheet.pa.pricing).to.equal(undefined);
      const v2 = vm(def((_, p) => (p.virtualMachinePricingV2 = { isByol: true })));
      expect(paths(v2)).to.include(`${PLAN0}.virtualMachinePricingV2`);
    });

    it("a plan without virtualMachinePricing (VmPricing owns it) gets no pricing and no trial field", () => {
      const res = vm(sampleDefinition());
      for (const pa of all(res, "price-and-availability-plan")) {
        expect(pa).to.not.have.any.keys("pricing", "trial");
        expect(pa).to.include({ visibility: "visible", audience: "public" });
      }
    });
  });

  describe("technical configuration (§P3.4)", () => {
    it("operatingSystemFamily / osType / operationSystem → operatingSystem, enum values mapped", () => {
      const table: Array<[string, string | undefined, string, string]> = [
        ["Linux", "Ubuntu", "linux", "ubuntu"],
        ["Linux", "RedHat", "linux", "redHat"],
        ["Linux", "Red Hat", "linux", "redHat"],
        ["Linux", "CentOS", "linux", "centos"],
        ["Linux", "Debian", "linux", "debian"],
        ["Linux", "SUSE", "linux", "suse"],
        ["Linux", "SLES", "linux", "suse"],
        ["Linux", "OpenSolaris", "linux", "openSolaris"],
        ["Linux", "CBLMariner", "linux", "cblMariner"],
        ["Linux", "OracleLinux", "linux", "oracleLinux"],
        ["Linux", "Other", "linux", "other"],
        ["Linux", undefined, "linux", "other"],
        ["linux", "ubuntu", "linux", "ubuntu"],
        ["Windows", "WindowsServer2019", "windows", "windowsServer2019"],
        ["Windows", "Windows Server 2012 R2", "windows", "windowsServer2012R2"],
        ["Windows", "Other", "windows", "other"],
      ];
      for (const [family, type, piaFamily, piaType] of table) {
        const res = vm(
          def((_, p) => {
            p[VMNS + "operatingSystemFamily"] = family;
            if (type === undefined) delete p[VMNS + "osType"];
            else p[VMNS + "osType"] = type;
          }),
        );
        const tc = one(res, "virtual-machine-plan-technical-configuration", "byol");
        expect(tc.operatingSystem, `${family}/${type}`).to.deep.equal({
          family: piaFamily,
          type: piaType,
          friendlyName: "Ubuntu 22.04",
        });
        expect(paths(res), `${family}/${type}`).to.not.include(`${PLAN0}.${VMNS}osType`);
      }
      const windows = vm(
        def((_, p) => {
          p[VMNS + "operatingSystemFamily"] = "Windows";
          delete p[VMNS + "osType"];
          p[VMNS + "windowsOSType"] = "WindowsServer2022";
        }),
      );
      expect(one(windows, "virtual-machine-plan-technical-configuration", "byol").operatingSystem).to.include({
        family: "windows",
        type: "windowsServer2022",
      });
      const unknown = vm(def((_, p) => (p[VMNS + "osType"] = "Plan9")));
      expect(paths(unknown)).to.include(`${PLAN0}.${VMNS}osType`);
      const noFamily = vm(def((_, p) => delete p[VMNS + "operatingSystemFamily"]));
      expect(paths(noFamily)).to.include.members([`${PLAN0}.${VMNS}osType`, `${PLAN0}.${VMNS}operationSystem`]);
      expect(one(noFamily, "virtual-machine-plan-technical-configuration", "byol").operatingSystem).to.equal(undefined);
    });

    it("recommendedVMSizes → recommendedVmSizes; openPorts {label, portRange, protocol} → openPorts; other port shapes are problems", () => {
      const res = vm(
        def((_, p) => {
          p[VMNS + "recommendedVMSizes"] = ["d2s-standard-v3", "a1-standard"];
          p[VMNS + "openPorts"] = [{ label: "https", portRange: "443", protocol: "TCP" }, { port: 22 }];
        }),
      );
      const tc = one(res, "virtual-machine-plan-technical-configuration", "byol");
      expect(tc.recommendedVmSizes).to.deep.equal(["d2s-standard-v3", "a1-standard"]);
      expect(tc.openPorts).to.deep.equal([{ label: "https", portRange: "443", protocol: "tcp" }]);
      expect(paths(res)).to.include(`${PLAN0}.${VMNS}openPorts[1]`);
    });

    it("supports* keys → vmProperties (as given); supportsSriov only on core VM", () => {
      const res = vm(
        def((_, p) => {
          p[VMNS + "supportsAcceleratedNetworking"] = true;
          p[VMNS + "supportsNVMe"] = false;
          p[VMNS + "supportsAADLogin"] = true;
          p[VMNS + "supportsSriov"] = true;
          p[VMNS + "supportsHub"] = true;
        }),
      );
      expect(one(res, "virtual-machine-plan-technical-configuration", "byol").vmProperties).to.deep.equal({
        supportsAcceleratedNetworking: true,
        supportsNVMe: false,
        supportsAadLogin: true,
      });
      expect(paths(res)).to.include.members([`${PLAN0}.${VMNS}supportsSriov`, `${PLAN0}.${VMNS}supportsHub`]);
      expect(one(vm(def()), "virtual-machine-plan-technical-configuration", "byol")).to.not.have.key("vmProperties");
    });

    it("vmImages → vmImageVersions (x64Gen1) + skus; data disks with their LUNs; showInGui false → deprecated", () => {
      const os = "https://fab.blob.core.windows.net/vhd/os.vhd?sp=rl&sig=x";
      const d0 = "https://fab.blob.core.windows.net/vhd/d0.vhd?sp=rl&sig=y";
      const d1 = "https://fab.blob.core.windows.net/vhd/d1.vhd?sp=rl&sig=z";
      const res = vm(
        def((_, p) => {
          p[VMNS + "vmImages"] = {
            "1.0.0": {
              osVhdUrl: os,
              lunVhdDetails: [
                { lun: 0, uri: d0 },
                { lun: 1, lunVhdUrl: d1 },
              ],
            },
            "1.1.0": {
              osVhdUrl: os,
              lunVhdDetails: [
                { lun: 0, uri: d0 },
                { lun: 1, uri: d1 },
              ],
              showInGui: false,
            },
          };
        }),
      );
      const tc = one(res, "virtual-machine-plan-technical-configuration", "byol");
      expect(tc.skus).to.deep.equal([{ skuId: "byol", imageType: "x64Gen1" }]);
      const image = (lifecycleState: string, versionNumber: string) => ({
        versionNumber,
        lifecycleState,
        vmImages: [
          {
            imageType: "x64Gen1",
            source: {
              sourceType: "sasUri",
              osDisk: { uri: os },
              dataDisks: [
                { lunNumber: 0, uri: d0 },
                { lunNumber: 1, uri: d1 },
              ],
            },
          },
        ],
      });
      expect(tc.vmImageVersions).to.deep.equal([image("generallyAvailable", "1.0.0"), image("deprecated", "1.1.0")]);
      expect(paths(res)).to.deep.equal([`definition.offer.${MP}offerMarketingUrlIdentifier`]);
    });

    it("image problems: a version PIA cannot number, core-only fields on an entry, a disk without LUN, no OS disk", () => {
      const res = vm(
        def((_, p) => {
          p[VMNS + "vmImages"] = {
            "1.0": { osVhdUrl: "https://x/os.vhd" },
            "2.0.0": { osVhdUrl: "https://x/os.vhd", label: "two", lunVhdDetails: [{ uri: "https://x/d.vhd" }] },
            "3.0.0": { lunVhdDetails: [] },
          };
        }),
      );
      const base = `${PLAN0}.${VMNS}vmImages`;
      expect(paths(res)).to.include.members([
        `${base}[1.0]`,
        `${base}[2.0.0].label`,
        `${base}[2.0.0].lunVhdDetails[0]`,
        `${base}[3.0.0]`,
      ]);
      const versions = one(res, "virtual-machine-plan-technical-configuration", "byol").vmImageVersions as Array<{
        versionNumber: string;
      }>;
      expect(versions.map((v) => v.versionNumber)).to.deep.equal(["2.0.0"]);
    });

    it("a plan without its image map (VmImageVersion owns it) gets no vmImageVersions, but its skus", () => {
      const d = sampleDefinition({ pricedPlans: true });
      for (const plan of d.plans) delete (plan as AnyPlan)[VMNS + "vmImages"];
      const res = vm(d);
      for (const tc of all(res, "virtual-machine-plan-technical-configuration")) {
        expect(tc).to.not.have.key("vmImageVersions");
        expect(tc.skus).to.have.length(1);
      }
    });
  });

  describe("unsupported and unknown keys: a problem naming the path, with a reason and a fix", () => {
    it("listing keys with no PIA place", () => {
      const res = vm(
        def((d) => {
          d.offer[MP + "categories"] = ["devService"];
          d.offer[MP + "screenshots"] = ["https://fab.example/s1.png"];
          d.offer[MP + "videos"] = [{ link: "https://youtu.be/x" }];
          d.offer[MP + "leadNotificationEmails"] = "sales@fab.example";
          d.offer[VMNS + "gtmMaterials"] = "https://fab.example/gtm.pdf";
          d.offer[VMNS + "managerContactName"] = "Mgr";
          d.offer[VMNS + "managerContactEmail"] = "m@fab.example";
          d.offer[VMNS + "managerContactPhone"] = "1";
          d.offer["microsoft-azure-marketplace-testdrive.enabled"] = true;
          d.offer["microsoft-azure-marketplace-testdrive.videos"] = [];
          d.offer[MP + "somethingNew"] = 1;
          d.offer[CVM + "title"] = "core title in a VM offer";
        }),
      );
      const o = (k: string) => `definition.offer.${k}`;
      expect(paths(res)).to.have.members(
        [
          MP + "offerMarketingUrlIdentifier",
          MP + "categories",
          MP + "screenshots",
          MP + "videos",
          MP + "leadNotificationEmails",
          VMNS + "gtmMaterials",
          VMNS + "managerContactName",
          VMNS + "managerContactEmail",
          VMNS + "managerContactPhone",
          "microsoft-azure-marketplace-testdrive.enabled",
          "microsoft-azure-marketplace-testdrive.videos",
          MP + "somethingNew",
          CVM + "title",
        ].map(o),
      );
      for (const p of res.problems) {
        expect(p.reason, p.path).to.be.a("string").and.have.length.above(20);
        expect(p.fix, p.path).to.be.a("string").and.have.length.above(5);
      }
      expect(res.problems.find((p) => p.path === o(MP + "offerMarketingUrlIdentifier"))!.reason).to.match(/§P4/);
      expect(res.problems.find((p) => p.path === o(VMNS + "gtmMaterials"))!.reason).to.match(/guess/);
      // Empty lists of screenshots/videos and a test drive switched off lose nothing: no problem.
      const empty = vm(
        def((d) => {
          d.offer[MP + "screenshots"] = [];
          d.offer[MP + "videos"] = [];
          d.offer["microsoft-azure-marketplace-testdrive.enabled"] = false;
        }),
      );
      expect(paths(empty)).to.deep.equal([o(MP + "offerMarketingUrlIdentifier")]);
    });

    it("plan keys: unknown, another namespace, wrong value types; definition keys beyond displayText/offer/plans", () => {
      const res = vm(
        def((d, p) => {
          p[VMNS + "skuWhatever"] = "x";
          p[CVM + "skuLongSummary"] = "x";
          p.notAKey = 1;
          p[VMNS + "skuTitle"] = 42;
          p[VMNS + "hideSKUForSolutionTemplate"] = "yes";
          d.status = "neverPublished";
        }),
      );
      expect(paths(res)).to.include.members([
        `${PLAN0}.${VMNS}skuWhatever`,
        `${PLAN0}.${CVM}skuLongSummary`,
        `${PLAN0}.notAKey`,
        `${PLAN0}.${VMNS}skuTitle`,
        `${PLAN0}.${VMNS}hideSKUForSolutionTemplate`,
        "definition.status",
      ]);
    });

    it("plans without a planId, and repeated plan ids, are problems by index", () => {
      const res = vm(
        def((d) => {
          d.plans.push({ ...d.plans[0] });
          (d.plans as unknown[]).push({ regions: ["US"] }, "plan");
        }),
      );
      expect(paths(res)).to.include.members(["definition.plans[#2]", "definition.plans[#3]", "definition.plans[#4]"]);
      expect(all(res, "plan")).to.have.length(2);
    });
  });

  describe("core-VM offers: their own namespace for offer and plan keys", () => {
    const coreDef = () => {
      const d = coreVmDefinitionWithoutImages(["gen1", "gen2"]) as unknown as Def;
      (d.plans[1] as AnyPlan)[CVM + "generation"] = "2";
      return d;
    };

    it("listing keys under microsoft-azure-corevm. → listing; marketplace keys are not a core-VM offer's", () => {
      const d = coreDef();
      d.offer[CVM + "allowedSubscriptions"] = ["aaaaaaaa-0000-0000-0000-000000000009"];
      d.offer[CVM + "smallLogo"] = "https://fab.example/s.png";
      d.offer[MP + "title"] = "wrong namespace";
      const res = core(d);
      expect(one(res, "listing")).to.deep.include({
        title: "Fabrikam Linux",
        searchResultSummary: "Fabrikam Linux images",
        description: "<p>Linux.</p>",
      });
      expect(one(res, "listing-asset").type).to.equal("azureLogoSmall");
      expect((one(res, "price-and-availability-offer").previewAudiences as unknown[]).length).to.equal(1);
      expect(paths(res)).to.deep.equal([`definition.offer.${MP}title`]);
    });

    it("plan keys → the core technical configuration (softwareType operatingSystem), generation 1/2 → x64Gen1/x64Gen2", () => {
      const res = core(coreDef());
      expect(paths(res)).to.deep.equal([]);
      const [tc1, tc2] = all(res, "core-virtual-machine-plan-technical-configuration");
      expect(tc1).to.deep.include({ softwareType: "operatingSystem", skus: [{ skuId: "gen1", imageType: "x64Gen1" }] });
      expect(tc1.operatingSystem).to.deep.equal({ family: "linux", type: "other" });
      expect(tc2.skus).to.deep.equal([{ skuId: "gen2", imageType: "x64Gen2" }]);
      expect(all(res, "virtual-machine-plan-technical-configuration")).to.have.length(0);
      expect(all(res, "plan").map((p) => p.alias)).to.deep.equal(["Fabrikam Linux gen1", "Fabrikam Linux gen2"]);
      expect(one(res, "plan-listing", "gen1")).to.deep.include({ name: "Fabrikam Linux gen1", summary: "Linux" });
    });

    it("vmImagesPublicAzure → vmImageVersions; showInGui false → deprecated; supportsSriov/supportsBackup; osFriendlyName; skuDescriptionPublicAzure", () => {
      const d = coreDef();
      const p = d.plans[1] as AnyPlan;
      p[CVM + "vmImagesPublicAzure"] = {
        "2024.1.0": {
          osVhdUrl: "https://x.blob.core.windows.net/v/a.vhd?sig=s",
          lunVhdDetails: [{ lun: 0, uri: "https://x/d.vhd" }],
        },
        "2024.2.0": { osVhdUrl: "https://x.blob.core.windows.net/v/b.vhd?sig=s", lunVhdDetails: [], showInGui: false },
      };
      p[CVM + "supportsSriov"] = true;
      p[CVM + "supportsBackup"] = true;
      p[CVM + "osType"] = "Debian";
      p[CVM + "osFriendlyName"] = "Debian 12";
      p[CVM + "skuDescriptionPublicAzure"] = "Gen2 images";
      const res = core(d);
      expect(paths(res)).to.deep.equal([]);
      const tc = all(res, "core-virtual-machine-plan-technical-configuration")[1];
      expect(tc.operatingSystem).to.deep.equal({ family: "linux", type: "debian", friendlyName: "Debian 12" });
      expect(tc.vmProperties).to.deep.equal({ supportsSriov: true, supportsBackup: true });
      const versions = tc.vmImageVersions as Array<Record<string, any>>;
      expect(versions.map((v) => [v.versionNumber, v.lifecycleState, v.vmImages[0].imageType])).to.deep.equal([
        ["2024.1.0", "generallyAvailable", "x64Gen2"],
        ["2024.2.0", "deprecated", "x64Gen2"],
      ]);
      expect(versions[0].vmImages[0].source.dataDisks).to.deep.equal([{ lunNumber: 0, uri: "https://x/d.vhd" }]);
      expect(one(res, "plan-listing", "gen2").description).to.equal("Gen2 images");
    });

    it("read-only keys are ignored; core keys with no PIA field, diskGenerations, RDFE, generation 3 are problems", () => {
      const d = coreDef();
      d.offer[CVM + "legacyOfferId"] = "legacy";
      d.offer[CVM + "legacyPublisherId"] = "legacy-pub";
      const p = d.plans[0] as AnyPlan;
      p[CVM + "migratedOffer"] = true;
      p[CVM + "skuLongSummary"] = "long";
      p[CVM + "skuDescriptionFairfax"] = "gov";
      p[CVM + "usefulLinksPublicAzure"] = ["x"];
      p[CVM + "smallLogo"] = "https://x/s.png";
      p[CVM + "hardened"] = true;
      p[CVM + "deploymentModels"] = ["ARM", "RDFE"];
      p[CVM + "vmImagesArchitecture"] = "X64";
      p.diskGenerations = [{ planId: "gen1-g2", [CVM + "generation"]: "2" }];
      (d.plans[1] as AnyPlan)[CVM + "generation"] = "3";
      (d.plans[1] as AnyPlan)[CVM + "vmImagesPublicAzure"] = {
        "1.0.0": {
          osVhdUrl: "https://x/os.vhd",
          mediaName: "m",
          label: "l",
          description: "d",
          publishedDate: "01/02/2024",
        },
      };
      const res = core(d);
      const P0 = "definition.plans[gen1]";
      const P1 = "definition.plans[gen2]";
      expect(res.ignored).to.have.members([
        `definition.offer.${CVM}legacyOfferId`,
        `definition.offer.${CVM}legacyPublisherId`,
        `${P0}.${CVM}migratedOffer`,
      ]);
      expect(paths(res)).to.have.members([
        `${P0}.${CVM}skuLongSummary`,
        `${P0}.${CVM}skuDescriptionFairfax`,
        `${P0}.${CVM}usefulLinksPublicAzure`,
        `${P0}.${CVM}smallLogo`,
        `${P0}.${CVM}hardened`,
        `${P0}.${CVM}deploymentModels[1]`,
        `${P0}.diskGenerations`,
        `${P1}.${CVM}generation`,
        ...["mediaName", "label", "description", "publishedDate"].map(
          (f) => `${P1}.${CVM}vmImagesPublicAzure[1.0.0].${f}`,
        ),
      ]);
    });
  });

  it("a definition's supported part reads back unchanged; its problems are exactly what the normal form leaves out", () => {
    const d = def();
    const res = vm(d);
    const back = piaToDefinition(res.resources, { offerTypeId: VM });
    expect(back.problems).to.deep.equal([]);
    const supported = supportedDefinition({ offerId: "fab-vm", offerTypeId: VM, definition: d });
    expect(back.definition).to.deep.equal(supported);
    expect(supported.offer).to.not.have.key(MP + "offerMarketingUrlIdentifier");
  });
});
