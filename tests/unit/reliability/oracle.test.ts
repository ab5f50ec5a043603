// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { judge, type CellExpectation, type CellRun } from "../../../tests/reliability/oracle.js";

const before = { displayText: "Portal edit", offer: { summary: "old" }, plans: [{ planId: "a", price: 1 }] };
const intended = { displayText: "Portal edit", offer: { summary: "new" }, plans: [{ planId: "a", price: 2 }] };
const converges: CellExpectation = { outcome: "converges", draft: "intended", operations: { publish: 0, goLive: 0 } };

/** A run that holds for `converges`; each test damages one thing. */
function goodRun(over: Partial<CellRun> = {}): CellRun {
  return {
    outcome: { kind: "converged" },
    before,
    after: structuredClone(intended),
    intended,
    operations: { publish: 0, goLive: 0 },
    requests: [
      { seq: 10, method: "GET", path: "/api/publishers/p/offers/o", status: 200 },
      { seq: 11, method: "PUT", path: "/api/publishers/p/offers/o", status: 200 },
    ],
    closedAtSeq: 11,
    ...over,
  };
}

describe("fault-matrix oracle (crafted runs)", () => {
  it("a run that holds has no violations", () => {
    expect(judge(converges, goodRun())).to.deep.equal([]);
  });

  it("reports a lost write: converged, but the Draft does not hold the intended document", () => {
    const v = judge(converges, goodRun({ after: before }));
    expect(v.join("\n")).to.match(/lost write.*offer\/summary: want "new", got "old"/);
  });

  it("reports a lost write of one nested value (pricing of a plan)", () => {
    const after = structuredClone(intended);
    after.plans[0].price = 1;
    expect(judge(converges, goodRun({ after })).join("\n")).to.match(/lost write.*plans\/0\/price/);
  });

  it("reports a stale write over a concurrent edit", () => {
    const after = { ...structuredClone(intended), displayText: "Fabrikam" };
    const v = judge(
      { ...converges, draft: "unchanged-or-intended" },
      goodRun({ after, intended: after, concurrentEdit: { displayText: "Portal edit" } }),
    );
    expect(v.join("\n")).to.match(
      /stale write: the concurrent edit of displayText \("Portal edit"\) was overwritten with "Fabrikam"/,
    );
  });

  it("reports a write after a failure that should have left the Draft unchanged, and a partial write", () => {
    const failed: CellExpectation = {
      outcome: "CPP_CHANGED_OUTSIDE",
      draft: "unchanged",
      operations: { publish: 0, goLive: 0 },
    };
    const outcome = { kind: "error" as const, code: "CPP_CHANGED_OUTSIDE", message: "changed outside" };
    expect(judge(failed, goodRun({ outcome, after: before }))).to.deep.equal([]);
    expect(judge(failed, goodRun({ outcome })).join("\n")).to.match(/the Draft changed/);
    const mixed = { ...structuredClone(before), plans: intended.plans };
    expect(
      judge({ ...failed, draft: "unchanged-or-intended" }, goodRun({ outcome, after: mixed })).join("\n"),
    ).to.match(/neither as before nor as intended/);
  });

  it("reports a double publish and a publish that should not have started", () => {
    const publishOnce: CellExpectation = { ...converges, operations: { publish: 1, goLive: 0 } };
    expect(judge(publishOnce, goodRun({ operations: { publish: 2, goLive: 0 } })).join("\n")).to.match(
      /publish operations started: 2, expected 1 \(a double publish\)/,
    );
    expect(judge(converges, goodRun({ operations: { publish: 1, goLive: 0 } })).join("\n")).to.match(
      /publish operations started: 1, expected 0/,
    );
    expect(judge(publishOnce, goodRun({ operations: { publish: 0, goLive: 0 } })).join("\n")).to.match(
      /publish operations started: 0, expected 1/,
    );
  });

  it("reports a request landing after the cell closed", () => {
    const requests = [
      ...goodRun().requests,
      { seq: 12, method: "POST", path: "/api/publishers/p/offers/o/publish", status: 202 },
    ];
    expect(judge(converges, goodRun({ requests })).join("\n")).to.match(
      /1 request\(s\) landed after the cell closed: POST .*\/publish → 202/,
    );
  });

  it("reports the wrong outcome, the wrong code, an untyped failure and a message that does not name the step", () => {
    const blocked: CellExpectation = {
      outcome: "CPP_OPERATION_BLOCKED",
      draft: "unchanged",
      operations: { publish: 1, goLive: 0 },
      message: /step "Provisioning"/,
    };
    const run = (code: string, message: string) =>
      goodRun({ outcome: { kind: "error", code, message }, after: before, operations: { publish: 1, goLive: 0 } });
    expect(judge(blocked, run("CPP_OPERATION_BLOCKED", 'blocked at step "Provisioning"'))).to.deep.equal([]);
    expect(judge(blocked, run("CPP_PARTIAL_FAILURE", "still running")).join("\n")).to.match(
      /expected CPP_OPERATION_BLOCKED, got CPP_PARTIAL_FAILURE/,
    );
    expect(judge(blocked, run("CPP_OPERATION_BLOCKED", "blocked")).join("\n")).to.match(/does not match/);
    expect(judge(converges, run("CPP_UNEXPECTED", "boom")).join("\n")).to.match(/untyped failure/);
    expect(judge(blocked, goodRun({ after: before, operations: { publish: 1, goLive: 0 } })).join("\n")).to.match(
      /but the operation converged/,
    );
  });

  it("reports an offer that came back after it vanished", () => {
    const gone: CellExpectation = {
      outcome: "CPP_OFFER_NOT_FOUND",
      draft: "absent",
      operations: { publish: 0, goLive: 0 },
    };
    const outcome = { kind: "error" as const, code: "CPP_OFFER_NOT_FOUND", message: "does not exist" };
    expect(judge(gone, goodRun({ outcome, before: undefined, after: undefined }))).to.deep.equal([]);
    expect(judge(gone, goodRun({ outcome, before: undefined })).join("\n")).to.match(/exists again/);
  });
});
