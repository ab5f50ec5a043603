// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const SUMMARY = "microsoft-azure-marketplace.summary";

/**
 * Publishing follows content under the real engine: the README's pattern
 * (`trigger: [offer.fingerprint, ...pricing fingerprints]`) republishes when, and only when,
 * the content the program owns differs from what was last published. Every count is read from
 * the emulator's operation list (`GET /_emulator/operations`), not from what the provider says.
 */
describe("engine: publishing follows content (publish operations counted on the service)", function () {
  this.timeout(600_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  /** What the program declares; tests change it between runs. */
  const spec = { offerId: "follows-content", summary: "First summary", paygPrice: 0.02, plans: 2 };

  const program = async () => {
    const { Offer, OfferPublish, VmPricing } = kit.cpp;
    const definition = sampleDefinition({ summary: spec.summary });
    if (spec.plans > 2) {
      const template = definition.plans[0];
      definition.plans = Array.from({ length: spec.plans }, (_, i) => ({ ...template, planId: `plan-${i}` }));
    }
    const offer = new Offer("offer", { publisherId: PUB, offerId: spec.offerId, definition });
    const pricings = definition.plans.map(
      (p, i) =>
        new VmPricing(
          `pricing-${p.planId}`,
          {
            publisherId: PUB,
            offerId: offer.offerId,
            planId: p.planId,
            pricing:
              i === 0
                ? { kind: "byol" }
                : { kind: "perCoreSize", pricesUsd: { "1core": spec.paygPrice + i / 100, "2core": 0.04 } },
          },
          { dependsOn: offer },
        ),
    );
    const pub = new OfferPublish("publish", {
      publisherId: PUB,
      offerId: offer.offerId,
      target: "preview",
      timeoutSeconds: 120,
      trigger: [offer.fingerprint, ...pricings.map((p) => p.fingerprint)],
    });
    return { status: pub.operationStatus };
  };
  const publishes = async (offerId = spec.offerId) =>
    (await emulator.control.operations()).filter((o) => o.offerId === offerId && o.type === "publish").length;
  /** Runs `fn` and returns how many publish operations the service started meanwhile. */
  const counted = async (fn: () => Promise<unknown>, offerId = spec.offerId) => {
    const before = await publishes(offerId);
    await fn();
    return (await publishes(offerId)) - before;
  };
  const quiet = { onOutput: () => undefined };
  /**
   * Bytes of the current Offer's checkpoint entry: all of it, and what this package stores (inputs
   * and outputs without `__provider`, the engine's copy of the provider code kept in both).
   */
  const resources = (): any[] => {
    const file = readdirSync(kit.stateDir, { recursive: true })
      .map(String)
      .find((f) => f.endsWith("follows-content.json"))!;
    return JSON.parse(readFileSync(join(kit.stateDir, file), "utf8")).checkpoint.latest.resources;
  };
  const footprint = () => {
    const offer = resources().find((r: any) => r.type.endsWith(":Offer"));
    const own = (side: Record<string, unknown>) => JSON.stringify({ ...side, __provider: undefined }).length;
    const f = {
      entry: JSON.stringify(offer).length,
      ours: own(offer.inputs) + own(offer.outputs),
      outputs: own(offer.outputs),
      definition: JSON.stringify(offer.inputs.definition).length,
    };
    console.log(
      `      Offer entry ${f.entry} B (${(f.entry / f.definition).toFixed(2)}× the definition's ${f.definition} B); ` +
        `inputs+outputs without __provider ${f.ours} B (${(f.ours / f.definition).toFixed(2)}×), outputs ${f.outputs} B`,
    );
    return f;
  };
  const updates = (events: any[]) =>
    events
      .filter((e) => e.resourcePreEvent?.metadata.op === "update")
      .map((e) => e.resourcePreEvent.metadata.type.split(":").pop());

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    stack = await inlineStack(kit, "follows-content", program);
    await configureForEmulator(stack, emulator);
  });
  after(async () => {
    try {
      await stack?.destroy(quiet);
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("the first up publishes exactly once", async () => {
    expect(await counted(() => stack.up(quiet))).to.equal(1);
  });

  it("state footprint (two plans): outputs do not repeat the definition", () => {
    const f = footprint();
    expect(f.outputs).to.be.lessThan(f.definition / 4);
  });

  it("state footprint: every resource stores its provider as a require() of the installed module, not its source", () => {
    const modules: Record<string, string> = { Offer: "offer", VmPricing: "vm-pricing", OfferPublish: "offer-publish" };
    const seen = resources().filter((r: any) => r.custom && r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect([...new Set(seen.map((r: any) => r.type.split(":").pop()))].sort()).to.deep.equal([
      "Offer",
      "OfferPublish",
      "VmPricing",
    ]);
    for (const r of seen) {
      const module = `require("pulumi-cloudpartner/dynamic/${modules[r.type.split(":").pop()]}")`;
      for (const side of [r.inputs, r.outputs]) {
        expect(side.__provider, r.type).to.contain(module);
        // The source of the methods (about 2.8 KB) would be stored if the SDK did not see the
        // object as the module's export.
        expect(side.__provider.length, r.type).to.be.below(400);
      }
    }
  });

  it("up → refresh → preview (expectNoChanges) → up starts 0 publishes", async () => {
    const n = await counted(async () => {
      await stack.refresh(quiet);
      await stack.preview({ ...quiet, expectNoChanges: true });
      const up = await stack.up(quiet);
      expect(up.summary.resourceChanges?.update ?? 0).to.equal(0);
    });
    expect(n).to.equal(0);
  });

  it("`pulumi up --refresh` twice with no change starts 0 publishes", async () => {
    expect(
      await counted(async () => {
        await stack.up({ ...quiet, refresh: true });
        await stack.up({ ...quiet, refresh: true });
      }),
    ).to.equal(0);
  });

  it("a listing change publishes exactly once", async () => {
    spec.summary = "Second summary";
    const events: any[] = [];
    const pv = await stack.preview({ ...quiet, diff: true, onEvent: (e) => events.push(e) });
    expect(updates(events)).to.include.members(["Offer", "OfferPublish"]);
    // Property-level: the changed listing key and both values; SAS signatures only as placeholders.
    expect(pv.stdout).to.contain(SUMMARY).and.contain("First summary").and.contain("Second summary");
    expect(pv.stdout).to.not.contain("planted-sas-signature");
    expect(await counted(() => stack.up(quiet))).to.equal(1);
    expect((await emulator.control.offer(PUB, spec.offerId)).draft.definition.offer[SUMMARY]).to.equal(
      "Second summary",
    );
    await stack.preview({ ...quiet, expectNoChanges: true });
  });

  it("only a VmPricing price change publishes exactly once (the Offer does not change)", async () => {
    spec.paygPrice = 0.03;
    const events: any[] = [];
    expect(await counted(() => stack.up({ ...quiet, onEvent: (e) => events.push(e) }))).to.equal(1);
    expect(updates(events)).to.not.include("Offer");
    expect(updates(events)).to.include.members(["VmPricing", "OfferPublish"]);
    const draft = (await emulator.control.offer(PUB, spec.offerId)).draft;
    expect(draft.definition.plans[1].virtualMachinePricing.coreMultiplier.individually["1core"]).to.equal(0.04);
    await stack.up({ ...quiet, refresh: true, expectNoChanges: true } as any);
  });

  it("a portal edit → refresh → up corrects it and publishes exactly once; then nothing", async () => {
    const n = await counted(async () => {
      await emulator.control.editOffer(PUB, spec.offerId, {
        definition: { offer: { [SUMMARY]: "Edited in the portal" } },
      });
      await stack.refresh(quiet);
      const events: any[] = [];
      const pv = await stack.preview({ ...quiet, diff: true, onEvent: (e) => events.push(e) });
      expect(updates(events)).to.include.members(["Offer", "OfferPublish"]);
      // Refresh carried the remote definition into the inputs: the preview shows the edit it undoes.
      expect(pv.stdout).to.contain("Edited in the portal").and.contain("Second summary");
      await stack.up(quiet);
    });
    expect(n).to.equal(1);
    expect((await emulator.control.offer(PUB, spec.offerId)).draft.definition.offer[SUMMARY]).to.equal(
      "Second summary",
    );
    expect(
      await counted(async () => {
        await stack.preview({ ...quiet, expectNoChanges: true });
        await stack.up({ ...quiet, refresh: true });
      }),
    ).to.equal(0);
  });

  it("six VmPricing applied in parallel plus a publish: exactly one publish, every price lands", async () => {
    spec.offerId = "follows-content-six";
    spec.plans = 6;
    expect(await counted(() => stack.up(quiet), "follows-content-six")).to.equal(1);
    const draft = (await emulator.control.offer(PUB, "follows-content-six")).draft;
    expect(draft.definition.plans.map((p: any) => p.virtualMachinePricing?.isByol)).to.deep.equal([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(await counted(() => stack.up({ ...quiet, refresh: true }), "follows-content-six")).to.equal(0);
  });

  it("state footprint (six plans): what this package stores per Offer is at most 1.3× the definition's JSON", () => {
    const f = footprint();
    expect(f.ours / f.definition).to.be.at.most(1.3);
  });
});
