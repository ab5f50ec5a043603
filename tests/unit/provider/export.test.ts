// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { parseExportArgs, UsageError } from "../../../provider/export/args.js";
import { camelCase, NameScope, secretConfigKey } from "../../../provider/export/names.js";
import { adoptionMatches, exportOffer } from "../../../provider/export/offer.js";
import { classifyPlanImages } from "../../../provider/export/images.js";
import { classifyPlanPricing } from "../../../provider/export/pricing.js";
import { generateProject } from "../../../provider/export/project.js";
import { findSecretFields } from "../../../provider/export/secrets.js";
import { Code, printContext, printValue } from "../../../provider/export/source.js";
import { READ_ONLY_ENVELOPE_KEYS, type WireOffer } from "../../../provider/offer/document.js";
import { fromWirePricing, toWirePricing } from "../../../provider/pricing/mapping.js";
import { jsonClone, jsonEqual } from "../../../provider/util/json.js";
import { exportSeedOffers } from "../../helpers/export-offers.js";

const versions = { cloudpartner: "^0.1.0", pulumi: ">=3.216.0 <4", typescript: "^6.0.3", nodeTypes: "^22.20.5" };

/** A seeded offer as GET returns it: read-only envelope, empty lead configurations, no secrets. */
function served(offer: Record<string, any>, migrated = false): WireOffer {
  const doc = jsonClone(offer) as any;
  Object.assign(doc, {
    status: "neverPublished",
    version: 1,
    changedTime: "2026-01-01T00:00:00.0000000Z",
    pcMigrationStatus: migrated ? "migrated" : "none",
    isvUpgradeRequest: false,
  });
  const ns = doc.offerTypeId === "microsoft-azure-corevm" ? "microsoft-azure-corevm." : "microsoft-azure-marketplace.";
  for (const lead of ["tableLeadConfiguration", "blobLeadConfiguration", "crmLeadConfiguration"])
    doc.definition.offer[ns + lead] = {};
  return doc;
}

describe("export: pricing to VmPricing only where the union reproduces the wire form exactly", () => {
  const table: Array<[string, unknown, string]> = [
    ["byol with its trial key", { isByol: true, freeTrialDurationInMonths: 0 }, "typed byol"],
    [
      "per core with a 30-day trial",
      { isByol: false, freeTrialDurationInMonths: 1, coreMultiplier: { currency: "USD", single: 0.05 } },
      "typed perCore",
    ],
    [
      "per core size",
      {
        isByol: false,
        freeTrialDurationInMonths: 0,
        coreMultiplier: { currency: "USD", individually: { "1core": 1, "2core": 2 } },
      },
      "typed perCoreSize",
    ],
    [
      "per market, known currencies",
      { isByol: false, freeTrialDurationInMonths: 0, regionPrices: { GB: { currency: "GBP", single: 1 } } },
      "typed perMarket",
    ],
    [
      "spreadsheet",
      { isByol: false, freeTrialDurationInMonths: 0, spreadSheetPricing: { uri: "https://x.example/p.xlsx" } },
      "typed spreadsheet",
    ],
    ["byol without a trial key", { isByol: true }, "wire virtualMachinePricing.freeTrialDurationInMonths"],
    [
      "a market without a documented currency",
      { isByol: false, freeTrialDurationInMonths: 0, regionPrices: { AF: { currency: "USD", single: 1 } } },
      "wire virtualMachinePricing",
    ],
    [
      "a market in its legacy currency",
      { isByol: false, freeTrialDurationInMonths: 0, regionPrices: { BR: { currency: "USD", single: 1 } } },
      "wire virtualMachinePricing.regionPrices.BR.currency",
    ],
    [
      "a spreadsheet with evaluated market prices",
      {
        isByol: false,
        freeTrialDurationInMonths: 0,
        spreadSheetPricing: { uri: "https://x.example/p.xlsx" },
        regionPrices: { US: { currency: "USD", single: 1 } },
      },
      "wire virtualMachinePricing.regionPrices",
    ],
    [
      "a 60-day trial the union has no value for",
      { isByol: false, freeTrialDurationInMonths: 2, coreMultiplier: { currency: "USD", single: 1 } },
      "wire virtualMachinePricing.freeTrialDurationInMonths",
    ],
    [
      "a price in another currency than USD",
      { isByol: false, freeTrialDurationInMonths: 0, coreMultiplier: { currency: "EUR", single: 1 } },
      "wire virtualMachinePricing.coreMultiplier.currency",
    ],
    ["an unknown shape", { isByol: false, freeTrialDurationInMonths: 0 }, "wire virtualMachinePricing"],
  ];
  for (const [name, wire, expected] of table) {
    it(`${name} → ${expected}`, () => {
      const v = classifyPlanPricing({ planId: "p", virtualMachinePricing: wire });
      expect(v.kind === "typed" ? `typed ${v.spec.kind}` : v.kind === "wire" ? `wire ${v.path}` : "none").to.equal(
        expected,
      );
      // The criterion, stated directly: typed exactly when the round trip is exact.
      const spec = fromWirePricing(wire);
      if (v.kind === "typed") expect(jsonEqual(toWirePricing(v.spec), wire)).to.equal(true);
      else if (spec && expected.endsWith("freeTrialDurationInMonths"))
        expect(jsonEqual(toWirePricing(spec), wire)).to.equal(false);
    });
  }

  it("a plan without pricing, V2 alone, or V2 different from V1", () => {
    expect(classifyPlanPricing({ planId: "p" }).kind).to.equal("none");
    expect(
      classifyPlanPricing({ planId: "p", virtualMachinePricingV2: { isByol: true, freeTrialDurationInMonths: 0 } }),
    ).to.include({ kind: "wire", path: "virtualMachinePricingV2" });
    const byol = { isByol: true, freeTrialDurationInMonths: 0 };
    expect(
      classifyPlanPricing({ planId: "p", virtualMachinePricing: byol, virtualMachinePricingV2: { ...byol, extra: 1 } }),
    ).to.include({ kind: "wire" });
    expect(
      classifyPlanPricing({ planId: "p", virtualMachinePricing: byol, virtualMachinePricingV2: byol }).kind,
    ).to.equal("typed");
  });
});

describe("export: the Offer's definition is what the Offer compares", () => {
  for (const seed of exportSeedOffers()) {
    it(`${seed.offer.id}: adoption compares equal; no read-only or service-filled key; typed plans leave pricing out`, () => {
      const doc = served(seed.offer, seed.migrated);
      const x = exportOffer(doc);
      expect(adoptionMatches(doc, x.definition)).to.equal(true);
      const text = JSON.stringify(x.definition);
      for (const key of [...READ_ONLY_ENVELOPE_KEYS, "legacyOfferId", "legacyPublisherId", 'LeadConfiguration":{}'])
        expect(text).to.not.contain(key);
      for (const p of x.pricing)
        expect(x.definition.plans.find((plan) => plan.planId === p.planId)).to.not.have.property(
          "virtualMachinePricing",
        );
      expect(x.migrated).to.equal(seed.migrated === true);
    });
  }

  it("crafted bad case: a definition the service does not hold does not compare equal (the oracle can fail)", () => {
    const doc = served(exportSeedOffers()[0].offer);
    const x = exportOffer(doc);
    const bad = jsonClone(x.definition);
    bad.offer["microsoft-azure-marketplace.tableLeadConfiguration"] = { tableName: "x" };
    expect(adoptionMatches(doc, bad)).to.equal(false);
  });

  it("the secret lead configuration becomes a config secret; unknown destinations are reported", () => {
    const leads = exportOffer(served(exportSeedOffers().find((o) => o.offer.id === "leads")!.offer));
    expect(leads.secrets).to.deep.equal([
      {
        path: "offer/microsoft-azure-marketplace.tableLeadConfiguration/storageAccountConnectionString",
        configKey: "leadsTableLeadStorageAccountConnectionString",
      },
    ]);
    const table: Array<[Record<string, unknown>, string[], number]> = [
      [{ "microsoft-azure-marketplace.leadDestination": "None" }, [], 0],
      [
        { "microsoft-azure-marketplace.leadDestination": "Azure Blob" },
        ["offer/microsoft-azure-marketplace.blobLeadConfiguration/storageAccountConnectionString"],
        0,
      ],
      [
        { "microsoft-azure-corevm.leadDestination": "Marketo" },
        ["offer/microsoft-azure-corevm.marketoLeadConfiguration/clientSecret"],
        0,
      ],
      [{ "microsoft-azure-marketplace.leadDestination": "Salesforce" }, [], 0],
      [{ "microsoft-azure-marketplace.leadDestination": "CarrierPigeon" }, [], 1],
    ];
    for (const [offer, paths, unknown] of table) {
      const found = findSecretFields(offer);
      expect(found.paths, JSON.stringify(offer)).to.deep.equal(paths);
      expect(found.unknown, JSON.stringify(offer)).to.have.length(unknown);
    }
  });

  it("a value the Offer's validation refuses is reported with its path", () => {
    const offer = jsonClone(exportSeedOffers()[0].offer) as any;
    offer.definition.displayText = "";
    const x = exportOffer(served(offer));
    expect(x.notes.map((n) => n.path)).to.include("contoso/appliance definition.displayText");
  });
});

describe("export: generated source", () => {
  const table: Array<[string, unknown, string]> = [
    ["a string in double quotes", 'say "hi"', '"say \\"hi\\""'],
    ["numbers and booleans", [1, 0.05, true, null], "[1, 0.05, true, null]"],
    ["identifier keys bare, others quoted", { a: 1, "1core": 2 }, '{ "1core": 2, a: 1 }'],
    ["namespaced keys through their constant", { "microsoft-azure-marketplace.title": "T" }, '{ [mp + "title"]: "T" }'],
    ["planId and kind first", { z: 1, kind: "byol", planId: "p" }, '{ planId: "p", kind: "byol", z: 1 }'],
    ["code as is", { x: new Code('config.requireSecret("k")') }, '{ x: config.requireSecret("k") }'],
    [
      "long values over lines, 2-space indent, trailing commas",
      { a: "x".repeat(60), b: "y".repeat(60) },
      `{\n  a: "${"x".repeat(60)}",\n  b: "${"y".repeat(60)}",\n}`,
    ],
  ];
  for (const [name, value, expected] of table) {
    it(name, () => expect(printValue(value, 0, printContext())).to.equal(expected));
  }

  it("names derived from ids", () => {
    const table: Array<[string, string]> = [
      ["contoso-vm", "contosoVm"],
      ["a_b-c", "aBC"],
      ["2024-image", "offer2024Image"],
    ];
    for (const [id, name] of table) expect(camelCase(id)).to.equal(name);
    const scope = new NameScope();
    expect([scope.take("private"), scope.take("x"), scope.take("x"), scope.take("config")]).to.deep.equal([
      "privateOffer",
      "x",
      "x2",
      "configOffer",
    ]);
    expect(secretConfigKey("vm-1", "offer/microsoft-azure-marketplace.crmLeadConfiguration/password")).to.equal(
      "vm1CrmLeadPassword",
    );
  });

  it("the same offers give the same bytes, whatever the key order the service used", () => {
    const offers = exportSeedOffers().map((s) => exportOffer(served(s.offer)));
    const reversed = exportSeedOffers().map((s) => {
      const doc = served(s.offer) as any;
      doc.definition.offer = Object.fromEntries(Object.entries(doc.definition.offer).reverse());
      return exportOffer(doc);
    });
    const o = { publisherId: "contoso", publish: "none" as const, versions };
    expect(generateProject(reversed, o)).to.deep.equal(generateProject(offers, o));
    const files = generateProject(offers, o);
    expect(Object.keys(files).sort()).to.deep.equal([
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    expect(files["index.ts"]).to.not.match(/\t|'[^"]*'\)/);
    expect(files["index.ts"]).to.not.contain("OfferPublish");
    const live = generateProject(offers, { ...o, publish: "live" });
    expect(live["index.ts"]).to.contain('target: "live"');
    // Going live needs the approval, from the stack config, which the README says how to set.
    expect(live["index.ts"]).to.match(/approvedContentHash: config\.require\("[a-z0-9-]+-approvedContentHash"\)/);
    expect(live["index.ts"]).to.contain("const config = new pulumi.Config();");
    expect(live["README.md"]).to.match(/pulumi config set [a-z0-9-]+-approvedContentHash <publishedContentHash>/);
  });
});

describe("export: arguments", () => {
  const ok: Array<[string[], Record<string, unknown>]> = [
    [
      ["--publisher", "contoso"],
      { publisherId: "contoso", offers: [], out: "./contoso-offers", publish: "none", force: false },
    ],
    [
      ["--publisher=c", "--offer", "a", "--offer=b", "--offer", "a", "--out", "d", "--publish", "live", "--force"],
      { publisherId: "c", offers: ["a", "b"], out: "d", publish: "live", force: true },
    ],
  ];
  for (const [argv, expected] of ok)
    it(`accepts ${argv.join(" ")}`, () => expect(parseExportArgs(argv)).to.deep.equal(expected));
  const bad: Array<[string[], RegExp]> = [
    [[], /--publisher is required/],
    [["--publisher"], /--publisher needs a value/],
    [["--publisher", "c", "--offer", "--force"], /--offer needs a value/],
    [["--publisher", "c", "--publish", "soon"], /--publish takes none, preview or live/],
    [["--publisher", "c", "--bogus"], /unknown argument --bogus/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(" ") || "no arguments"}`, () => {
      expect(() => parseExportArgs(argv)).to.throw(UsageError, message);
    });
  }
  it("--help wins", () => expect(parseExportArgs(["--publisher", "c", "--help"])).to.equal("help"));
});

describe("export: images to VmImageVersion only where it would write back exactly the same entry", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  const sas = "sv=1&sp=rl&se=2099-01-01T00:00:00Z&sig=s";
  const url = (name: string) => `https://a.blob.core.windows.net/v/${name}.vhd?${sas}`;
  const vmRef = { publisherId: "contoso", offerId: "o", offerTypeId: "microsoft-azure-virtualmachines" };
  const coreRef = { ...vmRef, offerTypeId: "microsoft-azure-corevm" };
  const vmPlan = (map: unknown) => ({ planId: "p", "microsoft-azure-virtualmachines.vmImages": map });
  const corePlan = (map: unknown) => ({ planId: "p", "microsoft-azure-corevm.vmImagesPublicAzure": map });
  const core = { mediaName: "m", label: "1.0.0", showInGui: true, publishedDate: "01/01/2026" };
  const table: Array<[string, typeof vmRef, Record<string, unknown> & { planId: string }, string]> = [
    [
      "VM versions with data disks",
      vmRef,
      vmPlan({ "1.0.0": { osVhdUrl: url("os"), lunVhdDetails: [{ lun: 0, uri: url("d0") }] } }),
      "typed 1",
    ],
    [
      "a URL without an expiry",
      vmRef,
      vmPlan({ "1.0.0": { osVhdUrl: "https://a.blob.core.windows.net/v/os.vhd?sp=rl&sig=s", lunVhdDetails: [] } }),
      "wire",
    ],
    [
      "an expired SAS",
      vmRef,
      vmPlan({ "1.0.0": { osVhdUrl: url("os").replace("2099", "2020"), lunVhdDetails: [] } }),
      "wire",
    ],
    [
      "a data disk with another member",
      vmRef,
      vmPlan({ "1.0.0": { osVhdUrl: url("os"), lunVhdDetails: [{ lun: 0, uri: url("d0"), size: 1 }] } }),
      "wire",
    ],
    [
      "different data-disk counts across versions",
      vmRef,
      vmPlan({
        "1.0.0": { osVhdUrl: url("a"), lunVhdDetails: [] },
        "1.1.0": { osVhdUrl: url("b"), lunVhdDetails: [{ lun: 0, uri: url("d") }] },
      }),
      "wire",
    ],
    [
      "a core-VM entry as VmImageVersion writes it",
      coreRef,
      corePlan({ "1.0.0": { osVhdUrl: url("os"), lunVhdDetails: [], ...core } }),
      "typed 1",
    ],
    [
      "a hidden core-VM version",
      coreRef,
      corePlan({ "1.0.0": { osVhdUrl: url("os"), lunVhdDetails: [], ...core, showInGui: false } }),
      "wire",
    ],
    ["no image map", vmRef, { planId: "p" }, "none"],
  ];
  for (const [name, ref, plan, expected] of table) {
    it(`${name} → ${expected}`, () => {
      const v = classifyPlanImages(ref, plan, now);
      expect(v.kind === "typed" ? `typed ${v.images.length}` : v.kind).to.equal(expected);
      if (v.kind === "wire") expect(v.why).to.not.contain("sig=");
    });
  }
});
