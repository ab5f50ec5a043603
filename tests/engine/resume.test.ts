// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";

/** Long operations under the real engine: deadline and resume, adoption, cancel on destroy. */
describe("engine: publish deadline and resume, adopt, cancel on destroy", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  const spec = { offerId: "resume-offer", timeoutSeconds: 1, failOnTimeout: true, adopt: false, publish: true };
  const program = async () => {
    const { Offer, OfferPublish } = kit.cpp;
    const offer = new Offer("offer", {
      publisherId: PUB,
      offerId: spec.offerId,
      definition: sampleDefinition({ pricedPlans: true }),
      adopt: spec.adopt,
    });
    if (!spec.publish) return { etag: offer.etag };
    const pub = new OfferPublish("publish", {
      publisherId: PUB,
      offerId: offer.offerId,
      target: "preview",
      timeoutSeconds: spec.timeoutSeconds,
      failOnTimeout: spec.failOnTimeout,
    });
    return { etag: offer.etag, status: pub.operationStatus, phase: pub.phase };
  };
  const publishPosts = async () =>
    (await emulator.control.requests()).filter(
      (r) => r.kind === "api" && r.method === "POST" && r.path.endsWith("/publish"),
    );

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator?.close());

  it("failOnTimeout: a publish that passes its deadline stays in state with init errors; the next up finishes it with exactly one publish", async () => {
    const stack = await inlineStack(kit, "resume", program);
    await configureForEmulator(stack, emulator);
    const first = await stack.up().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String(first?.message))
      .to.match(/still in progress.* after 1 s/)
      .and.match(/failOnTimeout is set/);
    const deployment = (await stack.exportStack()).deployment as {
      resources: Array<{ type: string; initErrors?: string[]; outputs?: Record<string, unknown> }>;
    };
    const pub = deployment.resources.find((r) => r.type.endsWith(":OfferPublish"))!;
    expect(pub.initErrors?.[0]).to.match(/still in progress/);
    expect(pub.outputs).to.include({ phase: "inProgress", operationKind: "publish" });
    expect(pub.outputs?.operationUrl).to.be.a("string");
    // Days pass on the service (the emulated clock is moved, nobody waits); the next up follows
    // the same operation, which is now at sign-off: no second publish, and the init error is gone.
    await emulator.control.clock({ advanceMs: 8 * 24 * 3600_000 });
    spec.timeoutSeconds = 60;
    const second = await stack.up();
    expect(second.summary.result).to.equal("succeeded");
    expect(await publishPosts()).to.have.length(1);
    expect(second.outputs.phase?.value).to.equal("waitingForSignoff");
    const after = (await stack.exportStack()).deployment as typeof deployment;
    expect(after.resources.find((r) => r.type.endsWith(":OfferPublish"))!.initErrors ?? []).to.deep.equal([]);
    await stack.destroy();
  });

  it("adopt: true takes over an offer that already exists", async () => {
    const definition = sampleDefinition({ pricedPlans: true, summary: "Made in the portal" });
    await emulator.control.seed({
      offers: [
        {
          publisherId: PUB,
          offer: { id: "adopted-offer", publisherId: PUB, offerTypeId: "microsoft-azure-virtualmachines", definition },
        },
      ],
    });
    spec.offerId = "adopted-offer";
    spec.publish = false;
    const stack = await inlineStack(kit, "adopt", program);
    await configureForEmulator(stack, emulator);
    const refused = await stack.up().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String(refused?.message))
      .to.match(/already exists/)
      .and.match(/adopt: true/);
    spec.adopt = true;
    const events: any[] = [];
    await stack.up({ onEvent: (e) => events.push(e) });
    const lines = events
      .filter((e) => e.diagnosticEvent)
      .map((e) => e.diagnosticEvent.message)
      .join("\n");
    expect(lines).to.match(
      /adopting the existing offer; this program changes offer\.microsoft-azure-marketplace\.summary/,
    );
    const offer = await emulator.control.offer(PUB, "adopted-offer");
    expect(offer.draft.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Network appliance image");
    await stack.preview({ expectNoChanges: true });
    await stack.destroy();
  });

  it("destroy cancels a publish that is still running", async () => {
    await emulator.control.clock({ timeScale: 1 });
    spec.offerId = "cancel-offer";
    spec.adopt = false;
    spec.publish = true;
    spec.timeoutSeconds = 1;
    const stack = await inlineStack(kit, "cancel", program);
    await configureForEmulator(stack, emulator);
    await stack.up().then(
      () => undefined,
      () => undefined,
    );
    const events: any[] = [];
    await stack.destroy({ onEvent: (e) => events.push(e) });
    const lines = events
      .filter((e) => e.diagnosticEvent)
      .map((e) => e.diagnosticEvent.message)
      .join("\n");
    expect(lines).to.match(/canceling the running operation/);
    const ops = (await emulator.control.operations()).filter(
      (o) => o.offerId === "cancel-offer" && o.type === "publish",
    );
    expect(ops.map((o) => o.status)).to.deep.equal(["canceled"]);
  });
});
