// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { client } from "../../provider/handlers/context.js";
import { DRIVEN_STEP_MS, setSteps } from "../helpers/clock-driver.js";
import {
  captureConsole,
  createPublishableOffer,
  postsTo,
  rejection,
  startProviderEnv,
  type ProviderEnv,
} from "../helpers/provider-env.js";

const PUB = "contoso";

/**
 * OfferPublish on the service's clock: the emulator runs at real time with minute-long steps
 * (nothing moves by itself during a test), and the test moves emulated time through the control
 * API between calls, as days pass between pipeline runs. Every count is the emulator's.
 */
describe("OfferPublish on the service's clock (emulated time moved by the test)", () => {
  let env: ProviderEnv;
  let publish: any;
  let n = 0;

  const newOffer = () => createPublishableOffer(env, PUB, `clock-${++n}`);
  const posts = (suffix: string) => postsTo(env, suffix);
  const operations = async (offerId: string) =>
    (await env.control("GET", "/operations")).filter((o: any) => o.offerId === offerId);
  const quiet = <T>(p: () => Promise<T>) =>
    captureConsole(p).then((r) => {
      if (r.error) throw r.error;
      return r;
    });
  /** Moves emulated time by `steps` step durations (plus half a step, to land inside one). */
  const pass = (steps: number) => env.control("POST", "/clock", { advanceMs: steps * DRIVEN_STEP_MS });
  /** A refresh by a new provider process (the engine's next operation). */
  const refresh = async (outs: any) => {
    env.nextOperation();
    return (await publish.read(`${PUB}/${outs.offerId}`, outs)).props;
  };

  before(async () => {
    env = await startProviderEnv();
    publish = env.provider("offerPublish");
  });
  after(() => env.close());
  beforeEach(async () => {
    await setSteps(env, "driven");
    await env.clearLog();
  });

  it('waitFor "accepted": up ends once the service accepted the publish; refresh moves phase and step; diff shows no change while it runs', async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, target: "preview", waitFor: "accepted", trigger: ["a"] };
    await env.clearLog();
    const { outs } = (await quiet(() => publish.create(inputs))).result as any;
    expect(await posts("publish")).to.have.length(1);
    // Accepted and recorded: one read of the operation, no polling.
    expect((await env.requests()).filter((r) => r.method === "GET" && r.path.includes("$"))).to.have.length(1);
    expect(outs).to.include({ phase: "inProgress", operationKind: "publish", step: "Validate Pre-Requisites" });
    expect(outs.publishedContentHash).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(await publish.diff("id", outs, inputs)).to.deep.include({ changes: false });

    await pass(1.5); // into the second step, half-way
    const moved = await refresh(outs);
    expect(moved).to.include({ phase: "inProgress", step: "Certification" });
    // Half-way, plus the real time since the publish (the clock runs at real speed: 1 % is 0.6 s).
    expect(moved.stepPercentage).to.be.within(50, 59);
    expect(await publish.diff("id", moved, inputs)).to.deep.include({ changes: false });

    await pass(3); // past the last step before sign-off
    const signoff = await refresh(moved);
    expect(signoff.phase).to.equal("waitingForSignoff");
    expect(signoff.publishedContentHash).to.equal(outs.publishedContentHash);
    expect(await publish.diff("id", signoff, inputs)).to.deep.include({ changes: false });
    // The diff of the stale state reads the service and also sees nothing to do.
    expect(await publish.diff("id", outs, inputs)).to.deep.include({ changes: false });
    expect((await operations(offerId)).map((o: any) => o.type)).to.deep.equal(["publish"]);
  });

  it("a deadline while the operation runs ends green with a warning saying where it is", async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, target: "preview", timeoutSeconds: 0.3 };
    const { result, lines, error } = await captureConsole(() => publish.create(inputs));
    expect(error).to.equal(undefined);
    const outs = (result as any).outs;
    expect(outs).to.include({ phase: "inProgress", step: "Validate Pre-Requisites" });
    expect(lines.join("\n")).to.match(
      /warning: OfferPublish contoso\/clock-\d+: the publish operation is still in progress at step "Validate Pre-Requisites" \(\d%\) after 0.3 s\..*`pulumi refresh` shows where it is, and no second publish of this content is started/,
    );
    // Following the operation is no change (a preview shows nothing); an update that runs for
    // another reason follows the same operation and publishes nothing.
    expect(await publish.diff("id", outs, inputs)).to.deep.include({ changes: false });
    await env.clearLog();
    const followed = await captureConsole(() => publish.update("id", outs, { ...inputs, timeoutSeconds: 0.2 }));
    expect(followed.error).to.equal(undefined);
    expect((followed.result as any).outs).to.include({ phase: "inProgress", operationUrl: outs.operationUrl });
    expect(followed.lines.join("\n")).to.match(/following the publish operation already running/);
    expect(await posts("publish")).to.have.length(0);
  });

  it("a certification failure days later: refresh reports it, up fails with its messages and resubmits nothing; changed content publishes once", async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, target: "preview", waitFor: "accepted", trigger: ["v1"] };
    const { outs } = (await quiet(() => publish.create(inputs))).result as any;
    await env.control("POST", `/offers/${PUB}/${offerId}/outcome`, {
      outcome: "fail",
      step: "displayprovision",
      message: "The VHD of plan byol could not be read",
    });
    // An up before any refresh: the diff reads the operation and sees the failure.
    await pass(3);
    expect(await publish.diff("id", outs, inputs)).to.deep.include({ changes: true });
    const failed = await refresh(outs);
    expect(failed.phase).to.equal("failed");
    expect(failed.failure).to.deep.include({ step: "Provisioning" });
    expect(failed.failure.messages.join()).to.match(/The VHD of plan byol could not be read/);
    await env.clearLog();
    const e = await rejection(
      captureConsole(() => publish.update("id", failed, inputs)).then((r) => Promise.reject(r.error)),
    );
    expect(e.code).to.equal("CPP_OPERATION_FAILED");
    expect(e.message)
      .to.match(/failed at step "Provisioning": Provisioning: The VHD of plan byol could not be read/)
      .and.match(/Nothing is submitted again by itself/)
      .and.match(/change this OfferPublish's trigger/);
    expect(e.properties.phase).to.equal("failed");
    expect((await env.requests()).filter((r) => r.method === "POST")).to.deep.equal([]);
    // The same up again still fails (loudly) and still submits nothing.
    const again = await captureConsole(() => publish.update("id", e.properties, inputs));
    expect((again.error as any).code).to.equal("CPP_OPERATION_FAILED");
    expect(await posts("publish")).to.have.length(0);
    // Changed content (a new trigger): exactly one publish.
    const fixed = { ...inputs, trigger: ["v2"] };
    expect(await publish.diff("id", e.properties, fixed)).to.deep.include({ changes: true });
    const { outs: republished } = (await quiet(() => publish.update("id", e.properties, fixed))).result as any;
    expect(await posts("publish")).to.have.length(1);
    expect(republished).to.include({ phase: "inProgress" });
    expect(republished.failure).to.equal(undefined);
  });

  it("go-live needs the approval of the exact content waiting for sign-off; it is recorded; a spent approval waits for the next one", async () => {
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId, waitFor: "accepted", trigger: ["v1"] };
    const { outs } = (await quiet(() => publish.create({ ...base, target: "preview" }))).result as any;
    await pass(4);
    const signoff = await refresh(outs);
    expect(signoff.phase).to.equal("waitingForSignoff");
    const reviewed = signoff.publishedContentHash;

    // An approval of other content: fails before any POST, naming both hashes.
    const other = `sha256:${"0".repeat(64)}`;
    const wrong = { ...base, target: "live", approvedContentHash: other };
    expect(await publish.diff("id", signoff, wrong)).to.deep.include({ changes: true });
    await env.clearLog();
    const mismatch = await captureConsole(() => publish.update("id", signoff, wrong));
    expect((mismatch.error as any).code).to.equal("CPP_APPROVAL_MISMATCH");
    expect((mismatch.error as Error).message)
      .to.contain(other)
      .and.contain(reviewed)
      .and.match(/Nothing was taken live/);
    expect((await env.requests()).filter((r) => r.method === "POST")).to.deep.equal([]);

    // The reviewed hash: the preview of the change says which content goes live; up goes live once.
    const approved = { ...base, target: "live", approvedContentHash: reviewed };
    const shown = await captureConsole(() => publish.diff("id", signoff, approved));
    expect(shown.result).to.deep.include({ changes: true });
    expect(shown.lines.join("\n")).to.contain(`up would take content ${reviewed} live`);
    await env.clearLog();
    const { outs: going } = (await quiet(() => publish.update("id", signoff, approved))).result as any;
    expect(await posts("golive")).to.have.length(1);
    expect(going).to.include({ phase: "inProgress", operationKind: "goLive" });
    expect(going.approval).to.include({ contentHash: reviewed, reviewed: true });
    await pass(1.5);
    const live = await refresh(going);
    expect(live.phase).to.equal("live");
    expect(await publish.diff("id", live, approved)).to.deep.include({ changes: false });

    // New content is published to preview for review; the spent approval takes nothing live.
    // (The Offer writes the new content; here the emulator's out-of-band edit stands for it.)
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Next week's build" } });
    const next = { ...approved, trigger: ["v2"] };
    await env.clearLog();
    const { outs: v2 } = (await quiet(() => publish.update("id", live, next))).result as any;
    expect(await posts("publish")).to.have.length(1);
    await pass(4);
    const v2signoff = await refresh(v2);
    expect(v2signoff.phase).to.equal("waitingForSignoff");
    expect(v2signoff.publishedContentHash).to.not.equal(reviewed);
    expect(await publish.diff("id", v2signoff, next)).to.deep.include({ changes: false });
    // (With the emulator's default modes a publish operation ends `succeeded` at sign-off.)
    expect((await operations(offerId)).map((o: any) => `${o.type} ${o.status}`)).to.deep.equal([
      "publish succeeded",
      "goLive succeeded",
      "publish succeeded",
    ]);
  });

  it("an approval of content that changed after review fails before the go-live, naming both hashes", async () => {
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId, waitFor: "accepted" };
    const { outs } = (await quiet(() => publish.create({ ...base, target: "preview", trigger: ["v1"] }))).result as any;
    await pass(4);
    const reviewed = (await refresh(outs)).publishedContentHash;
    // The content changes (a portal edit) after the review; the pipeline republishes it.
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Changed after review" } });
    const drifted = await refresh(outs);
    const { outs: v2 } = (
      await quiet(() => publish.update("id", drifted, { ...base, target: "preview", trigger: ["v1"] }))
    ).result as any;
    await pass(4);
    const v2signoff = await refresh(v2);
    expect(v2signoff.publishedContentHash).to.not.equal(reviewed);
    // The go-live change approves what was reviewed, which the preview no longer holds.
    await env.clearLog();
    const { error } = await captureConsole(() =>
      publish.update("id", v2signoff, { ...base, target: "live", trigger: ["v1"], approvedContentHash: reviewed }),
    );
    expect((error as any).code).to.equal("CPP_APPROVAL_MISMATCH");
    expect((error as Error).message)
      .to.contain(reviewed)
      .and.contain(v2signoff.publishedContentHash);
    expect(await posts("golive")).to.have.length(0);
    expect((await operations(offerId)).filter((o: any) => o.type === "goLive")).to.deep.equal([]);
  });

  it("a new trigger with the same content leaves a publish in certification alone; new content cancels it, then publishes once", async () => {
    const offerId = await newOffer();
    const inputs = { publisherId: PUB, offerId, target: "preview", waitFor: "accepted", trigger: ["v1"] };
    const { outs } = (await quiet(() => publish.create(inputs))).result as any;
    await pass(1.5);
    await env.clearLog();
    // e.g. a fingerprint added to the trigger, or a provider upgrade: the content is the same.
    const same = await quiet(() => publish.update("id", outs, { ...inputs, trigger: ["v1", "extra"] }));
    expect(same.lines.join("\n")).to.match(/holds the content the last publish carries.*nothing is published again/);
    expect((await env.requests()).filter((r) => r.method === "POST")).to.deep.equal([]);
    expect((same.result as any).outs).to.include({ operationUrl: outs.operationUrl, phase: "inProgress" });
    // New content (the Offer wrote it; the emulator's out-of-band edit stands for it).
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "A new build" } });
    const { result, lines } = await quiet(() => publish.update("id", outs, { ...inputs, trigger: ["v2"] }));
    expect(lines.join("\n")).to.match(/superseded by new content: canceling it first/);
    expect(await posts("cancel")).to.have.length(1);
    expect(await posts("publish")).to.have.length(1);
    expect((result as any).outs.operationUrl).to.not.equal(outs.operationUrl);
    expect((await operations(offerId)).map((o: any) => `${o.type} ${o.status}`)).to.deep.equal([
      "publish canceled",
      "publish running",
    ]);
  });

  it("state written by 0.1 (pendingOperationUrl) is followed, never published again", async () => {
    const offerId = await newOffer();
    const { outs } = (
      await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview", waitFor: "accepted" }))
    ).result as any;
    // 0.1 wrote no waitFor, phase, operationKind or step outputs.
    const {
      operationUrl,
      publishedContentHash,
      waitFor: _w,
      phase: _p,
      operationKind: _k,
      step: _s,
      stepPercentage: _sp,
      ...rest
    } = outs;
    const old = {
      ...rest,
      pendingOperationUrl: operationUrl,
      pendingPhase: "publish",
      publishedDraftHash: publishedContentHash,
    };
    const inputs = { publisherId: PUB, offerId, target: "preview" };
    // No change (0.1 left such a resource with init errors, so the engine updates it anyway).
    expect(await publish.diff("id", old, inputs)).to.deep.include({ changes: false });
    await pass(4);
    await env.clearLog();
    const { outs: after } = (await quiet(() => publish.update("id", old, inputs))).result as any;
    expect(await posts("publish")).to.have.length(0);
    expect(after).to.include({ phase: "waitingForSignoff", operationUrl, publishedContentHash });
    expect(after).to.not.have.any.keys("pendingOperationUrl", "pendingPhase", "publishedDraftHash");
  });

  it("a stack that 0.1 took live approves its live content; new content then publishes, and waits for its own review", async () => {
    const offerId = await newOffer();
    const { outs } = (
      await quiet(() =>
        publish.create({
          publisherId: PUB,
          offerId,
          target: "live",
          waitFor: "accepted",
          approvedContentHash: "unreviewed",
        }),
      )
    ).result as any;
    await pass(4); // through certification: the next up goes live (unreviewed)
    const signoff = await refresh(outs);
    const going = (await quiet(() => publish.update("id", signoff, outs))).result as any;
    await pass(2);
    const live = await refresh(going.outs);
    expect(live.phase).to.equal("live");
    // As 0.1 left it: live, with no recorded approval; the upgrade asks for approvedContentHash.
    const { approval: _a, approvedContentHash: _h, waitFor: _w, ...legacy } = live;
    const upgraded = {
      publisherId: PUB,
      offerId,
      target: "live",
      waitFor: "accepted",
      approvedContentHash: live.publishedContentHash,
    };
    expect(await publish.diff("id", legacy, { ...upgraded, trigger: legacy.trigger })).to.deep.include({
      changes: true, // the new input, recorded without a request
    });
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Next build" } });
    await env.clearLog();
    const next = await captureConsole(() => publish.update("id", legacy, { ...upgraded, trigger: ["v2"] }));
    expect(next.error, String(next.error)).to.equal(undefined);
    expect(await posts("publish")).to.have.length(1);
    expect(await posts("golive")).to.have.length(0);
  });

  it("an up interrupted after its POST (the answer lost, state unaware): the next up follows that publish or go-live, never sends a second", async () => {
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId, waitFor: "accepted", trigger: ["v1"] };
    const { outs } = (await quiet(() => publish.create({ ...base, target: "preview" }))).result as any;
    await pass(4);
    const signoff = await refresh(outs);
    // New content, and a run that POSTed its publish and died before recording it.
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Build 2" } });
    await client().beginPublish(PUB, offerId);
    await env.clearLog();
    const republished = await quiet(() =>
      publish.update("id", signoff, { ...base, target: "preview", trigger: ["v2"] }),
    );
    expect(republished.lines.join("\n")).to.match(/already started publishing this document/);
    expect(await posts("publish")).to.have.length(0);
    await pass(4);
    const second = await refresh((republished.result as any).outs);
    expect(second.phase).to.equal("waitingForSignoff");
    // The go-live change, whose run POSTed the go-live and died before recording it.
    await client().beginGoLive(PUB, offerId);
    await env.clearLog();
    const approved = { ...base, target: "live", trigger: ["v2"], approvedContentHash: second.publishedContentHash };
    const { result, lines } = await quiet(() => publish.update("id", second, approved));
    expect(lines.join("\n")).to.match(/a go-live of this preview was already started; following it/);
    expect(await posts("golive")).to.have.length(0);
    expect((result as any).outs.approval).to.include({ contentHash: second.publishedContentHash, reviewed: true });
    expect((await operations(offerId)).map((o: any) => o.type)).to.deep.equal(["publish", "publish", "goLive"]);
  });
});
