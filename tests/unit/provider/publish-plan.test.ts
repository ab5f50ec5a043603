// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { goLiveGate, isSpent, UNREVIEWED } from "../../../provider/publish/approval.js";
import { normalizeState, phaseOf, waitsFurther } from "../../../provider/publish/phase.js";
import { diffPublish, planUpdate } from "../../../provider/publish/plan.js";
import type { OfferPublishInputs, OfferPublishOutputs } from "../../../provider/publish/types.js";
import { UNKNOWN } from "../../../provider/util/unknown.js";

const H1 = `sha256:${"1".repeat(64)}`;
const H2 = `sha256:${"2".repeat(64)}`;
const base: OfferPublishInputs = { publisherId: "c", offerId: "o", target: "preview", trigger: ["t1"] };
/** State after a publish of H1 that the service still runs. */
const running: OfferPublishOutputs = {
  ...base,
  operationKind: "publish",
  operationUrl: "https://x/op/1",
  operationStatus: "running",
  phase: "inProgress",
  publishedContentHash: H1,
  draftHash: H1,
};
const at = (phase: OfferPublishOutputs["phase"], more: Partial<OfferPublishOutputs> = {}): OfferPublishOutputs => ({
  ...running,
  phase,
  ...more,
});

describe("OfferPublish: phases", () => {
  it("phaseOf maps each operation kind and status", () => {
    const table: Array<[Parameters<typeof phaseOf>[0], string | undefined, string]> = [
      ["publish", "running", "inProgress"],
      ["publish", "notStarted", "inProgress"],
      ["publish", "unknown", "inProgress"],
      ["publish", "waitingForSignoff", "waitingForSignoff"],
      ["publish", "succeeded", "waitingForSignoff"],
      ["publish", "failed", "failed"],
      ["publish", "canceled", "canceled"],
      ["goLive", "running", "inProgress"],
      ["goLive", "succeeded", "live"],
      ["goLive", "failed", "failed"],
      ["goLive", "canceled", "canceled"],
    ];
    for (const [kind, status, phase] of table) expect(phaseOf(kind, status), `${kind} ${status}`).to.equal(phase);
  });

  it("waitsFurther: accepted never waits; signoff waits for a publish; live for either", () => {
    expect(waitsFurther("accepted", "publish", "inProgress")).to.equal(false);
    expect(waitsFurther("accepted", "goLive", "inProgress")).to.equal(false);
    expect(waitsFurther("signoff", "publish", "inProgress")).to.equal(true);
    expect(waitsFurther("signoff", "goLive", "inProgress")).to.equal(false);
    expect(waitsFurther("live", "publish", "inProgress")).to.equal(true);
    expect(waitsFurther("live", "goLive", "inProgress")).to.equal(true);
    expect(waitsFurther("live", "publish", "waitingForSignoff")).to.equal(false);
  });

  it("normalizeState reads 0.1 state: a pending operation, the published draft hash", () => {
    const old = {
      ...base,
      operationUrl: "https://x/op/0",
      operationStatus: "running",
      pendingOperationUrl: "https://x/op/1",
      pendingPhase: "goLive" as const,
      publishedDraftHash: H1,
    };
    expect(normalizeState(old)).to.deep.equal({
      ...base,
      operationUrl: "https://x/op/1",
      operationKind: "goLive",
      operationStatus: "running",
      phase: "inProgress",
      publishedContentHash: H1,
    });
    // Finished 0.1 state: the phase comes from the last operation's status.
    const done = normalizeState({ ...base, operationUrl: "u", operationStatus: "succeeded", publishedDraftHash: H1 });
    expect(done).to.include({ operationKind: "publish", phase: "waitingForSignoff", publishedContentHash: H1 });
    const live = normalizeState({ ...base, target: "live", operationUrl: "u", operationStatus: "succeeded" });
    expect(live).to.include({ operationKind: "goLive", phase: "live" });
    // Current state is left as it is.
    expect(normalizeState(running)).to.deep.equal(running);
  });
});

describe("OfferPublish: plan and diff", () => {
  it("an operation in progress with the same program: no change (an update follows it for signoff)", () => {
    expect(planUpdate(running, { ...base, waitFor: "accepted" })).to.deep.equal({ kind: "none" });
    expect(diffPublish({ ...running, waitFor: "accepted" }, { ...base, waitFor: "accepted" }).changes).to.equal(false);
    // waitFor unset and recorded unset: the default (signoff) follows the publish in an update,
    // but following is no change: a preview shows nothing for it.
    expect(planUpdate(running, base)).to.deep.equal({ kind: "resume" });
    expect(diffPublish(running, base).changes).to.equal(false);
  });

  it("new content publishes, whatever the phase", () => {
    for (const phase of ["inProgress", "waitingForSignoff", "live", "failed", "canceled"] as const) {
      expect(planUpdate(at(phase), { ...base, trigger: ["t2"] }).kind, phase).to.equal("publish");
      // A refresh that found the Draft changed since the publish.
      expect(planUpdate(at(phase, { draftHash: H2 }), base).kind, phase).to.equal("publish");
    }
  });

  it("failed or canceled with the same content: reported, not resubmitted", () => {
    expect(planUpdate(at("failed"), base)).to.deep.equal({ kind: "reportEnded" });
    expect(planUpdate(at("canceled"), base)).to.deep.equal({ kind: "reportEnded" });
    expect(diffPublish(at("failed"), base).changes).to.equal(true);
  });

  it("waiting for sign-off: nothing for preview; the gate for live; a spent approval waits", () => {
    expect(planUpdate(at("waitingForSignoff"), base).kind).to.equal("none");
    expect(diffPublish(at("waitingForSignoff"), { ...base }).changes).to.equal(false);
    const live = { ...base, target: "live" as const, approvedContentHash: H1 };
    expect(planUpdate(at("waitingForSignoff"), live).kind).to.equal("goLive");
    // Another hash also plans a go-live: the update's gate fails it with both hashes.
    expect(planUpdate(at("waitingForSignoff"), { ...live, approvedContentHash: H2 }).kind).to.equal("goLive");
    // H1 went live last time; the preview now holds H2: no change until a new approval.
    const spent = at("waitingForSignoff", {
      ...live,
      publishedContentHash: H2,
      draftHash: H2,
      approval: { contentHash: H1, reviewed: true, recordedAt: "2026-12-01T00:00:00Z" },
    });
    expect(planUpdate(spent, live)).to.include({ kind: "none" });
    expect(diffPublish(spent, live).changes).to.equal(false);
    expect(planUpdate(spent, { ...live, approvedContentHash: H2 }).kind).to.equal("goLive");
  });

  it("target live while a publish is in progress: an approval of other content fails at once; its own hash waits", () => {
    const live = { ...base, target: "live" as const, waitFor: "accepted" as const };
    const mismatch = planUpdate(running, { ...live, approvedContentHash: H2 });
    expect(mismatch.kind).to.equal("approvalMismatch");
    expect((mismatch as { reason: string }).reason)
      .to.contain(H1)
      .and.contain(H2)
      .and.match(/in progress carries/);
    expect(planUpdate(running, { ...live, approvedContentHash: H1 }).kind).to.equal("none");
    expect(planUpdate(running, { ...live, approvedContentHash: UNREVIEWED }).kind).to.equal("none");
    // A spent approval (H2 went live before) is not a mismatch: H1 waits for its own review.
    const spent = { ...running, approval: { contentHash: H2, reviewed: true, recordedAt: "t" } };
    expect(planUpdate(spent, { ...live, approvedContentHash: H2 }).kind).to.equal("none");
  });

  it("live: a move back to preview does nothing and says why; identity replaces; unknowns change", () => {
    const live = at("live", { target: "live", operationKind: "goLive", approvedContentHash: H1 });
    expect(planUpdate(live, { ...base, target: "live", approvedContentHash: H1 }).kind).to.equal("none");
    expect(planUpdate(live, base))
      .to.have.property("note")
      .that.matches(/already live/);
    expect(diffPublish(live, { ...base, offerId: "other" })).to.deep.equal({ changes: true, replaces: ["offerId"] });
    expect(diffPublish(running, { ...base, waitFor: "accepted", trigger: UNKNOWN }).changes).to.equal(true);
  });

  it("changed settings are changes; a new provider version is a change", () => {
    const same = { ...base, waitFor: "accepted" as const };
    const recorded = { ...running, waitFor: "accepted" as const, providerVersion: "1" };
    expect(diffPublish(recorded, same, "1").changes).to.equal(false);
    expect(diffPublish(recorded, same, "2").changes).to.equal(true);
    expect(diffPublish(recorded, { ...same, failOnTimeout: true }, "1").changes).to.equal(true);
    expect(diffPublish(recorded, { ...same, timeoutSeconds: 5 }, "1").changes).to.equal(true);
  });
});

describe("OfferPublish: the go-live gate", () => {
  it("opens for the exact content, or for unreviewed", () => {
    expect(goLiveGate(H1, H1, undefined, "c/o")).to.deep.equal({ go: true, reviewed: true });
    expect(goLiveGate(UNREVIEWED, H2, undefined, "c/o")).to.deep.equal({ go: true, reviewed: false });
  });
  it("fails for other content, naming both hashes and the fix", () => {
    const d = goLiveGate(H1, H2, undefined, "c/o");
    expect(d).to.include({ go: false, waitForReview: false });
    expect((d as { reason: string }).reason)
      .to.contain(H1)
      .and.contain(H2)
      .and.match(/Nothing was taken live/)
      .and.match(/set approvedContentHash to "sha256:2+"/);
    expect((goLiveGate(undefined, H2, undefined, "c/o") as { reason: string }).reason).to.match(/is not set/);
  });
  it("a spent approval waits for review without failing; an unreviewed record does not count as spent", () => {
    const spent = { contentHash: H1, reviewed: true, recordedAt: "t" };
    expect(goLiveGate(H1, H2, { approval: spent }, "c/o")).to.include({ go: false, waitForReview: true });
    expect(goLiveGate(H1, H2, { approval: { ...spent, reviewed: false } }, "c/o")).to.include({
      go: false,
      waitForReview: false,
    });
  });
  it("state written before approvals were recorded: the content it shows live is spent, nothing else", () => {
    const legacyLive = { phase: "live" as const, publishedContentHash: H1 };
    expect(isSpent(H1, legacyLive)).to.equal(true);
    expect(isSpent(H2, legacyLive)).to.equal(false);
    expect(isSpent(H1, { ...legacyLive, phase: "waitingForSignoff" })).to.equal(false);
    // A recorded approval decides on its own.
    expect(isSpent(H1, { ...legacyLive, approval: { contentHash: H2, reviewed: true, recordedAt: "t" } })).to.equal(
      false,
    );
    expect(goLiveGate(H1, H2, legacyLive, "c/o")).to.include({ go: false, waitForReview: true });
  });
});
