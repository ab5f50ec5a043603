// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { sasUrl, vmDefinitionWithoutImages } from "../helpers/images.js";
import { setReadClock } from "../../provider/handlers/context.js";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

/**
 * A refresh reads each offer once: the read handlers of an offer's resources (Offer, VmPricing,
 * VmImageVersion, OfferPublish), called one after another in one provider process as the engine
 * calls them, share one GET of the offer within `cloudpartner:readReuseSeconds`, unless the
 * process wrote the offer since. Real handlers, real client, real emulator.
 */
describe("refresh: one read of an offer serves all its resources", () => {
  let n = 0;

  /** An offer with an Offer, a VmPricing, a VmImageVersion and an OfferPublish, as after `pulumi up`. */
  async function stackOf(env: ProviderEnv) {
    const offerId = `refresh-${++n}`;
    const definition = vmDefinitionWithoutImages(["byol", "payg"]);
    // The payg plan's pricing is VmPricing's to own.
    delete (definition.plans[1] as Record<string, unknown>).virtualMachinePricing;
    const offer = env.provider("offer");
    const { inputs } = await offer.check({}, { publisherId: PUB, offerId, definition });
    const o = await offer.create(inputs);
    const pricing = env.provider("vmPricing");
    const p = await pricing.create({ publisherId: PUB, offerId, planId: "payg", pricing: { kind: "byol" } });
    const image = env.provider("vmImageVersion");
    const images = [];
    for (const planId of ["byol", "payg"]) {
      const news = { publisherId: PUB, offerId, planId, version: "1.0.0", osVhdUrl: sasUrl(`os-${planId}`) };
      images.push(await image.create((await image.check({}, news)).inputs));
    }
    const publish = env.provider("offerPublish");
    const published = await captureConsole(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    if (published.error) throw published.error;
    const u = (published.result as any).outs;
    const all = [
      [offer, o.id, o.outs],
      [pricing, p.id, p.outs],
      ...images.map((i) => [image, i.id, i.outs] as const),
      [publish, `${PUB}/${offerId}`, u],
    ] as const;
    return {
      offerId,
      /** Reads each resource in turn, as a refresh does; returns what each read. */
      refresh: async () => {
        const out: any[] = [];
        for (const [provider, id, outs] of all) out.push(await provider.read(id, outs));
        return out;
      },
      pricingState: { provider: pricing, id: p.id, outs: p.outs },
    };
  }

  const offerGets = async (env: ProviderEnv, offerId: string) =>
    (await env.requests()).filter((r) => r.method === "GET" && r.path === `/api/publishers/${PUB}/offers/${offerId}`);

  const editPayg = (env: ProviderEnv, offerId: string, single: number) =>
    env.control("GET", `/offers/${PUB}/${offerId}`).then((doc: any) =>
      env.control("PATCH", `/offers/${PUB}/${offerId}`, {
        definition: {
          plans: doc.draft.definition.plans.map((plan: any) =>
            plan.planId === "payg"
              ? { ...plan, virtualMachinePricing: { isByol: false, coreMultiplier: { currency: "USD", single } } }
              : plan,
          ),
        },
      }),
    );

  describe("by default (reuse for 300 s)", () => {
    let env: ProviderEnv;
    before(async () => {
      env = await startProviderEnv();
    });
    after(() => env.close());

    it("five resources of one offer: one GET; the next operation reads again", async function () {
      this.timeout(60_000);
      const s = await stackOf(env);
      env.nextOperation();
      await env.clearLog();
      const [offer, pricing, image, , publish] = await s.refresh();
      expect(await offerGets(env, s.offerId)).to.have.length(1);
      // Each read still reports the service's document.
      expect(offer.inputs).to.equal(undefined);
      expect(pricing.props.pricing).to.deep.equal({ kind: "byol" });
      expect(image.id).to.equal(`${PUB}/${s.offerId}/byol/1.0.0`);
      expect(publish.props.offerStatus).to.equal("waitingForPublisherReview");
      env.nextOperation();
      await env.clearLog();
      await s.refresh();
      expect(await offerGets(env, s.offerId)).to.have.length(1);
    });

    it("an edit outside Pulumi during a refresh shows in the next one; a write of this process makes the next read fresh", async function () {
      this.timeout(60_000);
      const s = await stackOf(env);
      env.nextOperation();
      await env.clearLog();
      await s.refresh();
      await editPayg(env, s.offerId, 9);
      // Same operation: the offer's resources are refreshed from the one document read for it.
      const [, sameOperation] = await s.refresh();
      expect(sameOperation.props.pricing).to.deep.equal({ kind: "byol" });
      expect(await offerGets(env, s.offerId)).to.have.length(1);
      env.nextOperation();
      const [, next] = await s.refresh();
      expect(next.inputs.pricing).to.deep.equal({ kind: "perCore", pricePerCoreUsd: 9 });
      // A write of this process (VmPricing puts the plan's pricing back) forgets the kept copy.
      const { provider, id } = s.pricingState;
      await provider.update(id, next.props, {
        publisherId: PUB,
        offerId: s.offerId,
        planId: "payg",
        pricing: { kind: "byol" },
      });
      await env.clearLog();
      const [, afterWrite] = await s.refresh();
      expect(afterWrite.props.pricing).to.deep.equal({ kind: "byol" });
      expect(await offerGets(env, s.offerId)).to.have.length(1);
    });

    // What is never taken from the copy.
    it("a write after a refresh reads the offer itself, so it sees an edit made since and sends that ETag", async function () {
      this.timeout(60_000);
      const s = await stackOf(env);
      env.nextOperation();
      const [, read] = await s.refresh();
      await editPayg(env, s.offerId, 5);
      await env.clearLog();
      const { provider, id } = s.pricingState;
      const news = {
        publisherId: PUB,
        offerId: s.offerId,
        planId: "payg",
        pricing: { kind: "perCore", pricePerCoreUsd: 6 },
      };
      await provider.update(id, read.props, news);
      // With the refresh's copy it would PUT a stale ETag: 412, then read again.
      const log = (await env.requests()).map((r) => `${r.method} ${r.status}`);
      expect(log).to.deep.equal(["GET 200", "PUT 200"]);
      const doc = await env.control("GET", `/offers/${PUB}/${s.offerId}`);
      const payg = doc.draft.definition.plans.find((p: any) => p.planId === "payg");
      expect(payg.virtualMachinePricing.coreMultiplier.single).to.equal(6);
    });

    it("an OfferPublish whose operation still runs reads the offer's status afresh, beside the operation", async function () {
      this.timeout(60_000);
      const s = await stackOf(env);
      env.nextOperation();
      const [, , , , published] = await s.refresh();
      await env.clearLog();
      // As the state holds it while a publish runs: the operation not ended.
      const publish = env.provider("offerPublish");
      await publish.read(`${PUB}/${s.offerId}`, { ...published.props, operationStatus: "running" });
      const paths = (await env.requests()).map((r) => r.path);
      expect(paths.filter((p) => p === `/api/publishers/${PUB}/offers/${s.offerId}`)).to.have.length(1);
      expect(paths.filter((p) => p.includes("/operations/"))).to.have.length(1);
    });
  });

  describe("cloudpartner:readReuseSeconds", () => {
    it("0: every resource reads for itself", async function () {
      this.timeout(60_000);
      const env = await startProviderEnv({ config: { "cloudpartner:readReuseSeconds": "0" } });
      try {
        const s = await stackOf(env);
        await env.clearLog();
        await s.refresh();
        expect(await offerGets(env, s.offerId)).to.have.length(5);
      } finally {
        await env.close();
      }
    });

    it("a copy older than the setting is read again (the clients' clock is moved, nobody waits)", async function () {
      this.timeout(60_000);
      let now = 0;
      setReadClock(() => now);
      const env = await startProviderEnv({ config: { "cloudpartner:readReuseSeconds": "2" } });
      try {
        const s = await stackOf(env);
        env.nextOperation();
        await env.clearLog();
        await s.refresh();
        expect(await offerGets(env, s.offerId)).to.have.length(1);
        await editPayg(env, s.offerId, 7);
        now += 1_900; // still within the setting: the refresh reuses the copy
        const [, kept] = await s.refresh();
        expect(kept.inputs.pricing).to.not.deep.equal({ kind: "perCore", pricePerCoreUsd: 7 });
        expect(await offerGets(env, s.offerId)).to.have.length(1);
        now += 200; // past it
        const [, pricing] = await s.refresh();
        expect(pricing.inputs.pricing).to.deep.equal({ kind: "perCore", pricePerCoreUsd: 7 });
        expect(await offerGets(env, s.offerId)).to.have.length(2);
      } finally {
        setReadClock(undefined);
        await env.close();
      }
    });
  });
});
