// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The pipeline pattern under the real engine, on the service's clock: the emulator runs at real
 * time with the documented step durations (certification takes days), and emulated time moves
 * only through the control API between runs — nothing here waits on the wall clock. Every count
 * of publish and go-live operations is the emulator's.
 */
describe("engine: publishing on the service's clock (waitFor, phase, approval)", function () {
  this.timeout(600_000);
  let kit: EngineKit;
  let emulator: Emulator;
  /** What the program declares; each test changes it between runs, as commits would. */
  const spec = {
    offerId: "",
    summary: "First summary",
    target: "preview" as "preview" | "live",
    approvedContentHash: undefined as string | undefined,
    waitFor: "accepted" as "accepted" | "signoff" | undefined,
    timeoutSeconds: 60,
  };
  const program = async () => {
    const { Offer, OfferPublish } = kit.cpp;
    const offer = new Offer("offer", {
      publisherId: PUB,
      offerId: spec.offerId,
      definition: sampleDefinition({ pricedPlans: true, summary: spec.summary }),
    });
    const pub = new OfferPublish("publish", {
      publisherId: PUB,
      offerId: offer.offerId,
      target: spec.target,
      waitFor: spec.waitFor,
      approvedContentHash: spec.approvedContentHash,
      timeoutSeconds: spec.timeoutSeconds,
      trigger: [offer.fingerprint],
    });
    return {
      phase: pub.phase,
      step: pub.step,
      stepPercentage: pub.stepPercentage,
      publishedContentHash: pub.publishedContentHash,
      approval: pub.approval,
      failure: pub.failure,
    };
  };
  const count = async (offerId: string) => {
    const ops = (await emulator.control.operations()).filter((o) => o.offerId === offerId);
    return {
      publish: ops.filter((o) => o.type === "publish").length,
      goLive: ops.filter((o) => o.type === "goLive").length,
    };
  };
  const lines = (events: any[]) =>
    events
      .filter((e) => e.diagnosticEvent)
      .map((e) => e.diagnosticEvent.message)
      .join("\n");
  const quiet = { onOutput: () => undefined };
  type Stack = Awaited<ReturnType<typeof inlineStack>>;
  /** The stack's outputs: what `pulumi stack output` shows (written by `up`, not by `refresh`). */
  const outputs = async (stack: Stack) =>
    Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value])) as Record<string, any>;
  /** The OfferPublish's outputs in state, as `pulumi refresh` leaves them. */
  const state = async (stack: Stack) => {
    const deployment = (await stack.exportStack()).deployment as { resources: any[] };
    return deployment.resources.find((r) => r.type.endsWith(":OfferPublish")).outputs as Record<string, any>;
  };
  const newStack = async (name: string, offerId: string) => {
    Object.assign(spec, {
      offerId,
      summary: "First summary",
      target: "preview",
      approvedContentHash: undefined,
      waitFor: "accepted",
      timeoutSeconds: 60,
    });
    const stack = await inlineStack(kit, name, program);
    await configureForEmulator(stack, emulator);
    return stack;
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Error) => e,
    );

  before(async () => {
    kit = await engineKit();
    // Real time (scale 1) and the documented step durations: a publish takes days.
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator?.close());

  it("up (accepted, green) → refresh moves the phase → up publishes nothing → days pass → sign-off → approve → up goes live exactly once", async () => {
    const stack = await newStack("clock-path", "clock-path");
    const first = await stack.up(quiet);
    expect(first.summary.result).to.equal("succeeded");
    expect(await count("clock-path")).to.deep.equal({ publish: 1, goLive: 0 });
    expect(await outputs(stack)).to.include({ phase: "inProgress", step: "Validate Pre-Requisites" });

    await emulator.control.clock({ advanceMs: 3 * HOUR }); // past certification, into provisioning
    await stack.refresh(quiet);
    const moved = await state(stack);
    expect(moved).to.include({ phase: "inProgress", step: "Provisioning" });
    expect(moved.stepPercentage).to.be.a("number");

    // No content change while the operation runs: the preview shows no change, up publishes nothing.
    const preview = await stack.preview(quiet);
    expect(preview.changeSummary).to.deep.equal({ same: 3 });
    await stack.up(quiet);
    expect(await count("clock-path")).to.deep.equal({ publish: 1, goLive: 0 });
    // That up wrote the refreshed phase to the stack's outputs.
    expect(await outputs(stack)).to.include({ phase: "inProgress", step: "Provisioning" });

    await emulator.control.clock({ advanceMs: 8 * DAY });
    await stack.refresh(quiet);
    const signoff = await state(stack);
    expect(signoff.phase).to.equal("waitingForSignoff");
    expect(signoff.publishedContentHash).to.match(/^sha256:[0-9a-f]{64}$/);

    // The go-live change: target live with the reviewed hash. Its preview names what goes live.
    spec.target = "live";
    spec.approvedContentHash = signoff.publishedContentHash;
    const events: any[] = [];
    const shown = await stack.preview({ onEvent: (e) => events.push(e), ...quiet });
    expect(shown.changeSummary).to.include({ update: 1 });
    expect(lines(events)).to.contain(`up would take content ${signoff.publishedContentHash} live`);
    expect(await count("clock-path")).to.deep.equal({ publish: 1, goLive: 0 });
    await stack.up(quiet);
    expect(await count("clock-path")).to.deep.equal({ publish: 1, goLive: 1 });
    const going = await outputs(stack);
    expect(going.phase).to.equal("inProgress");
    expect(going.approval).to.include({ contentHash: signoff.publishedContentHash, reviewed: true });
    expect(Number.isNaN(Date.parse(going.approval.recordedAt))).to.equal(false);

    await emulator.control.clock({ advanceMs: 5 * DAY });
    await stack.refresh(quiet);
    expect((await state(stack)).phase).to.equal("live");
    expect((await emulator.control.offer(PUB, "clock-path")).production).to.not.equal(null);
    await stack.preview({ expectNoChanges: true, ...quiet });
    await stack.up(quiet);
    expect(await count("clock-path")).to.deep.equal({ publish: 1, goLive: 1 });
    expect((await outputs(stack)).phase).to.equal("live");
    await stack.destroy(quiet);
  });

  it("a certification that fails days later: refresh shows it, up fails loudly with its messages and resubmits nothing; a content change publishes once", async () => {
    const stack = await newStack("clock-failed", "clock-failed");
    await stack.up(quiet);
    await emulator.control.forceOutcome(PUB, "clock-failed", {
      outcome: "fail",
      step: "displayprovision",
      message: "The OS disk of plan byol could not be read",
    });
    await emulator.control.clock({ advanceMs: 1 * DAY });
    await stack.refresh(quiet);
    const failed = await state(stack);
    expect(failed.phase).to.equal("failed");
    expect(failed.failure.messages.join()).to.match(/The OS disk of plan byol could not be read/);
    for (let run = 0; run < 2; run++) {
      const e = await failure(stack.up(quiet));
      expect(String(e?.message), `up #${run + 1}`)
        .to.match(/failed at step "Provisioning".*The OS disk of plan byol could not be read/s)
        .and.match(/Nothing is submitted again by itself/);
    }
    expect(await count("clock-failed")).to.deep.equal({ publish: 1, goLive: 0 });
    spec.summary = "Fixed summary";
    const fixed = await stack.up(quiet);
    expect(fixed.summary.result).to.equal("succeeded");
    expect(await count("clock-failed")).to.deep.equal({ publish: 2, goLive: 0 });
    expect((await outputs(stack)).phase).to.equal("inProgress");
    await stack.destroy(quiet);
  });

  it("an approval that no longer matches (content changed after review) fails before any POST, naming both hashes", async () => {
    const stack = await newStack("clock-stale", "clock-stale");
    await stack.up(quiet);
    await emulator.control.clock({ advanceMs: 8 * DAY });
    await stack.refresh(quiet);
    const reviewed = (await state(stack)).publishedContentHash as string;
    // After the review, the content changes and is published to preview.
    spec.summary = "Changed after review";
    await stack.up(quiet);
    const changed = (await outputs(stack)).publishedContentHash as string;
    expect(changed).to.not.equal(reviewed);
    expect(await count("clock-stale")).to.deep.equal({ publish: 2, goLive: 0 });
    // The go-live change still names what was reviewed.
    spec.target = "live";
    spec.approvedContentHash = reviewed;
    const since = Math.max(0, ...(await emulator.control.requests()).map((r) => r.seq));
    const e = await failure(stack.up(quiet));
    const posts = (await emulator.control.requests(since)).filter((r) => r.kind === "api" && r.method === "POST");
    expect(posts).to.deep.equal([]);
    expect(String(e?.message))
      .to.contain(reviewed)
      .and.contain(changed)
      .and.match(/Nothing was taken live/);
    // Even once the changed content waits for sign-off, the gate holds.
    await emulator.control.clock({ advanceMs: 8 * DAY });
    await stack.refresh(quiet);
    const again = await failure(stack.up(quiet));
    expect(String(again?.message)).to.contain(reviewed).and.contain(changed);
    expect(await count("clock-stale")).to.deep.equal({ publish: 2, goLive: 0 });
    await stack.destroy(quiet);
  });

  it("a pull request's preview needs no Partner Center credential: it reads and writes nothing on the service", async () => {
    const stack = await newStack("clock-pr", "clock-pr");
    await stack.up(quiet);
    await emulator.control.clock({ advanceMs: 3 * HOUR });
    // The preview job has the state and the program, and no credential at all.
    await stack.removeAllConfig(["cloudpartner:tenantId", "cloudpartner:clientId", "cloudpartner:clientSecret"]);
    const since = Math.max(0, ...(await emulator.control.requests()).map((r) => r.seq));
    await stack.preview({ expectNoChanges: true, ...quiet });
    spec.summary = "Proposed in a pull request";
    const proposed = await stack.preview({ diff: true, ...quiet });
    expect(proposed.changeSummary, proposed.stdout).to.include({ update: 2 });
    expect(proposed.stdout).to.contain("Proposed in a pull request");
    expect(await emulator.control.requests(since)).to.deep.equal([]);
    expect(await count("clock-pr")).to.deep.equal({ publish: 1, goLive: 0 });
    await configureForEmulator(stack, emulator);
    await stack.destroy(quiet);
  });

  it("the default waitFor reaching its deadline ends the run green with a warning saying where the operation is", async () => {
    const stack = await newStack("clock-deadline", "clock-deadline");
    spec.waitFor = undefined; // "signoff"
    spec.timeoutSeconds = 1;
    const events: any[] = [];
    const result = await stack.up({ onEvent: (e) => events.push(e), ...quiet });
    expect(result.summary.result).to.equal("succeeded");
    expect(lines(events)).to.match(
      /warning: OfferPublish contoso\/clock-deadline: the publish operation is still in progress at step "Validate Pre-Requisites".*after 1 s/,
    );
    expect((await outputs(stack)).phase).to.equal("inProgress");
    expect(await count("clock-deadline")).to.deep.equal({ publish: 1, goLive: 0 });
    await stack.destroy(quiet);
  });
});
