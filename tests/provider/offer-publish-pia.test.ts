// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { setSteps } from "../helpers/clock-driver.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const PIA = { "cloudpartner:api": "productIngestion" };

/**
 * OfferPublish on the emulator's Product Ingestion API: submissions (preview, then live with the
 * preview's id) posted in configure jobs. What the service holds is read from the emulator's
 * control API: its operations (one per submission) and its jobs.
 */
describe("OfferPublish provider on the Product Ingestion API", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let publish: any;
  let n = 0;

  async function newOffer(): Promise<string> {
    const offerId = `pia-published-${++n}`;
    const offer = env.provider("offer");
    const { inputs, failures } = await offer.check(
      {},
      { publisherId: PUB, offerId, definition: sampleDefinition({ pricedPlans: true, forPia: true }) },
    );
    expect(failures ?? []).to.deep.equal([]);
    await offer.create(inputs);
    return offerId;
  }
  /** Submissions the service holds for an offer, by kind (the emulator keeps them as its operations). */
  const submissions = async (offerId: string) => {
    const ops = await env.emulator.control.operations();
    const of = ops.filter((o: any) => o.offerId === offerId);
    return { publish: of.filter((o: any) => o.type === "publish"), goLive: of.filter((o: any) => o.type === "goLive") };
  };
  const quiet = <T>(p: () => Promise<T>) =>
    captureConsole(p).then((r) => {
      if (r.error) throw r.error;
      return r;
    });

  before(async () => {
    env = await startProviderEnv({ config: PIA });
    publish = env.provider("offerPublish");
  });
  after(() => env.close());
  beforeEach(async () => {
    await setSteps(env, "instant");
    await env.emulator.control.setModes({ piaJobQueueMs: 0, piaJobRunMs: 0 });
    await env.clearLog();
  });

  it("check: notificationEmails, which PIA does not have, fails at preview", async () => {
    const { failures } = await publish.check(
      {},
      { publisherId: PUB, offerId: "o", target: "preview", notificationEmails: ["a@example.com"] },
    );
    expect(failures.map((f: any) => f.property)).to.include("notificationEmails");
  });

  it("preview, then live with the approved hash: one preview submission, one live submission with its id", async () => {
    const offerId = await newOffer();
    const { result } = await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    const { id, outs } = result as any;
    expect(outs.phase).to.equal("waitingForSignoff");
    expect(outs.offerStatus).to.equal("waitingForPublisherReview");
    expect(outs.operationUrl).to.match(/\/rp\/product-ingestion\/configure\/[0-9a-f-]+\/status#preview$/);
    expect(outs.publishedContentHash).to.match(/^sha256:/);
    expect(outs.hashApi).to.equal("productIngestion");
    expect((await submissions(offerId)).publish).to.have.length(1);
    expect(await env.requests()).to.deep.equal([], "no CPP request");

    const news = { publisherId: PUB, offerId, target: "live", approvedContentHash: outs.publishedContentHash };
    const { result: wentLive } = await quiet(() => publish.update(id, outs, news));
    const after = (wentLive as any).outs;
    expect(after.phase).to.equal("live");
    expect(after.offerStatus).to.equal("succeeded");
    expect(after.approval).to.include({ contentHash: outs.publishedContentHash, reviewed: true });
    const held = await submissions(offerId);
    expect(held.publish).to.have.length(1);
    expect(held.goLive).to.have.length(1);
    const jobs = await env.emulator.control.piaJobs();
    expect(
      jobs.filter((j: any) => j.offer === `${PUB}/${offerId}` && j.resources.includes("submission")),
    ).to.have.length(2);

    // The same inputs again: nothing is submitted.
    await quiet(() => publish.update(id, after, news));
    const again = await submissions(offerId);
    expect([again.publish.length, again.goLive.length]).to.deep.equal([1, 1]);
  });

  it("an approval of other content stops before any go-live", async () => {
    const offerId = await newOffer();
    const { result } = await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    const { id, outs } = result as any;
    const e = await rejection(
      publish.update(id, outs, {
        publisherId: PUB,
        offerId,
        target: "live",
        approvedContentHash: "sha256:" + "0".repeat(64),
      }),
    );
    expect(e.code).to.equal("CPP_APPROVAL_MISMATCH");
    expect((await submissions(offerId)).goLive).to.deep.equal([]);
  });

  it("a submission already in progress is followed, never posted twice", async () => {
    const offerId = await newOffer();
    await setSteps(env, "driven"); // certification waits for the clock
    const first = await quiet(() =>
      publish.create({ publisherId: PUB, offerId, target: "preview", waitFor: "accepted" }),
    );
    expect((first.result as any).outs.phase).to.equal("inProgress");
    // An interrupted run left no state: the next create finds the submission in progress.
    const second = await quiet(() =>
      publish.create({ publisherId: PUB, offerId, target: "preview", waitFor: "accepted" }),
    );
    expect(second.lines.join("\n")).to.contain("already started publishing");
    expect((second.result as any).outs.operationUrl).to.match(/\/submission\/[0-9a-f-]+\/\d+#preview$/);
    expect((await submissions(offerId)).publish).to.have.length(1);
  });

  it("a preview whose answer was lost and that passed already is followed, not submitted again", async () => {
    const offerId = await newOffer();
    await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    // The run that submitted it never recorded state: the next create finds the preview passed,
    // holding the draft's content.
    const again = await quiet(() => publish.create({ publisherId: PUB, offerId, target: "preview" }));
    expect(again.lines.join("\n")).to.contain("already started publishing");
    expect((again.result as any).outs.phase).to.equal("waitingForSignoff");
    expect((await submissions(offerId)).publish).to.have.length(1);
  });

  it("a failed certification fails the publish with the service's messages, as CPP_OPERATION_REJECTED", async () => {
    const offerId = await newOffer();
    await env.emulator.control.forceOutcome(PUB, offerId, {
      outcome: "reject",
      message: "The VHD is not generalized.",
    });
    const e = await rejection(publish.create({ publisherId: PUB, offerId, target: "preview" }));
    expect(e.code).to.equal("CPP_OPERATION_REJECTED");
    expect(e.message).to.contain("The VHD is not generalized.");
  });

  it("delete while the preview is in certification cancels its job", async () => {
    const offerId = await newOffer();
    await setSteps(env, "driven");
    const { result } = await quiet(() =>
      publish.create({ publisherId: PUB, offerId, target: "preview", waitFor: "accepted" }),
    );
    const { id, outs } = result as any;
    await quiet(() => publish.delete(id, outs));
    const [op] = (await submissions(offerId)).publish;
    expect(op.status).to.match(/cancel/i);
  });
});
