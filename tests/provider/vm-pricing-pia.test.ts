// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { sampleDefinition } from "../helpers/offers.js";
import { rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const PIA = { "cloudpartner:api": "productIngestion" };

/**
 * VmPricing on the emulator's Product Ingestion API: it owns its plan's pricing and trial of the
 * price-and-availability-plan resource; what the service holds is read back through the control
 * API (one store for both APIs).
 */
describe("VmPricing provider on the Product Ingestion API", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let pricing: any;
  let n = 0;

  /** An Offer (created through PIA) whose plans leave pricing to VmPricing. */
  let lastOffer: { id: string; outs: any; inputs: any };
  async function newOffer(planIds: string[] = ["payg", "byol"]): Promise<string> {
    const offerId = `pia-priced-${++n}`;
    const definition = sampleDefinition({ forPia: true });
    const template = definition.plans[0];
    definition.plans = planIds.map((planId) => ({ ...template, planId }));
    const offer = env.provider("offer");
    const { inputs, failures } = await offer.check({}, { publisherId: PUB, offerId, definition });
    expect(failures ?? []).to.deep.equal([]);
    const { id, outs } = await offer.create(inputs);
    lastOffer = { id, outs, inputs };
    return offerId;
  }
  const planPricing = async (offerId: string, planId: string) => {
    const held = await env.emulator.control.offer(PUB, offerId);
    return held.draft.definition.plans.find((p: any) => p.planId === planId).virtualMachinePricing;
  };
  const checked = async (inputs: Record<string, unknown>) => {
    const r = await pricing.check({}, inputs);
    expect(r.failures ?? []).to.deep.equal([]);
    return r.inputs;
  };
  const piaWrites = async () =>
    (await env.requests({ kinds: ["pia"] })).filter((r) => r.method === "POST" && r.path.endsWith("/configure"));

  before(async () => {
    env = await startProviderEnv({ config: PIA });
    pricing = env.provider("vmPricing");
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check: a spreadsheet, which PIA cannot express, fails at preview naming it; per-core passes", async () => {
    const bad = await pricing.check(
      {},
      {
        publisherId: PUB,
        offerId: "o",
        planId: "p",
        pricing: { kind: "spreadsheet", uri: "https://x.invalid/p.xlsx" },
      },
    );
    expect((bad.failures ?? []).map((f: any) => f.property).join()).to.contain("spreadSheetPricing");
    expect(bad.failures[0].reason).to.contain('cloudpartner:api is "productIngestion"');
    await checked({ publisherId: PUB, offerId: "o", planId: "p", pricing: { kind: "perCore", pricePerCoreUsd: 0.1 } });
    expect(await env.requests({ includeAad: true, kinds: ["api", "pia"] })).to.deep.equal([]);
  });

  it("create writes the plan's pricing and trial in one job, nothing through CPP; the same pricing again writes nothing", async () => {
    const offerId = await newOffer();
    await env.clearLog();
    const inputs = await checked({
      publisherId: PUB,
      offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.25, freeTrialMonths: 1 },
    });
    const { id, outs } = await pricing.create(inputs);
    expect(id).to.equal(`${PUB}/${offerId}/payg`);
    expect(await piaWrites()).to.have.length(1);
    expect(await env.requests()).to.deep.equal([]);
    expect(await planPricing(offerId, "payg")).to.deep.include({
      isByol: false,
      freeTrialDurationInMonths: 1,
      coreMultiplier: { currency: "USD", single: 0.25 },
    });
    expect(outs.etag).to.equal(undefined);
    // What the engine's host sends back must be a protobuf Struct (no undefined members).
    expect(() => Struct.fromJavaScript(outs)).to.not.throw();
    await env.clearLog();
    await pricing.update(id, outs, inputs);
    expect(await piaWrites()).to.deep.equal([]);
  });

  it("two VmPricing of one offer in parallel both land", async () => {
    const offerId = await newOffer();
    const a = await checked({
      publisherId: PUB,
      offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.5 },
    });
    const b = await checked({ publisherId: PUB, offerId, planId: "byol", pricing: { kind: "byol" } });
    await Promise.all([pricing.create(a), pricing.create(b)]);
    expect((await planPricing(offerId, "payg")).coreMultiplier).to.deep.equal({ currency: "USD", single: 0.5 });
    expect((await planPricing(offerId, "byol")).isByol).to.equal(true);
    // An Offer update afterwards (a text change) keeps what both VmPricing wrote, even where
    // the service clears the fields a write omits.
    await env.emulator.control.setModes({ piaOmittedFields: "clear" });
    const offer = env.provider("offer");
    const definition = { ...lastOffer.inputs.definition, offer: { ...lastOffer.inputs.definition.offer } };
    definition.offer["microsoft-azure-marketplace.summary"] = "After pricing";
    const news = (await offer.check(lastOffer.inputs, { ...lastOffer.inputs, definition })).inputs;
    await offer.update(lastOffer.id, lastOffer.outs, news);
    expect((await planPricing(offerId, "payg")).coreMultiplier).to.deep.equal({ currency: "USD", single: 0.5 });
    expect((await planPricing(offerId, "byol")).isByol).to.equal(true);
    await env.emulator.control.setModes({ piaOmittedFields: "keep" });
  });

  it("refresh reads the plan's pricing back as the typed union; a portal change shows as new inputs", async () => {
    const offerId = await newOffer();
    const inputs = await checked({
      publisherId: PUB,
      offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 0.3 },
    });
    const { id, outs } = await pricing.create(inputs);
    env.nextOperation();
    const same = await pricing.read(id, outs);
    expect(same.inputs.pricing).to.deep.equal(inputs.pricing);
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, {
      definition: { plans: [{ planId: "payg", virtualMachinePricing: { isByol: true } }] },
    });
    env.nextOperation();
    const changed = await pricing.read(id, outs);
    expect(changed.inputs.pricing).to.deep.equal({ kind: "byol" });
    expect(await pricing.diff(id, changed.props, inputs)).to.deep.include({ changes: true });
  });

  it("a missing plan or offer is a clear error", async () => {
    const offerId = await newOffer(["payg"]);
    const noPlan = await rejection(
      pricing.create(await checked({ publisherId: PUB, offerId, planId: "nope", pricing: { kind: "byol" } })),
    );
    expect(noPlan.code).to.equal("CPP_PLAN_NOT_FOUND");
    const noOffer = await rejection(
      pricing.create(await checked({ publisherId: PUB, offerId: "no-such", planId: "p", pricing: { kind: "byol" } })),
    );
    expect(noOffer.code).to.equal("CPP_OFFER_NOT_FOUND");
  });
});
