// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { splitSas } from "../../provider/util/sas.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

describe("VmPricing provider against the emulator", () => {
  let env: ProviderEnv;
  let pricing: any;
  let n = 0;

  /** Creates an offer whose plans leave pricing to VmPricing; returns its id. */
  async function newOffer(planIds?: string[]): Promise<string> {
    const offerId = `priced-${++n}`;
    const definition = sampleDefinition();
    if (planIds) {
      const template = definition.plans[0];
      definition.plans = planIds.map((planId) => ({ ...template, planId }));
    }
    const offer = env.provider("offer");
    const { inputs } = await offer.check({}, { publisherId: PUB, offerId, definition });
    await offer.create(inputs);
    return offerId;
  }
  const planPricing = async (offerId: string, planId: string) => {
    const internal = await env.control("GET", `/offers/${PUB}/${offerId}`);
    const draft = internal.draft ?? internal;
    return draft.definition.plans.find((p: any) => p.planId === planId).virtualMachinePricing;
  };

  before(async () => {
    env = await startProviderEnv();
    pricing = env.provider("vmPricing");
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check normalises (a zero free trial is none) and names bad input", async () => {
    const ok = await pricing.check(
      {},
      {
        publisherId: PUB,
        offerId: "o",
        planId: "p",
        pricing: { kind: "perCore", pricePerCoreUsd: 1, freeTrialMonths: 0 },
      },
    );
    expect(ok.inputs.pricing).to.deep.equal({ kind: "perCore", pricePerCoreUsd: 1 });
    const bad = await pricing.check(
      {},
      { publisherId: PUB, offerId: "o", planId: "p", pricing: { kind: "perCoreSize", pricesUsd: { "3core": 1 } } },
    );
    expect(bad.failures[0].property).to.equal('pricing.pricesUsd["3core"]');
  });

  it("create: GET + PUT with If-Match, the plan gets the wire pricing", async () => {
    const offerId = await newOffer();
    await env.clearLog();
    const { id, outs } = await pricing.create({
      publisherId: PUB,
      offerId,
      planId: "payg",
      pricing: { kind: "perCoreSize", pricesUsd: { "1core": 0.02, "2core": 0.04 } },
    });
    expect(id).to.equal(`${PUB}/${offerId}/payg`);
    const reqs = await env.requests();
    expect(reqs.map((r) => r.method)).to.deep.equal(["GET", "PUT"]);
    expect(reqs[1].ifMatch).to.match(/^W\/"datetime'/);
    expect(await planPricing(offerId, "payg")).to.deep.equal({
      isByol: false,
      freeTrialDurationInMonths: 0,
      coreMultiplier: { currency: "USD", individually: { "1core": 0.02, "2core": 0.04 } },
    });
    expect(outs.virtualMachinePricing).to.deep.equal(await planPricing(offerId, "payg"));
  });

  it("several VmPricing of one offer applied in parallel all land, nothing else changes", async function () {
    this.timeout(60_000);
    const plans = ["p1", "p2", "p3", "p4", "p5", "p6"];
    const offerId = await newOffer(plans);
    const before = await env.control("GET", `/offers/${PUB}/${offerId}`);
    await env.clearLog();
    const { error, lines } = await captureConsole(() =>
      Promise.all(
        plans.map((planId, i) =>
          pricing.create({ publisherId: PUB, offerId, planId, pricing: { kind: "perCore", pricePerCoreUsd: i + 1 } }),
        ),
      ),
    );
    if (error) throw error;
    // Parallel writers collide: the losers say so and read again.
    expect(lines.some((l) => /changed while pricing was written/.test(l))).to.equal(true);
    for (const [i, planId] of plans.entries()) {
      expect((await planPricing(offerId, planId)).coreMultiplier.single).to.equal(i + 1);
    }
    const after = await env.control("GET", `/offers/${PUB}/${offerId}`);
    const strip = (doc: any) => {
      const d = JSON.parse(JSON.stringify(doc.draft ?? doc));
      for (const p of d.definition.plans) delete p.virtualMachinePricing;
      return d.definition;
    };
    expect(strip(after)).to.deep.equal(strip(before));
    const reqs = await env.requests();
    const puts = reqs.filter((r) => r.method === "PUT");
    expect(puts.filter((r) => r.status === 200)).to.have.length(plans.length);
    expect(puts.every((r) => r.ifMatch && r.ifMatch !== "*")).to.equal(true);
  });

  it("read returns the typed union; drift in pricing shows", async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, planId: "byol", pricing: { kind: "byol" } };
    const { id, outs } = await pricing.create(inputs);
    const read = await pricing.read(id, outs);
    expect(read.props.pricing).to.deep.equal({ kind: "byol" });
    expect(await pricing.diff(id, read.props, inputs)).to.deep.include({ changes: false });
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, {
      definition: {
        plans: (await env.control("GET", `/offers/${PUB}/${offerId}`)).draft?.definition.plans.map((p: any) =>
          p.planId === "byol"
            ? { ...p, virtualMachinePricing: { isByol: false, coreMultiplier: { currency: "USD", single: 9 } } }
            : p,
        ),
      },
    });
    env.nextOperation();
    const drifted = await pricing.read(id, outs);
    expect(drifted.inputs.pricing).to.deep.equal({ kind: "perCore", pricePerCoreUsd: 9 });
    expect(await pricing.diff(id, drifted.props, inputs)).to.deep.include({ changes: true });
  });

  it("fingerprint: of the wire pricing as applied; refresh (even with drift) never moves it; a price change does", async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, planId: "payg", pricing: { kind: "perCore", pricePerCoreUsd: 0.05 } };
    const { id, outs } = await pricing.create(inputs);
    expect(outs.fingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
    await pricing.create({ publisherId: PUB, offerId, planId: "byol", pricing: { kind: "byol" } });
    expect((await pricing.read(id, outs)).props.fingerprint).to.equal(outs.fingerprint);
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Portal edit" } });
    env.nextOperation();
    expect((await pricing.read(id, outs)).props.fingerprint).to.equal(outs.fingerprint);
    const { outs: changed } = await pricing.update(id, outs, {
      ...inputs,
      pricing: { kind: "perCore", pricePerCoreUsd: 0.06 },
    });
    expect(changed.fingerprint).to.not.equal(outs.fingerprint);
  });

  it("a spreadsheet URI's SAS signature is written but kept out of outputs, and refresh does not flap", async () => {
    const offerId = await newOffer();
    const split = splitSas({
      kind: "spreadsheet",
      uri: "https://fab.blob.core.windows.net/p/prices.xlsx?sv=1&sig=planted-sheet-sig",
    });
    const inputs = { publisherId: PUB, offerId, planId: "payg", pricing: split.value, sasSignatures: split.signatures };
    const { id, outs } = await pricing.create(inputs);
    expect((await planPricing(offerId, "payg")).spreadSheetPricing.uri).to.contain("sig=planted-sheet-sig");
    expect(JSON.stringify(outs)).to.not.contain("planted-sheet-sig");
    const read = await pricing.read(id, outs);
    expect(JSON.stringify(read.props)).to.not.contain("planted-sheet-sig");
    expect(read.inputs.sasSignatures).to.deep.equal(split.signatures);
    expect(await pricing.diff(id, read.props, inputs)).to.deep.include({ changes: false });
    const renewed = { ...inputs, sasSignatures: { "/uri": ["renewed-sheet-sig"] } };
    expect(await pricing.diff(id, read.props, renewed)).to.deep.include({ changes: true });
  });

  it("a plan missing from the offer is an error naming the plan and the fix", async () => {
    const offerId = await newOffer();
    const e = await rejection(pricing.create({ publisherId: PUB, offerId, planId: "nope", pricing: { kind: "byol" } }));
    expect(e.message)
      .to.match(/has no plan "nope"/)
      .and.match(/Offer's definition\.plans/);
  });

  it("a missing offer is an error saying to create it first", async () => {
    const e = await rejection(
      pricing.create({ publisherId: PUB, offerId: "no-such-offer", planId: "p", pricing: { kind: "byol" } }),
    );
    expect(e.message)
      .to.match(/does not exist/)
      .and.match(/Offer resource/);
  });

  it("delete keeps the plan's pricing and says so", async () => {
    const offerId = await newOffer();
    const { id, outs } = await pricing.create({ publisherId: PUB, offerId, planId: "byol", pricing: { kind: "byol" } });
    await env.clearLog();
    const { lines } = await captureConsole(() => pricing.delete(id, outs));
    expect(lines.join("\n")).to.match(/keeps its current pricing/);
    expect(await env.requests()).to.deep.equal([]);
    expect(await planPricing(offerId, "byol")).to.deep.equal({ isByol: true, freeTrialDurationInMonths: 0 });
  });

  it("on a live offer: refuses a price increase and a model change, allows a decrease", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId };
    await pricing.create({ ...base, planId: "byol", pricing: { kind: "byol" } });
    const { id, outs } = await pricing.create({
      ...base,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.1 },
    });
    await captureConsole(() =>
      env.provider("offerPublish").create({ ...base, target: "live", approvedContentHash: "unreviewed" }),
    );
    const up = await rejection(
      pricing.update(id, outs, { ...base, planId: "payg", pricing: { kind: "perCore", pricePerCoreUsd: 0.2 } }),
    );
    expect(up.message)
      .to.match(/would rise from 0.1 to 0.2/)
      .and.match(/cannot be increased/);
    const model = await rejection(pricing.update(id, outs, { ...base, planId: "payg", pricing: { kind: "byol" } }));
    expect(model.message).to.match(/billing model of a published plan cannot change/);
    await pricing.update(id, outs, { ...base, planId: "payg", pricing: { kind: "perCore", pricePerCoreUsd: 0.05 } });
    expect((await planPricing(offerId, "payg")).coreMultiplier.single).to.equal(0.05);
  });
});
