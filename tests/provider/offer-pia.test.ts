// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { definitionToPia } from "../../provider/pia-offer/index.js";
import { piaDraftDigest } from "../../provider/pia-offer/draft.js";
import { delegatedParts } from "../../provider/offer/document.js";
import { sentDefinition } from "../../provider/offer/diff.js";
import { DURABLE_ID_PATTERN } from "../../provider/pia/index.js";
import { emulatedWaits, piaClient } from "../helpers/pia-client.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const NS = "microsoft-azure-marketplace.";
const SUMMARY = `${NS}summary`;
const PIA = { "cloudpartner:api": "productIngestion" };
const durable = new RegExp(DURABLE_ID_PATTERN);

/**
 * The Offer on the emulator's Product Ingestion API (`cloudpartner:api: productIngestion`),
 * through the real provider handlers, got and msal-node over loopback; what the service holds is
 * read back through the control API (one store for both APIs).
 */
describe("Offer provider on the Product Ingestion API", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let offer: any;
  let n = 0;
  const fresh = (over: Record<string, unknown> = {}) => ({
    publisherId: PUB,
    offerId: `pia-offer-${++n}`,
    definition: sampleDefinition({ forPia: true }),
    ...over,
  });
  const checked = async (inputs: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
    const r = await offer.check(olds, inputs);
    expect(r.failures ?? []).to.deep.equal([]);
    return r.inputs;
  };
  const summaryOf = async (offerId: string) =>
    (await env.emulator.control.offer(PUB, offerId)).draft.definition.offer[SUMMARY];
  const piaPosts = async () =>
    (await env.requests({ kinds: ["pia"] })).filter((r) => r.method === "POST" && r.path.endsWith("/configure"));

  before(async () => {
    env = await startProviderEnv({ config: PIA });
    offer = env.provider("offer");
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check names each key the Product Ingestion API cannot hold, with the fix; the same input passes on CPP", async () => {
    const definition = sampleDefinition({ forPia: true });
    (definition.offer as Record<string, unknown>)[`${NS}offerMarketingUrlIdentifier`] = "fabrikam";
    (definition.plans[0] as Record<string, unknown>).virtualMachinePricing = {
      isByol: false,
      spreadSheetPricing: "https://example.invalid/prices.xlsx",
    };
    const inputs = fresh({ definition });
    const expected = definitionToPia({
      offerId: inputs.offerId,
      offerTypeId: "microsoft-azure-virtualmachines",
      definition,
    }).problems.map((p) => p.path);
    expect(expected, "the crafted definition has problems").to.not.deep.equal([]);
    const { failures } = await offer.check({}, inputs);
    expect((failures ?? []).map((f: any) => f.property)).to.include.members(expected);
    const spreadsheet = failures.find((f: any) => f.property.endsWith("spreadSheetPricing"));
    expect(spreadsheet.reason).to.contain('cloudpartner:api is "productIngestion"');
    expect(await env.requests({ includeAad: true, kinds: ["api", "pia"] })).to.deep.equal([]);

    env.reconfigure({ "cloudpartner:api": undefined });
    try {
      const cpp = await offer.check({}, inputs);
      expect((cpp.failures ?? []).map((f: any) => f.property)).to.not.include.members(expected);
    } finally {
      env.reconfigure(PIA);
    }
  });

  it("check refuses an offer type the Product Ingestion API back end does not translate", async () => {
    const { failures } = await offer.check({}, fresh({ offerTypeId: "microsoft-azure-solutiontemplates" }));
    expect(failures.map((f: any) => f.property)).to.include("offerTypeId");
  });

  it("create writes the whole offer in one configure job, reads it back, and outputs the durable ids", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    expect(id).to.equal(`${PUB}/${inputs.offerId}`);
    expect(await piaPosts()).to.have.length(1);
    expect(await env.requests()).to.deep.equal([], "no CPP request");
    expect(outs.productId)
      .to.match(/^product\//)
      .and.match(durable);
    expect(Object.keys(outs.planIds).sort()).to.deep.equal(inputs.definition.plans.map((p: any) => p.planId).sort());
    for (const planId of Object.values(outs.planIds)) expect(planId).to.match(/^plan\//);
    expect(outs.piaDraftFingerprint, "the compact form state keeps").to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(outs).to.not.have.property("definition");
    // What the service holds: the definition's texts, plans and image versions.
    const held = await env.emulator.control.offer(PUB, inputs.offerId);
    expect(held.draft.definition.offer[SUMMARY]).to.equal(inputs.definition.offer[SUMMARY]);
    expect(held.draft.definition.plans.map((p: any) => p.planId).sort()).to.deep.equal(
      inputs.definition.plans.map((p: any) => p.planId).sort(),
    );
    expect(held.pia?.product).to.equal(outs.productId.split("/")[1]);
    expect(await offer.diff(id, outs, inputs)).to.deep.include({ changes: false });
  });

  it("refresh: an unchanged draft returns no inputs; a portal edit returns the remote definition and diff sees it", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    env.nextOperation();
    const same = await offer.read(id, outs);
    expect(same.inputs).to.equal(undefined);
    expect(same.props.piaDraftFingerprint).to.equal(outs.piaDraftFingerprint);
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [SUMMARY]: "Portal edit" } },
    });
    env.nextOperation();
    const drifted = await offer.read(id, outs);
    expect(drifted.inputs.definition.offer[SUMMARY]).to.equal("Portal edit");
    expect(drifted.props.piaDraftFingerprint).to.not.equal(outs.piaDraftFingerprint);
    expect(await offer.diff(id, drifted.props, inputs)).to.deep.include({ changes: true });
    // up after the refresh puts the program's definition back, in one job.
    await env.clearLog();
    await offer.update(id, drifted.props, inputs);
    expect(await piaPosts()).to.have.length(1);
    expect(await summaryOf(inputs.offerId)).to.equal(inputs.definition.offer[SUMMARY]);
  });

  it("refresh: logo URLs the service rewrote to its own storage are not drift; a logo removed is", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const logo = `${NS}smallLogo`;
    // What Partner Center does with an asset posted by URL: it copies it and serves its own URL.
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [logo]: "https://partnercenter.example/assets/0f3e/s.png" } },
    });
    env.nextOperation();
    const read = await offer.read(id, outs);
    expect(read.inputs, "no drift").to.equal(undefined);
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, { definition: { offer: { [logo]: null } } });
    env.nextOperation();
    expect((await offer.read(id, outs)).inputs, "a removed logo is drift").to.not.equal(undefined);
  });

  it("update writes a change in one configure job and nothing through CPP", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    await env.clearLog();
    const news = await checked(
      { ...inputs, definition: sampleDefinition({ forPia: true, summary: "Changed through PIA" }) },
      inputs,
    );
    const { outs: after } = await offer.update(id, outs, news);
    expect(await piaPosts()).to.have.length(1);
    expect(await env.requests()).to.deep.equal([]);
    expect(await summaryOf(inputs.offerId)).to.equal("Changed through PIA");
    expect(after.piaDraftFingerprint).to.not.equal(outs.piaDraftFingerprint);
    expect(after.productId).to.equal(outs.productId);
  });

  it("a change outside Pulumi fails the update as CPP_CHANGED_OUTSIDE, writing nothing; lastWriterWins overwrites it", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [SUMMARY]: "Portal edit" } },
    });
    await env.clearLog();
    const news = await checked({ ...inputs, definition: sampleDefinition({ forPia: true, summary: "Mine" }) }, inputs);
    const e = await rejection(offer.update(id, outs, news));
    expect(e.code).to.equal("CPP_CHANGED_OUTSIDE");
    expect(e.message).to.contain("pulumi refresh").and.contain("lastWriterWins");
    expect(await piaPosts()).to.deep.equal([]);
    expect(await summaryOf(inputs.offerId)).to.equal("Portal edit");

    const lww = await checked({ ...news, concurrency: "lastWriterWins" }, inputs);
    await offer.update(id, outs, lww);
    expect(await summaryOf(inputs.offerId)).to.equal("Mine");
  });

  it("state of earlier builds (the full sha256 form of piaDraftFingerprint) still guards: refresh keeps it, up writes, an outside edit fails", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const legacy = {
      ...outs,
      piaDraftFingerprint: piaDraftDigest(sentDefinition(inputs), {
        offerId: inputs.offerId,
        offerTypeId: inputs.offerTypeId,
        delegated: delegatedParts(inputs.definition),
      }),
    };
    expect(legacy.piaDraftFingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
    env.nextOperation();
    const same = await offer.read(id, legacy);
    expect(same.inputs, "no drift").to.equal(undefined);
    expect(same.props.piaDraftFingerprint, "a refresh shows no change").to.equal(legacy.piaDraftFingerprint);
    const news = await checked(
      { ...inputs, definition: sampleDefinition({ forPia: true, summary: "After upgrade" }) },
      inputs,
    );
    await env.clearLog();
    const { outs: after } = await offer.update(id, legacy, news);
    expect(await piaPosts()).to.have.length(1);
    expect(await summaryOf(inputs.offerId)).to.equal("After upgrade");
    expect(after.piaDraftFingerprint).to.match(/^[A-Za-z0-9_-]{22}$/);

    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, {
      definition: { offer: { [SUMMARY]: "Portal edit" } },
    });
    const e = await rejection(offer.update(id, legacy, news));
    expect(e.code, "the full form of another draft is still an outside change").to.equal("CPP_CHANGED_OUTSIDE");
  });

  it("an update the draft already holds (a job that ended after its wait) writes nothing", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const news = await checked(
      { ...inputs, definition: sampleDefinition({ forPia: true, summary: "Landed" }) },
      inputs,
    );
    await env.control("PATCH", `/offers/${PUB}/${inputs.offerId}`, { definition: { offer: { [SUMMARY]: "Landed" } } });
    await env.clearLog();
    const { lines, result } = await captureConsole(() => offer.update(id, outs, news));
    expect(lines.join("\n")).to.contain("already holds this definition");
    expect(await piaPosts()).to.deep.equal([]);
    expect((result as any).outs.piaDraftFingerprint).to.not.equal(outs.piaDraftFingerprint);
  });

  it("a write lost to another writer between the job and the read after it fails as CPP_LOST_UPDATE", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const news = await checked({ ...inputs, definition: sampleDefinition({ forPia: true, summary: "Ours" }) }, inputs);
    // Real-time clock: jobs wait until the test moves emulated time.
    await env.emulator.control.clock({ timeScale: 1 });
    try {
      const jobsBefore = (await env.emulator.control.piaJobs()).length;
      const pending = offer.update(id, outs, news).catch((e: unknown) => e);
      while ((await env.emulator.control.piaJobs()).length === jobsBefore) {
        // The provider's configure is in flight: each check is one control request, no sleep.
      }
      // The other writer: the listing with another summary, queued behind ours.
      const other = piaClient(env.emulator, emulatedWaits());
      const theirs = definitionToPia({
        offerId: inputs.offerId,
        offerTypeId: "microsoft-azure-virtualmachines",
        definition: sampleDefinition({ forPia: true, summary: "Theirs" }),
        known: { product: outs.productId, plans: outs.planIds },
      }).resources.filter((r) => String(r.$schema).includes("/listing/"));
      expect(theirs).to.have.length(1);
      await other.configure(theirs);
      await env.emulator.control.clock({ advanceMs: 10 * 60_000 });
      const e = (await pending) as Error & { code?: string };
      expect(e).to.be.instanceOf(Error);
      expect(e.code).to.equal("CPP_LOST_UPDATE");
      expect(e.message).to.contain(SUMMARY).and.contain("pulumi refresh");
      expect(await summaryOf(inputs.offerId)).to.equal("Theirs");
    } finally {
      await env.emulator.control.clock({ timeScale: 1_000_000 });
    }
  });

  it("parallel updates of one offer from one process are serialised: both land, in order", async () => {
    const inputs = await checked(fresh());
    const { id, outs } = await offer.create(inputs);
    const a = await checked({ ...inputs, definition: sampleDefinition({ forPia: true, summary: "First" }) }, inputs);
    const b = await checked(
      { ...inputs, definition: sampleDefinition({ forPia: true, summary: "Second" }), concurrency: "lastWriterWins" },
      inputs,
    );
    const [ra, rb] = await Promise.allSettled([offer.update(id, outs, a), offer.update(id, outs, b)]);
    expect(ra.status).to.equal("fulfilled");
    expect(rb.status).to.equal("fulfilled");
    expect(await summaryOf(inputs.offerId)).to.equal("Second");
  });

  it("create of an existing product fails as CPP_OFFER_EXISTS; adopt takes it over", async () => {
    const inputs = await checked(fresh());
    await offer.create(inputs);
    env.nextOperation();
    const other = await checked({
      ...inputs,
      definition: sampleDefinition({ forPia: true, summary: "Other program" }),
    });
    const e = await rejection(offer.create(other));
    expect(e.code).to.equal("CPP_OFFER_EXISTS");
    expect(e.message).to.contain("adopt: true");
    const { outs } = await offer.create({ ...other, adopt: true });
    expect(outs.productId).to.match(/^product\//);
    expect(await summaryOf(inputs.offerId)).to.equal("Other program");
  });

  it("Offer.get through PIA reads the whole draft as inputs, without writing", async () => {
    const inputs = await checked(fresh());
    await offer.create(inputs);
    env.nextOperation();
    await env.clearLog();
    const got = await offer.read(`${PUB}/${inputs.offerId}`, undefined);
    expect(got.inputs.definition.offer[SUMMARY]).to.equal(inputs.definition.offer[SUMMARY]);
    expect(got.props.productId).to.match(/^product\//);
    const methods = (await env.requests({ kinds: ["api", "pia"] })).map((r) => r.method);
    expect(methods.every((m) => m === "GET")).to.equal(true);
    const missing = await rejection(offer.read(`${PUB}/no-such-offer`, undefined));
    expect(missing.code).to.equal("CPP_OFFER_NOT_FOUND");
  });
});
