// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import {
  CloudPartnerError,
  DEFAULT_JOB_POLL,
  isTerminalJobState,
  jobIdOf,
  jobKindOf,
  nextJobPollDelay,
  normalizeJobState,
  pollJob,
  schemaUrl,
  type PiaJobStatus,
} from "../../../provider/pia/index.js";

/** A fake clock whose sleep advances time instantly. */
function fakeClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

const status = (jobStatus: string, jobResult: string, errors: unknown[] = []): PiaJobStatus => ({
  jobId: "j1",
  jobStatus,
  jobResult,
  errors: errors as PiaJobStatus["errors"],
});
const transient = () => new CloudPartnerError("CPP_SERVICE_ERROR", "GET /configure/j1/status: HTTP 503");

describe("pia: job status normalisation (§P5.2)", () => {
  it("maps (jobStatus, jobResult) to one state", () => {
    const table: Array<[string, string, unknown[], string]> = [
      ["notStarted", "pending", [], "notStarted"],
      ["running", "pending", [], "running"],
      ["completed", "succeeded", [], "succeeded"],
      ["completed", "failed", [{ code: "badRequest" }], "failed"],
      ["completed", "cancelled", [], "cancelled"],
      ["completed", "canceled", [], "cancelled"],
      ["Completed", "Succeeded", [], "succeeded"],
      ["running", "failed", [], "failed"],
      ["completed", "pending", [], "unknown"],
      ["completed", "", [{ code: "conflict" }], "failed"],
      ["running", "succeeded", [], "running"],
      ["queued", "pending", [], "unknown"],
      ["", "", [], "unknown"],
    ];
    for (const [s, r, errors, want] of table)
      expect(normalizeJobState(status(s, r, errors)), `${s}/${r}`).to.equal(want);
    expect(normalizeJobState({} as PiaJobStatus)).to.equal("unknown");
    expect(["succeeded", "failed", "cancelled"].every((s) => isTerminalJobState(s as any))).to.equal(true);
    expect(["notStarted", "running", "unknown"].some((s) => isTerminalJobState(s as any))).to.equal(false);
  });

  it("reads jobId, and the jobID of one documentation sample", () => {
    expect(jobIdOf({ jobId: "a" })).to.equal("a");
    expect(jobIdOf({ jobID: "b" })).to.equal("b");
    expect(jobIdOf({ jobId: "", jobID: "c" })).to.equal("c");
    expect(jobIdOf({ jobId: 3 })).to.equal(undefined);
    expect(jobIdOf(null)).to.equal(undefined);
  });

  it("a configure with a submission is a submission job; anything else a draft edit", () => {
    expect(jobKindOf([{ $schema: schemaUrl("submission") }])).to.equal("submission");
    expect(jobKindOf([{ $schema: schemaUrl("product") }, { $schema: "x", id: "submission/p/0" }])).to.equal(
      "submission",
    );
    expect(
      jobKindOf([{ $schema: "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2" }]),
    ).to.equal("submission");
    expect(jobKindOf([{ $schema: schemaUrl("plan") }, { $schema: schemaUrl("listing") }])).to.equal("draft");
    expect(jobKindOf([])).to.equal("draft");
  });
});

describe("pia: poll delays", () => {
  it("a submission job is never polled more than once a minute by default, whatever Retry-After says", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
        (elapsed, retryAfter) => {
          const d = nextJobPollDelay("submission", elapsed, {}, retryAfter);
          expect(d).to.be.at.least(60_000);
          expect(d).to.be.at.most(Math.max(600_000, retryAfter ?? 0));
        },
      ),
    );
    expect(DEFAULT_JOB_POLL.submission.minIntervalInMs).to.equal(60_000);
  });

  it("a draft edit starts at 2 s and backs off to 30 s; intervals can be configured", () => {
    expect(nextJobPollDelay("draft", 0)).to.equal(2_000);
    expect(nextJobPollDelay("draft", 100_000)).to.equal(10_000);
    expect(nextJobPollDelay("draft", 3_600_000)).to.equal(30_000);
    expect(nextJobPollDelay("submission", 0, { minIntervalInMs: 5_000 })).to.equal(5_000);
    // A max below the min is lifted to the min: configuring only max never polls faster.
    expect(nextJobPollDelay("submission", 0, { maxIntervalInMs: 1_000 })).to.equal(60_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(nextJobPollDelay("draft", x)).to.be.at.most(nextJobPollDelay("draft", y));
      }),
    );
  });
});

describe("pia: pollJob", () => {
  it("waits at least a minute between polls of a submission job, and not before the first poll", async () => {
    const clock = fakeClock();
    const answers = ["notStarted", "running", "running", "running", "completed"];
    let i = 0;
    const progress: string[] = [];
    const done = await pollJob(
      async () => {
        const s = answers[i++];
        return { status: status(s, s === "completed" ? "succeeded" : "pending") };
      },
      { jobId: "j1" },
      { now: clock.now, sleep: clock.sleep, onProgress: (p) => progress.push(p.state) },
    );
    expect(done.jobResult).to.equal("succeeded");
    expect(i).to.equal(5);
    expect(clock.sleeps).to.have.length(4);
    for (const s of clock.sleeps) expect(s).to.be.at.least(60_000);
    expect(progress).to.deep.equal(["notStarted", "running", "succeeded"]);
  });

  it("with configure's answer in hand, the first poll waits one interval", async () => {
    const clock = fakeClock();
    let polls = 0;
    await pollJob(
      async () => {
        polls++;
        return { status: status("completed", "succeeded") };
      },
      { jobId: "j1" },
      { now: clock.now, sleep: clock.sleep, kind: "draft", initialStatus: status("notStarted", "pending") },
    );
    expect(polls).to.equal(1);
    expect(clock.sleeps).to.deep.equal([2_000]);
  });

  it("5xx, 429 and unreadable answers count as pending; a 404 ends the wait", async () => {
    const clock = fakeClock();
    const script: Array<() => PiaJobStatus> = [
      () => {
        throw transient();
      },
      () => {
        throw new CloudPartnerError("CPP_THROTTLED", "HTTP 429");
      },
      () => {
        throw new CloudPartnerError("CPP_INVALID_RESPONSE", "not JSON");
      },
      () => status("completed", "succeeded"),
    ];
    let i = 0;
    const done = await pollJob(
      async () => ({ status: script[i++]() }),
      { jobId: "j1" },
      {
        now: clock.now,
        sleep: clock.sleep,
      },
    );
    expect(done.jobResult).to.equal("succeeded");
    const notFound = await pollJob(
      async () => {
        throw new CloudPartnerError("CPP_NOT_FOUND", "HTTP 404");
      },
      { jobId: "j1" },
      { now: clock.now, sleep: clock.sleep },
    ).catch((e) => e);
    expect(notFound.code).to.equal("CPP_NOT_FOUND");
  });

  it("ends by its deadline for any sequence of answers, with the last state seen", async () => {
    const words = ["notStarted", "running", "mystery", "ERROR"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.constantFrom("draft" as const, "submission" as const),
        async (answers, deadlineIn, kind) => {
          const clock = fakeClock();
          let i = 0;
          const deadline = clock.now() + deadlineIn;
          const e = await pollJob(
            async () => {
              const a = answers[Math.min(i++, answers.length - 1)];
              if (a === "ERROR") throw transient();
              return { status: status(a, "pending") };
            },
            { jobId: "j1" },
            { now: clock.now, sleep: clock.sleep, deadline, kind },
          ).catch((x) => x);
          expect(e.code).to.equal("CPP_DEADLINE_EXCEEDED");
          expect(clock.now()).to.equal(deadline);
          const seen = answers.slice(0, i).filter((a) => a !== "ERROR");
          const last = seen[seen.length - 1];
          expect(e.lastStatus).to.equal(last === undefined ? "error" : last === "mystery" ? "unknown" : last);
          expect(e.jobId).to.equal("j1");
          expect(e.message).to.match(/do not send the configure request again/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("abort: before a poll and during a sleep", async () => {
    const ac = new AbortController();
    ac.abort();
    const before = await pollJob(
      async () => ({ status: status("running", "pending") }),
      { jobId: "j1" },
      {
        abortSignal: ac.signal,
      },
    ).catch((e) => e);
    expect(before.code).to.equal("CPP_ABORTED");
    const during = new AbortController();
    const e = await pollJob(
      async () => ({ status: status("running", "pending") }),
      { jobId: "j1" },
      {
        abortSignal: during.signal,
        sleep: async (_ms, signal) => {
          during.abort();
          throw signal?.reason;
        },
      },
    ).catch((x) => x);
    expect(e.code).to.equal("CPP_ABORTED");
    expect(e.message).to.match(/continues on the service/);
  });

  it("a Retry-After longer than the interval is honoured, up to the longest interval", async () => {
    for (const [kind, want] of [
      ["submission", 120_000],
      ["draft", 30_000],
    ] as const) {
      const clock = fakeClock();
      let i = 0;
      await pollJob(
        async () =>
          i++ === 0
            ? { status: status("running", "pending"), retryAfterInMs: 120_000 }
            : { status: status("completed", "succeeded") },
        { jobId: "j1" },
        { now: clock.now, sleep: clock.sleep, kind },
      );
      expect(clock.sleeps, kind).to.deep.equal([want]);
    }
  });
});
