// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { compactFingerprint, fingerprint, sameFingerprint } from "../../../provider/util/fingerprint.js";
import {
  buildPutDocument,
  changedPaths,
  contentFingerprint,
  delegatedParts,
  offerFingerprint,
  projectRemoteDefinition,
  sameDefinition,
  stripForPut,
  type WireOffer,
} from "../../../provider/offer/document.js";
import { diffOffer, nextSecretsRevision } from "../../../provider/offer/diff.js";
import type { OfferDefinition, OfferInputs, OfferOutputs } from "../../../provider/offer/types.js";
import { jsonClone } from "../../../provider/util/json.js";
import { UNKNOWN } from "../../../provider/util/unknown.js";
import { sampleDefinition } from "../../helpers/offers.js";

const inputs = (over: Partial<OfferInputs> = {}): OfferInputs => ({
  publisherId: "contoso",
  offerId: "fabrikam-appliance",
  offerTypeId: "microsoft-azure-virtualmachines",
  definition: sampleDefinition(),
  ...over,
});
const lead = "microsoft-azure-marketplace.tableLeadConfiguration";

/**
 * What the service returns for a PUT of `doc` (docs/internals/api-notes.md §5.9): read-only fields, empty lead
 * configs, no secrets.
 */
function asServed(doc: WireOffer): WireOffer {
  const served = jsonClone(doc);
  served.status = "neverPublished";
  served.version = 1;
  served.changedTime = "2026-01-01T00:00:00.0000000Z";
  const offer = served.definition!.offer!;
  offer["microsoft-azure-marketplace.blobLeadConfiguration"] = {};
  if (offer[lead]) delete (offer[lead] as Record<string, unknown>).storageAccountConnectionString;
  return served;
}

describe("offer document", () => {
  it("reads back exactly what was applied (no phantom drift)", () => {
    const i = inputs({ secrets: { [`offer/${lead}/storageAccountConnectionString`]: "planted-connection-string" } });
    i.definition.offer[lead] = { tableName: "leads" };
    const served = asServed(buildPutDocument(i));
    expect(sameDefinition(i.definition, projectRemoteDefinition(served, delegatedParts(i.definition)))).to.equal(true);
  });

  it("merges secrets only into the document sent", () => {
    const i = inputs({ secrets: { [`offer/${lead}/storageAccountConnectionString`]: "planted-connection-string" } });
    const doc = buildPutDocument(i);
    expect((doc.definition!.offer![lead] as any).storageAccountConnectionString).to.equal("planted-connection-string");
    expect(JSON.stringify(i.definition)).to.not.contain("planted-connection-string");
  });

  it("keeps pricing written by VmPricing for plans whose pricing the inputs omit", () => {
    const current = asServed(buildPutDocument(inputs({ definition: sampleDefinition({ pricedPlans: true }) })));
    const doc = buildPutDocument(inputs(), current);
    expect(doc.definition!.plans![0].virtualMachinePricing).to.deep.equal({
      isByol: true,
      freeTrialDurationInMonths: 0,
    });
    expect(
      sameDefinition(inputs().definition, projectRemoteDefinition(current, delegatedParts(inputs().definition))),
    ).to.equal(true);
  });

  it("strips read-only keys, including the core-VM legacy pair", () => {
    const doc: WireOffer = {
      id: "x",
      status: "running",
      version: 3,
      changedTime: "t",
      pcMigrationStatus: "none",
      definition: {
        offer: {
          "microsoft-azure-corevm.legacyOfferId": "a",
          "microsoft-azure-corevm.legacyPublisherId": "b",
          keep: 1,
        },
      },
    };
    stripForPut(doc);
    expect(doc).to.deep.equal({ id: "x", definition: { offer: { keep: 1 } } });
  });

  it("reports changed paths for adoption and drift", () => {
    const a = sampleDefinition();
    const b = sampleDefinition({ summary: "New summary" });
    b.plans.pop();
    expect(changedPaths(a, b)).to.deep.equal(["offer.microsoft-azure-marketplace.summary", "plans[payg] (removed)"]);
  });
});

describe("diffOffer", () => {
  // Outputs as 0.1.0 wrote them (with the definition): still understood.
  const olds = (): OfferOutputs & { definition: OfferDefinition } => ({
    ...inputs(),
    etag: 'W/"x"',
    version: 1,
    status: "neverPublished",
    changedTime: "t",
    providerVersion: "1.0.0",
  });

  it("diff(x, x) reports no change, for any listing edit applied to both", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (title, extra) => {
        const o = olds();
        o.definition.offer["microsoft-azure-marketplace.summary"] = title;
        o.definition.offer["x-extra"] = extra;
        const n: OfferInputs = jsonClone({ ...inputs(), definition: o.definition });
        expect(diffOffer(o, n, "1.0.0")).to.deep.equal({ changes: false, replaces: [] });
      }),
    );
  });

  it("ignores output-only fields and key order", () => {
    const o = olds();
    const reordered = Object.fromEntries(Object.entries(o.definition.offer).reverse());
    expect(
      diffOffer(
        { ...o, etag: "other", status: "running" },
        { ...inputs(), definition: { ...o.definition, offer: reordered } },
        "1.0.0",
      ).changes,
    ).to.equal(false);
  });

  it("replaces on publisherId, offerId or offerTypeId", () => {
    expect(diffOffer(olds(), inputs({ offerId: "other" }), "1.0.0")).to.deep.equal({
      changes: true,
      replaces: ["offerId"],
    });
    expect(
      diffOffer(olds(), inputs({ publisherId: "fabrikam", offerTypeId: "microsoft-azure-corevm" }), "1.0.0").replaces,
    ).to.deep.equal(["publisherId", "offerTypeId"]);
  });

  it("updates in place on a definition change", () => {
    expect(diffOffer(olds(), inputs({ definition: sampleDefinition({ summary: "changed" }) }), "1.0.0")).to.deep.equal({
      changes: true,
      replaces: [],
    });
  });

  it("treats unknowns as a possible change, never a replace", () => {
    expect(diffOffer(olds(), inputs({ offerId: UNKNOWN }), "1.0.0")).to.deep.equal({ changes: true, replaces: [] });
    const d = sampleDefinition();
    d.displayText = UNKNOWN;
    expect(diffOffer(olds(), inputs({ definition: d }), "1.0.0").changes).to.equal(true);
  });

  it("a new package version is a change (so the stored provider code is refreshed)", () => {
    expect(diffOffer(olds(), inputs(), "1.1.0").changes).to.equal(true);
  });
});

describe("Offer fingerprints and the secrets revision", () => {
  const withSig = (sig: string) => {
    const d = sampleDefinition();
    (d.plans[0] as Record<string, unknown>)["microsoft-azure-virtualmachines.vmImages"] = {
      "1.0.0": { osVhdUrl: `https://a/os.vhd?sig=${sig}`, lunVhdDetails: [] },
    };
    return d;
  };

  it("the public fingerprint ignores key order, SAS signatures and delegated pricing; any listing change moves it", () => {
    const base = offerFingerprint(sampleDefinition());
    const reordered = sampleDefinition();
    reordered.offer = Object.fromEntries(Object.entries(reordered.offer).reverse());
    expect(offerFingerprint(reordered)).to.equal(base);
    expect(offerFingerprint(withSig("one"))).to.equal(offerFingerprint(withSig("two")));
    expect(offerFingerprint(sampleDefinition({ summary: "other" }))).to.not.equal(base);
    expect(offerFingerprint(sampleDefinition({ pricedPlans: true }))).to.not.equal(base);
  });

  it("the draft fingerprint sees a new SAS signature and equals the read-back projection", () => {
    expect(contentFingerprint(withSig("one"))).to.not.equal(contentFingerprint(withSig("two")));
    const i = inputs();
    const served = asServed(buildPutDocument(i));
    expect(
      contentFingerprint(projectRemoteDefinition(served, delegatedParts(i.definition)), delegatedParts(i.definition)),
    ).to.equal(contentFingerprint(i.definition));
  });

  it("check's secrets revision: none on create, unchanged when secrets are, one more when they change", () => {
    const a = { secrets: { p: "a" } };
    expect(nextSecretsRevision({}, a)).to.equal(undefined);
    expect(nextSecretsRevision({ ...a }, a)).to.equal(undefined);
    expect(nextSecretsRevision(a, { secrets: { p: "b" } })).to.equal(1);
    expect(nextSecretsRevision({ secrets: { p: "b" }, secretsRevision: 1 }, { secrets: { p: "b" } })).to.equal(1);
    expect(nextSecretsRevision({ secretsRevision: 1 }, { secrets: { p: "c" } })).to.equal(2);
  });
});

describe("compact fingerprints (state kept only to compare)", () => {
  it("keep the first 128 bits of a sha256 fingerprint in 22 characters, and compare with the full form", () => {
    const full = fingerprint({ a: 1 });
    const compact = compactFingerprint(full);
    expect(compact).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(compact, "base64url").toString("hex")).to.equal(
      full.slice("sha256:".length, "sha256:".length + 32),
    );
    expect(sameFingerprint(full, compact)).to.equal(true);
    expect(sameFingerprint(compact, compact)).to.equal(true);
    expect(sameFingerprint(fingerprint({ a: 2 }), compact)).to.equal(false);
    expect(sameFingerprint(undefined, compact)).to.equal(false);
    expect(sameFingerprint(undefined, undefined)).to.equal(true);
    expect(compactFingerprint('W/"etag"')).to.equal('W/"etag"');
  });
});
