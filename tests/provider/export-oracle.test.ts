// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { classifyPlanImages } from "../../provider/export/images.js";
import { classifyPlanPricing } from "../../provider/export/pricing.js";
import { exportSeedOffers, UNMODELLED_PRICING } from "../helpers/export-offers.js";
import { startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

/**
 * The export's pricing rule against what VmPricing really does: where the export keeps wire
 * pricing, a VmPricing would have written (so the engine test's "no PUT" oracle can fail);
 * where it emits VmPricing, applying it writes nothing.
 */
describe("export pricing and image rules vs VmPricing and VmImageVersion against the emulator", () => {
  let env: ProviderEnv;
  before(async () => {
    env = await startProviderEnv();
    await env.control("POST", "/seed", { offers: exportSeedOffers() });
  });
  after(() => env.close());

  const applyTyped = async (offerId: string, planId: string, spec: unknown) => {
    const pricing = env.provider("vmPricing");
    const { inputs } = await pricing.check({}, { publisherId: PUB, offerId, planId, pricing: spec });
    await env.clearLog();
    await pricing.create(inputs);
    return (await env.requests()).filter((r) => r.method === "PUT");
  };

  it("crafted bad case: normalising {isByol: true} into a byol VmPricing writes the offer", async () => {
    expect(
      classifyPlanPricing({ planId: "partners", virtualMachinePricing: UNMODELLED_PRICING.byolWithoutTrial }).kind,
    ).to.equal("wire");
    const puts = await applyTyped("private", "partners", { kind: "byol" });
    expect(puts).to.have.length(1);
  });

  it("every plan the export types is applied by VmPricing without a write", async () => {
    let typed = 0;
    for (const seed of exportSeedOffers().filter(
      (s) => s.offer.offerTypeId === "microsoft-azure-virtualmachines" && s.offer.id !== "private",
    )) {
      for (const plan of (seed.offer.definition as any).plans) {
        const verdict = classifyPlanPricing(plan);
        if (verdict.kind !== "typed") continue;
        typed++;
        expect(
          await applyTyped(seed.offer.id as string, plan.planId, verdict.spec),
          `${seed.offer.id}/${plan.planId}`,
        ).to.deep.equal([]);
      }
    }
    expect(typed).to.equal(6);
  });

  const applyImage = async (offerId: string, planId: string, image: Record<string, unknown>) => {
    const handler = env.provider("vmImageVersion");
    const checked = await handler.check({}, { publisherId: PUB, offerId, planId, ...image });
    expect(checked.failures ?? []).to.deep.equal([]);
    await env.clearLog();
    await handler.create(checked.inputs);
    return (await env.requests()).filter((r) => r.method === "PUT");
  };

  it("every image version the export types is applied by VmImageVersion without a write", async () => {
    let typed = 0;
    for (const seed of exportSeedOffers()) {
      const ref = { publisherId: PUB, offerId: seed.offer.id as string, offerTypeId: seed.offer.offerTypeId as string };
      for (const plan of (seed.offer.definition as any).plans) {
        const verdict = classifyPlanImages(ref, plan, Date.now());
        if (verdict.kind !== "typed") continue;
        for (const image of verdict.images) {
          typed++;
          expect(
            await applyImage(ref.offerId, plan.planId, { ...image }),
            `${ref.offerId}/${plan.planId}`,
          ).to.deep.equal([]);
        }
      }
    }
    expect(typed).to.equal(4);
  });

  it("crafted bad case: an image version that differs from the entry (another SAS) writes the offer", async () => {
    const plan = (exportSeedOffers()[0].offer.definition as any).plans[1];
    const verdict = classifyPlanImages(
      { publisherId: PUB, offerId: "appliance", offerTypeId: "microsoft-azure-virtualmachines" },
      plan,
      Date.now(),
    );
    expect(verdict.kind).to.equal("typed");
    if (verdict.kind !== "typed") return;
    const image = {
      ...verdict.images[0],
      osVhdUrl: verdict.images[0].osVhdUrl.replace("planted-image-signature", "other"),
    };
    expect(await applyImage("appliance", plan.planId, image)).to.have.length(1);
  });
});
