// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { lastDraftFingerprint } from "../../provider/offer/diff.js";
import { offerFingerprint } from "../../provider/offer/document.js";
import { splitSas } from "../../provider/util/sas.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const SUMMARY = "microsoft-azure-marketplace.summary";

describe("Offer provider against the emulator", () => {
  let env: ProviderEnv;
  let offer: any;
  let n = 0;
  const fresh = (over: Record<string, unknown> = {}) => ({
    publisherId: PUB,
    offerId: `offer-${++n}`,
    definition: sampleDefinition(),
    ...over,
  });
  const checked = async (inputs: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
    const r = await offer.check(olds, inputs);
    expect(r.failures ?? []).to.deep.equal([]);
    return r.inputs;
  };

  before(async () => {
    env = await startProviderEnv();
    offer = env.provider("offer");
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check applies the default offer type and makes no request", async () => {
    const inputs = await checked(fresh());
    expect(inputs.offerTypeId).to.equal("microsoft-azure-virtualmachines");
    expect(await env.requests({ includeAad: true })).to.deep.equal([]);
  });

  it("create: one PUT without If-Match; outputs add etag, version, status and fingerprints, not the definition", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    expect(id).to.equal(`${PUB}/${inputs.offerId}`);
    expect(outs).to.deep.include({ publisherId: PUB, offerId: inputs.offerId, status: "neverPublished", version: 1 });
    expect(outs.etag).to.match(/^W\/"datetime'/);
    expect(outs).to.not.have.property("definition");
    expect(outs.fingerprint)
      .to.equal(offerFingerprint(inputs.definition))
      .and.match(/^sha256:[0-9a-f]{64}$/);
    // The Draft's fingerprint covers the definition's SAS signature, the public one does not.
    expect(outs.draftFingerprint)
      .to.match(/^sha256:/)
      .and.not.equal(outs.fingerprint);
    const reqs = await env.requests();
    expect(reqs.map((r) => `${r.method} ${r.status}`)).to.deep.equal(["PUT 201"]);
    expect(reqs[0].ifMatch).to.equal(undefined);
  });

  it("outputs store draftFingerprint only when it differs from fingerprint; diff and refresh work from either", async () => {
    const plain = sampleDefinition({ withoutSas: true });
    const inputs = await checked(fresh({ definition: plain }));
    const { id, outs } = await offer.create(inputs);
    expect(JSON.stringify(outs)).to.not.contain("draftFingerprint");
    expect(lastDraftFingerprint(outs)).to.equal(outs.fingerprint);
    expect(await offer.diff(id, outs, inputs)).to.deep.include({ changes: false });
    expect(await offer.diff(id, outs, await checked({ ...inputs, definition: sampleDefinition() }))).to.deep.include({
      changes: true,
    });
    env.nextOperation();
    expect((await offer.read(id, outs)).props).to.not.have.property("draftFingerprint");
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [SUMMARY]: "Portal edit" } },
    });
    env.nextOperation();
    const drifted = await offer.read(id, outs);
    expect(drifted.props.draftFingerprint)
      .to.match(/^sha256:/)
      .and.not.equal(outs.fingerprint);
    expect(await offer.diff(id, drifted.props, inputs)).to.deep.include({ changes: true });
  });

  it("create over an existing offer fails and says to set adopt: true", async () => {
    const inputs = await checked(fresh());
    await offer.create(inputs);
    const e = await rejection(offer.create(inputs));
    expect(e.message)
      .to.match(/already exists/)
      .and.match(/adopt: true/);
  });

  it("adopt: reads the existing offer, reports what changes, writes with its ETag", async () => {
    const inputs = await checked(fresh());
    await offer.create(inputs);
    await env.clearLog();
    const desired = { ...inputs, adopt: true, definition: sampleDefinition({ summary: "Adopted summary" }) };
    const { result, lines } = await captureConsole(() => offer.create(desired));
    expect(lines.join("\n")).to.match(
      /adopting the existing offer; this program changes offer\.microsoft-azure-marketplace\.summary/,
    );
    const reqs = await env.requests();
    expect(reqs.map((r) => r.method)).to.deep.equal(["GET", "PUT"]);
    expect(reqs[1].ifMatch).to.match(/^W\/"datetime'/);
    expect((result as any).outs.fingerprint).to.equal(offerFingerprint(desired.definition));
    const draft = await env.control("GET", `/offers/${PUB}/${inputs.offerId}`);
    expect(draft.draft.definition.offer[SUMMARY]).to.equal("Adopted summary");
  });

  it("adopt of an offer that already matches writes nothing", async () => {
    const inputs = await checked(fresh());
    await offer.create(inputs);
    await env.clearLog();
    const { lines } = await captureConsole(() => offer.create({ ...inputs, adopt: true }));
    expect(lines.join("\n")).to.match(/already matches the definition, nothing written/);
    expect((await env.requests()).map((r) => r.method)).to.deep.equal(["GET"]);
  });

  it("update: one PUT with the ETag from state; returns the full outputs", async () => {
    const inputs = await checked(fresh({ definition: sampleDefinition({ pricedPlans: true }) }));
    const { id, outs } = await offer.create(inputs);
    await env.clearLog();
    const news = await checked({ ...inputs, definition: sampleDefinition({ pricedPlans: true, summary: "Changed" }) });
    expect(await offer.diff(id, outs, news)).to.deep.equal({ changes: true, replaces: [] });
    const { outs: after } = await offer.update(id, outs, news);
    const reqs = await env.requests();
    expect(reqs.map((r) => `${r.method} ${r.status}`)).to.deep.equal(["PUT 200"]);
    expect(reqs[0].ifMatch).to.equal(outs.etag);
    expect(after.etag).to.not.equal(outs.etag);
    expect(after).to.include.keys(
      "publisherId",
      "offerId",
      "fingerprint",
      "etag",
      "version",
      "status",
      "changedTime",
      "providerVersion",
    );
    expect(after.fingerprint).to.not.equal(outs.fingerprint);
  });

  it("diff replaces on offerId and ignores output-only fields", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    expect(await offer.diff(id, { ...outs, etag: "x", status: "running" }, inputs)).to.deep.equal({
      changes: false,
      replaces: [],
    });
    expect((await offer.diff(id, outs, { ...inputs, offerId: "other-offer" })).replaces).to.deep.equal(["offerId"]);
  });

  it("update after an out-of-band edit fails with the advised fix (412)", async () => {
    const inputs = await checked(fresh({ definition: sampleDefinition({ pricedPlans: true }) }));
    const { id, outs } = await offer.create(inputs);
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { displayText: "Edited in the portal" },
    });
    const news = { ...inputs, definition: sampleDefinition({ pricedPlans: true, summary: "Mine" }) };
    const e = await rejection(offer.update(id, outs, news));
    expect(e.message)
      .to.match(/changed outside Pulumi/)
      .and.match(/pulumi refresh/)
      .and.match(/lastWriterWins/);
    const draft = await env.control("GET", `/offers/${PUB}/${inputs.offerId}`);
    expect(JSON.stringify(draft)).to.contain("Edited in the portal");
  });

  it("lastWriterWins overwrites an out-of-band edit with If-Match: *", async () => {
    const inputs = await checked(
      fresh({ definition: sampleDefinition({ pricedPlans: true }), concurrency: "lastWriterWins" }),
    );
    const { id, outs } = await offer.create(inputs);
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { displayText: "Edited in the portal" },
    });
    await env.clearLog();
    await offer.update(id, outs, { ...inputs, definition: sampleDefinition({ pricedPlans: true, summary: "Mine" }) });
    const reqs = await env.requests();
    expect(reqs.map((r) => r.ifMatch)).to.deep.equal(["*"]);
  });

  it("read: no drift returns no inputs and moves no fingerprint; drift shows and update corrects it", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const same = await offer.read(id, outs);
    expect(same.id).to.equal(id);
    expect(same.inputs).to.equal(undefined);
    expect(same.props).to.deep.equal(outs);
    expect(await offer.diff(id, same.props, inputs)).to.deep.include({ changes: false });

    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [SUMMARY]: "Portal edit" } },
    });
    env.nextOperation();
    const drifted = await offer.read(id, outs);
    expect(drifted.inputs.definition.offer[SUMMARY]).to.equal("Portal edit");
    expect(drifted.props.fingerprint).to.equal(outs.fingerprint);
    expect(drifted.props.draftFingerprint)
      .to.match(/^sha256:/)
      .and.not.equal(lastDraftFingerprint(outs));
    expect(drifted.props.etag).to.not.equal(outs.etag);
    expect(await offer.diff(id, drifted.props, inputs)).to.deep.include({ changes: true });
    const { outs: fixed } = await offer.update(id, drifted.props, inputs);
    const draft = await env.control("GET", `/offers/${PUB}/${inputs.offerId}`);
    expect(JSON.stringify(draft)).to.not.contain("Portal edit");
    expect(fixed.fingerprint).to.equal(outs.fingerprint);
    expect(lastDraftFingerprint(fixed)).to.equal(lastDraftFingerprint(outs));
  });

  it("fingerprint: stable across refresh and VmPricing writes; the Offer shows no change after them", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const pricing = env.provider("vmPricing");
    await pricing.create({ publisherId: PUB, offerId: inputs.offerId, planId: "byol", pricing: { kind: "byol" } });
    await pricing.create({
      publisherId: PUB,
      offerId: inputs.offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.05 },
    });
    const read = await offer.read(id, outs);
    expect(read.inputs).to.equal(undefined);
    expect(read.props.fingerprint).to.equal(outs.fingerprint);
    expect(lastDraftFingerprint(read.props)).to.equal(lastDraftFingerprint(outs));
    expect(read.props.etag).to.not.equal(outs.etag);
    expect(await offer.diff(id, read.props, inputs)).to.deep.include({ changes: false });
    // The oracle can fail: a real listing change moves it.
    const changed = await checked({ ...inputs, definition: sampleDefinition({ summary: "Other" }) });
    expect(offerFingerprint(changed.definition)).to.not.equal(outs.fingerprint);
  });

  it("SAS signatures: sent in the PUT, absent from outputs, no refresh flap; a new signature alone updates", async () => {
    const split = splitSas(sampleDefinition());
    expect(JSON.stringify(split.value)).to.contain("sig=[secret]").and.not.contain("planted-sas-signature");
    const inputs = await checked(fresh({ definition: split.value, sasSignatures: split.signatures }));
    const { id, outs } = await offer.create(inputs);
    const draft = JSON.stringify(await env.control("GET", `/offers/${PUB}/${inputs.offerId}`));
    expect(draft).to.contain("sig=planted-sas-signature").and.not.contain("[secret]");
    expect(JSON.stringify(outs)).to.not.contain("planted-sas-signature").and.not.contain("sasSignatures");
    // The Draft's fingerprint covers the signatures, the public one does not: both are stored.
    expect(outs.draftFingerprint)
      .to.match(/^sha256:/)
      .and.not.equal(outs.fingerprint);
    const read = await offer.read(id, outs);
    expect(read.inputs).to.equal(undefined);
    expect(await offer.diff(id, read.props, inputs)).to.deep.include({ changes: false });
    const renewed = {
      ...inputs,
      sasSignatures: JSON.parse(JSON.stringify(split.signatures).replace(/planted-sas-signature/g, "renewed-sig")),
    };
    expect(await offer.diff(id, read.props, renewed)).to.deep.include({ changes: true });
    const { outs: after } = await offer.update(id, read.props, renewed);
    expect(after.fingerprint).to.equal(outs.fingerprint);
    expect(JSON.stringify(await env.control("GET", `/offers/${PUB}/${inputs.offerId}`))).to.contain("sig=renewed-sig");
  });

  it("read of a vanished offer returns an empty id (refresh drops it)", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    await env.control("DELETE", `/offers/${PUB}/${inputs.offerId}`);
    expect((await offer.read(id, outs)).id).to.equal("");
  });

  it("delete retains the offer, makes no request and prints one warning line", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    await env.clearLog();
    const { lines } = await captureConsole(() => offer.delete(id, outs));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/warning: .*retained in Partner Center: an offer is never deleted by Pulumi/);
    expect(await env.requests()).to.deep.equal([]);
  });

  it("leaves pricing owned by VmPricing alone when the Offer's plans omit it", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const pricing = env.provider("vmPricing");
    await pricing.create({
      publisherId: PUB,
      offerId: inputs.offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.07 },
    });
    await env.clearLog();
    const news = await checked({ ...inputs, definition: sampleDefinition({ summary: "New words" }) });
    await offer.update(id, outs, news);
    expect((await env.requests()).map((r) => r.method)).to.deep.equal(["GET", "PUT"]);
    const draft = await env.control("GET", `/offers/${PUB}/${inputs.offerId}`);
    const plan = JSON.stringify(draft);
    expect(plan).to.contain('"single":0.07');
    expect(plan).to.contain("New words");
  });

  it("secrets are written, never in outputs (nor a hash of them), do not make diffs flap; a rotation updates", async () => {
    const lead = "microsoft-azure-marketplace.tableLeadConfiguration";
    const def = sampleDefinition();
    (def.offer as any)[lead] = { tableName: "leads" };
    const secrets = { [`offer/${lead}/storageAccountConnectionString`]: "planted-lead-connection-string" };
    const inputs = await checked(fresh({ definition: def, secrets }));
    const { id, outs } = await offer.create(inputs);
    const internal = JSON.stringify(await env.control("GET", `/offers/${PUB}/${inputs.offerId}`));
    expect(internal).to.contain("planted-lead-connection-string");
    expect(JSON.stringify(outs)).to.not.contain("planted-lead-connection-string");
    const read = await offer.read(id, outs);
    expect(JSON.stringify(read)).to.not.contain("planted-lead-connection-string");
    expect(read.inputs).to.equal(undefined);
    expect(await offer.diff(id, read.props, inputs)).to.deep.include({ changes: false });
    // A rotated secret: check (which sees the old inputs) bumps secretsRevision, so diff sees it.
    const rotated = await checked(
      { ...inputs, secrets: { [`offer/${lead}/storageAccountConnectionString`]: "rotated-lead-secret" } },
      inputs,
    );
    expect(rotated.secretsRevision).to.equal(1);
    expect(await offer.diff(id, read.props, rotated)).to.deep.include({ changes: true });
    const { outs: after } = await offer.update(id, read.props, rotated);
    expect(JSON.stringify(await env.control("GET", `/offers/${PUB}/${inputs.offerId}`))).to.contain(
      "rotated-lead-secret",
    );
    expect(after.fingerprint).to.equal(outs.fingerprint);
    expect(
      await offer.diff(id, after, await offer.check(rotated, { ...rotated }).then((r: any) => r.inputs)),
    ).to.deep.include({ changes: false });
  });
});
