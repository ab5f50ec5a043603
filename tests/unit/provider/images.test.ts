// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import {
  desiredEntry,
  entryFingerprint,
  imageKindOf,
  imageMapOf,
  imageRuleProblems,
  publishedImages,
  usDate,
  withHiddenVersion,
  withoutVersion,
  withVersion,
  type ImageRuleInput,
} from "../../../provider/images/map.js";
import { checkSasUrl, withoutSignature } from "../../../provider/images/sas.js";
import type { VmImageVersionInputs } from "../../../provider/images/types.js";
import { compareVersions, highestVersion, parseVersion, sortVersions } from "../../../provider/images/version.js";
import {
  buildPutDocument,
  projectRemoteDefinition,
  sameDefinition,
  type WireOffer,
} from "../../../provider/offer/document.js";
import type { OfferInputs } from "../../../provider/offer/types.js";
import { jsonClone } from "../../../provider/util/json.js";
import { UNKNOWN } from "../../../provider/util/unknown.js";
import { validateVmImageVersionInputs } from "../../../provider/validation/vm-image-version.js";
import { sampleDefinition } from "../../helpers/offers.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const sas = (opts: { sp?: string; se?: string; sig?: string; scheme?: string } = {}) => {
  const q = new URLSearchParams({ sv: "2022-11-02", sr: "b" });
  if (opts.sp !== "") q.set("sp", opts.sp ?? "rl");
  if (opts.se !== "") q.set("se", opts.se ?? new Date(NOW + 60 * DAY).toISOString());
  if (opts.sig !== "") q.set("sig", opts.sig ?? "planted-image-signature");
  return `${opts.scheme ?? "https"}://fab.blob.core.windows.net/vhds/os.vhd?${q}`;
};
const VM = "microsoft-azure-virtualmachines.vmImages";
const CORE = "microsoft-azure-corevm.vmImagesPublicAzure";

describe("disk versions", () => {
  const table: Array<[string, boolean]> = [
    ["1.0.0", true],
    ["0.0.0", true],
    ["311.43.20180601", true],
    ["2147483647.0.1", true],
    ["1.0", false],
    ["1.0.0.0", false],
    ["01.0.0", false],
    ["1.0.0-beta", false],
    ["v1.0.0", false],
    ["2147483648.0.0", false],
    ["", false],
  ];
  for (const [v, ok] of table) {
    const what = `${JSON.stringify(v)} is ${ok ? "" : "not "}a disk version`;
    it(what, () => expect(parseVersion(v) !== undefined).to.equal(ok));
  }

  it("orders numerically, not as text", () => {
    const sorted = ["1.0.9", "1.0.10", "1.9.0", "1.10.0", "2.0.0"];
    expect(sortVersions(["1.10.0", "1.9.0", "1.0.10", "1.0.9", "2.0.0"])).to.deep.equal(sorted);
    expect(highestVersion(["1.10.0", "1.9.0"])).to.equal("1.10.0");
    expect(highestVersion([])).to.equal(undefined);
  });

  it("the order is the tuple order of the parts (property)", () => {
    const part = fc.integer({ min: 0, max: 2_147_483_647 });
    const version = fc.tuple(part, part, part);
    fc.assert(
      fc.property(version, version, (a, b) => {
        const cmp = Math.sign(compareVersions(a.join("."), b.join(".")));
        const expected = Math.sign(a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
        expect(cmp).to.equal(expected);
        expect(parseVersion(a.join("."))).to.deep.equal(a);
      }),
    );
  });
});

describe("SAS URLs", () => {
  const table: Array<[string, string, RegExp | undefined, RegExp | undefined]> = [
    ["a good SAS URL", sas(), undefined, undefined],
    ["http", sas({ scheme: "http" }), /must use https/, undefined],
    ["no signature", sas({ sig: "" }), /no SAS signature/, undefined],
    ["read only (sp=r)", sas({ sp: "r" }), /must grant read and list \(sp=rl\); it has sp=r/, undefined],
    ["no sp", sas({ sp: "" }), /it has no sp/, undefined],
    ["no se", sas({ se: "" }), /must carry an expiry/, undefined],
    ["unreadable se", sas({ se: "soon" }), /unreadable se/, undefined],
    ["expired", sas({ se: new Date(NOW - DAY).toISOString() }), /expired at 2026-05-31/, undefined],
    [
      "expiring in 10 days",
      sas({ se: new Date(NOW + 10 * DAY).toISOString() }),
      undefined,
      /\(in 10 days\); certification can take weeks/,
    ],
    ["expiring in 22 days", sas({ se: new Date(NOW + 22 * DAY).toISOString() }), undefined, undefined],
  ];
  for (const [what, url, failure, warning] of table) {
    it(`${what}: ${failure ? "fails" : warning ? "warns" : "passes"}`, () => {
      const found = checkSasUrl("osVhdUrl", url, NOW);
      if (failure) expect(found.failures.join("\n")).to.match(failure);
      else expect(found.failures).to.deep.equal([]);
      if (warning) expect(found.warnings.join("\n")).to.match(warning);
      else expect(found.warnings).to.deep.equal([]);
    });
  }

  it("no message ever contains the signature (property)", () => {
    const sig = fc.stringMatching(/^[A-Za-z0-9%]{8,40}$/);
    const sp = fc.constantFrom("r", "rl", "racwdl", "w", "");
    const days = fc.integer({ min: -30, max: 400 });
    fc.assert(
      fc.property(sig, sp, days, fc.boolean(), (s, p, d, http) => {
        const url = sas({ sig: s, sp: p, se: new Date(NOW + d * DAY).toISOString(), scheme: http ? "http" : "https" });
        const found = checkSasUrl("osVhdUrl", url, NOW);
        expect([...found.failures, ...found.warnings].join("\n")).to.not.contain(s);
      }),
    );
  });

  it("withoutSignature drops sig only", () => {
    const open = withoutSignature(sas());
    expect(open).to.not.contain("sig=");
    expect(open).to.contain("sp=rl").and.contain("se=");
  });
});

describe("validateVmImageVersionInputs", () => {
  const base = (): Record<string, unknown> => ({
    publisherId: "contoso",
    offerId: "images",
    planId: "gen1",
    version: "1.0.0",
    osVhdUrl: sas(),
    dataDisks: [],
    onDelete: "retain",
  });
  it("accepts a complete version", () => {
    expect(validateVmImageVersionInputs(base(), {}, NOW)).to.deep.equal({ failures: [], warnings: [] });
  });
  const disk = (lun: number, url = sas()) => ({ lun, vhdUrl: url });

  const table: Array<[string, (i: any) => void, string, RegExp]> = [
    [
      "version with two parts",
      (i) => {
        i.version = "1.0";
      },
      "version",
      /X\.Y\.Z of integers/,
    ],
    [
      "version with a leading zero",
      (i) => {
        i.version = "1.01.0";
      },
      "version",
      /no leading zeros/,
    ],
    [
      "osVhdUrl without list",
      (i) => {
        i.osVhdUrl = sas({ sp: "r" });
      },
      "osVhdUrl",
      /read and list/,
    ],
    [
      "expired osVhdUrl",
      (i) => {
        i.osVhdUrl = sas({ se: "2020-01-01T00:00:00Z" });
      },
      "osVhdUrl",
      /expired/,
    ],
    [
      "data disks not an array",
      (i) => {
        i.dataDisks = { lun: 0 };
      },
      "dataDisks",
      /array of \{ lun, vhdUrl \}/,
    ],
    [
      "16 data disks",
      (i) => {
        i.dataDisks = Array.from({ length: 16 }, (_, lun) => disk(lun));
      },
      "dataDisks",
      /at most 15/,
    ],
    [
      "duplicate LUN",
      (i) => {
        i.dataDisks = [disk(0), disk(0)];
      },
      "dataDisks[1].lun",
      /already used by dataDisks\[0\]/,
    ],
    [
      "LUN out of range",
      (i) => {
        i.dataDisks = [{ lun: 16, vhdUrl: sas() }];
      },
      "dataDisks[0].lun",
      /from 0 to 15/,
    ],
    [
      "data disk SAS without signature",
      (i) => {
        i.dataDisks = [disk(0, sas({ sig: "" }))];
      },
      "dataDisks[0].vhdUrl",
      /no SAS signature/,
    ],
    [
      "unknown data disk key",
      (i) => {
        i.dataDisks = [{ ...disk(0), uri: "x" }];
      },
      "dataDisks[0].uri",
      /lun and vhdUrl/,
    ],
    [
      "bad onDelete",
      (i) => {
        i.onDelete = "delete";
      },
      "onDelete",
      /"retain" \(default.*"remove".*"hide"/,
    ],
    [
      "bad publishedDate",
      (i) => {
        i.publishedDate = "2024-06-01";
      },
      "publishedDate",
      /MM\/DD\/YYYY/,
    ],
    [
      "empty label",
      (i) => {
        i.label = " ";
      },
      "label",
      /non-empty text/,
    ],
    [
      "allowLowerVersion not boolean",
      (i) => {
        i.allowLowerVersion = "yes";
      },
      "allowLowerVersion",
      /true or false/,
    ],
    [
      "bad plan id",
      (i) => {
        i.planId = "Gen 1";
      },
      "planId",
      /lowercase/,
    ],
  ];
  for (const [what, mutate, property, reason] of table) {
    it(`${what} → ${property}`, () => {
      const i = base();
      mutate(i);
      const { failures } = validateVmImageVersionInputs(i, {}, NOW);
      expect(failures.map((x) => x.property)).to.include(property);
      expect(failures.find((x) => x.property === property)!.reason).to.match(reason);
      expect(JSON.stringify(failures)).to.not.contain("planted-image-signature");
    });
  }

  it("an unchanged URL is not judged on its expiry again (an old version's SAS may lapse)", () => {
    const expired = { ...base(), osVhdUrl: sas({ se: "2020-01-01T00:00:00Z" }) };
    expect(validateVmImageVersionInputs(expired, expired, NOW).failures).to.deep.equal([]);
    const soon = { ...base(), osVhdUrl: sas({ se: new Date(NOW + 2 * DAY).toISOString() }) };
    expect(validateVmImageVersionInputs(soon, {}, NOW).warnings).to.have.length(1);
    expect(validateVmImageVersionInputs(soon, soon, NOW).warnings).to.deep.equal([]);
  });

  it("never throws on arbitrary input, and never echoes a signature (property)", () => {
    const value = fc.oneof(fc.anything(), fc.constant(sas()), fc.constant(UNKNOWN));
    const record = fc.record(
      {
        publisherId: value,
        offerId: value,
        planId: value,
        version: value,
        osVhdUrl: value,
        dataDisks: fc.oneof(value, fc.array(fc.record({ lun: value, vhdUrl: value }))),
        label: value,
        publishedDate: value,
        onDelete: value,
        allowLowerVersion: value,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, record, (inputs, olds) => {
        const found = validateVmImageVersionInputs(inputs, olds, NOW);
        expect(JSON.stringify(found)).to.not.contain("planted-image-signature");
      }),
    );
  });

  it("skips values unknown during preview", () => {
    const i = { ...base(), version: UNKNOWN, osVhdUrl: UNKNOWN, dataDisks: UNKNOWN, onDelete: UNKNOWN };
    expect(validateVmImageVersionInputs(i, {}, NOW).failures).to.deep.equal([]);
  });
});

describe("image map edits and rules", () => {
  const inputs = (over: Partial<VmImageVersionInputs> = {}): VmImageVersionInputs => ({
    publisherId: "contoso",
    offerId: "images",
    planId: "gen1",
    version: "1.0.3",
    osVhdUrl: sas(),
    dataDisks: [],
    onDelete: "retain",
    ...over,
  });
  const entry = (disks = 0) => ({
    osVhdUrl: sas(),
    lunVhdDetails: Array.from({ length: disks }, (_, lun) => ({ lun, uri: sas() })),
  });
  const rules = (over: Partial<ImageRuleInput>) =>
    imageRuleProblems({
      kind: "vm",
      planId: "gen1",
      version: "1.0.3",
      map: {},
      dataDiskCount: 0,
      published: { versions: [] },
      coreVmFieldsSet: [],
      ...over,
    });

  it("the offer type chooses the map", () => {
    expect(imageKindOf("microsoft-azure-virtualmachines")).to.equal("vm");
    expect(imageKindOf("microsoft-azure-corevm")).to.equal("corevm");
    expect(imageKindOf("microsoft-azure-applications")).to.equal(undefined);
    expect(Object.keys(imageMapOf({ [CORE]: { "1.0.0": entry() } }, "corevm"))).to.deep.equal(["1.0.0"]);
    expect(imageMapOf({ [CORE]: { "1.0.0": entry() } }, "vm")).to.deep.equal({});
  });

  it("a VM entry is { osVhdUrl, lunVhdDetails } and keeps members it does not own", () => {
    const e = desiredEntry(
      "vm",
      inputs({ dataDisks: [{ lun: 0, vhdUrl: sas() }] }),
      { osVhdUrl: "old", other: 1 },
      NOW,
    );
    expect(e).to.deep.equal({ osVhdUrl: sas(), lunVhdDetails: [{ lun: 0, uri: sas() }], other: 1 });
  });

  it("a core-VM entry gets media name, label, showInGui and a publishedDate that stays", () => {
    const first = desiredEntry("corevm", inputs(), undefined, NOW);
    expect(first).to.deep.equal({
      osVhdUrl: sas(),
      lunVhdDetails: [],
      mediaName: "images-gen1-1.0.3",
      label: "1.0.3",
      showInGui: true,
      publishedDate: "06/01/2026",
    });
    const later = desiredEntry("corevm", inputs({ label: "Build 3" }), { ...first, showInGui: false }, NOW + 40 * DAY);
    expect(later).to.deep.equal({ ...first, label: "Build 3" });
    expect(usDate(Date.parse("2024-12-31T23:00:00Z"))).to.equal("12/31/2024");
  });

  it("adds, removes and hides one version without touching the others", () => {
    const map = { "1.0.0": entry(), "1.0.1": entry() };
    const before = jsonClone(map);
    expect(Object.keys(withVersion(map, "1.0.2", entry()))).to.deep.equal(["1.0.0", "1.0.1", "1.0.2"]);
    expect(Object.keys(withoutVersion(map, "1.0.0"))).to.deep.equal(["1.0.1"]);
    expect(withHiddenVersion(map, "1.0.0")["1.0.0"].showInGui).to.equal(false);
    expect(withHiddenVersion(map, "9.9.9")).to.equal(map);
    expect(map).to.deep.equal(before);
  });

  it("the fingerprint follows the entry, not the signature", () => {
    const a = entryFingerprint("gen1", "1.0.0", entry(1));
    expect(a).to.match(/^sha256:[0-9a-f]{64}$/);
    const resigned = { osVhdUrl: sas({ sig: "another" }), lunVhdDetails: [{ lun: 0, uri: sas({ sig: "another" }) }] };
    expect(entryFingerprint("gen1", "1.0.0", resigned)).to.equal(a);
    expect(entryFingerprint("gen1", "1.0.1", entry(1))).to.not.equal(a);
    const renewed = { ...entry(1), osVhdUrl: sas({ se: "2031-01-01T00:00:00Z" }) };
    expect(entryFingerprint("gen1", "1.0.0", renewed)).to.not.equal(a);
  });

  it("at most 8 versions: the error lists them and names the oldest", () => {
    const versions = ["1.0.10", "1.0.2", "1.0.3", "1.0.4", "1.0.5", "1.0.6", "1.0.7", "1.0.8"];
    const map = Object.fromEntries(versions.map((v) => [v, entry()]));
    const { problems } = rules({ map, version: "1.0.11" });
    expect(problems[0].code).to.equal("CPP_IMAGE_VERSION_LIMIT");
    expect(problems[0].message)
      .to.contain("(1.0.2, 1.0.3, 1.0.4, 1.0.5, 1.0.6, 1.0.7, 1.0.8, 1.0.10)")
      .and.contain("Remove the oldest (1.0.2)");
    expect(rules({ map, version: "1.0.11", leaving: "1.0.2" }).problems).to.deep.equal([]);
    expect(rules({ map, version: "1.0.8" }).problems).to.deep.equal([]);
  });

  it("data disks: the same count as the other versions, and as published", () => {
    const map = { "1.0.0": entry(2), "1.0.1": entry(2) };
    const diff = rules({ map, dataDiskCount: 1 }).problems;
    expect(diff[0].code).to.equal("CPP_IMAGE_DATA_DISKS");
    expect(diff[0].message)
      .to.match(/has 1 data disk but plan "gen1" has 2 on 1\.0\.0, 1\.0\.1/)
      .and.match(/Give this version 2 dataDisks/);
    expect(rules({ map, dataDiskCount: 2 }).problems).to.deep.equal([]);
    const locked = rules({ map: {}, dataDiskCount: 0, published: { versions: ["1.0.0"], dataDiskCount: 1 } }).problems;
    expect(locked[0].message).to.match(/published with 1: the number of data disks is locked after the first publish/);
  });

  it("a version below the highest published one is refused unless allowed (then a warning)", () => {
    const published = { versions: ["1.0.0", "2.0.0"] };
    const refused = rules({ version: "1.5.0", published });
    expect(refused.problems[0].code).to.equal("CPP_IMAGE_VERSION_LOWER");
    expect(refused.problems[0].message).to.match(/lower than 2\.0\.0.*will not surface.*allowLowerVersion: true/);
    const allowed = rules({ version: "1.5.0", published, allowLowerVersion: true });
    expect(allowed.problems).to.deep.equal([]);
    expect(allowed.warnings[0]).to.match(/allowed by allowLowerVersion/);
    expect(rules({ version: "1.0.0", published }).problems).to.deep.equal([]);
    // Unpublished versions in the Draft do not count: parallel creates of 1.0.0 and 1.0.1 both land.
    expect(rules({ version: "1.0.0", map: { "1.0.1": entry() } }).problems).to.deep.equal([]);
  });

  it("core-VM-only fields on a VM offer are refused, naming them", () => {
    const { problems } = rules({ coreVmFieldsSet: ["label", "mediaName"] });
    expect(problems[0].code).to.equal("CPP_IMAGE_FIELD_UNSUPPORTED");
    expect(problems[0].message).to.match(/^label, mediaName are only part of core-VM images/);
    expect(rules({ kind: "corevm", coreVmFieldsSet: ["label"] }).problems).to.deep.equal([]);
  });

  it("publishedImages joins the Preview and Production slots", () => {
    const p = publishedImages([{ [VM]: { "1.0.1": entry(1) } }, undefined, { [VM]: { "1.0.0": entry(1) } }], "vm");
    expect(p).to.deep.equal({ versions: ["1.0.0", "1.0.1"], dataDiskCount: 1 });
  });
});

describe("the Offer leaves omitted image maps to VmImageVersion", () => {
  const withoutImages = () => {
    const def = sampleDefinition({ pricedPlans: true });
    for (const p of def.plans) delete (p as Record<string, unknown>)[VM];
    return def;
  };
  const inputs = (): OfferInputs => ({
    publisherId: "contoso",
    offerId: "images",
    offerTypeId: "microsoft-azure-virtualmachines",
    definition: withoutImages(),
  });
  const remote = (): WireOffer => {
    const doc = buildPutDocument(inputs());
    doc.definition!.plans![0][VM] = { "1.0.0": { osVhdUrl: sas(), lunVhdDetails: [] } };
    return doc;
  };

  it("buildPutDocument keeps the images on the service for a plan that omits them", () => {
    const doc = buildPutDocument(inputs(), remote());
    expect(Object.keys(doc.definition!.plans![0][VM] as object)).to.deep.equal(["1.0.0"]);
    expect(doc.definition!.plans![1][VM]).to.equal(undefined);
  });

  it("a plan that sets its image map owns it (what the service has is replaced)", () => {
    const i = inputs();
    i.definition.plans[0][VM] = { "2.0.0": { osVhdUrl: sas(), lunVhdDetails: [] } };
    expect(Object.keys(buildPutDocument(i, remote()).definition!.plans![0][VM] as object)).to.deep.equal(["2.0.0"]);
  });

  it("refresh does not see versions written by VmImageVersion as drift; other changes still show", () => {
    const i = inputs();
    expect(sameDefinition(projectRemoteDefinition(remote()), i.definition)).to.equal(true);
    const edited = remote();
    edited.definition!.plans![0]["microsoft-azure-virtualmachines.skuTitle"] = "Edited";
    expect(sameDefinition(projectRemoteDefinition(edited), i.definition)).to.equal(false);
  });

  it("the core-VM map is delegated the same way", () => {
    const i = inputs();
    const r = remote();
    delete r.definition!.plans![0][VM];
    r.definition!.plans![0][CORE] = { "1.0.0": { osVhdUrl: sas() } };
    expect(buildPutDocument(i, r).definition!.plans![0][CORE]).to.deep.equal({ "1.0.0": { osVhdUrl: sas() } });
    expect(sameDefinition(projectRemoteDefinition(r), i.definition)).to.equal(true);
  });
});
