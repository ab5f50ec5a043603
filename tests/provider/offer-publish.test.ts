// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
// The protobuf runtime the dynamic-provider host uses for ErrorResourceInitFailed.
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { lastDraftFingerprint } from "../../provider/offer/diff.js";
import { driveOperation, setSteps } from "../helpers/clock-driver.js";
import { sampleDefinition } from "../helpers/offers.js";
import {
  captureConsole,
  createPublishableOffer,
  postsTo,
  rejection,
  startProviderEnv,
  type ProviderEnv,
} from "../helpers/provider-env.js";

const PUB = "contoso";

describe("OfferPublish provider against the emulator", () => {
  let env: ProviderEnv;
  let publish: any;
  let n = 0;

  const newOffer = () => createPublishableOffer(env, PUB, `published-${++n}`);
  const posts = (suffix: string) => postsTo(env, suffix);
  /** Target live with the approval of what the last publish carried (its outputs). */
  const live = (outs: { publishedContentHash?: string }) => ({
    target: "live",
    approvedContentHash: outs.publishedContentHash,
  });
  const quiet = <T>(p: () => Promise<T>) =>
    captureConsole(p).then((r) => {
      if (r.error) throw r.error;
      return r;
    });

  before(async () => {
    env = await startProviderEnv();
    publish = env.provider("offerPublish");
  });
  after(() => env.close());
  // Emulated time moves only when a test says so: steps are instant unless a test drives them.
  beforeEach(async () => {
    await setSteps(env, "instant");
    await env.clearLog();
  });

  it("create (preview): one publish, waits for sign-off, prints progress lines", async () => {
    const offerId = await newOffer();
    await setSteps(env, "driven");
    await env.clearLog();
    // Every step is shown to at least one poll before the clock jumps to the next one.
    const [{ result, lines }, jumps] = await Promise.all([
      quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" })),
      driveOperation(env, offerId, "publish"),
    ]);
    expect(jumps).to.equal(4);
    const { id, outs } = result as any;
    expect(id).to.equal(`${PUB}/${offerId}`);
    expect(outs.operationStatus).to.be.oneOf(["succeeded", "waitingForSignoff"]);
    expect(outs.offerStatus).to.equal("waitingForPublisherReview");
    expect(outs.phase).to.equal("waitingForSignoff");
    expect(outs.operationKind).to.equal("publish");
    expect(await posts("publish")).to.have.length(1);
    expect(await posts("golive")).to.have.length(0);
    for (const step of ["Validate Pre-Requisites", "Certification", "Provisioning", "Packaging"]) {
      expect(
        lines.some((l) => new RegExp(`publish: ${step}.* inProgress`).test(l)),
        `a progress line for ${step}:\n${lines.join("\n")}`,
      ).to.equal(true);
    }
    expect(lines.join("\n")).to.match(/ready for publisher sign-off/);
  });

  it("create (live, unreviewed): publish, then go live, and the offer succeeds; the approval is recorded", async () => {
    const offerId = await newOffer();
    await env.clearLog();
    const { result } = await quiet(() =>
      publish.create({ publisherId: PUB, offerId, target: "live", approvedContentHash: "unreviewed" }),
    );
    const outs = (result as any).outs;
    expect(outs.offerStatus).to.equal("succeeded");
    expect(outs.phase).to.equal("live");
    expect(outs.approval).to.include({ contentHash: outs.publishedContentHash, reviewed: false });
    expect(Number.isNaN(Date.parse(outs.approval.recordedAt))).to.equal(false);
    expect(await posts("publish")).to.have.length(1);
    expect(await posts("golive")).to.have.length(1);
  });

  it("a failed operation lists the failing step's messages", async () => {
    const offerId = await newOffer();
    await env.control("POST", `/offers/${PUB}/${offerId}/outcome`, {
      outcome: "fail",
      step: "displaycertify",
      message: "No virtual machine image was found for the plan byol",
    });
    const { error } = await captureConsole(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    expect((error as Error).message).to.match(/No virtual machine image was found for the plan byol/);
    // Kept in state as failed, so the next up does not resubmit the same content by itself.
    const e = error as any;
    expect(e.code).to.equal("CPP_OPERATION_FAILED");
    expect(e.properties.phase).to.equal("failed");
    expect(e.properties.failure.step).to.equal("Certification");
    expect(e.properties.failure.messages.join()).to.match(/No virtual machine image was found/);
  });

  it("an offer that fails validation (422) is reported before anything runs", async () => {
    const offerId = `invalid-${++n}`;
    const definition = sampleDefinition();
    for (const p of definition.plans) delete (p as any)["microsoft-azure-virtualmachines.vmImages"];
    const offer = env.provider("offer");
    const { inputs } = await offer.check({}, { publisherId: PUB, offerId, definition });
    await offer.create(inputs);
    const e = await rejection(publish.create({ publisherId: PUB, offerId, target: "preview" }));
    expect(e.message).to.match(/422|validation/i);
  });

  it("deadline with failOnTimeout: keeps the operation as a partial failure; the next update resumes it with no second publish", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    await setSteps(env, "driven"); // nobody drives the clock: the publish stays running
    await env.clearLog();
    const inputs = {
      publisherId: PUB,
      offerId,
      target: "preview",
      timeoutSeconds: 0.5,
      failOnTimeout: true,
      __provider: "stored-provider-code",
    };
    const { error } = await captureConsole(() => publish.create(inputs));
    const e = error as any;
    expect(e.message)
      .to.match(/still in progress.* after 0.5 s/)
      .and.match(/pulumi up/);
    expect(e.id).to.equal(`${PUB}/${offerId}`);
    expect(e.properties.operationUrl).to.be.a("string");
    expect(e.properties.operationKind).to.equal("publish");
    expect(e.properties.phase).to.equal("inProgress");
    // The host packs the properties into a protobuf Struct (docs/internals/engine.md); it
    // must accept them, and they must carry the provider code so later updates and reads work.
    expect(() => Struct.fromJavaScript(e.properties)).to.not.throw();
    expect(e.properties.__provider).to.equal("stored-provider-code");
    // The engine stores these properties with init errors; the next up calls update with them
    // whatever the diff says (following the operation is itself no change).
    expect(await publish.diff(e.id, e.properties, inputs)).to.deep.include({ changes: false });
    // The update follows the same operation while the clock is moved past each of its steps.
    const [{ result, lines }] = await Promise.all([
      quiet(() => publish.update(e.id, e.properties, { ...inputs, timeoutSeconds: 30 })),
      driveOperation(env, offerId, "publish"),
    ]);
    expect(lines.join("\n")).to.match(/following the publish operation already running/);
    expect((result as any).outs.phase).to.equal("waitingForSignoff");
    expect(await posts("publish")).to.have.length(1);
    // Once the service is at sign-off, an update with the same inputs starts and waits for nothing.
    await env.clearLog();
    const again = await quiet(() => publish.update(e.id, e.properties, { ...inputs, timeoutSeconds: 30 }));
    expect((again.result as any).outs.phase).to.equal("waitingForSignoff");
    expect((await env.requests()).filter((r) => r.method === "POST")).to.deep.equal([]);
  });

  it("update: a new trigger republishes; preview → live with the approved hash only goes live; nothing else is a no-op", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId, target: "preview", trigger: "etag-1" };
    const { result } = await quiet(() => publish.create(base));
    let outs = (result as any).outs;
    await env.clearLog();
    // A new trigger over the same content publishes nothing; over new content, once.
    outs = ((await quiet(() => publish.update("id", outs, { ...base, trigger: "etag-2" }))).result as any).outs;
    expect(await posts("publish")).to.have.length(0);
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Changed" } });
    outs = ((await quiet(() => publish.update("id", outs, { ...base, trigger: "etag-3" }))).result as any).outs;
    expect(await posts("publish")).to.have.length(1);
    await env.clearLog();
    outs = (
      (await quiet(() => publish.update("id", outs, { ...base, trigger: "etag-3", ...live(outs) }))).result as any
    ).outs;
    expect(await posts("publish")).to.have.length(0);
    expect(await posts("golive")).to.have.length(1);
    expect(outs.offerStatus).to.equal("succeeded");
    await env.clearLog();
    await quiet(() =>
      publish.update("id", outs, { ...base, trigger: "etag-3", ...live(outs), notificationEmails: ["a@b.example"] }),
    );
    expect(await env.requests()).to.deep.equal([]);
  });

  const signoffModes = [
    { offerStatusAtSignoff: "running" },
    { offerStatusAtSignoff: "running", publishCompletesAt: "live" },
  ];
  for (const modes of signoffModes) {
    it(`emulator modes ${JSON.stringify(modes)}: preview ends at sign-off while the offer status says running; live then goes live`, async function () {
      this.timeout(60_000);
      await env.control("PATCH", "/modes", modes);
      try {
        const offerId = await newOffer();
        const base = { publisherId: PUB, offerId, target: "preview" };
        const { result, lines } = await quiet(() => publish.create(base));
        const outs = (result as any).outs;
        expect(outs.offerStatus).to.equal("running");
        expect(outs.operationStatus).to.be.oneOf(["succeeded", "waitingForSignoff"]);
        expect(lines.join("\n")).to.match(/ready for publisher sign-off/);
        expect((await env.control("GET", `/offers/${PUB}/${offerId}`)).preview).to.not.equal(null);
        await env.clearLog();
        const wentLive = ((await quiet(() => publish.update("id", outs, { ...base, ...live(outs) }))).result as any)
          .outs;
        expect(wentLive.offerStatus).to.equal("succeeded");
        expect(await posts("golive")).to.have.length(1);
        expect(await posts("publish")).to.have.length(0);
      } finally {
        const defaults = { offerStatusAtSignoff: "waitingForPublisherReview", publishCompletesAt: "signoff" };
        await env.control("PATCH", "/modes", defaults);
      }
    });
  }

  it("read reflects the operation's and the offer's status", async () => {
    const offerId = await newOffer();
    const { result } = await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    const { id, outs } = result as any;
    // The state's status is stale; the read reports the service's.
    const read = await publish.read(id, { ...outs, offerStatus: "running" });
    expect(read.props.offerStatus).to.equal("waitingForPublisherReview");
    expect(read.inputs).to.deep.include({ publisherId: PUB, offerId, target: "preview" });
  });

  it("refresh of an offer's resources at once: one GET of the offer for both, none of an operation that ended", async function () {
    this.timeout(60_000);
    const offer = env.provider("offer");
    const offerId = `published-${++n}`;
    const { inputs } = await offer.check(
      {},
      { publisherId: PUB, offerId, definition: sampleDefinition({ pricedPlans: true }) },
    );
    const created = await offer.create(inputs);
    const { result } = await quiet(() =>
      publish.create({ publisherId: PUB, offerId, target: "live", approvedContentHash: "unreviewed" }),
    );
    const published = (result as any).outs;
    expect(published.operationStatus).to.equal("succeeded");
    await env.clearLog();
    const [offerRead, publishRead] = await Promise.all([
      offer.read(created.id, created.outs),
      publish.read(`${PUB}/${offerId}`, published),
    ]);
    const reqs = await env.requests();
    expect(reqs.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`GET /api/publishers/${PUB}/offers/${offerId}`]);
    // What each read reports is still the service's: the Draft's fingerprint, the live status, the hash.
    expect(lastDraftFingerprint(offerRead.props)).to.equal(lastDraftFingerprint(created.outs));
    expect(publishRead.props.offerStatus).to.equal("succeeded");
    expect(publishRead.props.operationStatus).to.equal("succeeded");
    expect(publishRead.props.draftHash).to.equal(published.publishedContentHash);
    // An operation the state last saw running is read again, beside the offer.
    await env.clearLog();
    const again = await publish.read(`${PUB}/${offerId}`, { ...published, operationStatus: "running" });
    expect((await env.requests()).filter((r) => r.path.includes("/operations/"))).to.have.length(1);
    expect(again.props.operationStatus).to.equal("succeeded");
  });

  it("draft hash: refresh after a portal edit makes the next diff republish once; a plain refresh does not", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    const base = { publisherId: PUB, offerId, target: "preview", trigger: ["sha256:a"] };
    const { outs } = (await quiet(() => publish.create(base))).result as any;
    expect(outs.publishedContentHash).to.match(/^sha256:/);
    const same = await publish.read(outs.id ?? "id", outs);
    expect(same.props.draftHash).to.equal(outs.publishedContentHash);
    expect(await publish.diff("id", same.props, base)).to.deep.include({ changes: false });
    // Repeated GETs hash alike even when the service hands out new query strings on URLs.
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, {
      definition: {
        offer: {
          "microsoft-azure-marketplace.smallLogo": "https://fab.blob.core.windows.net/a/s.png?se=2030&sig=fresh",
        },
      },
    });
    env.nextOperation();
    expect((await publish.read("id", outs)).props.draftHash).to.equal(outs.publishedContentHash);
    // A portal edit of content: the oracle fails, and the next update republishes exactly once.
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { displayText: "Portal edit" } });
    env.nextOperation();
    const drifted = await publish.read("id", outs);
    expect(drifted.props.draftHash).to.not.equal(outs.publishedContentHash);
    expect(await publish.diff("id", drifted.props, base)).to.deep.include({ changes: true });
    await env.clearLog();
    const after = ((await quiet(() => publish.update("id", drifted.props, base))).result as any).outs;
    expect(await posts("publish")).to.have.length(1);
    expect(after.draftHash).to.equal(after.publishedContentHash);
    expect(await publish.diff("id", (await publish.read("id", after)).props, base)).to.deep.include({ changes: false });
  });

  it("delete cancels a running operation and waits; after completion it changes nothing", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    await env.control("POST", `/offers/${PUB}/${offerId}/outcome`, { outcome: "block", step: "displayprovision" });
    const started = Date.now();
    const { error } = await captureConsole(() =>
      publish.create({ publisherId: PUB, offerId, target: "preview", timeoutSeconds: 30 }),
    );
    // A blocked step ends the wait at once (not at the 30 s deadline), naming the step and the fix.
    expect(Date.now() - started).to.be.below(10_000);
    expect((error as any).code).to.equal("CPP_OPERATION_BLOCKED");
    expect((error as Error).message).to.match(
      /publish operation is blocked at step "Provisioning".*Fix: resolve what step "Provisioning" asks for.*pulumi up/s,
    );
    const props = (error as any).properties;
    expect(props.operationUrl).to.be.a("string");
    expect(props.phase).to.equal("inProgress");
    await env.clearLog();
    const { lines } = await quiet(() => publish.delete((error as any).id, props));
    expect(await posts("cancel")).to.have.length(1);
    expect(lines.join("\n")).to.match(/canceled/);
    const ops = await env.control("GET", "/operations");
    const mine = ops.filter((o: any) => o.offerId === offerId);
    // The canceled publish itself ends canceled; there is no separate cancel operation.
    expect(mine.map((o: any) => `${o.type} ${o.status}`)).to.deep.equal(["publish canceled"]);

    const done = await newOffer();
    const created = await quiet(() => publish.create({ publisherId: PUB, offerId: done, target: "preview" }));
    await env.clearLog();
    const { lines: after } = await quiet(() => publish.delete(`${PUB}/${done}`, (created.result as any).outs));
    expect(await posts("cancel")).to.have.length(0);
    expect(after.join("\n")).to.match(/cannot be withdrawn/);
  });
});
